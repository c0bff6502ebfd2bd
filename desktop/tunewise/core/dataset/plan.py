"""Joining a dataset report to the plan: the reference kept in the project, the fields it fills,
where each number came from, and whether the file is still the one measured.

The measured numbers go into the plan's usual fields (Q4's example count, the training-set
size, the fine-tuned approaches' input and output tokens) through `measured_updates`, which the
app applies as one undo step. `DatasetRef.figures` keeps what was measured, so a field that
differs from it is the user's override, and `provenance` says so for each field.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from tunewise.core.dataset.model import DatasetReport
from tunewise.core.fieldpath import ApproachInput, Attr, FieldPath
from tunewise.core.project import (
    APPROACHES,
    USES_FINE_TUNING,
    ApproachId,
    DatasetRef,
    MeasuredFigures,
    Project,
)
from tunewise.core.texts import APPROACH_LABELS

FileStatus = Literal["none", "ok", "missing", "changed"]
TUNED: tuple[ApproachId, ...] = tuple(a for a in APPROACHES if a in USES_FINE_TUNING)
MAX_EXAMPLE_COUNT = 10_000_000  # the bounds of the fields the figures go into
MAX_TRAINING_TOKENS = 10_000_000_000
MAX_TOKENS = 2_000_000


def reference(report: DatasetReport, dataset_path: str | os.PathLike[str],
              project_path: str | os.PathLike[str] | None, input_column: str | None = None,
              output_column: str | None = None) -> DatasetRef:
    """The project's record of the file and what was measured in it."""
    target = Path(dataset_path).absolute()
    stored = target.as_posix()
    if project_path is not None:
        try:
            relative = os.path.relpath(target, Path(project_path).absolute().parent)
        except ValueError:  # another drive on Windows
            relative = None
        if relative is not None:
            stored = PurePosixPath(*Path(relative).parts).as_posix()
    tokens = report.tokens
    figures = MeasuredFigures(
        records=report.records, valid=report.valid, invalid=report.invalid_count,
        duplicates=report.duplicates, near_duplicates=report.near_duplicates,
        good_examples=report.good_examples, training_tokens=report.training_tokens,
        mean_input_tokens=report.mean_input_tokens, mean_output_tokens=report.mean_output_tokens,
        pii_examples=report.pii.count, encoding=tokens.encoding, approximate=tokens.approximate,
        pii_kinds={kind: n for kind, n in report.pii.kinds.items() if n},
        problems_by_kind=dict(Counter(p.kind for p in report.invalid)),
        tokens_mean=tokens.mean, tokens_p50=tokens.p50, tokens_p95=tokens.p95,
        tokens_max=tokens.max, histogram_edges=list(report.histogram.edges[:201]),
        histogram_counts=list(report.histogram.counts[:200]),
        labels=({label[:200]: n for label, n in list(report.labels.items())[:50]}
                if report.labels else None),
        over_context=report.over_context)
    return DatasetRef(path=stored, name=report.file.name[:200] or "dataset",
                      size=report.file.size, sha256=report.file.sha256, format=report.format,
                      input_column=input_column, output_column=output_column,
                      measured_on=report.measured_on, figures=figures)


def measured_values(figures: MeasuredFigures) -> list[tuple[FieldPath, int]]:
    """Each field the figures fill, with the value measured for it (within the field's bounds).

    With no good examples there are no token sizes to give, so only the count is filled.
    """
    found: list[tuple[FieldPath, int]] = [
        (Attr("answers", "example_count"), min(figures.good_examples, MAX_EXAMPLE_COUNT))]
    if figures.good_examples:
        found.append((Attr("costs", "training", "training_tokens"),
                      min(figures.training_tokens, MAX_TRAINING_TOKENS)))
        for approach in TUNED:
            found.append((ApproachInput(approach, "user_input_tokens"),
                          min(round(figures.mean_input_tokens), MAX_TOKENS)))
            found.append((ApproachInput(approach, "output_tokens"),
                          min(round(figures.mean_output_tokens), MAX_TOKENS)))
    return found


def measured_updates(ref: DatasetRef) -> list[tuple[FieldPath, object]]:
    """The fields to set, as one undo step: the reference itself and every measured figure."""
    updates: list[tuple[FieldPath, object]] = [(Attr("dataset"), ref)]
    updates += measured_values(ref.figures)
    return updates


@dataclass(frozen=True)
class Provenance:
    """Where one number of the plan came from."""

    field: FieldPath
    label: str
    measured: int
    in_use: int | None
    overridden: bool
    sentence: str


def _label(path: FieldPath) -> str:
    if isinstance(path, ApproachInput):
        what = "Input tokens per request" if path.name == "user_input_tokens" \
            else "Output tokens per request"
        return f"{what} ({APPROACH_LABELS[path.approach]})"
    return {"example_count": "Good examples (Q4)",
            "training_tokens": "Training-set tokens"}.get(path.name, path.name)


def _in_use(project: Project, path: FieldPath) -> int | None:
    if isinstance(path, ApproachInput):
        reader = project.costs.user_input_tokens if path.name == "user_input_tokens" \
            else project.costs.output_tokens
        return reader(path.approach)
    value = path.read(project)
    return value if isinstance(value, int) else None


def provenance(project: Project) -> list[Provenance]:
    """Per measured field: the measured value, the value in use, and a sentence saying which."""
    ref = project.dataset
    if ref is None:
        return []
    when = ref.measured_on.isoformat()
    approximate = " (an o200k approximation)" if ref.figures.approximate else ""
    found: list[Provenance] = []
    for path, measured in measured_values(ref.figures):
        in_use = _in_use(project, path)
        overridden = in_use != measured
        if overridden:
            typed = "nothing" if in_use is None else f"{in_use:,}"
            sentence = (f"you typed {typed}; measured {measured:,} in {ref.name} on "
                        f"{when}{approximate}")
        else:
            sentence = f"measured from {ref.name} on {when}{approximate}"
        found.append(Provenance(path, _label(path), measured, in_use, overridden, sentence))
    return found


def dataset_location(ref: DatasetRef, project_path: str | os.PathLike[str] | None) -> Path:
    """Where the referenced file is: a relative path is taken from the project's folder."""
    stored = Path(ref.path)
    if stored.is_absolute() or project_path is None:
        return stored
    return Path(project_path).absolute().parent / stored


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def file_status(project: Project, project_path: str | os.PathLike[str] | None
                ) -> tuple[FileStatus, str]:
    """Whether the measured file is still there and the same bytes, with a sentence saying so.

    The size decides when it differs; otherwise the file is hashed (reads the whole file, so
    callers run this off the GUI thread for large files).
    """
    ref = project.dataset
    if ref is None:
        return "none", "No examples file has been measured for this plan."
    where = dataset_location(ref, project_path)
    kept = (f"the figures measured on {ref.measured_on.isoformat()} are kept")
    if not where.is_file():
        return "missing", f"{ref.name} is no longer at {ref.path}; {kept}."
    try:
        size = where.stat().st_size
        same = size == ref.size and _sha256(where) == ref.sha256
    except OSError as error:
        return "missing", f"{ref.name} cannot be read ({error.strerror or error}); {kept}."
    if not same:
        return "changed", (f"{ref.name} has changed since it was measured on "
                           f"{ref.measured_on.isoformat()}; inspect it again to update the "
                           "figures.")
    return "ok", f"{ref.name} is the file measured on {ref.measured_on.isoformat()}."
