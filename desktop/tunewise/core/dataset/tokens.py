"""Token counts as OpenAI counts a chat fine-tuning example, offline.

The vocabularies ship xz-compressed in resources/tokenizers (the SHA-256 of the unpacked bytes
is checked against the hash tiktoken itself pins); the encoding's pattern and special tokens come
from tiktoken_ext.openai_public, so `tiktoken.get_encoding` (which downloads) is never called.
tiktoken is imported when the first count is asked for, not when this module is imported: the
app's start-up does not pay for it.

How an example is counted (OpenAI's `num_tokens_from_messages` in its chat fine-tuning data
preparation notebook):
- every message: 3 tokens, plus the tokens of its role, plus the tokens of its content;
  a message with a `name`: the tokens of the name plus 1;
- every example: 3 more (the reply's priming).
Each of the roles system/user/assistant is one token in both encodings, so a plain message costs
4 + its content. The split used for the plan's workload:
- input = every message before the final assistant message, each with its overhead as above,
  plus the 3 per example (they are read by the model, not written);
- output = the tokens of the final assistant message's content only;
so input + output = total - the final message's own overhead (3 + role + name).
Content is encoded as ordinary text: a special token's spelling ("<|endoftext|>") in a file
counts as the text it is.
"""

from __future__ import annotations

import base64
import hashlib
import lzma
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from tunewise.core.dataset.model import Encoding
from tunewise.paths import resource

if TYPE_CHECKING:
    import tiktoken

ENCODINGS: tuple[Encoding, ...] = ("o200k_base", "cl100k_base")
# SHA-256 of the unzipped vocabularies, as tiktoken_ext.openai_public pins them.
VOCABULARY_SHA256: dict[str, str] = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
TOKENS_PER_EXAMPLE = 3
# Model names counted exactly by an OpenAI encoding; any other model is an approximation.
OPENAI_PREFIXES = ("gpt-", "o1", "o3", "o4", "ft:gpt")

_lock = threading.Lock()
_loaded: dict[str, tiktoken.Encoding] = {}


class TokenizerError(Exception):
    """The bundled vocabulary is missing or not the expected bytes."""


def is_approximate(model: str | None) -> bool:
    """Whether counts for `model` are an approximation (it is not an OpenAI model)."""
    if model is None:
        return False
    return not model.strip().lower().startswith(OPENAI_PREFIXES)


def _ranks(name: str) -> dict[bytes, int]:
    path = resource("tokenizers", f"{name}.tiktoken.xz")
    try:
        raw = lzma.decompress(path.read_bytes())
    except (OSError, EOFError, lzma.LZMAError) as error:
        raise TokenizerError(f"cannot read the {name} vocabulary ({path.name}): {error}") from None
    if hashlib.sha256(raw).hexdigest() != VOCABULARY_SHA256[name]:
        raise TokenizerError(f"the {name} vocabulary ({path.name}) is not the expected file")
    ranks: dict[bytes, int] = {}
    for line in raw.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def is_loaded(name: str) -> bool:
    """Whether the encoding is built already (building one holds Python's lock ~0.15 s)."""
    return name in _loaded


def encoding(name: Encoding = "o200k_base") -> tiktoken.Encoding:
    """The tiktoken Encoding `name`, built from the bundled vocabulary once, then cached."""
    if name not in VOCABULARY_SHA256:
        raise TokenizerError(f"no encoding {name!r}; choose one of {', '.join(ENCODINGS)}")
    with _lock:
        found = _loaded.get(name)
        if found is not None:
            return found
        import tiktoken
        from tiktoken_ext import openai_public  # type: ignore[import-untyped]

        ranks = _ranks(name)
        # The constructor reads the vocabulary through load_tiktoken_bpe (a download); give it
        # the bundled ranks instead, keeping tiktoken's own pattern and special tokens.
        constructor = getattr(openai_public, name)
        original = openai_public.load_tiktoken_bpe
        openai_public.load_tiktoken_bpe = lambda *_args, **_kwargs: ranks
        try:
            spec = constructor()
        finally:
            openai_public.load_tiktoken_bpe = original
        made = tiktoken.Encoding(name=spec["name"], pat_str=spec["pat_str"],
                                 mergeable_ranks=spec["mergeable_ranks"],
                                 special_tokens=spec["special_tokens"],
                                 explicit_n_vocab=spec.get("explicit_n_vocab"))
        _loaded[name] = made
        return made


PREFETCH_THREADS = 2


class Counter:
    """Counts examples with one encoding; role and name counts are remembered."""

    def __init__(self, name: Encoding = "o200k_base") -> None:
        self.name = name
        self._encode = encoding(name).encode_ordinary
        self._short: dict[str, int] = {}
        self._ready: dict[str, int] = {}  # counted ahead by `prefetch`, taken once by `text`
        self._pool: ThreadPoolExecutor | None = None

    def text(self, text: str) -> int:
        if not text:
            return 0
        found = self._ready.pop(text, None)
        return found if found is not None else len(self._encode(text))

    def prefetch(self, texts: Sequence[str]) -> None:
        """Count a batch of texts ahead, on the machine's cores: tiktoken's encoder lets go of
        the interpreter lock, so two threads count twice as fast. `text` then finds them."""
        texts = [t for t in texts if t and t not in self._ready]
        if len(texts) < 64:
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=PREFETCH_THREADS,
                                            thread_name_prefix="tunewise-tokens")
        encode = self._encode
        half = len(texts) // 2
        parts = (texts[:half], texts[half:])
        for part, counts in zip(parts, self._pool.map(
                lambda chunk: [len(encode(t)) for t in chunk], parts), strict=True):
            self._ready.update(zip(part, counts, strict=True))

    def close(self) -> None:
        self._ready.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None

    def _small(self, text: str) -> int:
        found = self._short.get(text)
        if found is None:
            found = self.text(text)
            if len(self._short) < 10_000:
                self._short[text] = found
        return found

    def example(self, messages: Sequence[dict[str, str]]) -> tuple[int, int, int]:
        """(total, input, output) tokens of one example (see the module docstring)."""
        total = TOKENS_PER_EXAMPLE
        last = len(messages) - 1
        output = 0
        before_last = 0
        for i, message in enumerate(messages):
            content = self.text(message["content"])
            overhead = TOKENS_PER_MESSAGE + self._small(message["role"])
            name = message.get("name")
            if name is not None:
                overhead += self._small(name) + TOKENS_PER_NAME
            total += overhead + content
            if i == last:
                output = content
                before_last = total - overhead - content
        return total, before_last, output
