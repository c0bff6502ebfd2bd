"""Q2: is the gap missing knowledge?"""

from __future__ import annotations

from tunewise.core.evaluation import Evaluation
from tunewise.core.fieldpath import Attr
from tunewise.core.results import Assessment
from tunewise.ui.fields import (
    ChoiceField,
)
from tunewise.ui.wizard.base import YES_NO, ProjectPage


class KnowledgePage(ProjectPage):
    key = "q2"
    heading = "Q2 · Missing knowledge"
    blurb = "Does the model fail because it lacks facts or documents?"
    warning_ids = ("knowledge_contradiction",)

    def build(self) -> None:
        self.add(ChoiceField(
            self.controller, Attr("answers", "knowledge_gap"), "Mostly a knowledge gap?", YES_NO,
            "Yes if wrong answers come from facts the model never saw: your products, policies, "
            "recent changes. Retrieval supplies those at question time."))

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        return self.path_step(assessment)

