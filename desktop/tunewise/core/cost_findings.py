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


FINE_TUNED: frozenset[str] = frozenset(
    {"fine_tuning", "fine_tuning+rag", "fine_tuning+prompt_engineering", "all_three"})
# A cheaper approach is worth a warning when it saves more than this share of the total.
CHEAPER_MARGIN = 0.01
# The cost case is close when the volume at which the sums turn is within this share of today's.
CLOSE_VOLUME = 0.25


def cost_at_scale(costs: CostReport) -> bool:
    """What the cost model says of the cost-at-scale sign: fine-tuning is cheaper per request
    than prompting and earns its upfront spend back within the horizon."""
    tuned = costs.approaches.get("fine_tuning")
    prompting = costs.approaches.get(PROMPTING)
    if tuned is None or prompting is None or tuned.per_request >= prompting.per_request:
        return False
    return tuned.total_at_horizon <= prompting.total_at_horizon


def cheapest(costs: CostReport) -> ApproachId | None:
    if not costs.approaches:
        return None
    return min(costs.approaches, key=lambda a: costs.approaches[a].total_at_horizon)


def cheaper_than(recommended: ApproachId | None, costs: CostReport) -> ApproachId | None:
    """The cheapest approach at the horizon, if it beats the recommendation by a real margin."""
    if recommended is None or recommended not in costs.approaches:
        return None
    best = cheapest(costs)
    if best is None or best == recommended:
        return None
    mine = costs.approaches[recommended].total_at_horizon
    theirs = costs.approaches[best].total_at_horizon
    return best if theirs < mine * (1 - CHEAPER_MARGIN) else None


def never_pays_back(recommended: ApproachId | None, costs: CostReport) -> bool:
    """Whether the recommendation costs more than prompting at the horizon and never crosses."""
    if recommended is None or recommended == PROMPTING:
        return False
    mine = costs.approaches.get(recommended)
    theirs = costs.approaches.get(PROMPTING)
    if mine is None or theirs is None:
        return False
    return mine.total_at_horizon > theirs.total_at_horizon * (1 + CHEAPER_MARGIN)


def break_even_volume(recommended: ApproachId | None, costs: CostReport) -> float | None:
    """The starting volume (requests a day) at which the recommendation and prompting cost the
    same at the horizon, if there is one between 1 and 100 million a day."""
    if recommended is None or recommended == PROMPTING or costs.inputs is None:
        return None
    pair = (recommended, PROMPTING)

    def gap(volume: float) -> float | None:
        totals = costs.totals_at_volume(volume, pair)
        if len(totals) < 2:
            return None
        return totals[recommended] - totals[PROMPTING]

    # The totals are close to linear in the volume (only the cache's warmth bends them), so
    # the secant method lands in two or three steps; it gives up rather than guess.
    start = max(costs.inputs.requests_per_day, 1.0)
    points: list[tuple[float, float | None]] = [(start, gap(start)), (2 * start, gap(2 * start))]
    for _ in range(12):
        (va, ga), (vb, gb) = points[-2], points[-1]
        if ga is None or gb is None or ga == gb:
            return None
        volume = vb - gb * (vb - va) / (gb - ga)
        if not 1.0 <= volume <= 100_000_000.0:
            return None
        points.append((volume, gap(volume)))
        if abs(volume - vb) <= 1e-4 * volume:
            return float(volume)
    return None
