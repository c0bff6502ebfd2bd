"""The seed's practical tip as files: a few examples for the prompt, some held out to test on,
the rest to train on.

Only good examples are split (valid, and neither an exact nor a near duplicate of an earlier
kept one, see inspect.py), so no example or near duplicate can land in two splits: the copies
are gone before the split is drawn. The draw is `random.Random(seed)` shuffling the good
examples' positions, so the same file and seed give the same split; each file keeps the
examples in the order of the input. Files are written in the input's own format: the original
lines for JSONL, the header and the original rows for CSV/TSV (then named .csv/.tsv).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import random
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tunewise.core.dataset import formats
from tunewise.core.dataset.checks import Message, check_record, check_row
from tunewise.core.dataset.formats import DatasetError, decode_line, open_dataset, parse_json
from tunewise.core.dataset.inspect import Progress, Scan, scan
from tunewise.core.dataset.model import DatasetFormat, SplitResult

SPLITS = ("few_shot", "held_out", "train")


def split_names(fmt: DatasetFormat) -> dict[str, str]:
    """The file name of each split for a file of format `fmt`."""
    extension = {"csv": ".csv", "tsv": ".tsv"}.get(fmt, ".jsonl")
    return {name: f"{name}{extension}" for name in SPLITS}


def _good_examples(source: Path, few_shot: int, held_out: int, spare: int, cancelled: str, *,
                   format: DatasetFormat | None, input_column: str | None,
                   output_column: str | None, progress: Progress | None,
                   cancel: threading.Event | None) -> Scan:
    """The file read for its good examples, refusing when there are too few: the few-shot and
    held-out examples, and `spare` more (one to train on, for a split)."""
    if few_shot < 0 or held_out < 0:
        raise DatasetError("the few-shot and held-out sizes cannot be negative")
    found = scan(source, format=format, input_column=input_column,
                 output_column=output_column, progress=progress, cancel=cancel, collect=True)
    if found.report.cancelled:
        raise DatasetError(cancelled)
    needed = few_shot + held_out + spare
    if len(found.good_ranges) < needed:
        raise DatasetError(
            f"{source.name} has {len(found.good_ranges):,} good examples; {few_shot:,} "
            f"few-shot and {held_out:,} held-out examples need at least {needed:,}"
            + (" (one left to train on)" if spare else ""))
    return found


def split(path: str | Path, *, few_shot: int = 20, held_out: int = 50, seed: int,
          out_dir: str | Path, format: DatasetFormat | None = None,
          input_column: str | None = None, output_column: str | None = None,
          force: bool = False, progress: Progress | None = None,
          cancel: threading.Event | None = None) -> SplitResult:
    """Write few_shot, held_out and train files to `out_dir` from the good examples of `path`.

    Raises DatasetError when the file cannot be read, has fewer good examples than
    few_shot + held_out + 1, or a target file exists and `force` is not given.
    """
    source = Path(path)
    found = _good_examples(source, few_shot, held_out, 1,
                           "the split was cancelled; nothing was written", format=format,
                           input_column=input_column, output_column=output_column,
                           progress=progress, cancel=cancel)
    good = found.good_ranges
    folder = Path(out_dir)
    names = split_names(found.report.format)
    targets = {name: folder / file for name, file in names.items()}
    _check_targets(source, folder, targets, force)
    chosen = _choose(len(good), few_shot, held_out, seed)
    folder.mkdir(parents=True, exist_ok=True)
    handle, _size = open_dataset(source)
    with handle:
        for name, picks in chosen.items():
            _write(targets[name], handle, [good[i] for i in picks], found.header)
    return SplitResult(few_shot=len(chosen["few_shot"]), held_out=len(chosen["held_out"]),
                       train=len(chosen["train"]), seed=seed,
                       files={name: str(target) for name, target in targets.items()})


def _choose(count: int, few_shot: int, held_out: int, seed: int) -> dict[str, list[int]]:
    """Which good examples (by position) go to each split: the one draw `split` and `draw`
    share, so the files and the examples in memory agree for the same seed."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return {"few_shot": sorted(order[:few_shot]),
            "held_out": sorted(order[few_shot:few_shot + held_out]),
            "train": sorted(order[few_shot + held_out:])}


@dataclass(frozen=True)
class Example:
    """One good example as chat messages, with the line (or row) it starts on."""

    line: int
    messages: list[Message]


@dataclass(frozen=True)
class Drawn:
    """The split of `split`, in memory: what the few-shot test (core/experiment) asks."""

    few_shot: list[Example]
    held_out: list[Example]
    train: int  # how many are left to train on (their texts are not read)
    format: DatasetFormat
    sha256: str


def draw(path: str | Path, *, few_shot: int = 20, held_out: int = 50, seed: int,
         format: DatasetFormat | None = None, input_column: str | None = None,
         output_column: str | None = None, progress: Progress | None = None,
         cancel: threading.Event | None = None) -> Drawn:
    """The few-shot and held-out examples `split` would write for the same file and seed,
    read back as chat messages. Unlike `split`, none need be left to train on.

    Raises DatasetError as `split` does.
    """
    source = Path(path)
    found = _good_examples(source, few_shot, held_out, 0, "reading the examples was cancelled",
                           format=format, input_column=input_column,
                           output_column=output_column, progress=progress, cancel=cancel)
    good = found.good_ranges
    chosen = _choose(len(good), few_shot, held_out, seed)
    fmt = found.report.format
    columns = None
    if found.header is not None:
        header = next(csv.reader(io.StringIO(decode_line(found.header, first=True)),
                                 delimiter=formats.DELIMITERS[fmt]), [])
        header = [c.lstrip("\ufeff") for c in header]
        first, second = formats.choose_columns(header, input_column, output_column,
                                               source.name)
        columns = (len(header), first, second, header)
    wanted = [good[i] for name in ("few_shot", "held_out") for i in chosen[name]]
    handle, _size = open_dataset(source)
    with handle:
        lines = _line_numbers(handle, sorted(offset for offset, _ in wanted))
        picked: dict[str, list[Example]] = {}
        for name in ("few_shot", "held_out"):
            picked[name] = []
            for i in chosen[name]:
                offset, length = good[i]
                handle.seek(offset)
                raw = handle.read(length)
                picked[name].append(Example(lines[offset], _messages(raw, offset, fmt,
                                                                     columns)))
    return Drawn(few_shot=picked["few_shot"], held_out=picked["held_out"],
                 train=len(chosen["train"]), format=fmt, sha256=found.report.file.sha256)


def _messages(raw: bytes, offset: int, fmt: DatasetFormat,
              columns: tuple[int, int, int, list[str]] | None) -> list[Message]:
    if columns is None:
        value, _why = parse_json(decode_line(raw, first=offset == 0))
        return check_record(value, fmt).messages
    width, first, second, header = columns
    cells = next(csv.reader(io.StringIO(raw.decode("utf-8")),
                            delimiter=formats.DELIMITERS[fmt]), [])
    return check_row(cells, width, first, second, header).messages


def _line_numbers(handle: BinaryIO, offsets: list[int]) -> dict[int, int]:
    """The 1-based line each offset starts on, by counting newlines in one pass."""
    found: dict[int, int] = {}
    if not offsets:
        return found
    handle.seek(0)
    position = newlines = 0
    index = 0
    while index < len(offsets):
        chunk = handle.read(1 << 20)
        end = position + len(chunk)
        while index < len(offsets) and (offsets[index] < end or not chunk):
            found[offsets[index]] = newlines + chunk.count(b"\n", 0,
                                                           offsets[index] - position) + 1
            index += 1
        if not chunk:
            break
        newlines += chunk.count(b"\n")
        position = end
    return found


def _check_targets(source: Path, folder: Path, targets: dict[str, Path], force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise DatasetError(f"{folder.name} is not a folder")
    for target in targets.values():
        if not target.exists():
            continue
        try:
            same = os.path.samefile(source, target)
        except OSError:
            same = False
        if same:
            raise DatasetError(f"{target.name} in {folder} is the input file itself; choose "
                               "another folder")
        if not target.is_file():
            raise DatasetError(f"{target} exists and is not a file")
        if not force:
            raise DatasetError(f"{target} already exists; use --force to replace the split "
                               "files")


def _write(target: Path, reader: BinaryIO, ranges: list[tuple[int, int]],
           header: bytes | None) -> None:
    """The chosen records, copied byte for byte, through a temporary file replaced at the end."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as out:
            if header is not None:
                out.write(header if header.endswith(b"\n") else header + b"\n")
            for offset, length in ranges:
                reader.seek(offset)
                raw = reader.read(length)
                if offset == 0 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]  # the input's mark, not the record's
                out.write(raw if raw.endswith(b"\n") else raw + b"\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
