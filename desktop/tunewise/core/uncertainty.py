"""How sure the cost comparison is: a Monte Carlo over the ranges on cost inputs, the inputs
that move the verdict most (the tornado), and the odds of the few-shot score itself.

Draws (core/sampling.py): one column of seeded uniforms per ranged input, in sorted path order,
mapped through the PERT or triangular inverse CDF; whole-number inputs (tokens, months, epochs)
are rounded.

The cost model is not written twice. Every figure comes from `costs.compute_costs`, run a few
times on designed inputs, and each approach's cumulative cost is split into its requests' part
(`ApproachCost.request_cost` per day, summed) and the rest (upfront, bills, hosting, retrains,
forced moves). Per draw, at about 100 sample days (day 0 and the horizon always among them):
- traffic (requests a day, monthly growth): the requests' part is costed exactly by
  `request_cost` on a grid of volume paths and interpolated linearly between grid points
  (exact where the cost is linear in traffic; growth is interpolated in the plan's total volume,
  in which the cumulative cost is nearly linear, rather than in the rate);
- any other ranged input: two runs of the model, that input at its low and at its high and all
  others likely, give per approach the ratio of the requests' total (applied multiplicatively)
  and the change of the rest at each sample day (added), both interpolated linearly between
  low, likely and high.
This is exact for one ranged input at low, likely or high (and between them for inputs the
costs are linear in); with several, the cross terms between inputs are left out except that
requests' ratios (tokens, price multipliers) multiply each other and the traffic, as they do in
the model. A draw is the plan's own line plus these changes, so with no ranges the bands are
the deterministic lines exactly.

The tornado uses the same runs (traffic at its low and high exactly): how far the gap at the
horizon between the recommended row and its runner-up moves across each input's range.

The few-shot score is a pass rate on n held-out examples: its posterior, from a flat prior, is
Beta(passed + 1, n - passed + 1), and the chance the true score reaches the flowchart's line is
its upper tail, integrated numerically.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from tunewise.core import inputs, sampling, texts
from tunewise.core.costs import CostReport, compute_costs, request_volume
from tunewise.core.decision import examples_to_settle
from tunewise.core.flowchart import FLOWCHART
from tunewise.core.project import (
    APPROACHES,
    Answers,
    ApproachId,
    CostInputs,
    Distribution,
    Project,
    Range,
)
from tunewise.core.results import Result

if TYPE_CHECKING:
    from tunewise.core.evaluation import Evaluation

FloatArray = npt.NDArray[np.float64]

PROMPTING: ApproachId = "prompt_engineering"
REQUESTS = "costs.requests_per_day"
GROWTH = "costs.monthly_growth"
TRAFFIC = (REQUESTS, GROWTH)
SAMPLE_DAYS = 100  # days the bands are worked out on (plus day 0 and the horizon)
GRID = {REQUESTS: 7, GROWTH: 7}  # traffic grid points across each range
PERCENTILES = (10.0, 50.0, 90.0)
# A chance of reaching the line between these is a close call.
CLOSE_CALL = (0.10, 0.90)


class Quantiles(Result):
    p10: float
    p50: float
    p90: float


class Band(Result):
    """Cumulative cost (USD) of one approach, P10/P50/P90 over the draws, on sample days."""

    days: list[int]
    p10: list[float]
    p50: list[float]
    p90: list[float]


class Sensitivity(Result):
    """One bar of the tornado: the recommendation's gap to its runner-up at the horizon
    (USD, positive when the recommendation costs more) with the input at low and at high."""

    input: str  # the field path
    label: str
    low: float
    high: float
    diff_low: float
    diff_high: float
    swing: float
    flips: ApproachId | None  # what becomes cheapest at an end of the range, if not today's


class FewShotOdds(Result):
    probability: float  # that the true score reaches the line
    n: int
    passed: int
    line: float  # the score the flowchart asks for (its ratio times the target)
    close_call: bool
    more_examples: int | None  # held-out examples beyond n that would settle a close call
    sentence: str


class UncertaintyResult(Result):
    draws: int
    seed: int
    distribution: Distribution
    inputs: list[str]  # the ranged inputs, in draw order
    horizon_days: int
    bands: dict[ApproachId, Band]
    total_at_horizon: dict[ApproachId, Quantiles]
    cheapest_probability: dict[ApproachId, float]
    recommended: ApproachId | None  # the row the tornado and the break-even are about
    runner_up: ApproachId | None  # the cheapest other approach at likely values
    # recommended minus runner-up at the horizon, every input at likely: the tornado's centre
    gap: float | None = None
    break_even_day: Quantiles | None  # among draws that pay back within the horizon
    break_even_never: float  # share of draws in which the recommendation never pays back
    sensitivity: list[Sensitivity]
    could_flip: list[str]
    few_shot: FewShotOdds | None
    sentences: list[str]  # the conclusions in words, for the panel, the report and the CLI


def sample_days(horizon: int, count: int = SAMPLE_DAYS) -> npt.NDArray[np.int64]:
    """About `count` days spread over 0..horizon, both ends included."""
    days = np.round(np.linspace(0, horizon, min(count, horizon) + 1)).astype(np.int64)
    return sampling.distinct(days)


def _value_words(path: str, value: float) -> str:
    name = path.rsplit(".", 1)[-1]
    if name in ("monthly_growth", "cached_share", "batch_share"):
        return texts.percent(value)
    if name in ("hourly_rate", "evaluation_cost", "setup_cost", "monthly_fixed"):
        return texts.money(value)
    if name == "price_multiplier":
        return f"{value:g} times the prices"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3g}"


def _name(approach: ApproachId) -> str:
    return texts.lower_label(texts.APPROACH_LABELS[approach])


@dataclass
class _Part:
    """One approach's base lines at the sample days, split as the module's docstring says."""

    base: FloatArray  # cumulative cost
    requests: FloatArray  # cumulative cost of the requests
    requests_total: float  # ... at the horizon, over every day


def _requests_cumulative(report: CostReport, approach: ApproachId,
                         volume: FloatArray | None = None) -> FloatArray:
    cost = report.approaches[approach]
    if cost.request_cost is None:
        return np.zeros(report.horizon_days + 1)
    return np.cumsum(cost.request_cost(report.requests if volume is None else volume))


def _volume(plan: CostInputs, values: dict[str, float]) -> FloatArray:
    update = {path.rsplit(".", 1)[-1]: value for path, value in values.items()}
    return request_volume(plan.model_copy(update=update))


def _total_volume(growth: FloatArray, horizon: int) -> FloatArray:
    """Requests over days 1..horizon per request on day 1, for each monthly growth."""
    step = np.log1p(growth) / (365 / 12)
    flat = np.abs(step) < 1e-12
    safe = np.where(flat, 1.0 / horizon, step)  # placeholder where flat
    return np.asarray(np.where(flat, float(horizon), np.expm1(horizon * safe) / np.expm1(safe)))


def _hat_weights(x: FloatArray, knots: FloatArray) -> FloatArray:
    """Linear interpolation weights of each x on increasing knots, as an (n, len(knots)) table."""
    weights = np.zeros((x.size, knots.size))
    if knots.size == 1:
        weights[:, 0] = 1.0
        return weights
    i = np.clip(np.searchsorted(knots, x, side="right") - 1, 0, knots.size - 2)
    t = np.clip((x - knots[i]) / (knots[i + 1] - knots[i]), 0.0, 1.0)
    rows = np.arange(x.size)
    weights[rows, i] = 1.0 - t
    weights[rows, i + 1] += t
    return weights


def _side_weights(x: FloatArray, r: Range) -> tuple[FloatArray, FloatArray]:
    """How far each draw is from likely towards low, and towards high (0..1)."""
    zero = np.zeros_like(x)
    low = (np.clip((r.likely - x) / (r.likely - r.low), 0.0, 1.0) if r.likely > r.low else zero)
    high = (np.clip((x - r.likely) / (r.high - r.likely), 0.0, 1.0) if r.high > r.likely
            else zero)
    return np.asarray(low), np.asarray(high)



@dataclass
class _Design:
    """What the designed runs of the cost model gave."""

    base: CostReport  # every input at its likely value
    days: npt.NDArray[np.int64]
    parts: dict[ApproachId, _Part]
    traffic: list[str]  # the ranged traffic inputs
    knots: dict[str, FloatArray]  # per traffic input, the grid in draw terms
    grid: dict[ApproachId, FloatArray]  # (grid points, days): change of the requests' line
    others: list[str]  # the other ranged inputs
    ratios: dict[ApproachId, FloatArray]  # (others, 2): requests' total at low, high / likely
    rest: dict[ApproachId, FloatArray]  # (others, 2, days): change of the rest at low, high
    totals: dict[str, tuple[dict[ApproachId, float], dict[ApproachId, float]]]  # low, high


def _growth_coordinate(path: str, values: FloatArray, horizon: int) -> FloatArray:
    """Where a traffic value sits on its grid: requests a day as they are, growth as the
    plan's total volume (in which the cumulative cost is nearly linear)."""
    return _total_volume(values, horizon) if path == GROWTH else values


def _owner(path: str) -> ApproachId | None:
    """The approach an input belongs to ("costs.approaches.rag.x" -> "rag"), else None."""
    parts = path.split(".")
    if len(parts) == 4 and parts[1] == "approaches" and parts[2] in APPROACHES:
        return parts[2]
    return None


def _design(evaluation: Evaluation, ranges: dict[str, Range]) -> _Design:
    project, costs = evaluation.project, evaluation.costs
    start, catalog = costs.start_date, costs.catalog

    def run(plan: Project, only: tuple[ApproachId, ...] | None = None) -> CostReport:
        return compute_costs(plan.costs, catalog, strict=False, today=start, approaches=only)

    likely = {p: r.likely for p, r in ranges.items() if inputs.read(project, p) != r.likely}
    base_project = inputs.apply_many(project, likely) if likely else project
    # Only the costs matter to the runs; the copies need not carry the dataset's figures.
    slim = base_project.model_copy(update={"dataset": None, "scenarios": [], "notes": ""})
    base = run(base_project) if likely else costs
    horizon = base.horizon_days
    days = sample_days(horizon)
    full_requests = {a: _requests_cumulative(base, a) for a in base.approaches}
    parts = {a: _Part(base=cost.cumulative[days], requests=full_requests[a][days],
                      requests_total=float(full_requests[a][-1]))
             for a, cost in base.approaches.items()}
    plan = base.inputs or base_project.costs
    traffic = [p for p in TRAFFIC if p in ranges]
    others = [p for p in sorted(ranges) if p not in TRAFFIC]
    totals: dict[str, tuple[dict[ApproachId, float], dict[ApproachId, float]]] = {}

    # Traffic: the requests' line on a grid of volume paths, and exactly at each range's ends.
    values: dict[str, FloatArray] = {}
    knots: dict[str, FloatArray] = {}
    for path in TRAFFIC:
        r = ranges.get(path)
        now = float(inputs.read(base_project, path))
        values[path] = (sampling.distinct(np.linspace(r.low, r.high, GRID[path]))
                        if r is not None
                        else np.array([now]))
        knots[path] = _growth_coordinate(path, values[path], horizon)
    grid: dict[ApproachId, FloatArray] = {a: np.empty((0, days.size)) for a in parts}
    if traffic:
        rows: dict[ApproachId, list[FloatArray]] = {a: [] for a in parts}
        for rate in values[REQUESTS]:
            for growth in values[GROWTH]:
                volume = _volume(plan, {REQUESTS: rate, GROWTH: growth})
                for a, part in parts.items():
                    rows[a].append(_requests_cumulative(base, a, volume)[days] - part.requests)
        grid = {a: np.array(found) for a, found in rows.items()}
        for path in traffic:
            r = ranges[path]
            ends = []
            for value in (r.low, r.high):
                volume = _volume(plan, {path: value})
                ends.append({a: float(base.approaches[a].total_at_horizon - part.requests_total
                                      + _requests_cumulative(base, a, volume)[-1])
                             for a, part in parts.items()})
            totals[path] = (ends[0], ends[1])

    # Every other input: one run at its low and one at its high, all others likely.
    ratios = {a: np.ones((len(others), 2)) for a in parts}
    rest = {a: np.zeros((len(others), 2, days.size)) for a in parts}
    for k, path in enumerate(others):
        r = ranges[path]
        # An input of one approach changes that approach alone: only it is costed again.
        owner = _owner(path)
        touched = set(parts) if owner is None else {owner}
        ends = []
        for side, value in enumerate((r.low, r.high)):
            report = base if value == r.likely else run(
                inputs.apply(slim, path, value), None if owner is None else (owner,))
            found: dict[ApproachId, float] = {}
            for a, part in parts.items():
                if a not in touched:
                    found[a] = base.approaches[a].total_at_horizon
                    continue
                cost = report.approaches.get(a)
                if cost is None:  # not priced at this end: counted as no change
                    found[a] = base.approaches[a].total_at_horizon
                    continue
                found[a] = cost.total_at_horizon
                if report is base:
                    continue
                line = _requests_cumulative(report, a)
                if part.requests_total > 0:
                    ratios[a][k, side] = line[-1] / part.requests_total
                    rest[a][k, side] = ((cost.cumulative[days] - line[days])
                                        - (part.base - part.requests))
                else:  # nothing to scale: the whole change is added
                    rest[a][k, side] = cost.cumulative[days] - part.base
            ends.append(found)
        totals[path] = (ends[0], ends[1])
    return _Design(base=base, days=days, parts=parts, traffic=traffic, knots=knots, grid=grid,
                   others=others, ratios=ratios, rest=rest, totals=totals)


def _draws(ranges: dict[str, Range], distribution: Distribution, n: int, seed: int
           ) -> dict[str, FloatArray]:
    """Each ranged input's draws, one uniform column per input in sorted path order."""
    paths = sorted(ranges)
    u = sampling.uniforms(seed, n, len(paths))
    shape = sampling.pert if distribution == "pert" else sampling.triangular
    found = {}
    for j, path in enumerate(paths):
        r = ranges[path]
        x = shape(np.ascontiguousarray(u[:, j]), r.low, r.likely, r.high)
        found[path] = np.round(x) if inputs.is_whole(path) else x
    return found


@dataclass
class _Outcome:
    bands: dict[ApproachId, Band]
    horizon: dict[ApproachId, FloatArray]  # each draw's total at the horizon
    kept: dict[ApproachId, npt.NDArray[np.float32]]  # (days, draws) changes, where needed


def _directions(curves: FloatArray) -> FloatArray:
    """Orthonormal rows spanning the curves (to float32 precision), by Gram-Schmidt with the
    largest remainder first. Plain numpy on purpose: LAPACK's SVD can stall for hundreds of
    milliseconds when OpenBLAS's threads compete with other work for the cores."""
    rest = curves.astype(np.float64)
    norms = np.sqrt((rest * rest).sum(axis=1))
    floor = float(norms.max()) * 1e-7
    found: list[FloatArray] = []
    for _ in range(min(rest.shape)):
        i = int(np.argmax(norms))
        if norms[i] <= floor:
            break
        q = rest[i] / norms[i]
        found.append(q)
        rest -= np.outer(rest @ q, q)
        norms = np.sqrt((rest * rest).sum(axis=1))
    return np.asarray(found) if found else np.zeros((1, curves.shape[1]))


def _changes(basis: list[FloatArray], weights: list[npt.NDArray[np.float32]], n: int,
             days: int) -> npt.NDArray[np.float32]:
    """Each draw's change from the plan's line, (days, draws): sum of weight x basis curve.

    The curves of one approach are few shapes in many copies (a traffic grid is smooth), so the
    product goes through an orthonormal basis of them: (curves + days) x rank x draws
    multiplications instead of days x curves x draws.
    """
    if not basis:
        return np.zeros((days, n), np.float32)
    curves = np.asarray(basis)
    q = _directions(curves)
    mix = np.ascontiguousarray((curves @ q.T).T, np.float32)
    table = np.concatenate(weights) if len(weights) > 1 else weights[0]
    return np.asarray(np.ascontiguousarray(q.T, np.float32) @ (mix @ table))


def _monte_carlo(d: _Design, ranges: dict[str, Range], x: dict[str, FloatArray], n: int,
                 keep: set[ApproachId]) -> _Outcome:
    traffic_weights: npt.NDArray[np.float32] | None = None
    if d.traffic:
        by_path = [_hat_weights(_growth_coordinate(p, x[p], d.base.horizon_days), d.knots[p])
                   if p in x else np.ones((n, 1)) for p in TRAFFIC]
        traffic_weights = np.ascontiguousarray(
            (by_path[0][:, :, None] * by_path[1][:, None, :]).reshape(n, -1).T, np.float32)
    sides = [tuple(w.astype(np.float32) for w in _side_weights(x[p], ranges[p]))
             for p in d.others]
    days = [int(day) for day in d.days]

    def change_of(a: ApproachId) -> npt.NDArray[np.float32]:
        part = d.parts[a]
        factor = np.ones(n, np.float32)
        basis: list[FloatArray] = []
        weights: list[npt.NDArray[np.float32]] = []
        for k, (low, high) in enumerate(sides):
            r_low, r_high = d.ratios[a][k]
            if r_low != 1.0 or r_high != 1.0:
                factor *= 1.0 + low * np.float32(r_low - 1.0) + high * np.float32(r_high - 1.0)
            for side, w in enumerate((low, high)):
                if np.any(d.rest[a][k, side]):
                    basis.append(d.rest[a][k, side])
                    weights.append(w[None, :])
        scale = None
        if bool(np.any(factor != 1.0)):
            basis.append(part.requests)
            weights.append((factor - 1.0)[None, :])
            scale = factor
        if traffic_weights is not None and bool(np.any(d.grid[a])):
            basis.extend(d.grid[a])
            weights.append(traffic_weights if scale is None else traffic_weights * scale)
        return _changes(basis, weights, n, len(days))

    def band(a: ApproachId, change: npt.NDArray[np.float32]) -> Band:
        base = d.parts[a].base
        p10, p50, p90 = sampling.row_percentiles(change, PERCENTILES)
        return Band(days=days, p10=(base + p10).tolist(), p50=(base + p50).tolist(),
                    p90=(base + p90).tolist())

    bands: dict[ApproachId, Band] = {}
    horizon: dict[ApproachId, FloatArray] = {}
    kept: dict[ApproachId, npt.NDArray[np.float32]] = {}
    for a in d.parts:  # one approach at a time: only the kept ones outlive their turn
        change = change_of(a)
        horizon[a] = d.parts[a].base[-1] + change[-1].astype(np.float64)
        bands[a] = band(a, change)
        if a in keep:
            kept[a] = change
    return _Outcome(bands=bands, horizon=horizon, kept=kept)


def _break_even(d: _Design, mine: ApproachId, changes: dict[ApproachId, npt.NDArray[np.float32]]
                ) -> tuple[Quantiles | None, float]:
    """Per draw, the day from which `mine` stays at or below prompting's line (interpolated
    between sample days; 0 if it never costs more), and the share that are dearer at the end."""
    start = (d.parts[mine].base - d.parts[PROMPTING].base).astype(np.float32)
    gap = changes[mine] - changes[PROMPTING]
    gap += start[:, None]
    above = gap > 0
    never = above[-1]
    count = gap.shape[1]
    index = np.arange(gap.shape[0], dtype=np.int16 if gap.shape[0] < 2**15 else np.int32)
    last = np.maximum.reduce(np.where(above, index[:, None], -1), axis=0)  # last day above
    cols = np.nonzero((last >= 0) & ~never)[0]
    day = np.zeros(count)
    i = last[cols].astype(np.int64)
    before = gap[i, cols].astype(np.float64)
    after = gap[i + 1, cols].astype(np.float64)
    span = (d.days[i + 1] - d.days[i]).astype(np.float64)
    day[cols] = d.days[i] + before / (before - after) * span
    paid = np.sort(day[~never])
    share_never = float(never.mean()) if count else 0.0
    if paid.size == 0:
        return None, share_never
    p10, p50, p90 = sampling.sorted_percentiles(paid, PERCENTILES)
    return Quantiles(p10=float(p10), p50=float(p50), p90=float(p90)), share_never


def _cheapest(totals: dict[ApproachId, float]) -> ApproachId:
    return min(totals, key=lambda a: totals[a])


def _tornado(d: _Design, ranges: dict[str, Range], mine: ApproachId, other: ApproachId
             ) -> list[Sensitivity]:
    today = _cheapest({a: c.total_at_horizon for a, c in d.base.approaches.items()})
    found = []
    for path, (at_low, at_high) in d.totals.items():
        diff_low = at_low[mine] - at_low[other]
        diff_high = at_high[mine] - at_high[other]
        flips = next((c for c in (_cheapest(at_low), _cheapest(at_high)) if c != today), None)
        r = ranges[path]
        found.append(Sensitivity(input=path, label=inputs.label(path), low=r.low, high=r.high,
                                 diff_low=diff_low, diff_high=diff_high,
                                 swing=abs(diff_high - diff_low), flips=flips))
    return sorted(found, key=lambda s: (-s.swing, s.input))


def flip_sentence(s: Sensitivity, today: ApproachId, at: float, theirs: float, ours: float,
                  horizon: int) -> str:
    """An input that can change the cheapest approach within its range, in words."""
    assert s.flips is not None
    return (f"{s.label} can change the cheapest approach: at {_value_words(s.input, at)} "
            f"{_name(s.flips)} would cost {texts.money(theirs)} over {horizon:,} days, against "
            f"{texts.money(ours)} for {_name(today)}.")


def _could_flip(d: _Design, tornado: list[Sensitivity], ranges: dict[str, Range]) -> list[str]:
    today = _cheapest({a: c.total_at_horizon for a, c in d.base.approaches.items()})
    found = []
    for s in tornado:
        if s.flips is None:
            continue
        at_low, at_high = d.totals[s.input]
        at, totals = ((ranges[s.input].low, at_low) if _cheapest(at_low) == s.flips
                      else (ranges[s.input].high, at_high))
        found.append(flip_sentence(s, today, at, totals[s.flips], totals[today],
                                   d.base.horizon_days))
    return found


def few_shot_sentence(probability: float, n: int, passed: int, line: float, target: float,
                      ratio: float, close: bool, more: int | None) -> str:
    """The few-shot score's odds in words."""
    head = (f"{passed:,} of {n:,} held-out examples passed; allowing for how few that is, the "
            f"chance that the true score reaches {texts.percent(line)} ({texts.percent(ratio)} "
            f"of the {texts.percent(target)} target) is {texts.percent(probability)}.")
    if not close:
        verdict = "likely enough" if probability > CLOSE_CALL[1] else "unlikely"
        return f"{head} That it does is {verdict} to rely on."
    if more is None:
        return f"{head} That is a close call the score sits too near the line to settle."
    return (f"{head} That is a close call: about {more:,} more held-out examples would "
            "settle it.")


def few_shot_odds(answers: Answers) -> FewShotOdds | None:
    """The chance that the few-shot score's true value reaches the flowchart's line, from the
    held-out examples it was measured on (see the module's docstring)."""
    target = answers.quality_target
    measured = answers.few_shot_measured
    if target is None:
        return None
    if measured is not None:
        n, passed = measured.n, measured.passed
    elif answers.few_shot_score is not None and answers.few_shot_examples:
        n = answers.few_shot_examples
        passed = round(answers.few_shot_score * n)
    else:
        return None
    if n <= 0:
        return None
    passed = min(max(passed, 0), n)
    ratio = FLOWCHART.thresholds.few_shot_ratio
    line = ratio * target
    probability = sampling.beta_upper_tail(passed + 1.0, n - passed + 1.0, line)
    close = CLOSE_CALL[0] <= probability <= CLOSE_CALL[1]
    settle = examples_to_settle(passed / n, line, n) if close else None
    more = None if settle is None else max(settle - n, 0)
    return FewShotOdds(
        probability=probability, n=n, passed=passed, line=line, close_call=close,
        more_examples=more,
        sentence=few_shot_sentence(probability, n, passed, line, target, ratio, close, more))


def summary_sentences(r: UncertaintyResult) -> list[str]:
    """What the Monte Carlo says, in words (numbers from the result)."""
    if not r.inputs:
        return ["No cost input has a range, so the lines are the plan's own: give a low, "
                "likely and high value to the inputs you are unsure of."]
    ranked = sorted(r.cheapest_probability.items(), key=lambda kv: -kv[1])
    shares = "; ".join(f"{_name(a)} in {texts.percent(p)}" for a, p in ranked if p > 0)
    inputs_words = ("the one ranged input" if len(r.inputs) == 1
                    else f"the {len(r.inputs)} ranged inputs")
    found = [f"Over {r.draws:,} draws of {inputs_words}, the cheapest "
             f"approach at day {r.horizon_days:,} is {shares}."]
    if r.recommended is not None and r.recommended in r.total_at_horizon:
        q = r.total_at_horizon[r.recommended]
        found.append(f"{texts.APPROACH_LABELS[r.recommended]} costs {texts.money(q.p50)} at "
                     f"the median, {texts.money(q.p10)} to {texts.money(q.p90)} in 8 draws of "
                     "10.")
    if r.break_even_day is not None and r.recommended is not None:
        q = r.break_even_day
        found.append(f"It earns back its extra upfront cost against prompt engineering by day "
                     f"{q.p50:,.0f} at the median (day {q.p10:,.0f} to {q.p90:,.0f} in 8 "
                     f"draws of 10 that pay back)"
                     + (f"; in {texts.percent(r.break_even_never)} of draws it never does "
                        "within the horizon." if r.break_even_never > 0 else "."))
    elif r.recommended not in (None, PROMPTING) and r.break_even_never > 0:
        found.append(f"In {texts.percent(r.break_even_never)} of draws "
                     f"{_name(r.recommended)} never earns back its cost against prompt "
                     "engineering within the horizon.")
    if r.sensitivity and r.runner_up is not None and r.recommended is not None:
        top = r.sensitivity[0]
        found.append(f"{top.label} moves the gap between {_name(r.recommended)} and "
                     f"{_name(r.runner_up)} most: by {texts.money(top.swing)} across its "
                     "range.")
    return found + r.could_flip


def simulate(evaluation: Evaluation, ranges: dict[str, Range], *,
             distribution: Distribution = "pert", draws: int = 10_000, seed: int = 1
             ) -> UncertaintyResult:
    """The Monte Carlo over the given ranges, the tornado and the few-shot odds."""
    d = _design(evaluation, ranges)
    row = evaluation.assessment.recommended_row
    priced = list(d.parts)
    mine = row if row in d.parts else (
        _cheapest({a: d.parts[a].base[-1] for a in priced}) if priced else None)
    others = {a: float(d.parts[a].base[-1]) for a in priced if a != mine}
    runner_up = _cheapest(others) if others else None
    pays_back = row is not None and row != PROMPTING and row in d.parts and PROMPTING in d.parts
    keep: set[ApproachId] = {row, PROMPTING} if pays_back and row is not None else set()
    outcome = _monte_carlo(d, ranges, _draws(ranges, distribution, draws, seed), draws, keep)
    cheapest: dict[ApproachId, float] = {}
    if priced:
        winners = np.argmin(np.stack([outcome.horizon[a] for a in priced]), axis=0)
        counts = np.bincount(winners, minlength=len(priced))
        cheapest = {a: float(c) / draws for a, c in zip(priced, counts, strict=True)}
    break_even, never = (None, 0.0)
    if pays_back and row is not None:
        break_even, never = _break_even(d, row, outcome.kept)
    tornado = (_tornado(d, ranges, mine, runner_up)
               if mine is not None and runner_up is not None else [])
    result = UncertaintyResult(
        draws=draws, seed=seed, distribution=distribution, inputs=sorted(ranges),
        horizon_days=d.base.horizon_days, bands=outcome.bands,
        total_at_horizon={a: Quantiles(p10=b.p10[-1], p50=b.p50[-1], p90=b.p90[-1])
                          for a, b in outcome.bands.items()},
        cheapest_probability=cheapest, recommended=mine, runner_up=runner_up,
        gap=(float(d.parts[mine].base[-1] - d.parts[runner_up].base[-1])
             if mine is not None and runner_up is not None else None),
        break_even_day=break_even, break_even_never=never, sensitivity=tornado,
        could_flip=_could_flip(d, tornado, ranges),
        few_shot=few_shot_odds(evaluation.project.answers), sentences=[])
    return result.model_copy(update={"sentences": summary_sentences(result)})


def run(evaluation: Evaluation, *, draws: int | None = None, seed: int | None = None
        ) -> UncertaintyResult:
    """The plan's own ranges (`project.uncertainty`), drawn as it says unless told otherwise."""
    spec = evaluation.project.uncertainty
    return simulate(evaluation, dict(spec.ranges), distribution=spec.distribution,
                    draws=spec.draws if draws is None else draws,
                    seed=spec.seed if seed is None else seed)
