"""What every section of the report needs to know, computed once per report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tunewise.core.dataset.plan import FileStatus
from tunewise.core.evaluation import Evaluation

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
    # The plan's examples file as found now ((status, message) from core.dataset.plan), worked
    # out once per report; None when there is none or it could not be looked for.
    dataset_status: tuple[FileStatus, str] | None = None

    @property
    def date(self) -> str:
        return long_date(self.when)
