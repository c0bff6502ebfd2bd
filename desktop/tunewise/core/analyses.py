"""The registry of analyses: one line per analysis, and how an evaluation runs them.

An analysis is a pure function from a project and its costs to a typed result (a frozen pydantic
model), or None when it has nothing to say for this project. Registering it here is the only
wiring: the app shows its result in the panel `tunewise.ui.results.panels.<id>` (a class named
`Panel`) and the report prints it with `tunewise.report.analyses.<id>` (a function `section`).
docs/ARCHITECTURE.md has the recipe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from tunewise.core.costs import CostReport
from tunewise.core.gpu import analysis as gpu_analysis
from tunewise.core.project import Project

PANEL_PACKAGE = "tunewise.ui.results.panels"
SECTION_PACKAGE = "tunewise.report.analyses"


@dataclass(frozen=True)
class Analysis:
    id: str  # also the name of its panel module and its report section module
    title: str  # the panel's tab and the report section's heading
    run: Callable[[Project, CostReport], BaseModel | None]


# One line per analysis, in the order the app's tabs and the report's sections show them.
ANALYSES: tuple[Analysis, ...] = (
    Analysis("gpu", "GPU feasibility", gpu_analysis.run),
)


def run_all(project: Project, costs: CostReport) -> dict[str, BaseModel]:
    """Every registered analysis's result for this project, by analysis id."""
    results: dict[str, BaseModel] = {}
    for analysis in ANALYSES:
        result = analysis.run(project, costs)
        if result is not None:
            results[analysis.id] = result
    return results


def title_of(analysis_id: str) -> str:
    return next(a.title for a in ANALYSES if a.id == analysis_id)
