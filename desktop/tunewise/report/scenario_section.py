"""The report's "Scenarios" section: the plan and each of its named scenarios side by side
(core/scenarios.py): what each changes, what it recommends, which approach is cheapest, and
every approach's total at the horizon.

The comparison is worked out once per evaluation (`comparison_for`), as the report is laid out
twice to count its pages.
"""

from __future__ import annotations

import threading
import weakref

from reportlab.platypus import CondPageBreak, Flowable

from tunewise.core import scenarios, texts
from tunewise.core.evaluation import Evaluation
from tunewise.core.project import APPROACHES, ApproachId
from tunewise.core.scenarios import ScenarioComparison, ScenarioRow
from tunewise.core.texts import money
from tunewise.report.blocks import Heading, gap, para, table, text_paragraph
from tunewise.report.context import Context
from tunewise.report.styles import styles

_lock = threading.Lock()
_last: tuple[weakref.ref[Evaluation], ScenarioComparison] | None = None


def comparison_for(ctx: Context) -> ScenarioComparison:
    """The plan and its scenarios, evaluated as the report's own evaluation was."""
    global _last
    evaluation = ctx.evaluation
    with _lock:
        if _last is not None and _last[0]() is evaluation:
            return _last[1]
    found = scenarios.compare(evaluation.project, evaluation.costs.catalog,
                              today=ctx.when.date(), plan=evaluation)
    with _lock:
        _last = (weakref.ref(evaluation), found)
    return found


def scenario_section(ctx: Context) -> list[Flowable]:
    if not ctx.evaluation.project.scenarios:
        return []
    comparison = comparison_for(ctx)
    w = ctx.width
    out: list[Flowable] = [
        CondPageBreak(220), Heading("Scenarios", "scenarios"),
        para("Each scenario is the plan with a few inputs set otherwise, evaluated exactly as "
             "the plan is: its own recommendation, and every approach's cost with those "
             "inputs."),
        _choices(comparison, w), gap(8),
        Heading(f"Totals over {comparison.horizon_days:,} days", "scenarios-totals", level=1,
                style="h2"),
        _totals(comparison, w), gap(3),
        para("The cheapest approach of each row is in bold.", "small"),
    ]
    return out


def _name_cell(r: ScenarioRow) -> list[Flowable]:
    """The scenario's name, and its note under it (a table cell may hold a list)."""
    s = styles()
    cell = [text_paragraph(r.name, s["cell_bold"])]
    if r.note:
        cell.append(text_paragraph(r.note, s["cell_muted"]))
    return cell


def _choices(comparison: ScenarioComparison, w: float) -> Flowable:
    s = styles()
    rows: list[list[str | Flowable]] = []
    for r in comparison.rows:
        changes: Flowable | str = (text_paragraph("\n".join(r.changes), s["cell"])
                                   if r.changes else "as planned")
        rows.append([_name_cell(r), changes, r.headline,
                     scenarios.cheapest_words(r)])
    return table(rows, [w * 0.22, w * 0.32, w * 0.28, w * 0.18],
                 header=["Scenario", "Changes", "Recommendation", "Cheapest"])


def _totals(comparison: ScenarioComparison, w: float) -> Flowable:
    s = styles()
    columns: list[ApproachId] = [a for a in APPROACHES
                                 if any(a in r.totals or a in r.errors for r in comparison.rows)]
    share = 0.82 / max(len(columns), 1)
    rows: list[list[str | Flowable]] = []
    for r in comparison.rows:
        cells: list[str | Flowable] = [_name_cell(r)]
        for approach in columns:
            if approach in r.totals:
                style = "cell_right_bold" if approach == r.cheapest else "cell_right"
                cells.append(text_paragraph(money(r.totals[approach]), s[style]))
            else:
                cells.append("no price")
        rows.append(cells)
    return table(rows, [w * 0.18, *([w * share] * len(columns))],
                 header=["Scenario", *(texts.APPROACH_LABELS[a] for a in columns)],
                 right=tuple(range(1, len(columns) + 1)))
