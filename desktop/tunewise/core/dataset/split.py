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
import os
import random
import threading
from pathlib import Path
from typing import BinaryIO

from tunewise.core.dataset.formats import DatasetError, open_dataset
from tunewise.core.dataset.inspect import Progress, scan
from tunewise.core.dataset.model import DatasetFormat, SplitResult

SPLITS = ("few_shot", "held_out", "train")


def split_names(fmt: DatasetFormat) -> dict[str, str]:
    """The file name of each split for a file of format `fmt`."""
    extension = {"csv": ".csv", "tsv": ".tsv"}.get(fmt, ".jsonl")
    return {name: f"{name}{extension}" for name in SPLITS}


def split(path: str | Path, *, few_shot: int = 20, held_out: int = 50, seed: int,
          out_dir: str | Path, format: DatasetFormat | None = None,
          input_column: str | None = None, output_column: str | None = None,
          force: bool = False, progress: Progress | None = None,
          cancel: threading.Event | None = None) -> SplitResult:
    """Write few_shot, held_out and train files to `out_dir` from the good examples of `path`.

    Raises DatasetError when the file cannot be read, has fewer good examples than
    few_shot + held_out + 1, or a target file exists and `force` is not given.
    """
    if few_shot < 0 or held_out < 0:
        raise DatasetError("the few-shot and held-out sizes cannot be negative")
    source = Path(path)
    found = scan(source, format=format, input_column=input_column,
                 output_column=output_column, progress=progress, cancel=cancel, collect=True)
    if found.report.cancelled:
        raise DatasetError("the split was cancelled; nothing was written")
    good = found.good_ranges
    needed = few_shot + held_out + 1
    if len(good) < needed:
        raise DatasetError(
            f"{source.name} has {len(good):,} good examples; {few_shot:,} few-shot and "
            f"{held_out:,} held-out examples need at least {needed:,} (one left to train on)")
    folder = Path(out_dir)
    names = split_names(found.report.format)
    targets = {name: folder / file for name, file in names.items()}
    _check_targets(source, folder, targets, force)
    order = list(range(len(good)))
    random.Random(seed).shuffle(order)
    chosen = {"few_shot": sorted(order[:few_shot]),
              "held_out": sorted(order[few_shot:few_shot + held_out]),
              "train": sorted(order[few_shot + held_out:])}
    folder.mkdir(parents=True, exist_ok=True)
    handle, _size = open_dataset(source)
    with handle:
        for name, picks in chosen.items():
            _write(targets[name], handle, [good[i] for i in picks], found.header)
    return SplitResult(few_shot=len(chosen["few_shot"]), held_out=len(chosen["held_out"]),
                       train=len(chosen["train"]), seed=seed,
                       files={name: str(target) for name, target in targets.items()})


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
