"""The Q4 page's part of the dataset work: Import Examples, where each measured figure came
from, and a note with Re-import when the examples file has gone or changed.

The provenance sentences and the file's status are core's (`core/dataset/plan.py`). Checking
the file reads it (its hash), so that runs on a worker thread whenever the plan's reference or
the project's folder changes; a result for a reference no longer in the plan is dropped.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tunewise.core.dataset import plan
from tunewise.core.evaluation import Evaluation
from tunewise.core.fieldpath import ApproachInput
from tunewise.core.project import USES_FINE_TUNING as TUNED_APPROACHES
from tunewise.core.project import DatasetRef
from tunewise.ui.controller import ProjectController
from tunewise.ui.dataset.worker import Job, Progress
from tunewise.ui.fields import plain_label
from tunewise.ui.theme import NoteBox

StatusKey = tuple[DatasetRef | None, Path | None]


def _names(entries: list[plan.Provenance]) -> list[str]:
    """The figures of one line, the tuned approaches' token sizes said once when all share it."""
    tokens = [e for e in entries if isinstance(e.field, ApproachInput)]
    names = [e.label for e in entries if not isinstance(e.field, ApproachInput)]
    if tokens and len(tokens) == 2 * len(TUNED_APPROACHES):
        names.append("input and output tokens of the fine-tuned approaches")
    else:
        names += [e.label for e in tokens]
    return names


class DatasetSection(QWidget):
    """Import button, provenance lines and the missing-or-changed note."""

    def __init__(self, controller: ProjectController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.import_button = QPushButton("Import Examples…")
        self.import_button.setToolTip("Measure a .jsonl, .csv or .tsv file of your examples")
        self.import_button.clicked.connect(lambda: self.open_import())
        hint = plain_label("Reads a file of your examples and counts the good ones, their "
                           "tokens and any problems; the figures can then fill this page and "
                           "the costs.")
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        top = QHBoxLayout()
        top.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(hint, 1)

        self.status_note = NoteBox()
        self.status_note.setTextFormat(Qt.TextFormat.PlainText)  # names a file: never markup
        self.status_note.setWordWrap(True)
        self.status_note.setMargin(8)
        self.status_note.setAccessibleName("Examples file status")
        self.reimport_button = QPushButton("Re-import…")
        self.reimport_button.clicked.connect(self.reimport)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_note, 1)
        status_row.addWidget(self.reimport_button, 0, Qt.AlignmentFlag.AlignTop)
        self.status_box = QWidget()
        self.status_box.setLayout(status_row)
        status_row.setContentsMargins(0, 0, 0, 0)
        self.status_box.setVisible(False)
        self.status = "none"

        self.provenance_box = QVBoxLayout()
        self.provenance_box.setContentsMargins(0, 0, 0, 0)
        self.provenance_box.setSpacing(2)
        self.provenance_labels: list[QLabel] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addLayout(self.provenance_box)
        layout.addWidget(self.status_box)

        self._checked: StatusKey | None = None
        self._check: Job | None = None
        controller.evaluated.connect(self._evaluated)
        controller.projectReplaced.connect(self.recheck)
        controller.pathChanged.connect(lambda _p: self.recheck())
        self._evaluated(controller.evaluation)

    def mnemonic_widgets(self) -> list[QWidget]:
        return [self.import_button, self.reimport_button]

    # ---- actions ------------------------------------------------------------------------

    def open_import(self, path: Path | None = None) -> QWidget:
        from tunewise.ui.dataset import open_import

        ref = self.controller.project.dataset if path is not None else None
        return open_import(self.window(), self.controller, path, ref)

    def reimport(self) -> QWidget:
        """Import the plan's examples file again (or choose it, if it has gone)."""
        ref = self.controller.project.dataset
        if ref is None:
            return self.open_import()
        return self.open_import(plan.dataset_location(ref, self.controller.path))

    # ---- what the plan holds ------------------------------------------------------------

    def provenance_lines(self) -> list[str]:
        """The sentences shown, one per measured figure."""
        return [label.text() for label in self.provenance_labels if not label.isHidden()]

    def _evaluated(self, evaluation: Evaluation) -> None:
        # Figures with the same story share a line; an overridden one has a line of its own,
        # in full colour, saying both what was typed and what was measured.
        grouped: dict[tuple[str, bool], list[plan.Provenance]] = {}
        for entry in plan.provenance(evaluation.project):
            grouped.setdefault((entry.sentence, entry.overridden), []).append(entry)
        lines = {key: _names(entries) for key, entries in grouped.items()}
        while len(self.provenance_labels) < len(lines):
            label = plain_label()
            label.setWordWrap(True)
            label.setAccessibleName("Where these figures come from")
            self.provenance_box.addWidget(label)
            self.provenance_labels.append(label)
        for label, ((sentence, overridden), names) in zip(self.provenance_labels, lines.items(),
                                                          strict=False):
            label.setText(f"{', '.join(names)}: {sentence}")
            label.setForegroundRole(QPalette.ColorRole.WindowText if overridden
                                    else QPalette.ColorRole.PlaceholderText)
            label.setVisible(True)
        for label in self.provenance_labels[len(lines):]:
            label.setVisible(False)
        self._check_file()

    # ---- the file on disk ---------------------------------------------------------------

    def recheck(self) -> None:
        """Look at the file again: the project was (re)opened, moved, or the page shown."""
        self._checked = None
        self._check_file()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.recheck()  # the file may have gone or changed while another page was shown

    def _check_file(self) -> None:
        project, path = self.controller.project, self.controller.path
        key: StatusKey = (project.dataset, path)
        if key == self._checked:
            return
        self._checked = key
        if self._check is not None:
            self._check.cancel()
            self._check = None
        if project.dataset is None:
            self._show_status("none", "")
            return

        def work(_progress: Progress, _cancel: threading.Event) -> object:
            return plan.file_status(project, path)

        job = Job(work)
        job.done.connect(lambda result: self._checked_file(key, result))
        job.failed.connect(lambda error: self._checked_file(
            key, ("missing", f"The examples file could not be checked: {error}")))
        self._check = job
        job.start()

    def _checked_file(self, key: StatusKey, result: object) -> None:
        if key != self._checked:
            return  # the plan moved on while the file was read
        self._check = None
        assert isinstance(result, tuple)
        self._show_status(str(result[0]), str(result[1]))

    def _show_status(self, status: str, message: str) -> None:
        self.status = status
        shown = status in ("missing", "changed")
        self.status_note.setText(message if shown else "")
        self.status_box.setVisible(shown)

    def checking(self) -> bool:
        return self._check is not None
