"""The wizard's pages, one class per step, each bound to one section of the project.

Pages build their fields, refresh them from the project after every change and show what the
core concluded (the path step, the 90% arithmetic, the suggested signs). They never decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from tunewise.core import texts
from tunewise.core.decision import Assessment, fine_tuning_considered
from tunewise.core.evaluation import Evaluation
from tunewise.core.project import SIGNS_AGAINST, SIGNS_FOR
from tunewise.ui.controller import FieldPath, ProjectController
from tunewise.ui.fields import (
    CheckField,
    ChoiceField,
    Field,
    NumberField,
    TextField,
    TriStateField,
    add_rows,
    assign_mnemonics,
)

YES_NO = ((True, "Yes"), (False, "No"))
QUESTION_ORDER = ("q1", "q2", "q3", "q4")


def note_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setMargin(8)
    label.setStyleSheet("QLabel { background: #eef4fa; border: 1px solid #c9dbea; }")
    return label


def issue_html(title: str, items: Sequence[str]) -> str:
    if not items:
        return ""
    rows = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f"<b>{escape(title)}</b><ul style='margin:0'>{rows}</ul>"


class ProjectPage(QWizardPage):
    """Base: a scrollable grid of fields plus a live note from the assessment."""

    key = ""
    heading = ""
    blurb = ""
    warning_ids: tuple[str, ...] = ()
    auto_mnemonics = True

    def __init__(self, controller: ProjectController) -> None:
        super().__init__()
        self.controller = controller
        self.optional = False
        self.setTitle(self.heading)
        self.setSubTitle(self.blurb)
        self.fields: list[Field] = []
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(4)
        self.body_layout.addLayout(self.grid)
        self.note = note_label()
        self.note.setVisible(False)
        self.body_layout.addWidget(self.note)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.build()
        self.body_layout.addStretch(1)
        if self.auto_mnemonics:
            labels = [f.label if f.label.text() else f.editor for f in self.fields]
            assign_mnemonics([*labels, *self.extra_mnemonics()])
        controller.evaluated.connect(self._evaluated)
        controller.projectReplaced.connect(lambda: self._evaluated(controller.evaluation, None))
        self._evaluated(controller.evaluation, None)

    # ---- for subclasses -----------------------------------------------------------------

    def build(self) -> None:
        raise NotImplementedError

    def extra_mnemonics(self) -> list[QWidget]:
        return []

    def add(self, *fields: Field, start_row: int | None = None) -> int:
        self.fields += fields
        return add_rows(self.grid, fields, self.grid.rowCount() if start_row is None else start_row)

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        """Extra HTML for the note under the fields."""
        return ""

    # ---- refresh ------------------------------------------------------------------------

    def _evaluated(self, evaluation: Evaluation, changed: FieldPath | None = ()) -> None:
        if changed == ():
            changed = self.controller.last_changed
        for field in self.fields:
            field.refresh(evaluation.project, changed)
        a = evaluation.assessment
        parts = [self.show_assessment(a, evaluation)]
        warnings = [w.message for w in a.warnings if w.id in self.warning_ids]
        parts.append(issue_html("Check this", warnings))
        html = "<br>".join(p for p in parts if p)
        self.note.setText(html)
        self.note.setVisible(bool(html))

    def set_optional(self, optional: bool, why: str = "") -> None:
        if optional == self.optional:
            return
        self.optional = optional
        self.setSubTitle(f"Optional: {why} {self.blurb}" if optional else self.blurb)

    def path_step(self, assessment: Assessment, question: str) -> str:
        for step in assessment.path:
            if step.question == question:
                return (f"<b>{escape(texts.QUESTION_LABELS[question])}</b> "
                        f"Answer used: <b>{step.answer}</b>. {escape(step.detail)}")
        return (f"The flowchart stopped at {assessment.stopped_at.upper()} before reaching this "
                "question; your answer still counts for combinations.")


class ProjectInfoPage(ProjectPage):
    key = "project"
    heading = "Project"
    blurb = "Name the plan and describe the feature and its traffic."

    def build(self) -> None:
        c = self.controller
        self.add(
            TextField(c, ("metadata", "name"), "Plan name:", "Shown in the title bar and report."),
            TextField(c, ("metadata", "author"), "Author:", "Who is making this call."),
            TextField(c, ("metadata", "use_case"), "Use case:",
                      "The LLM feature in a sentence or two: who asks, what it answers.",
                      multiline=True),
            NumberField(c, ("costs", "requests_per_day"), "Requests per day:",
                        "Expected traffic at launch. Drives per-request costs and the "
                        "cost-at-scale sign.", unit="requests"),
            NumberField(c, ("costs", "monthly_growth"), "Monthly growth:",
                        "Traffic growth per month as a fraction: 0.05 or 5% for five percent; "
                        "negative for shrinking traffic."),
            TextField(c, ("notes",), "Notes:", "Anything the team should remember.",
                      multiline=True),
        )


class FewShotPage(ProjectPage):
    key = "q1"
    heading = "Q1 · Few-shot prompting"
    blurb = "Try your best examples in the prompt before anything heavier."
    warning_ids = ("few_shot_contradiction", "few_shot_incomplete")

    def build(self) -> None:
        c = self.controller
        self.add(
            ChoiceField(c, ("answers", "few_shot_adequate"), "Does it do the job?",
                        (("yes", "Yes"), ("no", "No, it falls short"), ("untested", "Not tried")),
                        "Put about twenty good examples in the prompt and judge the answers on "
                        "cases it has not seen."),
            NumberField(c, ("answers", "few_shot_score"), "Experiment score:",
                        "Optional. Quality the few-shot test reached, 0 to 1 (0.72 or 72%).",
                        optional=True),
            NumberField(c, ("answers", "quality_target"), "Quality target:",
                        "Optional. Quality the feature needs, above 0 and up to 1.",
                        optional=True),
        )
        self.arithmetic = QLabel()
        self.arithmetic.setWordWrap(True)
        self.arithmetic.setAccessibleName("Few-shot arithmetic")
        self.arithmetic.setStyleSheet("font-weight: bold;")
        self.grid.addWidget(self.arithmetic, self.grid.rowCount(), 0, 1, 3)

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        check = assessment.few_shot_check
        if check is not None:
            self.arithmetic.setText(check.explanation)
        else:
            self.arithmetic.setText(
                "Fill in both the score and the target to see how close the experiment came "
                "to 90% of what you need; that result then decides this question.")
        return self.path_step(assessment, "q1")


class KnowledgePage(ProjectPage):
    key = "q2"
    heading = "Q2 · Missing knowledge"
    blurb = "Does the model fail because it lacks facts or documents?"
    warning_ids = ("knowledge_contradiction",)

    def build(self) -> None:
        self.add(ChoiceField(
            self.controller, ("answers", "knowledge_gap"), "Mostly a knowledge gap?", YES_NO,
            "Yes if wrong answers come from facts the model never saw: your products, policies, "
            "recent changes. Retrieval supplies those at question time."))

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        return self.path_step(assessment, "q2")


class BehaviourPage(ProjectPage):
    key = "q3"
    heading = "Q3 · Behaviour"
    blurb = "Is the gap in how the model answers rather than what it knows?"
    warning_ids = ("behavior_contradiction",)

    def build(self) -> None:
        c = self.controller
        self.add(ChoiceField(
            c, ("answers", "behavior_gap"), "Mostly a behaviour gap?", YES_NO,
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
            field = TriStateField(c, ("answers", sign), texts.SIGN_LABELS[sign] + ":",
                                  texts.SIGN_HELP[sign])
            note = TextField(c, ("answers", "sign_notes", sign), "", placeholder="Optional note")
            note.line.setAccessibleName(f"Note on {texts.SIGN_LABELS[sign]}")
            self.fields += [field, note]
            status = QLabel()
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
            counted = "present" if signal.present else "absent"
            if signal.user_answer is None and signal.id in ("latency", "cost_at_scale"):
                hint = "yes" if signal.suggested else "no"
                text = f"{counted} (suggested by your numbers: {hint})"
            elif signal.user_answer is None:
                text = f"{counted} (not answered)"
            else:
                text = counted
                if signal.suggested and not signal.user_answer:
                    text += " (your numbers suggest yes)"
            self.status[signal.id].setText(text)
        return self.path_step(assessment, "q3")


class DataPage(ProjectPage):
    key = "q4"
    heading = "Q4 · Training data"
    blurb = "Fine-tuning learns from examples of the answers you want."
    warning_ids = ("examples_count_mismatch",)

    def build(self) -> None:
        c = self.controller
        self.add(
            NumberField(c, ("answers", "example_count"), "Examples on hand:",
                        "Input and ideal output pairs you could train on today.", integer=True,
                        unit="examples"),
            ChoiceField(c, ("answers", "examples_high_quality"), "Reviewed as high quality?",
                        YES_NO, "Yes only if someone checked them; a model copies its examples' "
                        "mistakes too."),
        )

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        small = next(s for s in assessment.signals_against if s.id == "small_dataset")
        extra = ("<br>Counted as a sign against: " + escape(texts.SIGN_LABELS["small_dataset"])
                 if small.present else "")
        return self.path_step(assessment, "q4") + extra


GPU_CHOICES = (
    ("local_16gb", "A 16 GB GPU of our own"),
    ("hosted", "A hosted tuning service"),
    ("none", "Neither"),
)


class ConstraintsPage(ProjectPage):
    key = "constraints"
    heading = "Constraints"
    blurb = "What stands against training, and what a combination would need."

    def build(self) -> None:
        c = self.controller
        self.add(
            CheckField(c, ("answers", "changing_requirements"),
                       texts.SIGN_LABELS["changing_requirements"],
                       texts.SIGN_HELP["changing_requirements"]),
            CheckField(c, ("answers", "general_knowledge"), texts.SIGN_LABELS["general_knowledge"],
                       texts.SIGN_HELP["general_knowledge"]),
            CheckField(c, ("answers", "no_eval_criteria"), texts.SIGN_LABELS["no_eval_criteria"],
                       texts.SIGN_HELP["no_eval_criteria"]),
            ChoiceField(c, ("answers", "gpu_access"), "GPU for training:", GPU_CHOICES,
                        "Where a training run could happen. Without either, training is off "
                        "the table for now."),
            CheckField(c, ("answers", "per_request_context"), "Each request brings its own context",
                       "For example the customer's account or case history travels with the "
                       "question. Favours fine-tuning plus a prompt."),
            CheckField(c, ("answers", "edge_case_rules"), "Edge-case rules change often",
                       "Special cases you would rather keep in a short, editable prompt. With "
                       "both gaps, points to using all three."),
        )
        box = QGroupBox("Your notes on the signs against (they go into the report)")
        grid = QGridLayout(box)
        for row, sign in enumerate(SIGNS_AGAINST):
            note = TextField(c, ("answers", "sign_notes", sign), "", placeholder="Optional note")
            note.line.setAccessibleName(f"Note on {texts.SIGN_LABELS[sign]}")
            self.fields.append(note)
            grid.addWidget(QLabel(texts.SIGN_LABELS[sign]), 2 * row, 0)
            grid.addWidget(note.editor, 2 * row, 1)
            grid.addWidget(note.error, 2 * row + 1, 1)
        grid.setColumnStretch(1, 1)
        self.body_layout.addWidget(box)

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        present = [texts.SIGN_LABELS[s] for s in assessment.present_signals_against()]
        parts = [issue_html("Signs against fine-tuning present", present)
                 or "<b>No sign against fine-tuning is present.</b>"]
        parts.append(issue_html("Blockers", [f"{b.message} To lift it: {b.lift}"
                                             for b in assessment.blockers]))
        if assessment.combination_candidate:
            label = texts.APPROACH_LABELS[assessment.combination_candidate]
            if assessment.combination:
                parts.append(f"<b>Combination recommended:</b> {escape(label)}")
            else:
                parts.append(issue_html(f"{label} would fit once you have",
                                        assessment.combination_missing))
        return "<br>".join(p for p in parts if p)


def optional_reason(page: ProjectPage, assessment: Assessment) -> str | None:
    """Why a page is optional for this assessment, or None if it is on the path."""
    stop = QUESTION_ORDER.index(assessment.stopped_at)
    if page.key in QUESTION_ORDER and QUESTION_ORDER.index(page.key) > stop:
        return f"the flowchart stopped at {assessment.stopped_at.upper()}."
    considered = fine_tuning_considered(assessment.flowchart_outcome,
                                        assessment.combination_candidate)
    if page.key == "constraints" and not considered:
        return "fine-tuning is not on the table with these answers."
    return None

