"""Export Split: where to write the few-shot, held-out and training files, how many of each,
and the seed that makes the split reproducible; then the split itself, off the GUI thread.

Which examples go where is the core's work (`core/dataset/split.py`: good examples only, no
near duplicates across the files); this module asks and reports.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tunewise.core.dataset import split as split_module
from tunewise.core.dataset.model import DatasetFormat, SplitResult
from tunewise.core.project import DatasetSplit
from tunewise.ui.dataset.worker import Job, Progress
from tunewise.ui.fields import ErrorLabel, plain_label

FEW_SHOT, HELD_OUT, SEED = 20, 50, 42  # the seed's tip: 20 in the prompt, 50 to test on
MAX_COUNT = 1_000_000


def choose_folder(parent: QWidget | None, title: str, start: str) -> Path | None:
    """A folder picker (replaced in tests, like everything in ui/dialogs.py)."""
    name = QFileDialog.getExistingDirectory(parent, title, start)
    return Path(name) if name else None


@dataclass(frozen=True)
class SplitValues:
    folder: Path
    few_shot: int
    held_out: int
    seed: int


class SplitOptions(QDialog):
    """The split's options; `accepted` when the user chose Export."""

    def __init__(self, dataset: Path, previous: DatasetSplit | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Split")
        self.folder_edit = QLineEdit(str(dataset.with_name(dataset.stem + "-split")))
        self.folder_edit.setAccessibleName("Folder")
        self.folder_edit.setMinimumWidth(360)
        browse = QPushButton("C&hoose…")
        browse.clicked.connect(self._browse)
        self.few_shot = self._spin(previous.few_shot if previous else FEW_SHOT)
        self.held_out = self._spin(previous.held_out if previous else HELD_OUT)
        self.seed = self._spin(previous.seed if previous else SEED)
        self.error = ErrorLabel()
        self.error.setVisible(False)
        grid = QGridLayout()
        folder_label = plain_label("&Folder:")
        folder_label.setBuddy(self.folder_edit)
        grid.addWidget(folder_label, 0, 0)
        grid.addWidget(self.folder_edit, 0, 1, 1, 2)
        grid.addWidget(browse, 0, 3)
        where = self._hint("few_shot.jsonl, held_out.jsonl and train.jsonl (or .csv/.tsv, as "
                           "the input) are written here.")
        where.setWordWrap(True)
        grid.addWidget(where, 1, 1, 1, 3)
        for row, (text, spin, note) in enumerate((
                ("Fe&w-shot examples:", self.few_shot, "for the prompt"),
                ("Hel&d-out examples:", self.held_out, "never trained on: to test with"),
                ("&Seed:", self.seed, "the same seed gives the same split")), start=2):
            label = plain_label(text)
            label.setBuddy(spin)
            grid.addWidget(label, row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(self._hint(note), row, 2, 1, 2)
        grid.setColumnStretch(2, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @staticmethod
    def _hint(text: str) -> QLabel:
        hint = plain_label(text)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return hint

    @staticmethod
    def _spin(value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("0,000,000") + 40)
        spin.setRange(0, MAX_COUNT)
        spin.setGroupSeparatorShown(True)
        spin.setValue(value)
        return spin

    def _browse(self) -> None:
        chosen = choose_folder(self, "Export split to", self.folder_edit.text())
        if chosen is not None:
            self.folder_edit.setText(str(chosen))

    def values(self) -> SplitValues:
        return SplitValues(Path(self.folder_edit.text().strip()), self.few_shot.value(),
                           self.held_out.value(), self.seed.value())

    def _accept(self) -> None:
        if not self.folder_edit.text().strip():
            self.error.setText("Choose a folder for the three files.")
            self.error.setVisible(True)
            return
        self.accept()


def describe_split(result: object) -> str:
    """Where the files went, as the user reads it."""
    assert isinstance(result, SplitResult)
    loc = QLocale()
    counts = {"few_shot": result.few_shot, "held_out": result.held_out, "train": result.train}
    files = ", ".join(f"{Path(path).name} ({loc.toString(counts.get(key, 0))})"
                      for key, path in result.files.items())
    folders = {str(Path(path).parent) for path in result.files.values()}
    where = folders.pop() if len(folders) == 1 else "their folders"
    return f"Wrote {files} to {where} (seed {result.seed})."


def existing_files(values: SplitValues, fmt: DatasetFormat) -> list[Path]:
    """The split files already in the chosen folder, which the split would replace."""
    names = split_module.split_names(fmt)
    return [values.folder / name for name in names.values() if (values.folder / name).exists()]


def run_split(dataset: Path, values: SplitValues, read: dict[str, Any], replace: bool,
              done: Callable[[object, DatasetSplit], None],
              failed: Callable[[object], None]) -> Job:
    """Write the split on a worker thread; `done(result, the split to record)`."""

    def work(progress: Progress, cancel: threading.Event) -> object:
        return split_module.split(dataset, few_shot=values.few_shot, held_out=values.held_out,
                                  seed=values.seed, out_dir=values.folder, force=replace,
                                  progress=progress, cancel=cancel, **read)

    def finished(result: object) -> None:
        assert isinstance(result, SplitResult)
        done(result, DatasetSplit(few_shot=result.few_shot, held_out=result.held_out,
                                  train=result.train, seed=result.seed,
                                  folder=str(values.folder)))

    job = Job(work)
    job.done.connect(finished)  # progress is connected by the caller
    job.failed.connect(failed)
    job.start()
    return job
