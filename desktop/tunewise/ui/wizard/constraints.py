"""Constraints: the signs against fine-tuning, the GPU plan (ui/gpu) and what a combination
needs."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
)

from tunewise.core import texts
from tunewise.core.decision import combination_help
from tunewise.core.evaluation import Evaluation
from tunewise.core.fieldpath import Attr, SignNote
from tunewise.core.project import SIGNS_AGAINST
from tunewise.core.results import Assessment
from tunewise.ui.fields import (
    CheckField,
    TextField,
    plain_label,
)
from tunewise.ui.gpu.panel import GpuPanel
from tunewise.ui.wizard.base import ProjectPage, issue_html


class ConstraintsPage(ProjectPage):
    key = "constraints"
    heading = "Constraints"
    blurb = "What stands against training, and what a combination would need."
    warning_ids = ("eval_criteria_contradiction", "gpu_not_in_costs")

    def build(self) -> None:
        c = self.controller
        self.add(
            CheckField(c, Attr("answers", "changing_requirements"),
                       texts.SIGN_LABELS["changing_requirements"],
                       texts.SIGN_HELP["changing_requirements"]),
            CheckField(c, Attr("answers", "general_knowledge"),
                       texts.SIGN_LABELS["general_knowledge"],
                       texts.SIGN_HELP["general_knowledge"]),
            CheckField(c, Attr("answers", "no_eval_criteria"),
                       texts.SIGN_LABELS["no_eval_criteria"],
                       texts.SIGN_HELP["no_eval_criteria"]),
        )
        # The GPU plan spans the page's columns, where the old three-way answer stood.
        self.gpu = GpuPanel(c)
        self.fields += self.gpu.fields
        row = self.grid.rowCount()
        self.grid.addWidget(self.gpu, row, 0, 1, 3)
        self.add(
            CheckField(c, Attr("answers", "per_request_context"),
                       "Each request brings its own context",
                       "For example the customer's account or case history travels with the "
                       "question. " + combination_help("fine_tuning+prompt_engineering")),
            CheckField(c, Attr("answers", "edge_case_rules"), "Edge-case rules change often",
                       "Special cases you would rather keep in a short, editable prompt. "
                       + combination_help("all_three")),
        )
        box = QGroupBox("Your notes on the signs against (they go into the report)")
        grid = QGridLayout(box)
        for row, sign in enumerate(SIGNS_AGAINST):
            note = TextField(c, SignNote(sign), "", placeholder="Optional note")
            note.line.setAccessibleName(f"Note on {texts.SIGN_LABELS[sign]}")
            self.fields.append(note)
            grid.addWidget(plain_label(texts.SIGN_LABELS[sign]), 2 * row, 0)
            grid.addWidget(note.editor, 2 * row, 1)
            grid.addWidget(note.error, 2 * row + 1, 1)
        grid.setColumnStretch(1, 1)
        self.body_layout.addWidget(box)

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        self.gpu.show_evaluation(evaluation)
        parts = [f"<b>{escape(assessment.constraints_summary)}</b>"]
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

