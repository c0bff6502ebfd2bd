"""Near duplicates: examples whose word-5-gram Jaccard similarity to an earlier kept example is at
least 0.8, found with MinHash and LSH banding and confirmed exactly.

The definition. An example's text (its messages' contents, lowercased) is cut into words (runs
of ASCII letters, digits and "_", or of characters outside ASCII; everything else separates);
its shingles are the set of 5-word sequences, or, when it has fewer than 5 words, the set of
its words. An example is a near duplicate when the Jaccard similarity of its
shingles to those of an earlier example that was kept is >= 0.8. Exact copies are taken out
before (inspect.py), so a near duplicate is one "beyond exact".

How it is found without comparing every pair:
1. Each shingle is hashed to 64 bits (computed with numpy over the chunk's bytes, the same in
   every run, so results never depend on Python's per-run string hashing and the same file
   always gives the same answer); the signature is one-permutation MinHash
   with 128 bins (Li, Owen and Zhang 2012) densified by rotation (Shrivastava and Li 2014): an
   empty bin takes the next non-empty bin's value plus an offset per step, which keeps the
   chance that two signatures agree in a bin equal to the sets' Jaccard similarity.
   One permutation instead of 128 costs one hash per shingle rather than 128.
2. The 128 values form 32 bands of 4. Two examples are candidates when at least 2 of their
   bands agree. For independent bins the chance that a pair at exactly J = 0.8 is missed is
   P(Binomial(32, 0.8**4) < 2) = 1.1e-6 (and less above 0.8). Densified bins of very short
   examples are correlated, so tests/core/dataset/test_similar.py measures the miss rate on
   pairs at J just above 0.8 for sets of 9 to 400 shingles.
3. Every candidate is confirmed with the exact Jaccard of the two shingle sets (the words, not
   their hashes), so nothing is called a near duplicate that is not one by the definition.
   Candidates are tried in order of agreeing bands, at most `MAX_CONFIRM` per example, and a
   band value keeps at most `MAX_PER_KEY` earlier examples: both bound the work on highly
   templated files (where many examples share a band), at the cost of a possible miss there.

Work is done a chunk (up to 4,096 examples or 2 MiB of text) at a time on a worker thread,
beside the caller's parsing and token counting (`THREADED = False` decides on the caller's
thread instead, for profiling).

Memory: only the band values of kept examples (32 x 12 bytes each) are kept, in sorted numpy
arrays; texts are not kept. Confirming against an earlier example re-reads its record from the
file through `load_text` (rare: only candidates), with a small cache.
"""

from __future__ import annotations

import random
import re
from array import array
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

THRESHOLD = 0.8
SHINGLE = 5
BINS = 128
BANDS = 32
ROWS = BINS // BANDS
MIN_SHARED_BANDS = 2
MAX_PER_KEY = 8
MAX_CONFIRM = 50
CHUNK = 4096
THREADED = True  # decide chunks on a worker thread (see the module docstring)
MAX_PENDING = 2  # chunks handed over and not yet decided, before `add` waits
_BIN_SHIFT = np.uint64(64 - 7)  # 2**7 == BINS
_VALUE_MASK = np.uint64((1 << 57) - 1)
_EMPTY = np.uint64((1 << 64) - 1)
_ROTATION = np.uint64(0x9E3779B97F4A7C15)  # the offset added per step of densification
# A word: a run of ASCII letters, digits and "_", or of any characters outside ASCII. The same
# definition is computed on UTF-8 bytes (a byte >= 0x80 belongs to a non-ASCII character).
_WORD = re.compile(r"[0-9A-Za-z_\u0080-\U0010FFFF]+")
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[[*range(48, 58), *range(65, 91), *range(97, 123), 95, *range(128, 256)]] = True
_CHUNK_BYTES = 2 * 1024 * 1024

U64 = npt.NDArray[np.uint64]  # of any shape
P = TypeVar("P")

# Fixed hash constants from a seeded stdlib generator (numpy.random is not in the app bundle).
_rng = random.Random(20261129)


def _odd_u64(count: int) -> U64:
    """`count` random odd 64-bit multipliers."""
    return np.array([_rng.getrandbits(63) * 2 + 1 for _ in range(count)], dtype=np.uint64)


_GRAM_MULTIPLIERS = _odd_u64(SHINGLE)
_ROW_MULTIPLIERS = _odd_u64(ROWS)
_BAND_SALT = np.array([_rng.randrange(1, 2**63) for _ in range(BANDS)], dtype=np.uint64)
_SHORT_SALT = np.uint64(0x5EED5EED5EED5EED)
_BASE = _rng.randrange(1, 2**30) * 2 + 1  # odd, so invertible modulo 2**32
U32 = npt.NDArray[np.uint32]
_powers_cache: list[tuple[U32, U32]] = []


def _powers(n: int) -> tuple[U32, U32]:
    """B**i and B**-i modulo 2**32 for i < n (at least), computed once and grown as needed.

    32 bits are enough for a word's hash: two words that collide only make a candidate that
    the exact check then turns down."""
    if _powers_cache and len(_powers_cache[0][0]) >= n:
        return _powers_cache[0]
    size = max(n, _CHUNK_BYTES + 2)
    forward = np.full(size, _BASE, dtype=np.uint32)
    forward[0] = 1
    backward = np.full(size, pow(_BASE, -1, 1 << 32), dtype=np.uint32)
    backward[0] = 1
    made = (np.cumprod(forward, dtype=np.uint32), np.cumprod(backward, dtype=np.uint32))
    _powers_cache[:] = [made]
    return made


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str) -> set[tuple[str, ...]]:
    """The example's shingle set: its word 5-grams, or its words when it has fewer than 5."""
    found = words(text)
    if len(found) < SHINGLE:
        return {(w,) for w in found}
    return {tuple(found[i:i + SHINGLE]) for i in range(len(found) - SHINGLE + 1)}


def jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    if not a and not b:
        return 1.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def _mix(x: U64) -> U64:
    """splitmix64's finaliser, in place on a copy: spreads every input bit over the output."""
    x = x ^ (x >> np.uint64(30))
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


@dataclass
class _Chunk(Generic[P]):
    texts: list[str]
    encoded: list[bytes]  # lowercased UTF-8
    payloads: list[P]
    where: list[tuple[int, int]]


@dataclass
class Resolved(Generic[P]):
    payload: P
    kept_id: int | None  # the id it is kept under, None when a near duplicate
    like: int | None  # the earlier kept example it is a near duplicate of


class NearDuplicates(Generic[P]):
    """Examples go in in file order; each comes out kept (with an id) or as a near duplicate.

    Decisions are made a chunk at a time (`add` returns the chunk's, `finish` the rest), in
    order, so "an earlier kept example" means exactly that. `load_text(offset, length)` gives
    back the text of an earlier kept example, for the exact check; it is called from the worker
    thread that decides the chunks.
    """

    def __init__(self, load_text: Callable[[int, int], str], chunk: int = CHUNK) -> None:
        self._load_text = load_text
        self._chunk = chunk
        self._texts: list[str] = []
        self._encoded: list[bytes] = []
        self._bytes = 0
        self._payloads: list[P] = []
        self._where: list[tuple[int, int]] = []
        self._worker: ThreadPoolExecutor | None = None
        self._pending: deque[Future[list[Resolved[P]]]] = deque()
        # Band values of kept examples: sorted runs of (key, kept id), merged like a binary
        # counter so that adding costs O(log n) copies per value, and a lookup a few searches.
        self._runs: list[tuple[U64, npt.NDArray[np.int32]]] = []
        self._kept = 0
        # Where each kept example is (offset, length), for load_text; kept by the worker itself.
        self._offsets: array[int] = array("q")
        self._lengths: array[int] = array("q")
        self._cache: OrderedDict[int, set[tuple[str, ...]]] = OrderedDict()
        self.confirmations = 0  # exact checks made, for benchmarks and tests

    @property
    def kept(self) -> int:
        return self._kept

    def add(self, text: str, payload: P, offset: int, length: int) -> list[Resolved[P]]:
        """Queue one example, found at (offset, length) for `load_text` should it be kept;
        returns the decisions of chunks finished meanwhile, in order."""
        encoded = text.lower().encode("utf-8", "surrogatepass")
        self._texts.append(text)
        self._where.append((offset, length))
        self._encoded.append(encoded)
        self._bytes += len(encoded) + 1
        self._payloads.append(payload)
        if len(self._payloads) >= self._chunk or self._bytes >= _CHUNK_BYTES:
            self._hand_over()
        return self._collect(wait=len(self._pending) > MAX_PENDING)

    def finish(self) -> list[Resolved[P]]:
        """The decisions still to come, once every queued example has been decided."""
        if self._payloads:
            self._hand_over()
        try:
            return self._collect(wait=True, every=True)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the worker (at once for chunks not started); safe to call twice."""
        if self._worker is not None:
            self._worker.shutdown(wait=True, cancel_futures=True)
            self._worker = None

    def _hand_over(self) -> None:
        """A full chunk goes to the worker thread, which decides chunks one at a time, in order:
        its numpy work runs beside the caller's parsing and token counting."""
        chunk = _Chunk(self._texts, self._encoded, self._payloads, self._where)
        self._texts, self._encoded, self._payloads, self._where = [], [], [], []
        self._bytes = 0
        if not THREADED:
            done: Future[list[Resolved[P]]] = Future()
            done.set_result(self._flush(chunk))
            self._pending.append(done)
            return
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1,
                                              thread_name_prefix="tunewise-near-duplicates")
        self._pending.append(self._worker.submit(self._flush, chunk))

    def _collect(self, wait: bool, every: bool = False) -> list[Resolved[P]]:
        out: list[Resolved[P]] = []
        while self._pending and (self._pending[0].done() or wait):
            out += self._pending.popleft().result()
            wait = every
        return out

    # ---- one chunk ----------------------------------------------------------------------------

    def _word_hashes(self, encoded: list[bytes]) -> tuple[U64, npt.NDArray[np.int64]]:
        """A 64-bit hash of every word of the chunk, in order, and the words per example.

        Vectorised over the chunk's bytes: a word's hash is its polynomial hash, read off a
        running sum of byte x B**position (so each byte costs a few numpy operations), then
        spread to 64 bits."""
        n = len(encoded)
        joined = b"\x00".join([b"", *encoded, b""])
        data = np.frombuffer(joined, dtype=np.uint8)
        is_word = _WORD_BYTE[data]
        edges = np.flatnonzero(is_word[1:] != is_word[:-1]) + 1
        starts, ends = edges[0::2], edges[1::2]
        powers, inverse = _powers(len(data))
        running = np.cumsum(data * powers[:len(data)], dtype=np.uint32)
        hashes = ((running[ends - 1] - running[starts - 1]) * inverse[starts]).astype(np.uint64)
        # Which example each word is in: example k ends at the NUL at bounds[k].
        bounds = np.cumsum([len(e) + 1 for e in encoded])
        owner = np.searchsorted(bounds, starts, "right")
        return _mix(hashes), np.bincount(owner, minlength=n).astype(np.int64)

    def _signatures(self, encoded: list[bytes]) -> tuple[U64, npt.NDArray[np.bool_]]:
        """Band values (n x BANDS) of the chunk's examples, and which have any shingle."""
        n = len(encoded)
        word_ids, lengths = self._word_hashes(encoded)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        # 5-grams where they fit inside one example; words of examples shorter than 5.
        grams = np.maximum(lengths - SHINGLE + 1, 0)
        short = (lengths > 0) & (lengths < SHINGLE)
        counts = np.where(short, lengths, grams)
        owner = np.repeat(np.arange(n), counts)
        local = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        position = starts[owner] + local
        hashed = np.zeros(len(position), dtype=np.uint64)
        is_short = short[owner]
        long_pos = position[~is_short]
        total = np.zeros(len(long_pos), dtype=np.uint64)
        for k in range(SHINGLE):
            total += word_ids[long_pos + k] * _GRAM_MULTIPLIERS[k]
        hashed[~is_short] = total
        hashed[is_short] = word_ids[position[is_short]] ^ _SHORT_SALT
        hashed = _mix(hashed)
        # One-permutation MinHash: the top 7 bits choose the bin, the rest is the value.
        flat = owner.astype(np.int64) * BINS + (hashed >> _BIN_SHIFT).astype(np.int64)
        minima = np.full(n * BINS, _EMPTY, dtype=np.uint64)
        np.minimum.at(minima, flat, hashed & _VALUE_MASK)
        signature = minima.reshape(n, BINS)
        has_any = counts > 0
        # Densify by rotation: an empty bin takes the next non-empty bin to its right
        # (circularly), plus the rotation offset times the distance.
        filled = signature != _EMPTY
        index = np.where(filled, np.arange(BINS), 4 * BINS)
        doubled = np.concatenate((index, index + BINS), axis=1)
        following = np.minimum.accumulate(doubled[:, ::-1], axis=1)[:, ::-1][:, :BINS]
        following = np.minimum(following, 4 * BINS)
        distance = (following - np.arange(BINS)).astype(np.uint64)
        source = np.where(has_any[:, None], following % BINS, 0)
        dense = np.take_along_axis(signature, source, axis=1) + distance * _ROTATION
        bands = dense.reshape(n, BANDS, ROWS) * _ROW_MULTIPLIERS
        keys = _mix(bands.sum(axis=2, dtype=np.uint64) ^ _BAND_SALT)
        return keys, has_any

    def _candidates(self, keys: U64, has_any: npt.NDArray[np.bool_]
                    ) -> tuple[dict[int, list[tuple[int, int]]], npt.NDArray[np.int64]]:
        """Per chunk example: [(agreeing bands, code)], code >= 0 an earlier kept id and
        code < 0 an earlier example of this chunk (-1 - index). Also each key's earlier count."""
        n = keys.shape[0]
        flat = keys.reshape(-1)
        example = np.repeat(np.arange(n, dtype=np.int64), BANDS)
        codes: list[npt.NDArray[np.int64]] = []
        # Keys sorted once: the lookups below walk each run in order (cache-friendly, and
        # numpy's search narrows from the previous hit), and equal keys sit side by side.
        order = np.lexsort((example, flat))
        sorted_keys, sorted_example = flat[order], example[order]
        present_sorted = np.zeros(len(flat), dtype=np.int64)
        for run_keys, run_owners in self._runs:
            lo = np.searchsorted(run_keys, sorted_keys, "left")
            hit = np.flatnonzero(run_keys[np.minimum(lo, len(run_keys) - 1)] == sorted_keys)
            if not len(hit):
                continue
            lo = lo[hit]
            count = np.searchsorted(run_keys, sorted_keys[hit], "right") - lo
            present_sorted[hit] += count
            total = int(count.sum())
            ends = np.cumsum(count)
            pick = np.arange(total) - np.repeat(ends - count, count) + np.repeat(lo, count)
            codes.append(np.repeat(sorted_example[hit], count) * (1 << 32)
                         + run_owners[pick].astype(np.int64))
        present = np.empty(len(flat), dtype=np.int64)
        present[order] = present_sorted
        for d in range(1, MAX_PER_KEY + 1):
            same = sorted_keys[d:] == sorted_keys[:-d]
            same &= sorted_example[d:] != sorted_example[:-d]
            if not same.any():
                break
            later, earlier = sorted_example[d:][same], sorted_example[:-d][same]
            codes.append(later * (1 << 32) + (1 << 31) + earlier)
        found: dict[int, list[tuple[int, int]]] = {}
        if codes:
            unique, shared = np.unique(np.concatenate(codes), return_counts=True)
            keep = shared >= MIN_SHARED_BANDS
            for code, count in zip(unique[keep].tolist(), shared[keep].tolist(), strict=True):
                ex, other = divmod(code, 1 << 32)
                if not has_any[ex]:
                    continue
                candidate = -1 - (other - (1 << 31)) if other >= (1 << 31) else other
                found.setdefault(ex, []).append((count, candidate))
        return found, present.reshape(n, BANDS)

    def _earlier(self, kept_id: int) -> set[tuple[str, ...]]:
        found = self._cache.get(kept_id)
        if found is None:
            found = shingles(self._load_text(self._offsets[kept_id], self._lengths[kept_id]))
            self._cache[kept_id] = found
            if len(self._cache) > 256:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(kept_id)
        return found

    def _flush(self, chunk: _Chunk[P]) -> list[Resolved[P]]:
        keys, has_any = self._signatures(chunk.encoded)
        candidates, present = self._candidates(keys, has_any)
        n = len(chunk.payloads)
        local_kept: list[int | None] = [None] * n
        own: dict[int, set[tuple[str, ...]]] = {}
        out: list[Resolved[P]] = []
        for i in range(n):
            like: int | None = None
            options = candidates.get(i)
            if options:
                # Most agreeing bands first; then earlier chunks, then this chunk, in order.
                options.sort(key=lambda item: (-item[0], item[1] if item[1] >= 0
                                               else (1 << 40) - 1 - item[1]))
                mine = own.get(i) or shingles(chunk.texts[i])
                own[i] = mine
                tried = 0
                for _count, candidate in options:
                    if candidate >= 0:
                        theirs = self._earlier(candidate)
                        target: int | None = candidate
                    else:
                        j = -1 - candidate
                        target = local_kept[j]
                        if target is None:
                            continue  # that earlier example was itself a near duplicate
                        theirs = own.get(j) or shingles(chunk.texts[j])
                        own[j] = theirs
                    tried += 1
                    self.confirmations += 1
                    if jaccard(mine, theirs) >= THRESHOLD:
                        like = target
                        break
                    if tried >= MAX_CONFIRM:
                        break
            if like is None:
                local_kept[i] = self._kept
                self._offsets.append(chunk.where[i][0])
                self._lengths.append(chunk.where[i][1])
                out.append(Resolved(chunk.payloads[i], self._kept, None))
                self._kept += 1
            else:
                out.append(Resolved(chunk.payloads[i], None, like))
        self._insert(keys, present, local_kept, has_any)
        return out

    def _insert(self, keys: U64, present: npt.NDArray[np.int64], local_kept: list[int | None],
                has_any: npt.NDArray[np.bool_]) -> None:
        rows = [i for i, kept in enumerate(local_kept) if kept is not None and has_any[i]]
        if not rows:
            return
        chosen = keys[rows]
        owners = np.repeat(np.array([local_kept[i] for i in rows], dtype=np.int32), BANDS)
        room = (present[rows] < MAX_PER_KEY).reshape(-1)
        new_keys, new_owners = chosen.reshape(-1)[room], owners[room]
        order = np.argsort(new_keys, kind="stable")
        new_keys, new_owners = new_keys[order], new_owners[order]
        self._runs.append((new_keys, new_owners))
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (keys_b, owners_b), (keys_a, owners_a) = self._runs.pop(), self._runs.pop()
            at = np.searchsorted(keys_a, keys_b, "right")
            self._runs.append((np.insert(keys_a, at, keys_b), np.insert(owners_a, at, owners_b)))
