"""Q1: can few-shot prompting do the job, with the experiment's 90% arithmetic."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
)

from tunewise.core.evaluation import Evaluation
from tunewise.core.fieldpath import Attr
from tunewise.core.results import Assessment
from tunewise.ui.fields import (
    ChoiceField,
    NumberField,
)
from tunewise.ui.wizard.base import ProjectPage


class FewShotPage(ProjectPage):
    key = "q1"
    heading = "Q1 · Few-shot prompting"
    blurb = "Try your best examples in the prompt before anything heavier."
    warning_ids = ("few_shot_contradiction", "few_shot_incomplete", "eval_criteria_contradiction")

    def build(self) -> None:
        c = self.controller
        self.add(
            ChoiceField(c, Attr("answers", "few_shot_adequate"), "Does it do the job?",
                        (("yes", "Yes"), ("no", "No, it falls short"), ("untested", "Not tried")),
                        "Put about twenty good examples in the prompt and judge the answers on "
                        "cases it has not seen."),
            NumberField(c, Attr("answers", "few_shot_score"), "Experiment score:",
                        "Optional. Quality the few-shot test reached, 0 to 1 (0.72 or 72%).",
                        optional=True),
            NumberField(c, Attr("answers", "quality_target"), "Quality target:",
                        "Optional. Quality the feature needs, above 0 and up to 1.",
                        optional=True),
        )
        self.arithmetic = QLabel()
        self.arithmetic.setTextFormat(Qt.TextFormat.PlainText)
        self.arithmetic.setWordWrap(True)
        self.arithmetic.setAccessibleName("Few-shot arithmetic")
        bold = self.arithmetic.font()
        bold.setBold(True)
        self.arithmetic.setFont(bold)  # a font, not a style sheet, so palette changes reach it
        self.grid.addWidget(self.arithmetic, self.grid.rowCount(), 0, 1, 3)

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        check = assessment.few_shot_check
        if check is not None:
            self.arithmetic.setText(check.explanation)
        else:
            self.arithmetic.setText(
                "Fill in both the score and the target to see how close the experiment came "
                "to 90% of what you need; that result then decides this question.")
        return self.path_step(assessment)

