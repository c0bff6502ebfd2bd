"""What every section of the report needs to know, computed once per report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tunewise.core.evaluation import Evaluation
from tunewise.core.project import APPROACHES, ApproachId

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(moment: datetime) -> str:
    """'28 November 2026', the same whatever the machine's locale."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


@dataclass(frozen=True)
class Context:
    evaluation: Evaluation
    width: float  # of the text frame, in points
    when: datetime
    version: str

    @property
    def date(self) -> str:
        return long_date(self.when)

    @property
    def recommended_cost(self) -> ApproachId | None:
        """The approach whose costs the recommendation commits to (for highlighting)."""
        a = self.evaluation.assessment
        if a.combination is not None:
            return a.combination
        if a.approach == "collect_data":
            return "prompt_engineering"  # prompting carries the load while data is gathered
        for approach in APPROACHES:
            if approach == a.approach:
                return approach
        return None
