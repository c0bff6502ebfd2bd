"""Section 6 of the report: the cost chart, the comparison, what each approach runs on, the
plan's dates, the breakdowns, break-even days and assumptions."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable

from tunewise.core import texts
from tunewise.core.costs import CostReport
from tunewise.core.market import METHOD_NAMES
from tunewise.core.project import APPROACHES, USES_FINE_TUNING
from tunewise.core.texts import money
from tunewise.report.blocks import Heading, boxed, bullets, gap, key_values, para, table
from tunewise.report.charts import cost_chart
from tunewise.report.context import Context
from tunewise.report.cost_details import (
    breakdowns,
    cheaper_note,
    closed_box,
    plan_dates,
    runs_on,
    stale_box,
)
from tunewise.report.sections import payback_sentence
from tunewise.report.styles import WARN, WARN_LIGHT


def _months(every: int, what: str) -> str:
    if every <= 0:
        return f"never {what}"
    return f"{what} every {every} month{'s' if every != 1 else ''}"


def _intro(ctx: Context) -> str:
    inputs = ctx.evaluation.project.costs
    growth = inputs.monthly_growth
    trend = "flat traffic" if growth == 0 else \
        f"traffic {'growing' if growth > 0 else 'shrinking'} {texts.percent(abs(growth))} a month"
    return (f"Cumulative spend of each approach over {inputs.horizon_days:,} days, starting at "
            f"{inputs.requests_per_day:,.0f} requests a day with {trend}. Each line starts at "
            "its upfront cost (engineering, data preparation, the first training run and its "
            "evaluation, the first index) and adds traffic, monthly bills, hosting and "
            "storage fees, upkeep hours, retraining, re-indexing and any forced move off an "
            "offering that closes.")


def _errors(costs: CostReport, width: float) -> list[Flowable]:
    if not costs.errors:
        return []
    lines = [f"{texts.APPROACH_LABELS[a]} has no price and is left out: {message}"
             for a, message in costs.errors.items()]
    return [boxed(bullets(lines), width, fill=WARN_LIGHT, edge=WARN), gap(6)]


def cost_section(ctx: Context) -> list[Flowable]:
    costs = ctx.evaluation.costs
    inputs = ctx.evaluation.project.costs
    w = ctx.width
    out: list[Flowable] = [CondPageBreak(420), Heading("Costs", "costs"), para(_intro(ctx))]
    out += stale_box(costs, w)
    out += closed_box(ctx)
    out += _errors(costs, w)
    out.append(cost_chart(costs, w, 260, payback=ctx.evaluation.assessment.payback))
    out.append(gap(6))

    rows: list[list[str | Flowable]] = []
    highlight: list[int] = []
    for approach in APPROACHES:
        label = texts.APPROACH_LABELS[approach]
        if approach in costs.approaches:
            c = costs.approaches[approach]
            if approach == ctx.evaluation.assessment.recommended_row:
                highlight.append(len(rows))
            rows.append([label, c.model, money(c.upfront), money(c.per_request),
                         money(c.monthly), money(c.total_at_horizon)])
        elif approach in costs.errors:
            rows.append([label, inputs.approach(approach).model, "no price", "—", "—", "—"])
    out += [Heading("Comparison", "costs-comparison", level=1, style="h2"),
            table(rows, [w * 0.25, w * 0.17, w * 0.14, w * 0.13, w * 0.14, w * 0.17],
                  header=["Approach", "Model", "Upfront", "Per request", "First month",
                          f"Total, {costs.horizon_days:,} days"],
                  right=(2, 3, 4, 5), highlight=highlight),
            gap(3),
            para("First month is at the starting volume and includes bills, upkeep hours and "
                 "retraining or re-indexing spread over the months between runs."
                 + (f" {ctx.evaluation.assessment.recommended_row_note}" if highlight else ""),
                 "small"),
            *cheaper_note(ctx)]
    out += runs_on(ctx)
    out += plan_dates(ctx)
    out += breakdowns(ctx)

    upkeep = [[texts.APPROACH_LABELS[a],
               f"{texts.MAINTENANCE_BURDEN[a]}: {texts.MAINTENANCE_WHY[a]}",
               texts.QUALITY_CONSISTENCY[a]] for a in APPROACHES]
    out += [Heading("Upkeep and consistency", "costs-upkeep", level=1, style="h2"),
            table(upkeep, [w * 0.25, w * 0.5, w * 0.25],
                  header=["Approach", "Maintenance burden", "Quality consistency"])]

    crossings = sorted((be for be in costs.break_even if be.day is not None),
                       key=lambda be: (be.day or 0.0, be.a, be.b))
    out += [Heading("Break-even days", "costs-break-even", level=1, style="h2"),
            para(payback_sentence(ctx) or ctx.evaluation.assessment.recommended_row_note)]
    if crossings:
        out.append(table(
            [[f"{texts.APPROACH_LABELS[be.a]} and {texts.APPROACH_LABELS[be.b]}",
              f"day {be.day:,.0f}", texts.APPROACH_LABELS[be.cheaper_after or be.a]]
             for be in crossings],
            [w * 0.55, w * 0.15, w * 0.3],
            header=["These two lines cross", "On", "Cheaper from then on"], right=(1,)))
        never = len(costs.break_even) - len(crossings)
        if never:
            out.append(gap(3))
            out.append(para(f"The other {never} pairs never cross within the horizon: the "
                            "cheaper one stays cheaper throughout.", "small"))
    elif costs.break_even:
        out.append(para("No two lines cross within the horizon: whichever approach starts "
                        "cheaper stays cheaper."))
    out += _assumptions(ctx)
    return out


def _assumptions(ctx: Context) -> list[Flowable]:
    costs = ctx.evaluation.costs
    inputs = ctx.evaluation.project.costs
    w = ctx.width
    growth = texts.percent(inputs.monthly_growth) if inputs.monthly_growth else "none"
    general = key_values([
        ("Requests per day", f"{inputs.requests_per_day:,.0f} at the start"),
        ("Monthly growth", growth),
        ("Horizon", f"{inputs.horizon_days:,} days"),
        ("Engineering hour", money(inputs.hourly_rate)),
        ("Plan starts", costs.start_date.isoformat()
         + ("" if inputs.start_date else " (today: the plan sets no start date)")),
        ("Training", _training(ctx)),
        ("Retrieval", f"{inputs.retrieval.embedding_model} embeddings over "
                      f"{inputs.retrieval.corpus_tokens:,} corpus tokens; "
                      f"{_months(inputs.retrieval.reindex_every_months, 're-index')}"),
        ("Prices as of", costs.prices_as_of),
    ], w, key_share=0.24)
    rows: list[list[str | Flowable]] = []
    for approach in APPROACHES:
        spec = inputs.approach(approach)
        tokens = (spec.system_prompt_tokens + spec.few_shot_tokens + spec.retrieved_tokens
                  + inputs.user_input_tokens(approach))
        hours = spec.engineering_hours + (spec.data_prep_hours if approach in USES_FINE_TUNING
                                          else 0)
        monthly = f"{money(spec.monthly_fixed)} + {spec.maintenance_hours_per_month:,.0f} h"
        own = inputs.overrides_workload(approach)
        star_in = " *" if "user input" in own else ""
        star_out = " *" if "output" in own else ""
        rows.append([texts.APPROACH_LABELS[approach], f"{tokens:,}{star_in}",
                     f"{inputs.output_tokens(approach):,}{star_out}",
                     texts.percent(spec.cached_share), texts.percent(spec.batch_share),
                     f"{hours:,.0f} h", monthly])
    out: list[Flowable] = [
        Heading("Assumptions", "costs-assumptions", level=1, style="h2"),
        general, gap(8),
        table(rows, [w * 0.23, w * 0.12, w * 0.12, w * 0.1, w * 0.1, w * 0.12, w * 0.21],
              header=["Approach", "Input tokens", "Output tokens", "Cached", "Batched",
                      "Upfront hours", "Monthly bills + upkeep"], right=(1, 2, 3, 4, 5, 6)),
        gap(3),
        para(f"Tokens are per request. Every approach carries the workload of "
             f"{inputs.workload.user_input_tokens:,} user-input and "
             f"{inputs.workload.output_tokens:,} output tokens, except where marked * (that "
             "approach sets its own). Cached is the stable prompt prefix; batched, the share "
             "of requests sent through the provider's batch service. Retrieval approaches "
             "also embed each user input to search with it. Where each price comes from is "
             "listed at the end of the report.", "small"),
    ]
    return out


def _training(ctx: Context) -> str:
    t = ctx.evaluation.project.costs.training
    method = METHOD_NAMES.get(t.method, t.method)
    size = (f"{t.training_tokens:,} tokens \N{MULTIPLICATION SIGN} {t.epochs} epochs"
            + (f" (or {t.training_hours:,g} h a run where billed by the hour)"
               if t.training_hours is not None else ""))
    return (f"{method.capitalize()} tuning, {size}; {money(t.evaluation_cost)} to evaluate "
            f"each trained model, the first one included; "
            f"{_months(t.retrain_every_months, 'retrain')}")
