"""Q4: the training examples on hand."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QWidget

from tunewise.core import texts
from tunewise.core.evaluation import Evaluation
from tunewise.core.fieldpath import Attr
from tunewise.core.results import Assessment
from tunewise.ui.dataset.section import DatasetSection
from tunewise.ui.fields import (
    ChoiceField,
    NumberField,
)
from tunewise.ui.wizard.base import YES_NO, ProjectPage


class DataPage(ProjectPage):
    key = "q4"
    heading = "Q4 · Training data"
    blurb = "Fine-tuning learns from examples of the answers you want."

    def build(self) -> None:
        c = self.controller
        self.add(
            NumberField(c, Attr("answers", "example_count"), "Examples on hand:",
                        "Input and ideal output pairs you could train on today.", integer=True,
                        unit="examples"),
            ChoiceField(c, Attr("answers", "examples_high_quality"), "Reviewed as high quality?",
                        YES_NO, "Yes only if someone checked them; a model copies its examples' "
                        "mistakes too."),
        )
        # Import Examples, where each measured figure came from, a gone or changed file.
        self.dataset = DatasetSection(c)
        self.grid.addWidget(self.dataset, self.grid.rowCount(), 0, 1, 3)

    def extra_mnemonics(self) -> list[QWidget]:
        return self.dataset.mnemonic_widgets()

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        small = next(s for s in assessment.signals_against if s.id == "small_dataset")
        extra = ("<br>Counted as a sign against: " + escape(texts.SIGN_LABELS["small_dataset"])
                 if small.present else "")
        return self.path_step(assessment) + extra

