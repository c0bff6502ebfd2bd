"""Inspecting a dataset file: one streaming pass from bytes on disk to a DatasetReport.

The pass reads each line once (bounded, see formats.py), hashes it for the file's SHA-256,
checks the record (checks.py), counts its tokens (tokens.py), looks for personal data (pii.py)
and for copies: exact ones by a hash of the normalised messages, near ones through
similar.NearDuplicates. Memory holds per example only what the figures need (its token count,
16 bytes of hash, and for kept examples their band values and where they are in the file), not
its text.

What counts:
- records: non-blank lines (JSONL) or data rows (CSV/TSV); valid: records with no problem;
  invalid_count = records - valid; an example over `context_limit` tokens is invalid
  (kind over_context), as a fine-tuning service would reject or cut it;
- duplicates: valid examples whose messages equal an earlier valid example's;
- near_duplicates: the rest that are near duplicates of an earlier kept example (similar.py);
- good_examples = valid - duplicates - near_duplicates; training_tokens, the mean input and
  output tokens and the labels are over good examples; the token statistics, the histogram and
  personal data over valid examples.
"""

from __future__ import annotations

import csv
import hashlib
import io
import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from tunewise.core.dataset import formats
from tunewise.core.dataset.checks import Checked, Message, check_record, check_row
from tunewise.core.dataset.formats import DatasetError, LineReader, decode_line, parse_json
from tunewise.core.dataset.model import (
    DatasetFormat,
    DatasetReport,
    Encoding,
    FileFacts,
    Histogram,
    Problem,
    ProblemKind,
    TokenStats,
)
from tunewise.core.dataset.pii import PiiTally
from tunewise.core.dataset.similar import NearDuplicates, Resolved
from tunewise.core.dataset.tokens import Counter, is_approximate
from tunewise.core.stats import percentile

MAX_PROBLEMS = 10_000
HISTOGRAM_BINS = 30
PROGRESS_EVERY = 0.05  # seconds: at most ~20 progress calls a second
# Outputs read as labels when there are at most this many distinct ones over at least
# LABEL_MIN_EXAMPLES good examples, and at least LABEL_SHORT_SHARE of them are short.
LABEL_MAX_CLASSES = 20
LABEL_MIN_EXAMPLES = 20
LABEL_MAX_WORDS = 3
LABEL_SHORT_SHARE = 0.9

Progress = Callable[[int, int], None]
# (line, offset, length, total tokens, input tokens, output tokens, final answer if short)
Payload = tuple[int, int, int, int, int, int, str | None]


def example_text(messages: list[Message]) -> str:
    """The text that duplicates and personal data are looked for in: the contents, in order."""
    return "\n".join(m["content"] for m in messages)


def _digest(messages: list[Message]) -> bytes:
    parts = "\x1e".join(f"{m['role']}\x1f{m.get('name', '')}\x1f{m['content']}"
                        for m in messages)
    return hashlib.blake2b(parts.encode("utf-8", "surrogatepass"), digest_size=16).digest()


BATCH = 512  # records checked before their texts are counted together


@dataclass
class _Tally:
    """The figures gathered during the pass."""

    records: int = 0
    valid: int = 0
    problems: list[Problem] = field(default_factory=list)
    invalid_count: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    good: int = 0
    over_context: int = 0
    valid_tokens: array[int] = field(default_factory=lambda: array("q"))
    training_tokens: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    long_outputs: int = 0
    good_ranges: list[tuple[int, int]] | None = None

    def invalid(self, line: int, problems: list[tuple[ProblemKind, str]]) -> None:
        self.invalid_count += 1
        for kind, text in problems:
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(Problem(line=line, kind=kind, problem=text))

    def resolved(self, items: list[Resolved[Payload]]) -> None:
        for item in items:
            _line, offset, length, total, given, answer, short = item.payload
            if item.kept_id is None:
                self.near_duplicates += 1
                continue
            self.good += 1
            self.training_tokens += total
            self.input_tokens += given
            self.output_tokens += answer
            if self.good_ranges is not None:
                self.good_ranges.append((offset, length))
            if short is None:
                self.long_outputs += 1
            elif len(self.labels) <= LABEL_MAX_CLASSES or short in self.labels:
                self.labels[short] = self.labels.get(short, 0) + 1


@dataclass
class Scan:
    """What one pass found: the report, and for `split` where the good examples are."""

    report: DatasetReport
    good_ranges: list[tuple[int, int]]
    header: bytes | None  # a CSV/TSV file's header line(s), as in the file


class _Rereader:
    """Gives back the text of an earlier kept example, re-read from the file (rarely used;
    called from the near-duplicate worker thread, with a file handle of its own)."""

    def __init__(self, path: Path, fmt: DatasetFormat,
                 columns: tuple[int, int, int, list[str]] | None) -> None:
        self.path, self.fmt, self.columns = path, fmt, columns
        self.handle: BinaryIO | None = None

    def __call__(self, offset: int, length: int) -> str:
        if self.handle is None:
            self.handle = open(self.path, "rb")  # noqa: SIM115 - closed by close()
        self.handle.seek(offset)
        raw = self.handle.read(length)
        if self.columns is None:
            value, _ = parse_json(decode_line(raw, first=offset == 0))
            return example_text(check_record(value, self.fmt).messages)
        width, first, second, header = self.columns
        cells = next(csv.reader(io.StringIO(raw.decode("utf-8")),
                                delimiter=formats.DELIMITERS[self.fmt]), [])
        return example_text(check_row(cells, width, first, second, header).messages)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


def inspect(path: str | Path, *, format: DatasetFormat | None = None,
            input_column: str | None = None, output_column: str | None = None,
            encoding: Encoding = "o200k_base", context_limit: int | None = None,
            model: str | None = None, progress: Progress | None = None,
            cancel: threading.Event | None = None, today: date | None = None) -> DatasetReport:
    """Read, check, count and deduplicate one dataset file in one pass.

    Raises DatasetError (one plain line) when the file as a whole cannot be read: missing, not
    a regular file, empty, binary, of no format that can be told, or with no examples.
    """
    return scan(Path(path), format=format, input_column=input_column,
                output_column=output_column, encoding=encoding, context_limit=context_limit,
                model=model, progress=progress, cancel=cancel, today=today).report


def scan(path: Path, *, format: DatasetFormat | None = None,
         input_column: str | None = None, output_column: str | None = None,
         encoding: Encoding = "o200k_base", context_limit: int | None = None,
         model: str | None = None, progress: Progress | None = None,
         cancel: threading.Event | None = None, today: date | None = None,
         collect: bool = False) -> Scan:
    """`inspect`, also returning where the good examples are when `collect` (for `split`)."""
    handle, size = formats.open_dataset(path)
    with handle:
        head = handle.read(formats.SNIFF_BYTES)
        if formats.looks_binary(head):
            raise DatasetError(f"{path.name} looks like a binary file, not UTF-8 text (it "
                               "holds NUL bytes)")
        handle.seek(0)
        fmt = format or _detect(path, handle, input_column is not None)
        handle.seek(0)
        return _Pass(path, handle, size, fmt, input_column, output_column, encoding,
                     context_limit, model, progress, cancel, today, collect).run()


def _detect(path: Path, handle: BinaryIO, columns_given: bool) -> DatasetFormat:
    """The format by the extension or the first records; reads at most ~64 MiB to decide."""
    if path.suffix.lower() in formats.CSV_EXTENSIONS:
        return formats.CSV_EXTENSIONS[path.suffix.lower()]
    sample: list[bytes] = []
    first_problem = ""
    for line in LineReader(handle):
        if line.raw is None:
            first_problem = first_problem or (
                f"line {line.number} is longer than {formats.MAX_LINE // 1024 // 1024} MiB")
        else:
            try:
                text = decode_line(line.raw, first=line.number == 1)
            except UnicodeDecodeError as error:
                first_problem = first_problem or (
                    f"line {line.number} is not UTF-8 text (byte {error.start + 1})")
                continue
            if text.strip():
                sample.append(text.encode("utf-8", "surrogatepass"))
                _value, why = parse_json(text)
                if why is not None:
                    first_problem = first_problem or f"line {line.number} is {why}"
        if len(sample) >= formats.SNIFF_RECORDS or line.offset > 64 * 1024 * 1024:
            break
    try:
        return formats.detect_format(path, b"\n".join(sample), None, columns_given)
    except DatasetError as error:
        if first_problem:
            raise DatasetError(f"{path.name}: cannot tell its format: {first_problem}; choose "
                               "the format with --format to check every line") from None
        if not sample:
            raise DatasetError(f"{path.name} has no examples (only blank lines)") from error
        raise


class _Pass:
    """One pass over one file; `run` returns the Scan."""

    def __init__(self, path: Path, handle: BinaryIO, size: int, fmt: DatasetFormat,
                 input_column: str | None, output_column: str | None, encoding: Encoding,
                 context_limit: int | None, model: str | None, progress: Progress | None,
                 cancel: threading.Event | None, today: date | None, collect: bool) -> None:
        self.path, self.handle, self.size, self.fmt = path, handle, size, fmt
        self.input_column, self.output_column = input_column, output_column
        self.encoding, self.context_limit, self.model = encoding, context_limit, model
        self.progress, self.cancel, self.collect = progress, cancel, collect
        self.today = today or date.today()
        self.tally = _Tally(good_ranges=[] if collect else None)
        self.counter = Counter(encoding)
        self.pii = PiiTally()
        self.seen: set[bytes] = set()
        self.header: bytes | None = None
        self.columns: tuple[int, int, int, list[str]] | None = None
        self.rereader: _Rereader | None = None
        self.near: NearDuplicates[Payload] | None = None
        self.reader = LineReader(handle)
        self.cancelled = False
        self._last_tick = 0.0

    def _tick(self) -> bool:
        """Report progress now and then; True when the caller asked to stop."""
        if self.cancel is not None and self.cancel.is_set():
            self.cancelled = True
            return True
        if self.progress is not None:
            now = time.monotonic()
            if now - self._last_tick >= PROGRESS_EVERY:
                self._last_tick = now
                self.progress(self.reader.position, self.size)
        return False

    def run(self) -> Scan:
        try:
            if self.fmt in formats.DELIMITERS:
                self._rows()
            else:
                self._start(None)
                self._lines()
            if not self.cancelled and self.near is not None:
                self.tally.resolved(self.near.finish())
                self.reader.drain()
        finally:
            self.counter.close()
            if self.near is not None:
                self.near.close()
            if self.rereader is not None:
                self.rereader.close()
        if self.progress is not None and not self.cancelled:
            self.progress(self.size, self.size)
        if self.tally.records == 0 and not self.cancelled:
            raise DatasetError(f"{self.path.name} has no examples" + (
                " after its header row" if self.header is not None else " (only blank lines)"))
        return Scan(self._report(), self.tally.good_ranges or [], self.header)

    def _start(self, columns: tuple[int, int, int, list[str]] | None) -> None:
        self.columns = columns
        self.rereader = _Rereader(self.path, self.fmt, columns)
        self.near = NearDuplicates(self.rereader)

    def _lines(self) -> None:
        batch: list[tuple[int, int, int, Checked]] = []
        for line in self.reader:
            if len(batch) >= BATCH:
                self._examples(batch)
                batch = []
            if self._tick():
                return
            if line.raw is None:
                self.tally.records += 1
                self.tally.invalid(line.number, [(
                    "too_long", f"the line is longer than {formats.MAX_LINE // 1024 // 1024} "
                    "MiB; it was skipped")])
                continue
            try:
                text = decode_line(line.raw, first=line.number == 1)
            except UnicodeDecodeError as error:
                self.tally.records += 1
                self.tally.invalid(line.number, [(
                    "not_utf8", f"not UTF-8 text (byte {error.start + 1} of the line)")])
                continue
            if not text.strip():
                continue
            self.tally.records += 1
            value, why = parse_json(text)
            if why is not None:
                self.tally.invalid(line.number, [("not_json", f"the line is {why}")])
                continue
            batch.append((line.number, line.offset, line.length, check_record(value, self.fmt)))
        self._examples(batch)

    def _examples(self, batch: list[tuple[int, int, int, Checked]]) -> None:
        """A batch of checked records, their texts counted ahead on all cores, in file order."""
        self.counter.prefetch([m["content"] for *_, checked in batch if not checked.problems
                               for m in checked.messages])
        for line, offset, length, checked in batch:
            self._example(line, offset, length, checked)

    def _rows(self) -> None:
        for row in formats.read_rows(iter(self.reader), self.fmt):
            if self._tick():
                return
            if self.columns is None:  # the header
                if row.cells is None:
                    raise DatasetError(f"{self.path.name}: cannot read its header row "
                                       f"({row.problem})")
                header = [c.lstrip("\ufeff") for c in row.cells]
                first, second = formats.choose_columns(header, self.input_column,
                                                       self.output_column, self.path.name)
                self.handle.seek(0)
                self.header = self.handle.read(row.length)
                self.handle.seek(self.reader.position)
                self._start((len(header), first, second, header))
                continue
            self.tally.records += 1
            if row.cells is None:
                self.tally.invalid(row.line, [("bad_row", row.problem or "unreadable row")])
                continue
            width, first, second, header = self.columns
            self._example(row.line, row.offset, row.length,
                          check_row(row.cells, width, first, second, header))

    def _example(self, line: int, offset: int, length: int, checked: Checked) -> None:
        tally = self.tally
        if checked.problems:
            tally.invalid(line, checked.problems)
            return
        messages = checked.messages
        total, given, answer = self.counter.example(messages)
        if self.context_limit is not None and total > self.context_limit:
            tally.over_context += 1
            tally.invalid(line, [("over_context", f"{total:,} tokens, over the model's "
                                  f"context of {self.context_limit:,}")])
            return
        tally.valid += 1
        tally.valid_tokens.append(total)
        text = example_text(messages)
        self.pii.add(text, line)
        digest = _digest(messages)
        if digest in self.seen:
            tally.duplicates += 1
            return
        self.seen.add(digest)
        final = messages[-1]["content"].strip()
        short = final if len(final) <= 60 and len(final.split()) <= LABEL_MAX_WORDS else None
        assert self.near is not None
        done = self.near.add(text, (line, offset, length, total, given, answer, short), offset,
                             length)
        if done:
            tally.resolved(done)

    def _report(self) -> DatasetReport:
        tally = self.tally
        counts = np.frombuffer(tally.valid_tokens, dtype=np.int64) if tally.valid_tokens \
            else np.zeros(0, dtype=np.int64)
        if len(counts):
            p50, p95 = percentile(counts.tolist(), 50), percentile(counts.tolist(), 95)
            stats = TokenStats(encoding=self.encoding, approximate=is_approximate(self.model),
                               total=int(counts.sum()), mean=float(counts.mean()), p50=p50,
                               p95=p95, max=int(counts.max()))
        else:
            stats = TokenStats(encoding=self.encoding, approximate=is_approximate(self.model),
                               total=0, mean=0.0, p50=0.0, p95=0.0, max=0)
        good = tally.good
        return DatasetReport(
            file=FileFacts(name=self.path.name, size=self.size,
                           sha256=self.reader.sha256.hexdigest()),
            format=self.fmt, records=tally.records, valid=tally.valid,
            invalid_count=tally.invalid_count, invalid=tally.problems,
            duplicates=tally.duplicates, near_duplicates=tally.near_duplicates,
            good_examples=good, tokens=stats, training_tokens=tally.training_tokens,
            mean_input_tokens=tally.input_tokens / good if good else 0.0,
            mean_output_tokens=tally.output_tokens / good if good else 0.0,
            over_context=tally.over_context, context_limit=self.context_limit,
            pii=self.pii.findings(), labels=self._labels(), histogram=histogram(counts),
            measured_on=self.today, cancelled=self.cancelled)

    def _labels(self) -> dict[str, int] | None:
        tally = self.tally
        if tally.good < LABEL_MIN_EXAMPLES or len(tally.labels) > LABEL_MAX_CLASSES:
            return None
        if tally.long_outputs > (1 - LABEL_SHORT_SHARE) * tally.good:
            return None
        return dict(sorted(tally.labels.items(), key=lambda kv: (-kv[1], kv[0])))


def histogram(counts: npt.NDArray[np.int64]) -> Histogram:
    """About 30 bins from the smallest to the largest count (one token wide when narrower)."""
    if not len(counts):
        return Histogram(edges=[0.0, 1.0], counts=[0])
    low, high = int(counts.min()), int(counts.max())
    bins = max(1, min(HISTOGRAM_BINS, high - low + 1))
    top = high + 1 if high - low + 1 <= HISTOGRAM_BINS else high
    found, edges = np.histogram(counts, bins=bins, range=(low, top))
    return Histogram(edges=[float(e) for e in edges], counts=[int(c) for c in found])
