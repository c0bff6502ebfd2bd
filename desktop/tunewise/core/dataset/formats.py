"""Dataset files as a stream of records: which format a file is in, and its lines or rows.

A file is read in binary, one line at a time, never more than `MAX_LINE` bytes of a line at
once: a longer line is reported as too long and skipped to its newline without being held.
Only regular files are read; a pipe, a device or a folder is refused before anything waits on
it. Every byte read also goes through the SHA-256 the report carries, so the hash costs no
second pass.

Formats are a registry (`RECORD_FORMATS`, the keys that name each JSON format); every format
becomes chat messages (checks.py), so counting and deduplication are one code path.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from tunewise.core.dataset.model import FORMAT_LABELS, DatasetFormat
from tunewise.core.files import kind_of

MAX_LINE = 16 * 1024 * 1024  # bytes; a longer line is `too_long`
_SKIP_CHUNK = 1 << 20
SNIFF_RECORDS = 50  # records read to detect a JSONL file's format
SNIFF_BYTES = 8192  # bytes looked at to tell a binary file
CSV_EXTENSIONS: dict[str, DatasetFormat] = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv"}
DELIMITERS: dict[str, str] = {"csv": ",", "tsv": "\t"}
# Column names taken as input and output when none are chosen, in order of preference.
INPUT_COLUMNS = ("input", "prompt", "question", "instruction", "text", "query")
OUTPUT_COLUMNS = ("output", "completion", "answer", "response", "label", "target")


class DatasetError(Exception):
    """The file as a whole cannot be read as a dataset; the message says why in one line."""


@dataclass(frozen=True)
class RecordFormat:
    """The keys that name a JSON record format and the keys it allows at the top level."""

    id: DatasetFormat
    names: tuple[str, ...]  # any of these keys marks a record as this format
    allowed: frozenset[str]


# Order matters: a preference record has `input` like Alpaca, so it is tried first.
RECORD_FORMATS: tuple[RecordFormat, ...] = (
    RecordFormat("chat", ("messages",),
                 frozenset({"messages", "tools", "parallel_tool_calls", "functions"})),
    RecordFormat("preference", ("preferred_output", "non_preferred_output"),
                 frozenset({"input", "preferred_output", "non_preferred_output"})),
    RecordFormat("sharegpt", ("conversations",), frozenset({"conversations", "id", "system"})),
    RecordFormat("prompt_completion", ("prompt", "completion"),
                 frozenset({"prompt", "completion"})),
    RecordFormat("alpaca", ("instruction", "output"),
                 frozenset({"instruction", "input", "output", "system"})),
)
BY_ID: dict[str, RecordFormat] = {f.id: f for f in RECORD_FORMATS}


_NAMES: tuple[tuple[str, DatasetFormat], ...] = tuple(
    (name, spec.id) for spec in RECORD_FORMATS for name in spec.names)


def record_format(obj: dict[str, Any]) -> DatasetFormat | None:
    """Which JSON format one record is in, by its keys; None if it names none."""
    for name, fmt in _NAMES:
        if name in obj:
            return fmt
    return None


def label(fmt: str) -> str:
    return FORMAT_LABELS.get(fmt, fmt)


# ---- the file ---------------------------------------------------------------------------

def open_dataset(path: str | os.PathLike[str]) -> tuple[BinaryIO, int]:
    """The file opened for binary reading, and its size; anything but a regular file is refused.

    Raises DatasetError with a plain reason (missing, a folder, a pipe, unreadable, empty).
    """
    name = Path(path).name or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DatasetError(f"{name}: no such file") from None
    except OSError as error:
        raise DatasetError(f"{name}: cannot read it ({error.strerror or error})") from None
    if not stat.S_ISREG(info.st_mode):
        raise DatasetError(f"{name} is {kind_of(info.st_mode)}, not a file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise DatasetError(f"{name}: cannot read it ({error.strerror or error})") from None
    try:
        info = os.fstat(fd)  # what was opened, should a pipe have been swapped in meanwhile
        if not stat.S_ISREG(info.st_mode):
            raise DatasetError(f"{name} is {kind_of(info.st_mode)}, not a file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb", buffering=1 << 20)
    except BaseException:
        os.close(fd)
        raise
    if info.st_size == 0:
        handle.close()
        raise DatasetError(f"{name} is empty")
    return handle, info.st_size


def looks_binary(head: bytes) -> bool:
    """NUL bytes in the first bytes: an image, an archive, or UTF-16 text, not UTF-8 lines."""
    return b"\x00" in head[:SNIFF_BYTES]


@dataclass(slots=True)
class Line:
    number: int  # 1-based
    offset: int  # of its first byte
    raw: bytes | None  # with its line ending; None when longer than MAX_LINE (skipped)
    length: int  # bytes in the file, line ending included


@dataclass
class LineReader:
    """The lines of an open file, hashed and counted as they go by."""

    handle: BinaryIO
    limit: int = MAX_LINE
    sha256: Any = field(default_factory=hashlib.sha256)
    position: int = 0
    number: int = 0

    def __iter__(self) -> Iterator[Line]:
        readline = self.handle.readline
        update = self.sha256.update
        while True:
            raw = readline(self.limit + 1)
            if not raw:
                return
            self.number += 1
            start = self.position
            update(raw)
            self.position += len(raw)
            if len(raw) > self.limit and not raw.endswith(b"\n"):
                del raw  # skip to the newline, a chunk at a time
                while True:
                    chunk = readline(_SKIP_CHUNK)
                    if not chunk:
                        break
                    update(chunk)
                    self.position += len(chunk)
                    if chunk.endswith(b"\n"):
                        break
                yield Line(self.number, start, None, self.position - start)
                continue
            yield Line(self.number, start, raw, len(raw))

    def drain(self) -> None:
        """Read what is left (for the hash) without looking at it."""
        while chunk := self.handle.read(_SKIP_CHUNK):
            self.sha256.update(chunk)
            self.position += len(chunk)


def decode_line(raw: bytes, first: bool) -> str:
    """The line as text without its line ending; raises UnicodeDecodeError."""
    if first and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    return raw.decode("utf-8").rstrip("\r\n")


def parse_json(text: str) -> tuple[Any, str | None]:
    """(value, None), or (None, the reason it is not JSON)."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        return None, f"not valid JSON ({error.msg} at column {error.colno})"
    except RecursionError:
        return None, "not usable JSON: nested too deeply"
    except ValueError as error:  # e.g. an integer with thousands of digits
        return None, f"not usable JSON ({error})"


# ---- detection --------------------------------------------------------------------------

def detect_format(path: Path, head: bytes, given: DatasetFormat | None,
                  columns_given: bool) -> DatasetFormat:
    """The file's format: the one given, a CSV/TSV by its extension, or the most common format
    of the first JSONL records. Raises DatasetError when nothing fits."""
    if given is not None:
        return given
    by_extension = CSV_EXTENSIONS.get(path.suffix.lower())
    if by_extension is not None:
        return by_extension
    counts: dict[DatasetFormat, int] = {}
    seen = 0
    for raw in head.splitlines()[:SNIFF_RECORDS * 4]:
        try:
            text = decode_line(raw, first=seen == 0)
        except UnicodeDecodeError:
            continue
        if not text.strip():
            continue
        seen += 1
        value, _problem = parse_json(text)
        if isinstance(value, dict):
            fmt = record_format(value)
            if fmt is not None:
                counts[fmt] = counts.get(fmt, 0) + 1
        if seen >= SNIFF_RECORDS:
            break
    if counts:
        return max(counts, key=lambda f: counts[f])  # first seen wins a tie
    first = head.split(b"\n", 1)[0]
    looks_tabular = columns_given or b"\t" in first or b"," in first
    if looks_tabular and not first.lstrip().startswith((b"{", b"[")):
        return "tsv" if first.count(b"\t") > first.count(b",") else "csv"
    raise DatasetError(
        f"{path.name}: cannot tell its format; the first records are not JSON objects in any "
        f"known format ({', '.join(label(f.id) for f in RECORD_FORMATS)}). Choose one with "
        "--format.")


# ---- CSV and TSV ------------------------------------------------------------------------

@dataclass
class Row:
    number: int  # 1-based row as the csv module reads it (the header is row 1)
    line: int  # the line the row starts on: what problems name, as an editor shows it
    offset: int
    length: int
    cells: list[str] | None  # None when the row could not be read
    problem: str | None = None


def choose_columns(header: list[str], input_column: str | None,
                   output_column: str | None, name: str) -> tuple[int, int]:
    """The indexes of the input and output columns; raises DatasetError naming the columns."""
    columns = ", ".join(repr(c) for c in header[:30])

    def pick(chosen: str | None, defaults: tuple[str, ...], what: str) -> int:
        if chosen is not None:
            if chosen in header:
                return header.index(chosen)
            raise DatasetError(f"{name} has no column {chosen!r}; its columns are {columns}")
        lowered = [h.strip().lower() for h in header]
        for candidate in defaults:
            if candidate in lowered:
                return lowered.index(candidate)
        raise DatasetError(f"{name}: choose the {what} column (--{what}-column); its columns "
                           f"are {columns}")

    chosen_in = pick(input_column, INPUT_COLUMNS, "input")
    chosen_out = pick(output_column, OUTPUT_COLUMNS, "output")
    if chosen_in == chosen_out:
        raise DatasetError(f"{name}: the input and output columns are the same column")
    return chosen_in, chosen_out


def read_rows(lines: Iterator[Line], fmt: DatasetFormat,
              on_line: Callable[[Line], None] | None = None) -> Iterator[Row]:
    """The rows of a CSV or TSV file, streamed through the csv module, header included.

    A line too long or not UTF-8 spoils its row, reported as such; the reader goes on.
    """
    state = {"start_line": 1, "start": 0, "end": 0, "spoiled": ""}

    def texts() -> Iterator[str]:
        for line in lines:
            if on_line is not None:
                on_line(line)
            state["end"] = line.offset + line.length
            if line.raw is None:
                state["spoiled"] = state["spoiled"] or (
                    f"line {line.number} is longer than {MAX_LINE // (1024 * 1024)} MiB")
                yield "\n"
                continue
            try:
                yield decode_line(line.raw, first=line.number == 1) + "\n"
            except UnicodeDecodeError as error:
                state["spoiled"] = state["spoiled"] or (
                    f"line {line.number} is not UTF-8 text (byte {error.start + 1})")
                yield "\n"

    reader = csv.reader(texts(), delimiter=DELIMITERS[fmt], strict=False)
    number = 0
    while True:
        problem: str | None = None
        cells: list[str] | None
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            cells, problem = None, f"cannot read the row ({error})"
        number += 1
        start, start_line = state["start"], state["start_line"]
        assert isinstance(start, int) and isinstance(start_line, int)
        end = state["end"]
        assert isinstance(end, int)
        spoiled = state["spoiled"]
        if spoiled:
            cells, problem = None, str(spoiled)
        state.update(start=end, start_line=reader.line_num + 1, spoiled="")
        if cells == [] and problem is None:
            continue  # a blank line
        yield Row(number, start_line, start, end - start, cells, problem)
