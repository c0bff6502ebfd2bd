"""Q1: can few-shot prompting do the job, with the experiment's 90% arithmetic.

The model the test ran on is the fair one to cost prompting on, so naming it here moves
prompt engineering's model too (in the same undo step) while that model is still the one last
tested or the new-plan default; a model the user chose for prompting on the Costs page stays.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from tunewise.core.evaluation import Evaluation
from tunewise.core.fieldpath import ApproachInput, Attr, FieldPath
from tunewise.core.prices import default_catalog
from tunewise.core.project import ApproachId, MeasuredFewShot, Project, default_approaches
from tunewise.core.results import Assessment
from tunewise.core.texts import percent
from tunewise.ui.controller import ProjectController
from tunewise.ui.fields import (
    ChoiceField,
    ModelField,
    NumberField,
)
from tunewise.ui.wizard.base import ProjectPage

PROMPTING: ApproachId = "prompt_engineering"


def tested_model_changes(project: Project, tested: str) -> list[tuple[FieldPath, Any]]:
    """Naming the tested model in one step (the few-shot test's Use This Score): prompting
    follows it, as it does when typed, while it is on the model tested before or the default."""
    path, prompting = Attr("answers", "few_shot_model"), ApproachInput(PROMPTING, "model")
    changes: list[tuple[FieldPath, Any]] = [(path, tested)]
    if prompting.read(project) in (path.read(project), default_approaches()[PROMPTING].model):
        changes.append((prompting, tested))
        if ApproachInput(PROMPTING, "provider").read(project) is not None:
            changes.append((ApproachInput(PROMPTING, "provider"), None))
    return changes


def measured_words(m: MeasuredFewShot) -> str:
    """The measured score in one line: what ran, where, when, and its interval."""
    return (f"Measured by Tunewise: {percent(m.score)} (95% interval {percent(m.low)} to "
            f"{percent(m.high)}), {m.passed:,} of {m.n:,} held-out examples passed on "
            f"{m.model} at {m.endpoint_host}, {m.measured_on.isoformat()}; it is used instead "
            "of a typed score.")


class TestedModelField(ModelField):
    """The model the few-shot test ran on; prompting follows it unless chosen separately."""

    def __init__(self, controller: ProjectController) -> None:
        super().__init__(controller, Attr("answers", "few_shot_model"), "Model tested on:",
                         [m.id for m in default_catalog().catalog_models()],
                         "Optional. The model the examples were tried on; prompt "
                         "engineering is costed on it too, unless you chose its model on the "
                         "Costs page.")
        self.prompting = ApproachInput(PROMPTING, "model")
        self.prompting_provider = ApproachInput(PROMPTING, "provider")
        self._run_start: tuple[str | None] | None = None  # the tested model as a run began

    def write(self, value: Any) -> None:
        tested = (value.strip() if isinstance(value, str) else "") or None
        project = self.controller.project
        before = self.path.read(project)
        if self._run_start is None:
            self._run_start = (before,)
        prompting = self.prompting.read(project)
        # Prompting follows while it is on the model tested before this run of typing, the
        # one typed so far, or the new-plan default.
        follows = prompting in (*self._run_start, before, default_approaches()[PROMPTING].model)
        changes: list[tuple[FieldPath, Any]] = [(self.path, tested)]
        if follows:
            # The same fields on every keystroke (an emptied field keeps prompting's model),
            # so the whole run of typing is one undo step.
            changes.append((self.prompting, tested or prompting))
            if self.prompting_provider.read(project) is not None:
                changes.append((self.prompting_provider, None))  # the old model's provider
        self.write_many(changes, merge=True)

    def finished(self) -> None:
        self._run_start = None
        super().finished()

    def describe(self, value: Any) -> str:
        return f"“{value}”" if value else "no model"


class FewShotPage(ProjectPage):
    key = "q1"
    heading = "Q1 · Few-shot prompting"
    blurb = "Try your best examples in the prompt before anything heavier."
    warning_ids = ("few_shot_contradiction", "few_shot_incomplete", "eval_criteria_contradiction",
                   "few_shot_model_mismatch")

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
            NumberField(c, Attr("answers", "few_shot_examples"), "Held-out examples:",
                        "Optional. How many unseen examples the score was measured on; the "
                        "odds that the true score clears the line come from it.",
                        integer=True, optional=True),
            NumberField(c, Attr("answers", "quality_target"), "Quality target:",
                        "Optional. Quality the feature needs, above 0 and up to 1.",
                        optional=True),
            TestedModelField(c),
        )
        self.arithmetic = QLabel()
        self.arithmetic.setTextFormat(Qt.TextFormat.PlainText)
        self.arithmetic.setWordWrap(True)
        self.arithmetic.setAccessibleName("Few-shot arithmetic")
        bold = self.arithmetic.font()
        bold.setBold(True)
        self.arithmetic.setFont(bold)  # a font, not a style sheet, so palette changes reach it
        self.grid.addWidget(self.arithmetic, self.grid.rowCount(), 0, 1, 3)
        # The score's own uncertainty: the chance the true score clears the line (core).
        self.odds = QLabel()
        self.odds.setTextFormat(Qt.TextFormat.PlainText)
        self.odds.setWordWrap(True)
        self.odds.setAccessibleName("Odds of the few-shot score")
        self.odds.setVisible(False)
        self.grid.addWidget(self.odds, self.grid.rowCount(), 0, 1, 3)

        self.run_button = QPushButton("Run the Few-Shot Test…")
        self.run_button.setToolTip("Ask your model the held-out examples and measure the score")
        self.run_button.clicked.connect(self.open_experiment)
        hint = QLabel("Tunewise can run the test itself against any OpenAI-compatible "
                      "endpoint, with your examples file, and put the measured score here.")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        row = QHBoxLayout()
        row.setContentsMargins(0, 8, 0, 0)
        row.addWidget(self.run_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(hint, 1)
        box = QWidget()
        box.setLayout(row)
        self.grid.addWidget(box, self.grid.rowCount(), 0, 1, 3)
        self.measured = QLabel()
        self.measured.setTextFormat(Qt.TextFormat.PlainText)  # a model name: never markup
        self.measured.setWordWrap(True)
        self.measured.setAccessibleName("Measured few-shot score")
        self.measured.setVisible(False)
        self.grid.addWidget(self.measured, self.grid.rowCount(), 0, 1, 3)

    def extra_mnemonics(self) -> list[QWidget]:
        return [self.run_button]

    def open_experiment(self) -> QWidget:
        from tunewise.ui.experiment import open_experiment

        return open_experiment(self, self.controller)

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        m = evaluation.project.answers.few_shot_measured
        self.measured.setText(measured_words(m) if m is not None else "")
        self.measured.setVisible(m is not None)
        check = assessment.few_shot_check
        if check is not None:
            self.arithmetic.setText(check.explanation)
        else:
            self.arithmetic.setText(
                "Fill in both the score and the target to see how close the experiment came "
                "to 90% of what you need; that result then decides this question.")
        from tunewise.core.uncertainty import few_shot_odds

        odds = few_shot_odds(evaluation.project.answers)
        self.odds.setText(odds.sentence if odds is not None else "")
        self.odds.setVisible(odds is not None)
        return self.path_step(assessment)

