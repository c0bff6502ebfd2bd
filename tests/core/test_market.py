"""Today's market in the cost model and the verdict, against figures worked out by hand.

The offerings come from a made-up catalogue with round numbers (tests/data/market/
offerings-test.json), and model prices from overrides, so the arithmetic does not move when
the bundled data is refreshed. Each test states the sum it checks.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.core.helpers import bare_approach, fine_tuning_answers, project_with
from tunewise.core.costs import DAYS_PER_MONTH, CostReport, compute_costs
from tunewise.core.decision import assess
from tunewise.core.market import Market
from tunewise.core.prices import PriceCatalog, PriceError
from tunewise.core.project import (
    APPROACHES,
    CostInputs,
    PriceOverride,
    RetrievalInputs,
    TrainingInputs,
)

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "market" / "offerings-test.json"
START = date(2026, 12, 1)
# Prices typed for real model names, so the provider's caching rules apply but the numbers are
# ours: $2 in, $0.50 cached, $8 out (gpt-4o-mini); $1 / $0.25 / $4 (gpt-4.1-mini);
# Claude $3 in, $0.30 cached, $15 out, its cache writes at 1.25 x input = $3.75.
OVERRIDES = {
    "gpt-4o-mini": PriceOverride(input=2.0, cached_input=0.5, output=8.0),
    "gpt-4o": PriceOverride(input=2.0, cached_input=0.5, output=8.0),
    "gpt-4.1-mini": PriceOverride(input=1.0, cached_input=0.25, output=4.0),
    "claude-sonnet-4-6": PriceOverride(input=3.0, cached_input=0.3, output=15.0),
    "embed": PriceOverride(embedding=0.02),
}


@pytest.fixture
def catalog() -> PriceCatalog:
    return PriceCatalog(market=Market.from_file(FIXTURE))


def plan(**fields: Any) -> CostInputs:
    approaches = {a: bare_approach("gpt-4o-mini", user_input_tokens=200, output_tokens=300)
                  for a in APPROACHES}
    approaches.update(fields.pop("approaches", {}))
    base: dict[str, Any] = {
        "requests_per_day": 1000, "horizon_days": 10, "hourly_rate": 0, "start_date": START,
        "approaches": approaches,
        "training": TrainingInputs(training_tokens=1_000_000, epochs=3, evaluation_cost=100,
                                   retrain_every_months=0),
        "retrieval": RetrievalInputs(embedding_model="embed", corpus_tokens=0,
                                     reindex_every_months=0),
        "price_overrides": dict(OVERRIDES),
    }
    base.update(fields)
    return CostInputs(**base)


def costs_of(catalog: PriceCatalog, **fields: Any) -> CostReport:
    return compute_costs(plan(**fields), catalog, today=START)


def hit(requests_per_day: float, ttl_minutes: float) -> float:
    """Random arrivals: the prefix is warm if another request came within the cache's life."""
    return 1 - math.exp(-requests_per_day / (24 * 60) * ttl_minutes)


# ---- caching ---------------------------------------------------------------------------------

def test_a_prefix_below_the_providers_minimum_is_not_cached(catalog: PriceCatalog) -> None:
    pe = bare_approach("gpt-4o-mini", system_prompt_tokens=800, user_input_tokens=200,
                       output_tokens=300, cached_share=0.9)
    cost = costs_of(catalog, approaches={"prompt_engineering": pe}).approaches[
        "prompt_engineering"]
    # 900 cacheable tokens < OpenAI's 1,024: all 1,000 at $2 + 300 at $8 = $0.0044
    assert cost.per_request == pytest.approx(0.0044)
    assert cost.cache_hit_rate == 0
    assert "below the 1,024-token minimum" in cost.pricing_note


def test_a_prefix_above_the_minimum_is_cached_when_it_is_warm(catalog: PriceCatalog) -> None:
    pe = bare_approach("gpt-4o-mini", system_prompt_tokens=2000, user_input_tokens=200,
                       output_tokens=300, cached_share=0.5)
    cost = costs_of(catalog, approaches={"prompt_engineering": pe}).approaches[
        "prompt_engineering"]
    # 1,100 cached of 2,200; at 1,000 a day with a 5-minute life the prefix is warm with
    # chance 1 - e^(-1000/1440 x 5) = 0.96895; a miss writes at the input price (no premium).
    h = hit(1000, 5)
    assert h == pytest.approx(0.968952, abs=1e-6)
    expected = (1100 * 2 + 1100 * (h * 0.5 + (1 - h) * 2) + 300 * 8) / 1e6
    assert cost.per_request == pytest.approx(expected)
    assert cost.per_request == pytest.approx(0.00520123, rel=1e-6)
    assert cost.cache_hit_rate == pytest.approx(h)


def test_cache_writes_cost_more_than_input_at_anthropic(catalog: PriceCatalog) -> None:
    # Claude at 100 requests a day: a 3,000-token fixed prompt is warm only 29% of the time;
    # every miss writes the cache at $3.75, dearer than the $3 input price.
    pe = bare_approach("claude-sonnet-4-6", system_prompt_tokens=3000, user_input_tokens=200,
                       output_tokens=300, cached_share=3000 / 3200)
    cost = costs_of(catalog, requests_per_day=100, approaches={"prompt_engineering": pe}
                    ).approaches["prompt_engineering"]
    h = hit(100, 5)
    assert h == pytest.approx(0.293352, abs=1e-6)
    # 200 x $3 + 3,000 x (0.293352 x $0.30 + 0.706648 x $3.75) + 300 x $15 = $0.0133138
    assert cost.per_request == pytest.approx(0.0133138, rel=1e-5)
    # Billing every prefix token as cached would have said 600 + 900 + 4,500 = $0.006.
    assert cost.per_request > 2 * 0.006


def test_caching_rules_follow_the_growing_traffic(catalog: PriceCatalog) -> None:
    pe = bare_approach("gpt-4o-mini", system_prompt_tokens=2000, user_input_tokens=200,
                       output_tokens=300, cached_share=0.5)
    cost = costs_of(catalog, requests_per_day=100, monthly_growth=1.0, horizon_days=90,
                    approaches={"prompt_engineering": pe}).approaches["prompt_engineering"]
    # The first day is billed at 100 requests' warmth; two months later, at 400 a day's.
    first = cost.daily[1] / 100
    later = cost.daily[1 + round(2 * DAYS_PER_MONTH)] / (100 * 2 ** (round(2 * DAYS_PER_MONTH)
                                                                      / DAYS_PER_MONTH))
    assert first == pytest.approx(cost.per_request)
    assert later < first


# ---- batching, hosting, training by the hour, the first evaluation -----------------------------

def test_batch_share_is_billed_at_the_providers_discount(catalog: PriceCatalog) -> None:
    pe = bare_approach("gpt-4o-mini", system_prompt_tokens=800, user_input_tokens=200,
                       output_tokens=300, batch_share=0.5)
    cost = costs_of(catalog, approaches={"prompt_engineering": pe}).approaches[
        "prompt_engineering"]
    # Half the requests at OpenAI's 50% off: $0.0044 x (1 - 0.5 x 0.5) = $0.0033
    assert cost.per_request == pytest.approx(0.0033)
    assert "50% of requests batched at 50% off" in cost.pricing_note


def test_batch_share_without_a_batch_api_is_billed_in_full(catalog: PriceCatalog) -> None:
    ft = bare_approach("llama-3.1-8b", provider="together", user_input_tokens=200,
                       output_tokens=300, batch_share=0.5)
    cost = costs_of(catalog, approaches={"fine_tuning": ft}).approaches["fine_tuning"]
    # Together's tuned Llama: 500 tokens x $0.20 = $0.0001, no batch discount known
    assert cost.per_request == pytest.approx(0.0001)
    assert "no batch discount known" in cost.pricing_note


def test_hosting_is_paid_every_hour_whether_used_or_not(catalog: PriceCatalog) -> None:
    ft = bare_approach("gpt-4o-mini", provider="azure-openai", deployment="standard",
                       user_input_tokens=200, output_tokens=300)
    cost = costs_of(catalog, approaches={"fine_tuning": ft}).approaches["fine_tuning"]
    # Requests: 200 x $0.33 + 300 x $1.32 = $0.000462, $0.462 a day at 1,000 a day.
    # Hosting: $1.70 x 24 = $40.80 a day. Upfront: 1M x 3 epochs x $3.30 = $9.90 + $100 eval.
    assert cost.per_request == pytest.approx(0.000462)
    assert cost.upfront == pytest.approx(109.9)
    assert cost.total_at_horizon == pytest.approx(109.9 + 10 * (0.462 + 40.8))
    assert cost.monthly_breakdown["hosting"] == pytest.approx(40.8 * 365 / 12)
    quiet = costs_of(catalog, requests_per_day=0, approaches={"fine_tuning": ft})
    assert quiet.approaches["fine_tuning"].total_at_horizon == pytest.approx(109.9 + 408)


def test_storage_is_paid_every_month(catalog: PriceCatalog) -> None:
    ft = bare_approach("llama-3.1-8b", provider="together")
    cost = costs_of(catalog, horizon_days=365, approaches={"fine_tuning": ft}
                    ).approaches["fine_tuning"]
    # $2 a month for a year, plus the $5 job minimum and the $100 evaluation upfront
    assert cost.total_at_horizon == pytest.approx(24 + 105)
    assert cost.upfront_breakdown["training"] == 5  # 1M x 3 x $0.50 = $1.50, below the $5 minimum


def test_reinforcement_tuning_is_billed_by_the_training_hour(catalog: PriceCatalog) -> None:
    ft = bare_approach("o4-mini")
    training = TrainingInputs(method="rft", training_hours=5, evaluation_cost=100,
                              retrain_every_months=0)
    tuned = {a: ft for a in ("fine_tuning", "fine_tuning+rag", "fine_tuning+prompt_engineering",
                             "all_three")}
    cost = costs_of(catalog, training=training, approaches=tuned).approaches["fine_tuning"]
    # 5 hours x $100 = $500, whatever the token count; the first evaluation $100
    assert cost.upfront_breakdown["training"] == pytest.approx(500)
    assert cost.upfront == pytest.approx(600)


def test_hourly_training_needs_its_hours(catalog: PriceCatalog) -> None:
    ft = bare_approach("o4-mini")
    training = TrainingInputs(method="rft", retrain_every_months=0)
    report = compute_costs(plan(training=training, approaches={"fine_tuning": ft}), catalog,
                           strict=False, today=START)
    assert "bills training by the hour ($100.00 an hour)" in report.errors["fine_tuning"]


def test_a_method_the_offering_does_not_offer_is_named(catalog: PriceCatalog) -> None:
    with pytest.raises(PriceError, match=r"o4-mini.*does not offer supervised tuning; it "
                                         r"offers reinforcement"):
        costs_of(catalog, approaches={"fine_tuning": bare_approach("o4-mini")})


def test_the_first_model_is_evaluated_upfront(catalog: PriceCatalog) -> None:
    ft = bare_approach("gpt-4o-mini")
    cost = costs_of(catalog, approaches={"fine_tuning": ft}).approaches["fine_tuning"]
    # 1M x 3 x $3 = $9 training; the evaluation of that first model, $100, before it ships
    assert cost.upfront_breakdown == {"engineering": 0, "data_preparation": 0, "training": 9,
                                      "evaluation": 100, "corpus_embedding": 0, "setup": 0}


# ---- lifecycle -------------------------------------------------------------------------------

def quarterly(**fields: Any) -> dict[str, Any]:
    return {"horizon_days": 365, "training": TrainingInputs(
        training_tokens=1_000_000, epochs=3, evaluation_cost=100, retrain_every_months=3),
        **fields}


def test_training_that_closes_before_a_retrain_forces_a_move(catalog: PriceCatalog) -> None:
    # OpenAI's gpt-4o-mini (in the test catalogue) takes jobs until 2027-01-05. From
    # 2026-12-01, quarterly retrains fall on days 92, 183 and 274; day 92 is 2027-03-03, so
    # that retrain runs on the named alternative, Together's Llama 3.1 8B, and so do the rest.
    report = costs_of(catalog, **quarterly())
    cost = report.approaches["fine_tuning"]
    moves = [e for e in cost.events if e.kind == "migration"]
    assert [(e.day, e.date.isoformat()) for e in moves] == [(92, "2027-03-03")]
    # The move: training $1.50 on Together, raised to its $5 job minimum, + $100 evaluation.
    assert moves[0].cost == pytest.approx(105)
    assert [(e.day, e.cost) for e in cost.events if e.kind == "retrain"] == [
        (183, pytest.approx(105)), (274, pytest.approx(105))]
    # Upfront $9 + $100; days 1-91 at 420 tokens' worth ($0.00042 x 1,000 = $0.42 a day);
    # days 92-365 at $0.0001 x 1,000 = $0.10 a day and $2 a month storage; three $105 events.
    expected = (109 + 91 * 0.42 + 274 * 0.10 + 274 * 2 / DAYS_PER_MONTH + 3 * 105)
    assert cost.total_at_horizon == pytest.approx(expected)
    assert cost.total_at_horizon == pytest.approx(507.6364, abs=1e-3)
    (finding,) = cost.lifecycle
    assert (finding.kind, finding.date.isoformat(), finding.day) == (
        "training_closes", "2027-01-05", 92)

    project = project_with(costs=plan(**quarterly()), **fine_tuning_answers())
    warning = next(w for w in assess(project, report).warnings
                   if w.id == "offering_training_closes")
    assert "takes no new training jobs after 2027-01-05" in warning.message
    assert "the retrain due on day 92 (2027-03-03) cannot run on it" in warning.message
    assert "Together llama-3.1-8b" in warning.message and "$105.00" in warning.message


def test_a_retiring_model_forces_a_move_on_its_last_day(catalog: PriceCatalog) -> None:
    report = costs_of(catalog, horizon_days=365)  # no retraining: only the retirement bites
    cost = report.approaches["fine_tuning"]
    # Tuned gpt-4o-mini answers until 2027-03-31, day 120; the move is paid that day and the
    # alternative answers from day 121.
    (move,) = [e for e in cost.events if e.kind == "migration"]
    assert (move.day, move.date.isoformat(), move.cost) == (120, "2027-03-31", 105)
    expected = 109 + 120 * 0.42 + 245 * 0.10 + 245 * 2 / DAYS_PER_MONTH + 105
    assert cost.total_at_horizon == pytest.approx(expected)
    project = project_with(costs=plan(horizon_days=365), **fine_tuning_answers())
    warning = next(w for w in assess(project, report).warnings if w.id == "offering_retires")
    assert "stops answering after 2027-03-31" in warning.message


def test_an_offering_closed_before_the_plan_starts_is_a_blocker(catalog: PriceCatalog) -> None:
    inputs = plan(start_date=date(2027, 2, 1))
    with pytest.raises(PriceError, match="took its last new training jobs on 2027-01-05, "
                                         "before this plan starts"):
        compute_costs(inputs, catalog, today=START)
    report = compute_costs(inputs, catalog, strict=False, today=START)
    assert "fine_tuning" in report.errors
    a = assess(project_with(costs=inputs, **fine_tuning_answers()), report)
    blocker = next(b for b in a.blockers if b.id == "offering_closed")
    assert "2027-01-05" in blocker.message and "Together llama-3.1-8b" in blocker.message


def test_dates_beyond_the_horizon_change_nothing(catalog: PriceCatalog) -> None:
    cost = costs_of(catalog, horizon_days=30).approaches["fine_tuning"]
    assert cost.events == () and cost.lifecycle == ()
    assert cost.total_at_horizon == pytest.approx(109 + 30 * 0.42)


def test_a_retiring_inference_model_moves_to_its_replacement(catalog: PriceCatalog) -> None:
    pe = bare_approach("gpt-4o", user_input_tokens=200, output_tokens=300)
    report = costs_of(catalog, horizon_days=365, approaches={"prompt_engineering": pe})
    cost = report.approaches["prompt_engineering"]
    # gpt-4o answers until 2027-02-28 (day 89): days 1-89 at (200 x $2 + 300 x $8) = $2.80 a
    # day; then gpt-4.1-mini at (200 x $1 + 300 x $4) = $1.40 a day for 276 days; the move
    # re-evaluates for $100.
    assert cost.total_at_horizon == pytest.approx(89 * 2.8 + 276 * 1.4 + 100)
    (move,) = cost.events
    assert (move.day, move.kind, move.text) == (89, "migration",
                                                "Forced move from gpt-4o to gpt-4.1-mini")
    a = assess(project_with(costs=plan(horizon_days=365, approaches={"prompt_engineering": pe}),
                            few_shot_adequate="yes"), report)
    warning = next(w for w in a.warnings if w.id == "model_retires")
    assert "gpt-4o stops answering after 2027-02-28" in warning.message


# ---- stale price data ------------------------------------------------------------------------

def test_price_data_older_than_120_days_is_flagged(catalog: PriceCatalog) -> None:
    fresh = compute_costs(plan(), catalog, today=date(2027, 3, 1))
    # catalogue of 2026-11-01: 120 days old on 2027-03-01, not yet more than 120
    assert not any(what == "fine-tuning offerings" for what, _, _ in fresh.stale_prices)
    old = compute_costs(plan(), catalog, today=date(2027, 3, 2))
    assert ("fine-tuning offerings", date(2026, 11, 1), 121) in old.stale_prices
    a = assess(project_with(costs=plan(), **fine_tuning_answers()), old)
    warning = next(w for w in a.warnings if w.id == "prices_stale")
    assert "fine-tuning offerings are from 2026-11-01 (121 days old)" in warning.message
    # Old prices are a warning about the data, not a doubt about the answers.
    fresh_a = assess(project_with(costs=plan(), **fine_tuning_answers()), fresh)
    assert a.confidence == fresh_a.confidence


# ---- the verdict reads the costs -------------------------------------------------------------

def test_at_low_volume_the_verdict_says_prompting_is_cheaper(support_bot) -> None:  # type: ignore[no-untyped-def]
    support_bot.costs.requests_per_day = 100
    report = compute_costs(support_bot.costs)
    a = assess(support_bot, report)
    assert a.combination == "fine_tuning+prompt_engineering"
    mine = report.approaches["fine_tuning+prompt_engineering"].total_at_horizon
    prompting = report.approaches["prompt_engineering"].total_at_horizon
    assert prompting < mine / 2
    warning = next(w for w in a.warnings if w.id == "cheaper_alternative")
    money = [f"${v:,.2f}" for v in (prompting, mine)]
    assert warning.message.startswith(f"Prompt engineering costs less over 365 days: {money[0]}, "
                                      f"against {money[1]} for fine-tuning + prompting")
    # Prompting was measured short of the line, so the recommendation stands, and says why.
    assert "It still stands: few-shot prompting reached 80% of the target" in warning.message
    # The cost-at-scale sign now comes from the costs: not at 100 requests a day.
    assert not next(s for s in a.signals_for if s.id == "cost_at_scale").present
    assert a.confidence != "high"
    assert any("At 100 requests a day fine-tuning + prompting never pays back" in r
               for r in a.confidence_reasons)
    assert any("fine-tuning + prompting would cost less than prompt engineering" in w.sentence
               for w in a.what_would_change)


def test_an_untested_few_shot_does_not_stand_against_cheaper_prompting(support_bot) -> None:  # type: ignore[no-untyped-def]
    support_bot.costs.requests_per_day = 100
    support_bot.answers.few_shot_adequate = "untested"
    support_bot.answers.few_shot_score = None
    support_bot.answers.quality_target = None
    a = assess(support_bot, compute_costs(support_bot.costs))
    warning = next(w for w in a.warnings if w.id == "cheaper_alternative")
    assert "It does not stand yet: few-shot prompting has not been tested" in warning.message
    assert warning.lift == "Run the few-shot test before building anything else."


def test_the_tested_model_must_be_the_costed_one(support_bot) -> None:  # type: ignore[no-untyped-def]
    support_bot.answers.few_shot_model = "gpt-5.4"
    a = assess(support_bot, compute_costs(support_bot.costs))
    warning = next(w for w in a.warnings if w.id == "few_shot_model_mismatch")
    assert "ran on gpt-5.4, but prompt engineering is costed on gpt-5.4-mini" in warning.message
