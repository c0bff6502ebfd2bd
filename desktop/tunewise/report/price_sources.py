"""Appendix of the report: where the prices come from.

The dates of the price data, each approach's price sources, and for every fine-tuning offering
the plan uses (the chosen ones, and the alternatives a forced move goes to) its prices, dates,
notes, disagreements and sources with the day each was checked. The sources' own words are
printed as quotations; everything around them is the report's. Offerings are looked up in the
same catalogue the costs were computed with; which moves happen is read from the costs' events.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from tunewise.core import texts
from tunewise.core.costs import CostReport
from tunewise.core.market import METHOD_NAMES, Market, ModelLifecycle, Offering, Source
from tunewise.core.project import APPROACHES, USES_FINE_TUNING, ApproachId
from tunewise.report.blocks import Heading, gap, key_values, para, table
from tunewise.report.context import Context

TITLE = "Where the prices come from"


def per_mtok(value: float | None) -> str:
    """A price per 1M tokens or per hour: cents kept, fractions of a cent only when present."""
    if value is None:
        return "not known"
    if round(value, 2) == value:
        return f"${value:,.2f}"
    return f"${value:,.4f}".rstrip("0")


def _label(market: Market, o: Offering) -> str:
    return f"{market.provider_name(o.provider)} {o.base_model} ({o.deployment})"


def _used_offerings(ctx: Context, market: Market
                    ) -> list[tuple[Offering, list[ApproachId], list[ApproachId]]]:
    """Offerings the plan uses: (offering, approaches choosing it, approaches moved onto it)."""
    costs = ctx.evaluation.costs
    inputs = ctx.evaluation.project.costs
    found: dict[str, tuple[Offering, list[ApproachId], list[ApproachId]]] = {}
    for approach in APPROACHES:
        if approach not in USES_FINE_TUNING or approach not in costs.approaches:
            continue
        spec = inputs.approach(approach)
        offering = market.find(spec.model, spec.provider, spec.deployment)
        if offering is None:
            continue
        found.setdefault(offering.key, (offering, [], []))[1].append(approach)
        # Each forced move in the costs went to the catalogue's named alternative of the
        # offering before it; follow as many links as the costs made moves.
        moves = sum(1 for e in costs.approaches[approach].events if e.kind == "migration")
        for _ in range(moves):
            nxt = market.by_key(offering.migrate_to) if offering.migrate_to else None
            if nxt is None:
                break
            offering = nxt
            found.setdefault(offering.key, (offering, [], []))[2].append(approach)
    return list(found.values())


def _retired_models(ctx: Context, market: Market) -> list[tuple[str, ModelLifecycle]]:
    costs = ctx.evaluation.costs
    inputs = ctx.evaluation.project.costs
    found: dict[str, ModelLifecycle] = {}
    for approach, c in costs.approaches.items():
        if approach in USES_FINE_TUNING or not c.lifecycle:
            continue
        model = inputs.approach(approach).model
        life = market.lifecycle(model)
        if life is not None:
            found.setdefault(model, life)
    return sorted(found.items())


def _sources_table(sources: Sequence[Source], width: float) -> Flowable:
    rows: list[list[str | Flowable]] = []
    for source in sources:
        says = f"“{source.says}”" if source.says else "—"
        rows.append([source.url, source.checked.isoformat(), says])
    return table(rows, [width * 0.34, width * 0.13, width * 0.53],
                 header=["Source", "Checked", "What it says (quoted from the catalogue)"])


def _names(approaches: list[ApproachId]) -> str:
    return ", ".join(texts.APPROACH_LABELS[a] for a in approaches)


def _training(o: Offering) -> str:
    parts: list[str] = []
    for method in o.methods:
        price = o.training_price(method)
        if price is None:
            continue
        if price.per_hour is not None:
            cost = f"{per_mtok(price.per_hour)} per training hour"
        else:
            cost = f"{per_mtok(price.per_mtok)} per 1M training tokens, times epochs"
        parts.append(f"{METHOD_NAMES.get(method, method)}: {cost}")
    text = "; ".join(dict.fromkeys(parts)) or "not known"
    if o.minimum_training_cost:
        text += f"; at least {texts.money(o.minimum_training_cost)} a job"
    return text


def _fee(value: float | None, unit: str) -> str:
    if value is None:
        return "charged, amount not known (type it in under Prices and caching)"
    return f"{per_mtok(value)} {unit}" if value else "none"


def _offering_block(market: Market, o: Offering, chosen: list[ApproachId],
                    moved: list[ApproachId], number: int, width: float,
                    lead: Sequence[Flowable] = ()) -> list[Flowable]:
    inf = o.inference
    tuned = (f"input {per_mtok(inf.input)}, cached input {per_mtok(inf.cached_input)}, "
             f"output {per_mtok(inf.output)} per 1M tokens")
    if inf.cache_write is not None:
        tuned += f"; writing the cache {per_mtok(inf.cache_write)}"
    used = []
    if chosen:
        used.append(f"Chosen for {_names(chosen)}")
    if moved:
        used.append(f"{'w' if chosen else 'W'}here a forced move takes {_names(moved)}")
    hosting = _fee(o.hosting_per_hour, "an hour, deployed or not")
    if o.idle_deletion_days:
        hosting += f"; deleted after {o.idle_deletion_days} idle days"
    alternative = market.by_key(o.migrate_to) if o.migrate_to else None
    facts: list[tuple[str, str]] = [
        ("Used in this plan", "; ".join(used) + "."),
        ("Training", _training(o)),
        ("Tuned model", tuned),
        ("Hosting", hosting),
        ("Storage", _fee(o.storage_per_month, "a month")),
        ("Last new training jobs",
         o.new_training_until.isoformat() if o.new_training_until else "no date announced"),
        ("Last day it answers",
         o.inference_until.isoformat() if o.inference_until else "no date announced"),
    ]
    if alternative is not None:
        facts.append(("Alternative named", _label(market, alternative)))
    if o.notes:
        facts.append(("Notes", o.notes))
    if o.disagreements:
        facts.append(("Where sources disagree", o.disagreements))
    return [
        KeepTogether([*lead,
                      Heading(_label(market, o), f"prices-offering-{number}", level=2,
                              style="h2"),
                      key_values(facts, width, key_share=0.24)]),
        gap(4),
        _sources_table(o.sources, width),
        gap(8),
    ]


def _provider_rows(market: Market, offerings: list[Offering],
                   width: float) -> list[Flowable]:
    """Each provider's caching and batching rules, with the sources not already shown."""
    out: list[Flowable] = []
    seen: list[str] = []
    shown = {source.url for o in offerings for source in o.sources}
    for o in offerings:
        if o.provider in seen:
            continue
        seen.append(o.provider)
        provider = market.providers.get(o.provider)
        if provider is None:
            continue
        rule = market.cache_rule(o)
        if rule is None:
            caching = "not known"
        else:
            prefix = (f"prompts from {rule.min_prefix_tokens:,} tokens"
                      if rule.min_prefix_tokens else "no minimum prefix known")
            life = (f"an entry lives {rule.ttl_minutes:g} minutes" if rule.ttl_minutes
                    else "lifetime not known")
            write = (f"writing costs {rule.write_multiplier:g}\N{MULTIPLICATION SIGN} the "
                     "input price" if rule.write_multiplier else "write price not known")
            caching = f"{prefix}; {life}; {write}"
        discount = market.batch_discount(o)
        batch = texts.percent(discount) + " off" if discount else "no batch discount known"
        block: list[Flowable] = [
            para(f"{provider.name}: caching and batching", "h2"),
            key_values([("Prompt caching", caching), ("Batch requests", batch)], width,
                       key_share=0.24)]
        more = [source for source in provider.sources if source.url not in shown]
        if more:
            block += [gap(4), _sources_table(more, width)]
        out += [KeepTogether(block), gap(8)]
    return out


def price_sources(ctx: Context) -> list[Flowable]:
    costs: CostReport = ctx.evaluation.costs
    w = ctx.width
    out: list[Flowable] = [CondPageBreak(200), Heading(TITLE, "prices")]
    dates: list[tuple[str, str]] = [("Plan starts", f"{costs.start_date.isoformat()} (day 0)")]
    if costs.inference_as_of is not None:
        dates.append(("Inference prices as of", costs.inference_as_of.isoformat()))
    if costs.offerings_as_of is not None:
        dates.append(("Offerings catalogue of", costs.offerings_as_of.isoformat()))
    dates.append(("Price data in use", costs.prices_as_of))
    out += [para("Every price in this report comes from the data named here, unless you typed "
                 "it in. Prices and dates change often; each fact below carries the day it was "
                 "last checked."),
            key_values(dates, w, key_share=0.24), gap(8)]
    sources: list[list[str | Flowable]] = []
    for approach in APPROACHES:
        if approach in costs.approaches:
            sources.append([texts.APPROACH_LABELS[approach],
                            "; ".join(costs.approaches[approach].price_sources)])
        elif approach in costs.errors:
            sources.append([texts.APPROACH_LABELS[approach], "no price known"])
    out += [Heading("Each approach", "prices-approaches", level=1, style="h2"),
            table(sources, [w * 0.25, w * 0.75], header=["Approach", "Prices from"])]
    overrides = ctx.evaluation.project.costs.price_overrides
    if overrides:
        out += [gap(3), para("Prices typed in by you override the catalogue for: "
                             + ", ".join(sorted(overrides)) + ".", "small")]
    catalog = costs.catalog
    if catalog is None:
        return out
    market = catalog.market
    used = _used_offerings(ctx, market)
    if used:
        origin = "a file you installed" if market.installed else "the one shipped with Tunewise"
        lead: list[Flowable] = [
            gap(6), Heading("Fine-tuning offerings", "prices-offerings", level=1, style="h2"),
            para(f"From the offerings catalogue of {market.as_of.isoformat()} ({origin}). "
                 "Dates are the last day something still works.")]
        for number, (offering, chosen, moved) in enumerate(used, start=1):
            out += _offering_block(market, offering, chosen, moved, number, w,
                                   lead if number == 1 else ())
        out += _provider_rows(market, [o for o, _, _ in used], w)
    retired = _retired_models(ctx, market)
    if retired:
        out.append(Heading("Models that retire within the plan", "prices-retiring", level=1,
                           style="h2"))
        for model, life in retired:
            facts = [("Last day it answers",
                      life.retires.isoformat() if life.retires else "no date announced"),
                     ("Replacement named", life.replacement or "none")]
            if life.disagreements:
                facts.append(("Where sources disagree", life.disagreements))
            out += [para(model, "h2"), key_values(facts, w, key_share=0.24), gap(4),
                    _sources_table(life.sources, w), gap(8)]
    return out
