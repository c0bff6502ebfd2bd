"""Named scenarios inside one plan: a few inputs set otherwise, evaluated side by side.

A scenario ("3x traffic", "gpt-4.1-mini for prompting") overrides inputs by path (core/inputs.py);
everything else is the plan as it stands. Each scenario is evaluated exactly as the plan is, so
its verdict and costs are the ones the plan would have with those inputs.
"""

from __future__ import annotations

from datetime import date

from tunewise.core import inputs, texts
from tunewise.core.evaluation import Evaluation, evaluate
from tunewise.core.prices import PriceCatalog
from tunewise.core.project import ApproachId, Project, Range, Scenario
from tunewise.core.results import Result

PLAN_NAME = "The plan as it stands"


def find(project: Project, name: str) -> Scenario:
    """The scenario called `name` (in any case), or InputError naming the ones there are."""
    wanted = name.strip().casefold()
    for scenario in project.scenarios:
        if scenario.name.casefold() == wanted:
            return scenario
    there = ", ".join(f"'{s.name}'" for s in project.scenarios) or "none"
    raise inputs.InputError(f"the plan has no scenario called '{name}' (it has: {there})")


def apply(project: Project, scenario: Scenario) -> Project:
    """The plan with the scenario's inputs set, validated like any edit. The inputs it sets
    lose their ranges there (see open_ranges), so its bands are the scenario's own."""
    changed = inputs.apply_many(project, dict(scenario.overrides), rangeable=False)
    changed.uncertainty = changed.uncertainty.model_copy(
        update={"ranges": open_ranges(project, scenario)})
    return changed


def open_ranges(project: Project, scenario: Scenario | None) -> dict[str, Range]:
    """The plan's ranges that still hold in a scenario: an input the scenario sets is no
    longer uncertain there (drawing the plan's range on it would undo the scenario)."""
    ranges = dict(project.uncertainty.ranges)
    if scenario is None:
        return ranges
    return {p: r for p, r in ranges.items() if p not in scenario.overrides}


def _shown(value: object) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.4g}"
    if isinstance(value, float | int):
        return f"{value:,.0f}"
    return "default" if value is None else str(value)


def changes(project: Project, scenario: Scenario) -> list[str]:
    """The scenario's inputs in words, with the plan's own figure ("Requests a day: 30,000
    (plan: 10,000)")."""
    found = []
    for path, value in scenario.overrides.items():
        now = inputs.read(project, path)
        found.append(f"{inputs.label(path)}: {_shown(value)} "
                     f"(plan: {_shown(now)})")
    return found


class ScenarioRow(Result):
    name: str
    note: str
    changes: list[str]
    headline: str
    approach: str
    combination: str | None
    recommended_row: ApproachId | None
    confidence: str
    totals: dict[ApproachId, float]  # at the horizon, approaches that could be priced
    cheapest: ApproachId | None
    errors: dict[ApproachId, str]


class ScenarioComparison(Result):
    horizon_days: int
    rows: list[ScenarioRow]  # the plan first, then each scenario in the plan's order


def row(name: str, note: str, found: list[str], evaluation: Evaluation) -> ScenarioRow:
    a, c = evaluation.assessment, evaluation.costs
    totals = {k: v.total_at_horizon for k, v in c.approaches.items()}
    return ScenarioRow(
        name=name, note=note, changes=found, headline=a.headline, approach=a.approach,
        combination=a.combination, recommended_row=a.recommended_row,
        confidence=a.confidence, totals=totals,
        cheapest=min(totals, key=lambda k: totals[k]) if totals else None,
        errors=dict(c.errors))


def evaluate_scenario(project: Project, name: str, catalog: PriceCatalog | None = None, *,
                      today: date | None = None) -> Evaluation:
    return evaluate(apply(project, find(project, name)), catalog, strict=False, today=today)


def compare(project: Project, catalog: PriceCatalog | None = None, *,
            today: date | None = None, plan: Evaluation | None = None) -> ScenarioComparison:
    """The plan and every scenario, evaluated the same way, for the side-by-side table."""
    base = plan or evaluate(project, catalog, strict=False, today=today)
    rows = [row(PLAN_NAME, "", [], base)]
    for scenario in project.scenarios:
        changed = evaluate(apply(project, scenario), catalog, strict=False, today=today)
        rows.append(row(scenario.name, scenario.note, changes(project, scenario), changed))
    return ScenarioComparison(horizon_days=base.costs.horizon_days, rows=rows)


def cheapest_words(r: ScenarioRow) -> str:
    return texts.APPROACH_LABELS[r.cheapest] if r.cheapest else "none priced"
