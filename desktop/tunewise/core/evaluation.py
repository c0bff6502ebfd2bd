"""One evaluation of a project: its Assessment and its costs, rendered alike everywhere.

The GUI, the report and the CLI all take an Evaluation from here; `to_json` is the stable
document `tunewise evaluate --json` prints, and `to_text` its plain-text form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from tunewise.core import analyses, texts
from tunewise.core.costs import CostReport, compute_costs
from tunewise.core.decision import assess
from tunewise.core.prices import PriceCatalog
from tunewise.core.project import Project
from tunewise.core.results import Assessment
from tunewise.core.texts import money

if TYPE_CHECKING:
    from tunewise.core.uncertainty import Quantiles, UncertaintyResult


@dataclass(frozen=True)
class Evaluation:
    project: Project
    assessment: Assessment
    costs: CostReport
    # Results of the registered analyses (core/analyses.py), by analysis id.
    analyses: dict[str, BaseModel] = field(default_factory=dict)


def evaluate(
    project: Project, catalog: PriceCatalog | None = None, *, strict: bool = True,
    today: date | None = None,
) -> Evaluation:
    costs = compute_costs(project.costs, catalog, strict=strict, today=today)
    return Evaluation(project=project, assessment=assess(project, costs), costs=costs,
                      analyses=analyses.run_all(project, costs))


def _round(value: float, places: int) -> float:
    return round(value, places) + 0.0  # + 0.0 turns -0.0 into 0.0


def to_json(evaluation: Evaluation) -> dict[str, Any]:
    """The stable machine-readable document; ids as in the project file format."""
    a, c = evaluation.assessment, evaluation.costs
    payback = c.payback_days()
    return {
        "project": evaluation.project.metadata.name,
        "flowchart_outcome": a.flowchart_outcome,
        "approach": a.approach,
        "combination": a.combination,
        "combination_candidate": a.combination_candidate,
        "combination_missing": a.combination_missing,
        "stopped_at": a.stopped_at,
        "path": [{"question": s.question, "answer": s.answer, "detail": s.detail} for s in a.path],
        "few_shot_check": a.few_shot_check.model_dump() if a.few_shot_check else None,
        "signals_for": a.present_signals_for(),
        "signals_against": a.present_signals_against(),
        "suggested_signals": [s.id for s in a.signals_for if s.suggested],
        "reasons_for": [r.message for r in a.reasons_for],
        "reasons_against": [r.message for r in a.reasons_against],
        "blockers": [{"id": b.id, "message": b.message, "lift": b.lift} for b in a.blockers],
        "warnings": [{"id": w.id, "message": w.message, "lift": w.lift} for w in a.warnings],
        "confidence": a.confidence,
        "confidence_reasons": a.confidence_reasons,
        "next_steps": [{"id": s.id, "message": s.message} for s in a.next_steps],
        "what_would_change": [w.model_dump() for w in a.what_would_change],
        "costs": {
            name: {
                "model": cost.model,
                "upfront": _round(cost.upfront, 2),
                "per_request": _round(cost.per_request, 6),
                "monthly": _round(cost.monthly, 2),
                "total_at_horizon": _round(cost.total_at_horizon, 2),
                "maintenance_burden": cost.maintenance_burden,
                "quality_consistency": cost.quality_consistency,
                "runs_on": cost.runs_on,
                "cache_hit_rate": _round(cost.cache_hit_rate, 4),
                "pricing_note": cost.pricing_note,
                "upfront_breakdown": {k: _round(v, 2) for k, v in cost.upfront_breakdown.items()},
                "monthly_breakdown": {k: _round(v, 2) for k, v in cost.monthly_breakdown.items()},
                "events": [{"day": e.day, "date": e.date.isoformat(), "kind": e.kind,
                            "cost": _round(e.cost, 2), "text": e.text} for e in cost.events],
                "lifecycle": [{"kind": f.kind, "date": f.date.isoformat(), "day": f.day,
                               "subject": f.subject, "alternative": f.alternative,
                               "breaks": f.breaks} for f in cost.lifecycle],
            }
            for name, cost in c.approaches.items()
        },
        "cost_errors": dict(c.errors),
        "horizon_days": c.horizon_days,
        "break_even": [
            {"a": be.a, "b": be.b,
             "day": None if be.day is None else _round(be.day, 1),
             "cheaper_after": be.cheaper_after}
            for be in c.break_even
        ],
        "payback_days_fine_tuning_vs_prompting": None if payback is None else _round(payback, 1),
        "recommended_row": a.recommended_row,
        "payback": None if a.payback is None else {
            "approach": a.payback.approach, "against": a.payback.against,
            "day": None if a.payback.day is None else _round(a.payback.day, 1),
            "sentence": a.payback.sentence},
        "crossings": [{"day": _round(c.day, 1), "a": c.a, "b": c.b,
                       "cheaper_after": c.cheaper_after} for c in a.crossings],
        "prices_as_of": c.prices_as_of,
        "start_date": c.start_date.isoformat(),
        "price_data": {
            "inference_as_of": c.inference_as_of.isoformat() if c.inference_as_of else None,
            "offerings_as_of": c.offerings_as_of.isoformat() if c.offerings_as_of else None,
            "stale": [{"what": what, "as_of": when.isoformat(), "age_days": age}
                      for what, when, age in c.stale_prices],
        },
        "analyses": {name: result.model_dump(mode="json")
                     for name, result in evaluation.analyses.items()},
    }


def _quantiles(q: Quantiles, places: int) -> dict[str, float]:
    return {"p10": _round(q.p10, places), "p50": _round(q.p50, places),
            "p90": _round(q.p90, places)}


def uncertainty_json(result: UncertaintyResult) -> dict[str, Any]:
    """The Monte Carlo's part of `tunewise evaluate --json`: `uncertainty` (quantiles at the
    horizon, the chance each approach is cheapest, the break-even day's spread, the few-shot
    odds) and `sensitivity` (one row per ranged input, widest swing first: the recommended
    row's gap to its runner-up at the horizon with the input at its low and its high).
    Money to the cent, probabilities to 4 places, days to 1, as `to_json` rounds them."""
    odds = result.few_shot
    return {
        "uncertainty": {
            "draws": result.draws,
            "seed": result.seed,
            "distribution": result.distribution,
            "inputs": list(result.inputs),
            "recommended": result.recommended,
            "runner_up": result.runner_up,
            "total_at_horizon": {name: _quantiles(q, 2)
                                 for name, q in result.total_at_horizon.items()},
            "cheapest_probability": {name: _round(p, 4)
                                     for name, p in result.cheapest_probability.items()},
            "break_even_day": (None if result.break_even_day is None
                               else _quantiles(result.break_even_day, 1)),
            "break_even_never": _round(result.break_even_never, 4),
            "few_shot": None if odds is None else {
                "probability": _round(odds.probability, 4), "n": odds.n, "passed": odds.passed,
                "line": odds.line, "close_call": odds.close_call,
                "more_examples": odds.more_examples, "sentence": odds.sentence},
            "could_flip": list(result.could_flip),
            "sentences": list(result.sentences),
        },
        "sensitivity": [
            {"input": s.input, "label": s.label, "low": s.low, "high": s.high,
             "swing": _round(s.swing, 2), "diff_low": _round(s.diff_low, 2),
             "diff_high": _round(s.diff_high, 2), "flips": s.flips}
            for s in result.sensitivity
        ],
    }


def to_text(evaluation: Evaluation) -> str:
    a, c = evaluation.assessment, evaluation.costs
    lines = [
        f"Project: {evaluation.project.metadata.name}",
        f"Recommendation: {a.headline}  (confidence: {a.confidence_label.lower()})",
        "",
        "Path through the questions:",
    ]
    for step in a.path:
        question = a.diagram.question(step.question)
        label = question.label if question is not None else step.question
        lines.append(f"  {step.question} {label} {step.answer.upper()} - {step.detail}")
    lines.append(f"  Stopped at {a.stopped_at}: {texts.APPROACH_LABELS[a.flowchart_outcome]}")
    if a.reasons_for:
        lines += ["", "Why:"] + [f"  - {r.message}" for r in a.reasons_for]
    if a.reasons_against:
        lines += ["", "Against fine-tuning:"] + [f"  - {r.message}" for r in a.reasons_against]
    if a.blockers:
        lines += ["", "Blockers:"] + [f"  - {b.message} To lift: {b.lift}" for b in a.blockers]
    if a.warnings:
        lines += ["", "Warnings:"] + [f"  - {w.message}" for w in a.warnings]
    if a.combination_candidate and not a.combination:
        lines += ["", f"{texts.APPROACH_LABELS[a.combination_candidate]} would fit once you have:"]
        lines += [f"  - {gap}" for gap in a.combination_missing]
    lines += ["", "Confidence:"] + [f"  - {r}" for r in a.confidence_reasons]
    if a.what_would_change:
        lines += ["", "What would change it:"]
        lines += [f"  - {w.sentence}" for w in a.what_would_change]
    lines += ["", "Next steps:"] + [f"  [ ] {s.message}" for s in a.next_steps]
    lines += ["", f"Costs over {c.horizon_days} days (USD):"]
    header = f"  {'Approach':<34}{'Upfront':>12}{'Per request':>14}{'First month':>12}{'Total':>14}"
    lines.append(header)
    for cost in c.approaches.values():
        lines.append(
            f"  {cost.label:<34}{money(cost.upfront):>12}{money(cost.per_request):>14}"
            f"{money(cost.monthly):>12}{money(cost.total_at_horizon):>14}"
        )
        lines.append(f"      runs on {cost.runs_on}"
                     + (f"; {cost.pricing_note}" if cost.pricing_note else ""))
        for event in cost.events:
            if event.kind != "retrain":
                lines.append(f"      {event.date.isoformat()} (day {event.day:,}): {event.text}"
                             + (f", {money(event.cost)}" if event.cost else ""))
    for approach, error in c.errors.items():
        lines.append(f"  {texts.APPROACH_LABELS[approach]}: {error}")
    if a.payback is not None:
        lines.append(f"  {a.payback.sentence}")
    lines.append(f"  Plan starts {c.start_date.isoformat()}. Prices: {c.prices_as_of}")
    return "\n".join(lines)
