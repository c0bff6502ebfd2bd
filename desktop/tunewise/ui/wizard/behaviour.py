"""Q3: is the gap behaviour? With the signs for fine-tuning and their notes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
)

from tunewise.core import texts
from tunewise.core.evaluation import Evaluation
from tunewise.core.fieldpath import Attr, SignNote
from tunewise.core.project import SIGNS_FOR
from tunewise.core.results import Assessment
from tunewise.ui.fields import (
    ChoiceField,
    TextField,
    TriStateField,
)
from tunewise.ui.wizard.base import YES_NO, ProjectPage


class BehaviourPage(ProjectPage):
    key = "q3"
    heading = "Q3 · Behaviour"
    blurb = "Is the gap in how the model answers rather than what it knows?"
    warning_ids = ("behavior_contradiction",)

    def build(self) -> None:
        c = self.controller
        self.add(ChoiceField(
            c, Attr("answers", "behavior_gap"), "Mostly a behaviour gap?", YES_NO,
            "Yes if the facts are right but tone, format, vocabulary or reasoning are off."))
        box = QGroupBox("Signs that favour fine-tuning")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(10)
        grid.addWidget(QLabel("<b>Sign</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Your answer</b>"), 0, 1)
        grid.addWidget(QLabel("<b>Counted as</b>"), 0, 2)
        grid.addWidget(QLabel("<b>Note</b>"), 0, 3)
        self.status: dict[str, QLabel] = {}
        for i, sign in enumerate(SIGNS_FOR):
            row = 1 + i * 3
            field = TriStateField(c, Attr("answers", sign), texts.SIGN_LABELS[sign] + ":",
                                  texts.SIGN_HELP[sign])
            note = TextField(c, SignNote(sign), "", placeholder="Optional note")
            note.line.setAccessibleName(f"Note on {texts.SIGN_LABELS[sign]}")
            self.fields += [field, note]
            status = QLabel()
            status.setTextFormat(Qt.TextFormat.PlainText)
            status.setWordWrap(True)
            status.setMinimumWidth(170)
            self.status[sign] = status
            grid.addWidget(field.label, row, 0)
            grid.addWidget(field.editor, row, 1)
            grid.addWidget(status, row, 2)
            grid.addWidget(note.editor, row, 3)
            grid.addWidget(field.help, row + 1, 0, 1, 3)
            grid.addWidget(field.error, row + 2, 0, 1, 2)
            grid.addWidget(note.error, row + 2, 2, 1, 2)
        grid.setColumnStretch(3, 1)
        self.body_layout.addWidget(box)

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        for signal in assessment.signals_for:
            self.status[signal.id].setText(signal.counted_as)
        return self.path_step(assessment)

