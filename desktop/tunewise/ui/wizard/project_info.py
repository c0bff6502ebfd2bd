"""The Project page: name, use case and traffic."""

from __future__ import annotations

from tunewise.core.fieldpath import Attr
from tunewise.ui.fields import (
    NumberField,
    TextField,
)
from tunewise.ui.wizard.base import ProjectPage


class ProjectInfoPage(ProjectPage):
    key = "project"
    heading = "Project"
    blurb = "Name the plan and describe the feature and its traffic."

    def build(self) -> None:
        c = self.controller
        self.add(
            TextField(c, Attr("metadata", "name"), "Plan name:",
                      "Shown in the title bar and report."),
            TextField(c, Attr("metadata", "author"), "Author:", "Who is making this call."),
            TextField(c, Attr("metadata", "use_case"), "Use case:",
                      "The LLM feature in a sentence or two: who asks, what it answers.",
                      multiline=True),
            NumberField(c, Attr("costs", "requests_per_day"), "Requests per day:",
                        "Expected traffic at launch. Drives per-request costs and the "
                        "cost-at-scale sign.", unit="requests"),
            NumberField(c, Attr("costs", "monthly_growth"), "Monthly growth:",
                        "Traffic growth per month as a fraction: 0.05 or 5% for five percent; "
                        "negative for shrinking traffic."),
            TextField(c, Attr("notes"), "Notes:", "Anything the team should remember.",
                      multiline=True),
        )

