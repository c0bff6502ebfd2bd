"""The cost model: what each approach costs up front, per request and every month.

Conventions, so hand-computed figures match:
- day 0 carries the upfront cost only; traffic starts on day 1, at `requests_per_day`, and grows
  by `monthly_growth` per month, compounded daily;
- a month is 365/12 days; monthly bills (fixed costs and maintenance hours) accrue evenly per day;
- retraining and re-indexing every N months happen on the first day after each N-month mark
  (so quarterly retraining happens three times in a 365-day year, the first training being
  upfront);
- tokens are priced per 1M; retrieval approaches also embed each user input to search with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from tunewise.core import texts
from tunewise.core.prices import PriceCatalog, PriceError, default_catalog
from tunewise.core.project import (
    APPROACHES,
    USES_FINE_TUNING,
    USES_RETRIEVAL,
    ApproachId,
    CostInputs,
)

DAYS_PER_MONTH = 365 / 12
MTOK = 1_000_000

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ApproachCost:
    approach: ApproachId
    model: str
    input_tokens: int
    output_tokens: int
    per_request: float
    upfront: float
    upfront_breakdown: dict[str, float]
    monthly: float  # at the starting volume: traffic, bills, upkeep and retrain/re-index spread
    monthly_breakdown: dict[str, float]
    total_at_horizon: float
    price_sources: tuple[str, ...]
    maintenance_burden: str
    quality_consistency: str
    daily: FloatArray = field(repr=False)
    cumulative: FloatArray = field(repr=False)

    @property
    def label(self) -> str:
        return texts.APPROACH_LABELS[self.approach]


@dataclass(frozen=True)
class BreakEven:
    a: ApproachId
    b: ApproachId
    day: float | None  # where the cumulative lines cross, interpolated; None if they never do
    cheaper_after: ApproachId | None  # which of the two is cheaper once they have crossed


@dataclass(frozen=True)
class CostReport:
    horizon_days: int
    days: FloatArray = field(repr=False)
    requests: FloatArray = field(repr=False)
    approaches: dict[ApproachId, ApproachCost]
    break_even: list[BreakEven]
    errors: dict[ApproachId, str]
    prices_as_of: str

    def payback_days(self, a: ApproachId = "fine_tuning",
                     b: ApproachId = "prompt_engineering") -> float | None:
        """Days until `a`'s extra upfront spend is earned back against `b`, if it ever is."""
        for be in self.break_even:
            if {be.a, be.b} == {a, b} and be.cheaper_after == a:
                return be.day
        return None


def request_volume(inputs: CostInputs) -> FloatArray:
    """Requests on each day 0..horizon (day 0 has none)."""
    days = np.arange(inputs.horizon_days + 1, dtype=np.float64)
    growth = (1.0 + inputs.monthly_growth) ** ((days - 1.0) / DAYS_PER_MONTH)
    volume = inputs.requests_per_day * growth
    volume[0] = 0.0
    return volume


def event_days(every_months: int, horizon_days: int) -> list[int]:
    """Days on which something recurring every N months happens within the horizon."""
    if every_months <= 0:
        return []
    found: list[int] = []
    k = 1
    while True:
        day = math.floor(k * every_months * DAYS_PER_MONTH) + 1
        if day > horizon_days:
            return found
        found.append(day)
        k += 1


def _approach_cost(
    approach: ApproachId, inputs: CostInputs, catalog: PriceCatalog, volume: FloatArray
) -> ApproachCost:
    spec = inputs.approach(approach)
    override = inputs.price_overrides.get(spec.model)
    fine_tuned = approach in USES_FINE_TUNING
    retrieval = approach in USES_RETRIEVAL
    sources: list[str] = []

    if fine_tuned:
        ft = catalog.fine_tuned(spec.model, override)
        price_in, price_cached, price_out = ft.input, ft.cached_input, ft.output
        training_price = ft.training
        sources.append(f"{spec.model} fine-tuned: {ft.source}")
    else:
        inf = catalog.inference(spec.model, override)
        price_in, price_cached, price_out = inf.input, inf.cached_input, inf.output
        training_price = 0.0
        sources.append(f"{spec.model}: {inf.source}")

    embed_price = 0.0
    if retrieval:
        embed_model = inputs.retrieval.embedding_model
        embed_price, embed_source = catalog.embedding(
            embed_model, inputs.price_overrides.get(embed_model)
        )
        sources.append(f"{embed_model} embeddings: {embed_source}")

    user_tokens = inputs.user_input_tokens(approach)
    output_tokens = inputs.output_tokens(approach)
    input_tokens = (spec.system_prompt_tokens + spec.few_shot_tokens + spec.retrieved_tokens
                    + user_tokens)
    cached = input_tokens * spec.cached_share
    per_request = (
        (input_tokens - cached) * price_in + cached * price_cached + output_tokens * price_out
    ) / MTOK
    if retrieval:
        per_request += user_tokens * embed_price / MTOK

    rate = inputs.hourly_rate
    training_run = (
        inputs.training.training_tokens * inputs.training.epochs * training_price / MTOK
        if fine_tuned else 0.0
    )
    corpus_embedding = inputs.retrieval.corpus_tokens * embed_price / MTOK if retrieval else 0.0
    upfront_breakdown = {
        "engineering": spec.engineering_hours * rate,
        "data_preparation": spec.data_prep_hours * rate if fine_tuned else 0.0,
        "training": training_run,
        "corpus_embedding": corpus_embedding,
        "setup": spec.setup_cost,
    }
    upfront = sum(upfront_breakdown.values())

    horizon = inputs.horizon_days
    monthly_bills = spec.monthly_fixed + spec.maintenance_hours_per_month * rate
    daily = volume * per_request
    daily[1:] += monthly_bills / DAYS_PER_MONTH
    retrain_cost = training_run + inputs.training.evaluation_cost if fine_tuned else 0.0
    retrain_every = inputs.training.retrain_every_months if fine_tuned else 0
    for day in event_days(retrain_every, horizon):
        daily[day] += retrain_cost
    reindex_every = inputs.retrieval.reindex_every_months if retrieval else 0
    for day in event_days(reindex_every, horizon):
        daily[day] += corpus_embedding
    cumulative = np.cumsum(daily)
    cumulative += upfront

    monthly_breakdown = {
        "requests": per_request * inputs.requests_per_day * DAYS_PER_MONTH,
        "fixed": spec.monthly_fixed,
        "maintenance": spec.maintenance_hours_per_month * rate,
        "retraining": retrain_cost / retrain_every if retrain_every else 0.0,
        "reindexing": corpus_embedding / reindex_every if reindex_every else 0.0,
    }
    return ApproachCost(
        approach=approach,
        model=spec.model,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        per_request=per_request,
        upfront=upfront,
        upfront_breakdown=upfront_breakdown,
        monthly=sum(monthly_breakdown.values()),
        monthly_breakdown=monthly_breakdown,
        total_at_horizon=float(cumulative[-1]),
        price_sources=tuple(sources),
        maintenance_burden=texts.MAINTENANCE_BURDEN[approach],
        quality_consistency=texts.QUALITY_CONSISTENCY[approach],
        daily=daily,
        cumulative=cumulative,
    )


def rounding_tolerance(a: FloatArray, b: FloatArray) -> FloatArray:
    """How far apart two cumulative cost lines can be from float rounding alone, day by day.

    A running sum over n days can be off by about n rounding steps of its own size, so the
    allowance is relative to the lines' magnitude: cents on a small plan, more on a plan in the
    trillions, and never so much that a real difference of a few dollars is called a tie.
    """
    steps = a.size + 16
    return np.asarray(steps * np.finfo(np.float64).eps * np.maximum(np.abs(a), np.abs(b)))


def crossing(a: FloatArray, b: FloatArray) -> tuple[float, int] | None:
    """First day the two cumulative lines cross, and the sign of a - b just after.

    The day is linearly interpolated between whole days; lines that touch and part again on
    the same side do not count, and lines that never change sides give None. Differences
    within float rounding count as touching, so rounding noise is never a crossing.
    """
    diff = a - b
    sign = np.sign(diff)
    sign[np.abs(diff) <= rounding_tolerance(a, b)] = 0
    sided = np.nonzero(sign)[0]
    if sided.size < 2:
        return None
    flips = np.nonzero(sign[sided[1:]] != sign[sided[:-1]])[0]
    if flips.size == 0:
        return None
    i, k = int(sided[flips[0]]), int(sided[flips[0] + 1])
    # Adjacent days: interpolate; otherwise they met exactly on day i+1 and parted the other way.
    day = i + float(diff[i]) / float(diff[i] - diff[k]) if k == i + 1 else float(i + 1)
    return day, int(sign[k])


def compute_costs(
    inputs: CostInputs, catalog: PriceCatalog | None = None, *, strict: bool = True
) -> CostReport:
    """Costs of all six approaches over the horizon.

    With strict=False an approach whose prices are unknown is left out and its error kept in
    `errors`, so the others can still be shown; with strict=True the first such error is raised.
    """
    catalog = catalog or default_catalog()
    volume = request_volume(inputs)
    results: dict[ApproachId, ApproachCost] = {}
    errors: dict[ApproachId, str] = {}
    for approach in APPROACHES:
        try:
            results[approach] = _approach_cost(approach, inputs, catalog, volume)
        except PriceError as error:
            if strict:
                raise
            errors[approach] = str(error)
    break_even = []
    names = list(results)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            ca, cb = results[a].cumulative, results[b].cumulative
            found = crossing(ca, cb)
            if found is None:
                break_even.append(BreakEven(a=a, b=b, day=None, cheaper_after=None))
            else:
                day, side = found
                break_even.append(
                    BreakEven(a=a, b=b, day=day, cheaper_after=a if side < 0 else b)
                )
    return CostReport(
        horizon_days=inputs.horizon_days,
        days=np.arange(inputs.horizon_days + 1, dtype=np.float64),
        requests=volume,
        approaches=results,
        break_even=break_even,
        errors=errors,
        prices_as_of=catalog.as_of,
    )
