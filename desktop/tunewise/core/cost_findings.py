"""What the cost model says about the recommendation: its payback against prompting, and the
break-even points worth pointing at.

The engine puts these into the Assessment, so the chart's markers, the app's sentences and the
report's all come from one place.
"""

from __future__ import annotations

import numpy as np

from tunewise.core.costs import CostReport, rounding_tolerance
from tunewise.core.project import ApproachId
from tunewise.core.results import Crossing, Payback
from tunewise.core.texts import APPROACH_LABELS, lower_label, money

PROMPTING: ApproachId = "prompt_engineering"


def _name(approach: ApproachId) -> str:
    return lower_label(APPROACH_LABELS[approach])


def _never_dearer(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether line a stays at or below line b on every day, allowing for float rounding only.

    The allowance is relative to the lines' size (see costs.rounding_tolerance); a fixed
    relative slack such as 1e-9 would call a plan $10,000 dearer "no dearer" at $10 trillion.
    """
    return bool(np.all(a <= b + rounding_tolerance(a, b)))


def payback(recommended: ApproachId | None, costs: CostReport) -> Payback | None:
    """When the recommended row earns back its extra upfront spend against prompting."""
    if recommended is None:
        return None
    if recommended == PROMPTING:
        return Payback(approach=PROMPTING, against=PROMPTING, day=None,
                       sentence=("Prompt engineering is the recommendation, so there is no "
                                 "upfront investment to earn back."))
    name = _name(recommended)
    missing = [a for a in (recommended, PROMPTING) if a in costs.errors]
    if missing:
        names = " and ".join(_name(a) for a in missing)
        return Payback(approach=recommended, against=PROMPTING, day=None,
                       sentence=f"Payback cannot be worked out: there is no price for {names}.")
    if recommended not in costs.approaches or PROMPTING not in costs.approaches:
        return None
    mine = costs.approaches[recommended].cumulative
    theirs = costs.approaches[PROMPTING].cumulative
    for be in costs.break_even:
        if {be.a, be.b} != {recommended, PROMPTING} or be.day is None:
            continue
        if be.cheaper_after == recommended:
            return Payback(
                approach=recommended, against=PROMPTING, day=be.day,
                sentence=(f"{APPROACH_LABELS[recommended]} earns back its extra upfront cost "
                          f"against prompt engineering on day {be.day:,.0f} (about "
                          f"{be.day / 7:.1f} weeks)."))
        return Payback(
            approach=recommended, against=PROMPTING, day=None,
            sentence=(f"{APPROACH_LABELS[recommended]} is cheaper at first, but prompt "
                      f"engineering costs less from day {be.day:,.0f} on."))
    if _never_dearer(mine, theirs):
        return Payback(approach=recommended, against=PROMPTING, day=None,
                       sentence=(f"{APPROACH_LABELS[recommended]} costs no more than prompt "
                                 "engineering from the first day."))
    return Payback(approach=recommended, against=PROMPTING, day=None,
                   sentence=(f"Within {costs.horizon_days:,} days {name} does not earn back its "
                             "cost against prompt engineering."))


def crossings(recommended: ApproachId | None, costs: CostReport) -> list[Crossing]:
    """Break-even points of the recommendation's line and prompting's, earliest first."""
    anchors: set[ApproachId] = {PROMPTING}
    if recommended is not None:
        anchors.add(recommended)
    found: list[Crossing] = []
    for be in costs.break_even:
        if be.day is None or be.cheaper_after is None or not anchors & {be.a, be.b}:
            continue
        line = costs.approaches[be.a].cumulative
        i = min(int(be.day), len(line) - 2)
        cost = float(line[i] + (line[i + 1] - line[i]) * (be.day - i))
        other = be.b if be.cheaper_after == be.a else be.a
        found.append(Crossing(
            day=be.day, cost=cost, a=be.a, b=be.b, cheaper_after=be.cheaper_after,
            sentence=(f"Day {be.day:,.0f}: {_name(be.cheaper_after)} becomes cheaper than "
                      f"{_name(other)}")))
    return sorted(found, key=lambda c: (c.day, c.a, c.b))


def crossings_sentence(found: list[Crossing], costs: CostReport) -> str:
    if not costs.approaches:
        return ""
    if not found:
        return ("Where the lines cross: the recommendation's and prompting's lines cross no "
                "other within the horizon.")
    return "Where the lines cross: " + "; ".join(c.sentence for c in found) + "."


def combination_extra(combination: ApproachId | None, costs: CostReport) -> str:
    """What the recommended combination costs over fine-tuning alone."""
    if combination is None or combination == "fine_tuning":
        return ""
    both = costs.approaches.get(combination)
    alone = costs.approaches.get("fine_tuning")
    if both is None or alone is None:
        return ""
    gap = both.total_at_horizon - alone.total_at_horizon
    return (f"Over {costs.horizon_days:,} days the combination costs "
            f"{money(both.total_at_horizon)}, against {money(alone.total_at_horizon)} for "
            f"fine-tuning alone: {money(abs(gap))} {'more' if gap >= 0 else 'less'} for the "
            "extra part.")
