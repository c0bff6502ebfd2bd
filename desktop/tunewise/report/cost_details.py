"""The parts of the Costs section that say what each approach runs on and what happens when.

What an approach runs on, how caching and batching were applied, the plan's dated events
(forced moves off a closing offering, approaches ending, retrains), the lifecycle findings, the
upfront and first-month breakdowns, and the dates of the price data. Everything is read from
the CostReport; nothing here works a figure out or decides which event happens.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from reportlab.platypus import Flowable, KeepTogether

from tunewise.core import texts
from tunewise.core.costs import ApproachCost, CostEvent, CostReport, Lifecycle
from tunewise.core.market import STALE_AFTER_DAYS
from tunewise.core.project import APPROACHES, ApproachId
from tunewise.core.texts import money
from tunewise.report.blocks import Heading, boxed, bullets, gap, para, rich, table
from tunewise.report.context import Context
from tunewise.report.styles import BAD, BAD_LIGHT, WARN, WARN_LIGHT, markup

UPFRONT_LABELS = {
    "engineering": "Engineering hours",
    "data_preparation": "Preparing training data",
    "training": "First training run",
    "evaluation": "Evaluating the first model",
    "corpus_embedding": "Embedding the corpus",
    "setup": "Other setup",
}
MONTHLY_LABELS = {
    "requests": "Requests",
    "fixed": "Fixed bills",
    "maintenance": "Upkeep hours",
    "hosting": "Hosting the tuned model",
    "storage": "Storing the tuned model",
    "retraining": "Retraining, spread per month",
    "reindexing": "Re-indexing, spread per month",
}
LIFECYCLE_LABELS = {
    "training_closes": "takes its last new training jobs on",
    "retires": "answers for the last time on",
}
EVENT_LABELS = {"migration": "Forced move", "ends": "Ends", "retrain": "Retrain"}
# Retrain dates listed one by one up to this many; more are shown as first, last and count.
LISTED_RETRAINS = 4


def _labels(approaches: Iterable[ApproachId]) -> str:
    return ", ".join(texts.APPROACH_LABELS[a] for a in approaches)


def _when(day: int, on: date) -> str:
    return f"{on.isoformat()} (day {day:,})"


def _costed(costs: CostReport) -> list[ApproachCost]:
    return [costs.approaches[a] for a in APPROACHES if a in costs.approaches]


# ---- the price data and the plan's start -----------------------------------------------------

def price_dates(costs: CostReport) -> str:
    """'The plan starts on …; inference prices as of …, offerings catalogue of ….'"""
    parts = []
    if costs.inference_as_of is not None:
        parts.append(f"inference prices as of {costs.inference_as_of.isoformat()}")
    if costs.offerings_as_of is not None:
        parts.append(f"fine-tuning offerings catalogue of {costs.offerings_as_of.isoformat()}")
    dates = f"; {', '.join(parts)}" if parts else ""
    return f"The plan starts on {costs.start_date.isoformat()} (day 0){dates}."


def stale_box(costs: CostReport, width: float) -> list[Flowable]:
    """A warning box naming each piece of price data that has grown old, or nothing."""
    if not costs.stale_prices:
        return []
    lines = [f"{what.capitalize()}: as of {when.isoformat()}, {age:,} days old."
             for what, when, age in costs.stale_prices]
    return [boxed([
        rich(f"<b>Old price data.</b> {markup(_stale_lead())}", "cell"),
        *bullets(lines, "cell"),
        para("Providers change prices and close offerings often, so the figures below may no "
             "longer hold. Refresh the inference prices (Update prices in the app's Prices "
             "menu, or tunewise prices update) and install a newer offerings catalogue "
             "(tunewise prices install-offerings FILE) before relying on them.", "cell"),
    ], width, fill=WARN_LIGHT, edge=WARN), gap(6)]


def _stale_lead() -> str:
    return f"Some of the prices behind this report are more than {STALE_AFTER_DAYS} days old:"


# ---- what each approach runs on ---------------------------------------------------------------

def runs_on(ctx: Context) -> list[Flowable]:
    costs = ctx.evaluation.costs
    w = ctx.width
    rows: list[list[str | Flowable]] = []
    for c in _costed(costs):
        note = f"{c.pricing_note[:1].upper()}{c.pricing_note[1:]}." if c.pricing_note \
            else "No caching or batching."
        if c.cache_hit_rate:
            note += (f" A request finds the prefix cached {texts.percent(c.cache_hit_rate)} "
                     "of the time at the starting volume.")
        rows.append([c.label, c.runs_on or c.model, note])
    if not rows:
        return []
    return [Heading("What each approach runs on", "costs-runs-on", level=1, style="h2"),
            table(rows, [w * 0.24, w * 0.3, w * 0.46],
                  header=["Approach", "Runs on", "Caching and batching as costed"])]


# ---- breakdowns -------------------------------------------------------------------------------

def _breakdown_rows(costed: list[ApproachCost], part: str,
                    labels: dict[str, str]) -> list[list[str | Flowable]]:
    keys: list[str] = list(labels)
    for c in costed:
        found = c.upfront_breakdown if part == "upfront" else c.monthly_breakdown
        keys += [k for k in found if k not in keys]
    rows: list[list[str | Flowable]] = []
    for key in keys:
        values = [(c.upfront_breakdown if part == "upfront" else c.monthly_breakdown).get(key)
                  for c in costed]
        if not any(values):
            continue  # a line that is zero for every approach says nothing
        label = labels.get(key, key.replace("_", " ").capitalize())
        rows.append([label, *("—" if v is None else money(v) for v in values)])
    total = [c.upfront if part == "upfront" else c.monthly for c in costed]
    rows.append(["Upfront" if part == "upfront" else "First month", *map(money, total)])
    return rows


def breakdowns(ctx: Context) -> list[Flowable]:
    costed = _costed(ctx.evaluation.costs)
    if not costed:
        return []
    w = ctx.width
    first = 0.16
    each = (1 - first) / len(costed)
    widths = [w * first, *[w * each] * len(costed)]
    header = ["", *(c.label for c in costed)]
    right = tuple(range(1, len(costed) + 1))
    upfront = _breakdown_rows(costed, "upfront", UPFRONT_LABELS)
    monthly = _breakdown_rows(costed, "monthly", MONTHLY_LABELS)
    return [
        Heading("What the figures are made of", "costs-breakdown", level=1, style="h2"),
        table(upfront, widths, header=["Upfront", *header[1:]], right=right,
              highlight=(len(upfront) - 1,)),
        gap(6),
        table(monthly, widths, header=["First month", *header[1:]], right=right,
              highlight=(len(monthly) - 1,)),
        gap(3),
        para("Lines that are zero for every approach are left out. Hosting accrues every hour "
             "the tuned model is deployed, used or not; storage every month it is kept.",
             "small"),
    ]


# ---- dates in the plan ------------------------------------------------------------------------

def _grouped_events(costed: list[ApproachCost], kinds: set[str]
                    ) -> list[tuple[CostEvent, list[ApproachId]]]:
    groups: dict[tuple[int, str, str, float], tuple[CostEvent, list[ApproachId]]] = {}
    for c in costed:
        for e in c.events:
            if e.kind not in kinds:
                continue
            key = (e.day, e.kind, e.text, round(e.cost, 2))
            groups.setdefault(key, (e, []))[1].append(c.approach)
    return [groups[k] for k in sorted(groups)]


def _grouped_findings(costed: list[ApproachCost]) -> list[tuple[Lifecycle, list[ApproachId]]]:
    groups: dict[tuple[int, str, str, str], tuple[Lifecycle, list[ApproachId]]] = {}
    for c in costed:
        for f in c.lifecycle:
            key = (f.day, f.kind, f.subject, f.breaks)
            groups.setdefault(key, (f, []))[1].append(c.approach)
    return [groups[k] for k in sorted(groups)]


def _retrain_rows(costed: list[ApproachCost]) -> list[list[str | Flowable]]:
    """One row per offering and schedule: approaches retraining alike share it."""
    groups: dict[tuple[str, float, tuple[int, ...]], tuple[list[CostEvent], list[ApproachId]]]
    groups = {}
    for c in costed:
        runs: dict[tuple[str, float], list[CostEvent]] = {}
        for e in c.events:
            if e.kind == "retrain":
                runs.setdefault((e.text, round(e.cost, 2)), []).append(e)
        for (text, cost), events in runs.items():
            key = (text, cost, tuple(e.day for e in events))
            groups.setdefault(key, (events, []))[1].append(c.approach)
    rows: list[list[str | Flowable]] = []
    for key in sorted(groups, key=lambda k: (k[2][0], k[0], k[1])):
        events, approaches = groups[key]
        if len(events) <= LISTED_RETRAINS:
            when = ", ".join(_when(e.day, e.date) for e in events)
        else:
            when = (f"{len(events):,} times, from {_when(events[0].day, events[0].date)} to "
                    f"{_when(events[-1].day, events[-1].date)}")
        rows.append([key[0], _labels(approaches), when, money(events[0].cost)])
    return rows


def plan_dates(ctx: Context) -> list[Flowable]:
    """The lifecycle findings, the forced moves and endings, and the retrains, by date."""
    costs = ctx.evaluation.costs
    costed = _costed(costs)
    w = ctx.width
    findings = _grouped_findings(costed)
    moves = _grouped_events(costed, {"migration", "ends"})
    retrains = _retrain_rows(costed)
    out: list[Flowable] = [Heading("Dates in the plan", "costs-dates", level=1, style="h2"),
                           para(price_dates(costs))]
    if findings:
        rows: list[list[str | Flowable]] = []
        for f, approaches in findings:
            # Lifecycle.day is when the plan feels it (a move happens on the next retrain);
            # the day shown beside the date is that date's own day of the plan.
            closes = (f"{LIFECYCLE_LABELS.get(f.kind, f.kind)} "
                      f"{_when((f.date - costs.start_date).days, f.date)}")
            rows.append([rich(f"<b>{markup(f.subject)}</b> {markup(closes)}", "cell"),
                         _labels(approaches), f.breaks])
        out += [para("These offerings or models close within the plan's horizon:"),
                table(rows, [w * 0.33, w * 0.22, w * 0.45],
                      header=["What closes, and when", "Approaches", "What it means here"],
                      header_colour=WARN),
                gap(6)]
    else:
        out.append(para("Nothing the plan runs on closes within its horizon, as far as the "
                        "catalogue knows."))
    if moves:
        rows = []
        for e, approaches in moves:
            cost = money(e.cost) if e.cost else "—"
            rows.append([rich(f"{e.date.isoformat()}<br/>day {e.day:,}", "cell"),
                         EVENT_LABELS.get(e.kind, e.kind), e.text, _labels(approaches), cost])
        out += [KeepTogether([
                    para("Forced moves and endings", "h2"),
                    table(rows, [w * 0.14, w * 0.12, w * 0.33, w * 0.26, w * 0.15],
                          header=["On", "What", "In words", "Approaches", "Cost"], right=(4,),
                          header_colour=BAD)]),
                gap(3),
                para("A forced move re-trains on the alternative the catalogue names and "
                     "evaluates the new model; its cost is charged on that day and the "
                     "alternative's prices apply from then on.", "small")]
    if retrains:
        out += [para("Retraining", "h2"),
                table(retrains, [w * 0.3, w * 0.25, w * 0.33, w * 0.12],
                      header=["Run", "Approaches", "On", "Each"], right=(3,))]
    return out


def cheaper_note(ctx: Context) -> list[Flowable]:
    """The assessment's own words when a cheaper approach than the recommended one exists."""
    found = [w for w in ctx.evaluation.assessment.warnings if w.id == "cheaper_alternative"]
    if not found:
        return []
    return [gap(4), boxed([para(w.message, "cell") for w in found], ctx.width,
                          fill=WARN_LIGHT, edge=WARN)]


def closed_box(ctx: Context) -> list[Flowable]:
    """Blockers about offerings that are closed already, repeated where the costs are."""
    found = [b for b in ctx.evaluation.assessment.blockers if b.id == "offering_closed"]
    if not found:
        return []
    return [boxed([para(b.message, "cell") for b in found], ctx.width, fill=BAD_LIGHT,
                  edge=BAD), gap(6)]
