"""The cost model: what each approach costs up front, per request and every month.

Conventions, so hand-computed figures match:
- day 0 carries the upfront cost only; traffic starts on day 1, at `requests_per_day`, and grows
  by `monthly_growth` per month, compounded daily;
- a month is 365/12 days; monthly bills (fixed costs and maintenance hours) accrue evenly per day;
- retraining and re-indexing every N months happen on the first day after each N-month mark
  (so quarterly retraining happens three times in a 365-day year, the first training being
  upfront); the first trained model is evaluated upfront, each retrained one on its day;
- tokens are priced per 1M; retrieval approaches also embed each user input to search with it;
- caching: the cached share of the input is a stable prefix; below the provider's minimum
  prefix nothing is cached; above it a request hits the cache with chance 1 - e^(-rate*ttl)
  (random arrivals at the day's rate) and otherwise writes it at the cache-write price;
- batching: the batch share of requests is billed at the provider's batch discount;
- an approach's price multiplier scales every price it pays (tokens, training, hosting,
  storage, embeddings); engineering hours and fixed bills are the user's own figures;
- hosting fees accrue every hour whether used or not, storage every month;
- self-hosted offerings (core/gpu/selfhost.py) pay no price per token: a training run is its
  hours on the GPU plan's cards times their rental, and serving rents as many cards each day
  as that day's busiest hour needs, so the bill steps up with traffic;
- lifecycle: an offering that stops training before a scheduled retrain, or whose model
  retires, forces a move to the catalogue's alternative (re-training plus re-evaluation) and
  the alternative's prices from then on; see _fine_tuning_plans.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from tunewise.core import texts
from tunewise.core.gpu import catalogue as gpu_catalogue
from tunewise.core.gpu import selfhost
from tunewise.core.gpu.throughput import ServingPlan
from tunewise.core.market import CacheRule, Offering
from tunewise.core.prices import (
    FineTunePrices,
    InferencePrices,
    OfferingClosed,
    PriceCatalog,
    PriceError,
    default_catalog,
    offering_label,
)
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
class CostEvent:
    """A one-off cost on a day of the plan: a retrain, or a forced move off a closing offering."""

    day: int
    date: date
    kind: Literal["retrain", "migration", "ends"]
    cost: float
    text: str


@dataclass(frozen=True)
class Lifecycle:
    """An offering or model that closes within the plan, and what that breaks."""

    approach: ApproachId
    kind: Literal["training_closes", "retires"]
    date: date
    day: int
    subject: str  # the offering or model, in words
    alternative: str | None  # what the plan moves to, in words
    breaks: str


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
    runs_on: str = ""  # the offering or model, in words
    cache_hit_rate: float = 0.0  # at the starting volume
    pricing_note: str = ""  # caching and batching as applied, in words
    events: tuple[CostEvent, ...] = ()
    lifecycle: tuple[Lifecycle, ...] = ()
    requests_total: float = 0.0  # what the requests cost over the horizon, bills aside
    # The requests' cost on each day for any daily volume: totals at another volume need only
    # this, not a second run of the whole model.
    request_cost: Callable[[FloatArray], FloatArray] | None = field(
        default=None, repr=False, compare=False)

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
    start_date: date = date(2026, 1, 1)
    # Approaches whose offering or model had closed before the plan starts (among `errors`).
    closed: frozenset[ApproachId] = frozenset()
    stale_prices: tuple[tuple[str, date, int], ...] = ()  # (what, as of, age in days)
    inference_as_of: date | None = None
    offerings_as_of: date | None = None
    # What the report was computed from, so findings can ask "and at another volume?".
    inputs: CostInputs | None = field(default=None, repr=False)
    catalog: PriceCatalog | None = field(default=None, repr=False)

    def totals_at_volume(self, requests_per_day: float,
                         approaches: tuple[ApproachId, ...]) -> dict[ApproachId, float]:
        """Totals at the horizon had the plan started at another volume (same everything else).

        Approaches that cannot be costed are left out."""
        if self.inputs is None or self.catalog is None:
            return {}
        found: dict[ApproachId, float] = {}
        if self.inputs.requests_per_day > 0:
            # Only the requests' part changes: same days, same bills, the volume scaled.
            volume = self.requests * (requests_per_day / self.inputs.requests_per_day)
            for approach in approaches:
                cost = self.approaches.get(approach)
                if cost is not None and cost.request_cost is not None:
                    found[approach] = (cost.total_at_horizon - cost.requests_total
                                       + float(cost.request_cost(volume).sum()))
            return found
        changed = self.inputs.model_copy(update={"requests_per_day": requests_per_day})
        volume = request_volume(changed)
        for approach in approaches:
            with contextlib.suppress(PriceError):
                found[approach] = _approach_cost(approach, changed, self.catalog, volume,
                                                 self.start_date).total_at_horizon
        return found

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


class _Plan(NamedTuple):
    """What one approach runs on from a given day: its prices and how to call them."""

    day: int  # first day these prices apply
    label: str
    input: float
    cached_input: float
    cache_write: float
    output: float
    cache: CacheRule | None
    batch_discount: float | None
    training_run: float  # one training run on this offering (0 for inference approaches)
    hosting_per_day: float
    storage_per_month: float
    source: str = ""  # where the prices come from, in words
    # Self-hosted serving: GPUs rented by the day, as many as the day's traffic needs.
    serving: ServingPlan | None = None
    note: str = ""  # how a self-hosted plan was sized, in words


def cache_hit_rate(requests_per_day: FloatArray | float, ttl_minutes: float) -> FloatArray:
    """Chance that a request finds the prompt prefix still cached by an earlier one.

    Requests are taken to arrive at random (a Poisson process) at the day's average rate, so
    the prefix is warm when another request came within the cache's lifetime: 1 - e^(-rate*ttl).
    """
    rate = np.asarray(requests_per_day, dtype=np.float64) / (24 * 60)
    return np.asarray(1.0 - np.exp(-rate * ttl_minutes))


def _pricing_note(plan: _Plan, tokens: tuple[int, int, int], cached_share: float,
                  batch_share: float) -> str:
    """Caching and batching as the cost model applies them, in words."""
    prefix = tokens[0] * cached_share
    rule = plan.cache
    notes: list[str] = []
    if prefix <= 0:
        pass
    elif rule is None or rule.ttl_minutes is None:
        notes.append(f"caching rules of {plan.label} are not known; {prefix:,.0f} prompt "
                     "tokens are billed as cached, as typed")
    elif rule.min_prefix_tokens is not None and prefix < rule.min_prefix_tokens:
        notes.append(f"a {prefix:,.0f}-token prefix is below the {rule.min_prefix_tokens:,}-token "
                     "minimum the provider caches, so nothing is cached")
    else:
        premium = (f", each miss writing the cache at {texts.money(plan.cache_write)} per 1M"
                   if plan.cache_write > plan.input else "")
        notes.append(f"{prefix:,.0f} prompt tokens cached; an entry lives "
                     f"{rule.ttl_minutes:g} minutes{premium}")
    if batch_share > 0:
        if plan.batch_discount is None:
            notes.append(f"{plan.label} has no batch discount known; the batch share is "
                         "billed at the normal price")
        else:
            notes.append(f"{batch_share:.0%} of requests batched at "
                         f"{plan.batch_discount:.0%} off")
    return "; ".join(notes)


def _unit_cost_values(plan: _Plan, tokens: tuple[int, int, int], cached_share: float,
                      batch_share: float, volume: FloatArray) -> FloatArray:
    """Cost of one request on each day (see the module's conventions on caching)."""
    input_tokens, output_tokens, _ = tokens
    prefix = input_tokens * cached_share
    rule = plan.cache
    if prefix <= 0 or (rule is not None and rule.ttl_minutes is not None
                       and rule.min_prefix_tokens is not None
                       and prefix < rule.min_prefix_tokens):
        unit = (input_tokens * plan.input + output_tokens * plan.output) / MTOK
        per_day = np.full_like(volume, unit)
    elif rule is None or rule.ttl_minutes is None:
        # The provider's caching rules are not known: the share typed is billed as cached.
        unit = ((input_tokens - prefix) * plan.input + prefix * plan.cached_input
                + output_tokens * plan.output) / MTOK
        per_day = np.full_like(volume, unit)
    else:
        hit = cache_hit_rate(volume, rule.ttl_minutes)
        prefix_cost = prefix * (hit * plan.cached_input + (1.0 - hit) * plan.cache_write)
        per_day = ((input_tokens - prefix) * plan.input + prefix_cost
                   + output_tokens * plan.output) / MTOK
    if batch_share > 0 and plan.batch_discount is not None:
        per_day = per_day * (1.0 - batch_share * plan.batch_discount)
    return np.asarray(per_day, dtype=np.float64)


def _training_run(inputs: CostInputs, ft: FineTunePrices, label: str) -> float:
    t = inputs.training
    if ft.per_hour:
        if t.training_hours is None:
            raise PriceError(
                f"{label} bills training by the hour ({texts.money(ft.training_per_hour)} an "
                "hour): type how many hours one training run takes, under Fine-tuning runs.")
        run = t.training_hours * ft.training_per_hour
    else:
        run = t.training_tokens * t.epochs * ft.training / MTOK
    return max(run, ft.minimum_training_cost)


def _fine_tuned_plan(day: int, inputs: CostInputs, ft: FineTunePrices, label: str,
                     approach: ApproachId) -> _Plan:
    serving: ServingPlan | None = None
    note = ""
    training_run: float | None = None
    hosting_per_day = ft.hosting_per_hour * 24
    offering = ft.offering
    model = (gpu_catalogue.models().find(offering.base_model)
             if offering is not None and offering.provider == selfhost.PROVIDER else None)
    if model is not None:
        # The team's own infrastructure: sized from the GPU plan (core/gpu/selfhost.py).
        override = inputs.price_overrides.get(ft.model)
        typed_hosting = override.hosting_per_hour if override is not None else None
        try:
            serving = selfhost.serving(inputs, model, approach, typed_hosting)
            run = None if override is not None and override.training is not None else (
                selfhost.training(inputs, model))
        except ValueError as error:
            raise PriceError(f"{label}: {error}") from None
        hosting_per_day = 0.0
        if run is not None:
            training_run = max(run.cost, ft.minimum_training_cost)
            note = f"training: {run.text}"
        card = serving.gpu.name
        price = serving.price_per_hour
        replica = (f" ({serving.gpus_per_replica} cards a replica)"
                   if serving.gpus_per_replica > 1 else "")
        note += ("; " if note else "") + (
            f"serving on {card} cards at ${price:,.2f} an hour{replica}, about "
            f"{serving.tokens_per_second:,.0f} output tokens a second each, as many as the "
            f"busiest hour needs ({serving.peak_factor:g} times the day's average)")
    if training_run is None:
        training_run = _training_run(inputs, ft, label)
    return _scaled(_Plan(day=day, label=label, input=ft.input, cached_input=ft.cached_input,
                         cache_write=ft.cache_write, output=ft.output, cache=ft.cache,
                         batch_discount=ft.batch_discount, training_run=training_run,
                         hosting_per_day=hosting_per_day,
                         storage_per_month=ft.storage_per_month, source=ft.source,
                         serving=serving, note=note),
                   inputs.approach(approach).price_multiplier)


def _scaled(plan: _Plan, factor: float) -> _Plan:
    """Every price of a plan times `factor` (an approach's price multiplier)."""
    if factor == 1.0:
        return plan
    serving = (dataclasses.replace(plan.serving,
                                   price_per_hour=plan.serving.price_per_hour * factor)
               if plan.serving is not None else None)
    return plan._replace(
        input=plan.input * factor, cached_input=plan.cached_input * factor,
        cache_write=plan.cache_write * factor, output=plan.output * factor,
        training_run=plan.training_run * factor, hosting_per_day=plan.hosting_per_day * factor,
        storage_per_month=plan.storage_per_month * factor, serving=serving)


def _inference_plan(day: int, inf: InferencePrices, label: str) -> _Plan:
    return _Plan(day=day, label=label, input=inf.input, cached_input=inf.cached_input,
                 cache_write=inf.cache_write, output=inf.output, cache=inf.cache,
                 batch_discount=inf.batch_discount, training_run=0.0, hosting_per_day=0.0,
                 storage_per_month=0.0, source=inf.source)


def _offering_label(catalog: PriceCatalog, o: Offering) -> str:
    return offering_label(catalog.market, o)


def _fine_tuning_plans(approach: ApproachId, inputs: CostInputs, catalog: PriceCatalog,
                       start: date, retrain_days: list[int]
                       ) -> tuple[list[_Plan], list[CostEvent], list[Lifecycle]]:
    """The offering a fine-tuned approach runs on, and the forced moves its lifecycle makes.

    An offering that stops taking training jobs before a scheduled retrain forces a move on
    that retrain; a tuned model whose base model retires forces one on its last day. A move
    re-trains on the catalogue's named alternative and re-evaluates; later days use the
    alternative's prices. An offering already closed when the plan starts cannot be costed.
    """
    spec = inputs.approach(approach)
    method = inputs.training.method
    horizon = inputs.horizon_days
    ft = catalog.fine_tuned(spec.model, inputs.price_overrides.get(spec.model), spec.provider,
                            spec.deployment, method)
    offering = ft.offering
    label = _offering_label(catalog, offering) if offering else f"{spec.model} (your prices)"
    if offering is not None:
        _refuse_closed(catalog, offering, start)
    plans = [_fine_tuned_plan(0, inputs, ft, label, approach)]
    events: list[CostEvent] = []
    findings: list[Lifecycle] = []
    evaluation = inputs.training.evaluation_cost
    day_from = 0
    for _ in range(4):  # an alternative may itself close within the horizon
        if offering is None:
            break
        # (charge day, switch day, kind)
        trigger: tuple[int, int, Literal["training_closes", "retires"]] | None = None
        closes = offering.new_training_until
        if closes is not None:
            late = [d for d in retrain_days if d > day_from and start + timedelta(d) > closes]
            if late:
                trigger = (late[0], late[0], "training_closes")
        retires = offering.inference_until
        if retires is not None:
            last = (retires - start).days
            if day_from <= last < horizon and (trigger is None or last < trigger[0]):
                trigger = (max(last, day_from), last + 1, "retires")
        if trigger is None:
            if closes is not None and start + timedelta(horizon) > closes >= start:
                findings.append(Lifecycle(
                    approach=approach, kind="training_closes", date=closes,
                    day=(closes - start).days, subject=label, alternative=None,
                    breaks="no retraining falls after it within the horizon, so the plan's "
                           "costs are not changed"))
            break
        charge_day, switch_day, kind = trigger
        when = closes if kind == "training_closes" else retires
        assert when is not None
        alternative = catalog.market.by_key(offering.migrate_to) if offering.migrate_to else None
        retrain_note = (f"the retrain due on day {charge_day:,} "
                        f"({(start + timedelta(charge_day)).isoformat()}) cannot run on it"
                        if kind == "training_closes" else "the tuned model itself stops")
        alt_label = _offering_label(catalog, alternative) if alternative else None
        alt_plan: _Plan | None = None
        if alternative is not None and alt_label is not None:
            alt_method = method if alternative.training_price(method) is not None else "sft"
            with contextlib.suppress(PriceError):
                alt_plan = _fine_tuned_plan(switch_day, inputs, catalog.fine_tuned(
                    alternative.base_model, inputs.price_overrides.get(alternative.base_model),
                    alternative.provider, alternative.deployment, alt_method), alt_label,
                    approach)
        if alternative is None or alt_plan is None:
            # Nowhere priced to move to: the approach is shown ending, later days like-for-like.
            why = ("the catalogue names no alternative, so later days are costed as if a "
                   "like-for-like one existed" if alternative is None else
                   f"the catalogue's alternative, {alt_label}, has no complete prices, so "
                   "later days are costed as if it cost the same")
            findings.append(Lifecycle(
                approach=approach, kind=kind, date=when, day=charge_day, subject=label,
                alternative=alt_label, breaks=f"{retrain_note}; {why}"))
            events.append(CostEvent(day=charge_day, date=start + timedelta(charge_day),
                                    kind="ends", cost=0.0, text=f"{label}: {retrain_note}"))
            break
        cost = alt_plan.training_run + evaluation
        findings.append(Lifecycle(
            approach=approach, kind=kind, date=when, day=charge_day, subject=label,
            alternative=alt_label,
            breaks=f"{retrain_note}; the plan moves to {alt_label} then: re-training and "
                   f"re-evaluation, {texts.money(cost)}"))
        events.append(CostEvent(day=charge_day, date=start + timedelta(charge_day),
                                kind="migration", cost=cost,
                                text=f"Forced move from {label} to {alt_label}"))
        plans.append(alt_plan)
        offering, day_from = alternative, switch_day
    return plans, events, findings


def _refuse_closed(catalog: PriceCatalog, o: Offering, start: date) -> None:
    label = _offering_label(catalog, o)
    alternative = catalog.market.by_key(o.migrate_to) if o.migrate_to else None
    instead = (f" Choose an open offering, such as {_offering_label(catalog, alternative)}."
               if alternative else " Choose an open offering.")
    if o.inference_until is not None and o.inference_until < start:
        raise OfferingClosed(f"{label} stopped answering on {o.inference_until.isoformat()}, "
                         f"before this plan starts ({start.isoformat()}).{instead}")
    if o.new_training_until is not None and o.new_training_until < start:
        raise OfferingClosed(f"{label} took its last new training jobs on "
                         f"{o.new_training_until.isoformat()}, before this plan starts "
                         f"({start.isoformat()}).{instead}")


def _inference_plans(approach: ApproachId, inputs: CostInputs, catalog: PriceCatalog,
                     start: date) -> tuple[list[_Plan], list[CostEvent], list[Lifecycle]]:
    """The model an approach calls, and a forced move to its replacement if it retires."""
    spec = inputs.approach(approach)
    inf = catalog.inference(spec.model, inputs.price_overrides.get(spec.model), spec.provider)
    factor = spec.price_multiplier
    plans = [_scaled(_inference_plan(0, inf, spec.model), factor)]
    life = catalog.market.lifecycle(spec.model)
    if life is None or life.retires is None:
        return plans, [], []
    last = (life.retires - start).days
    replacement = life.replacement
    if last < 0:
        instead = f" Choose its replacement, {replacement}." if replacement else ""
        raise OfferingClosed(f"{spec.model} was retired on {life.retires.isoformat()}, before this "
                         f"plan starts ({start.isoformat()}).{instead}")
    if last >= inputs.horizon_days:
        return plans, [], []
    alt: InferencePrices | None = None
    if replacement:
        try:
            alt = catalog.inference(replacement, inputs.price_overrides.get(replacement))
        except PriceError:
            alt = None
    cost = inputs.training.evaluation_cost
    if alt is None:
        finding = Lifecycle(
            approach=approach, kind="retires", date=life.retires, day=last, subject=spec.model,
            alternative=replacement,
            breaks="the model stops answering; with no priced replacement, later days are "
                   "costed at its old prices")
        return plans, [CostEvent(day=last, date=life.retires, kind="ends", cost=0.0,
                                 text=f"{spec.model} retires")], [finding]
    plans.append(_scaled(_inference_plan(last + 1, alt, replacement or ""), factor))
    finding = Lifecycle(
        approach=approach, kind="retires", date=life.retires, day=last, subject=spec.model,
        alternative=replacement,
        breaks=f"the model stops answering; the plan moves to {replacement} then and "
               f"re-evaluates, {texts.money(cost)}")
    event = CostEvent(day=last, date=life.retires, kind="migration", cost=cost,
                      text=f"Forced move from {spec.model} to {replacement}")
    return plans, [event], [finding]


def _approach_cost(
    approach: ApproachId, inputs: CostInputs, catalog: PriceCatalog, volume: FloatArray,
    start: date,
) -> ApproachCost:
    spec = inputs.approach(approach)
    fine_tuned = approach in USES_FINE_TUNING
    retrieval = approach in USES_RETRIEVAL
    horizon = inputs.horizon_days
    retrain_every = inputs.training.retrain_every_months if fine_tuned else 0
    retrain_days = event_days(retrain_every, horizon)
    if fine_tuned:
        plans, events, findings = _fine_tuning_plans(approach, inputs, catalog, start,
                                                     retrain_days)
        sources = [f"{spec.model} fine-tuned: {plans[0].source}"]
    else:
        plans, events, findings = _inference_plans(approach, inputs, catalog, start)
        sources = [f"{spec.model}: {plans[0].source}"]

    embed_price = 0.0
    if retrieval:
        embed_model = inputs.retrieval.embedding_model
        embed_price, embed_source = catalog.embedding(
            embed_model, inputs.price_overrides.get(embed_model)
        )
        sources.append(f"{embed_model} embeddings: {embed_source}")
    embed_price *= spec.price_multiplier

    user_tokens = inputs.user_input_tokens(approach)
    output_tokens = inputs.output_tokens(approach)
    input_tokens = (spec.system_prompt_tokens + spec.few_shot_tokens + spec.retrieved_tokens
                    + user_tokens)
    tokens = (input_tokens, output_tokens, user_tokens)

    hosting = np.zeros_like(volume)
    notes: list[str] = []
    bounds = [p.day for p in plans[1:]] + [horizon + 1]
    embed_per_request = user_tokens * embed_price / MTOK if retrieval else 0.0
    cached_share, batch_share = spec.cached_share, spec.batch_share

    def request_cost(daily_volume: FloatArray) -> FloatArray:
        """What the day's requests cost, for any daily volume (the cache's warmth follows it;
        self-hosted serving GPUs follow the traffic from day 1)."""
        unit = np.full_like(daily_volume, embed_per_request)
        for plan, end in zip(plans, bounds, strict=True):
            unit[plan.day:end] += _unit_cost_values(plan, tokens, cached_share, batch_share,
                                                    daily_volume[plan.day:end])
        cost = np.asarray(daily_volume * unit)
        for plan, end in zip(plans, bounds, strict=True):
            first = max(plan.day, 1)
            if plan.serving is not None and first < end:
                cost[first:end] += plan.serving.daily_cost(daily_volume[first:end])
        return cost

    for plan, end in zip(plans, bounds, strict=True):
        note = "; ".join(n for n in (_pricing_note(plan, tokens, cached_share, batch_share),
                                     plan.note) if n)
        hosting[plan.day:end] = plan.hosting_per_day + plan.storage_per_month / DAYS_PER_MONTH
        if note and note not in notes:
            notes.append(note)
    first = plans[0]
    start_volume = inputs.requests_per_day
    per_request = float(_unit_cost_values(first, tokens, spec.cached_share, spec.batch_share,
                                          np.array([start_volume]))[0]) + embed_per_request
    serving_per_day = (float(first.serving.daily_cost(np.array([start_volume]))[0])
                       if first.serving is not None else 0.0)

    rate = inputs.hourly_rate
    training_run = first.training_run
    evaluation = inputs.training.evaluation_cost if fine_tuned else 0.0
    corpus_embedding = inputs.retrieval.corpus_tokens * embed_price / MTOK if retrieval else 0.0
    upfront_breakdown = {
        "engineering": spec.engineering_hours * rate,
        "data_preparation": spec.data_prep_hours * rate if fine_tuned else 0.0,
        "training": training_run,
        "evaluation": evaluation,
        "corpus_embedding": corpus_embedding,
        "setup": spec.setup_cost,
    }
    upfront = sum(upfront_breakdown.values())

    monthly_bills = spec.monthly_fixed + spec.maintenance_hours_per_month * rate
    requests = request_cost(volume)
    daily = requests.copy()
    daily[1:] += monthly_bills / DAYS_PER_MONTH + hosting[1:]
    migration_days = {e.day for e in events if e.kind == "migration"}
    for day in retrain_days:
        if day in migration_days:
            continue  # the move's re-training replaces this retrain
        plan = next(p for p in reversed(plans) if p.day <= day)
        cost = plan.training_run + evaluation
        daily[day] += cost
        ended = any(e.kind == "ends" and e.day <= day for e in events)
        text = (f"Retrain, costed as on {plan.label} (it has closed; no priced alternative)"
                if ended else f"Retrain on {plan.label}")
        events.append(CostEvent(day=day, date=start + timedelta(day), kind="retrain", cost=cost,
                                text=text))
    for event in events:
        if event.kind == "migration":
            daily[event.day] += event.cost
    reindex_every = inputs.retrieval.reindex_every_months if retrieval else 0
    for day in event_days(reindex_every, horizon):
        daily[day] += corpus_embedding
    cumulative = np.cumsum(daily)
    cumulative += upfront

    retrain_cost = training_run + evaluation if fine_tuned else 0.0
    monthly_breakdown = {
        "requests": per_request * start_volume * DAYS_PER_MONTH,
        "fixed": spec.monthly_fixed,
        "maintenance": spec.maintenance_hours_per_month * rate,
        "hosting": (first.hosting_per_day + serving_per_day) * DAYS_PER_MONTH,
        "storage": first.storage_per_month,
        "retraining": retrain_cost / retrain_every if retrain_every else 0.0,
        "reindexing": corpus_embedding / reindex_every if reindex_every else 0.0,
    }
    hit = 0.0
    rule = first.cache
    if spec.cached_share > 0:
        if rule is None or rule.ttl_minutes is None:
            hit = 1.0
        elif input_tokens * spec.cached_share >= (rule.min_prefix_tokens or 0):
            hit = float(cache_hit_rate(start_volume, rule.ttl_minutes))
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
        runs_on=first.label,
        cache_hit_rate=hit,
        pricing_note="; ".join(notes),
        events=tuple(sorted(events, key=lambda e: (e.day, e.kind))),
        lifecycle=tuple(findings),
        requests_total=float(requests.sum()),
        request_cost=request_cost,
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


def current_day() -> date:
    """The calendar day, in UTC: the one clock plan starts and price ages are read from
    (tests and screenshots replace this function to fix the day)."""
    return datetime.now(UTC).date()


def plan_start(inputs: CostInputs, on: date | None = None) -> date:
    """Day 0 of the plan: its start date, or today."""
    return inputs.start_date or on or current_day()


def compute_costs(
    inputs: CostInputs, catalog: PriceCatalog | None = None, *, strict: bool = True,
    today: date | None = None, approaches: Collection[ApproachId] | None = None,
) -> CostReport:
    """Costs of all six approaches over the horizon (or only of `approaches`, with no
    break-even pairs: what the Monte Carlo's designed runs need of an input that touches one).

    With strict=False an approach whose prices are unknown is left out and its error kept in
    `errors`, so the others can still be shown; with strict=True the first such error is raised.
    """
    catalog = catalog or default_catalog()
    on = today or current_day()
    start = plan_start(inputs, on)
    volume = request_volume(inputs)
    results: dict[ApproachId, ApproachCost] = {}
    errors: dict[ApproachId, str] = {}
    closed: set[ApproachId] = set()
    for approach in APPROACHES if approaches is None else approaches:
        try:
            results[approach] = _approach_cost(approach, inputs, catalog, volume, start)
        except PriceError as error:
            if strict:
                raise
            errors[approach] = str(error)
            if isinstance(error, OfferingClosed):
                closed.add(approach)
    break_even = []
    names = list(results) if approaches is None else []
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
        closed=frozenset(closed),
        prices_as_of=catalog.as_of,
        start_date=start,
        stale_prices=tuple(catalog.stale(on)),
        inference_as_of=catalog.inference_as_of,
        offerings_as_of=catalog.market.as_of,
        inputs=inputs,
        catalog=catalog,
    )
