"""The cost model against figures worked out by hand in each test."""

from __future__ import annotations

import numpy as np
import pytest

from tests.core.helpers import bare_approach
from tunewise.core.costs import DAYS_PER_MONTH, compute_costs, event_days, request_volume
from tunewise.core.prices import PriceError
from tunewise.core.project import (
    APPROACHES,
    CostInputs,
    PriceOverride,
    RetrievalInputs,
    TrainingInputs,
)

# A made-up model priced entirely by override, so the arithmetic below does not depend on the
# genai-prices snapshot: input $2, cached input $0.50, output $8 per 1M tokens; fine-tuned input
# $1, output $4, training $3; embeddings $0.02.
ACME = PriceOverride(input=2.0, cached_input=0.5, output=8.0, training=3.0,
                     fine_tuned_input=1.0, fine_tuned_cached_input=0.25, fine_tuned_output=4.0)
EMBED = PriceOverride(embedding=0.02)


def inputs(**fields: object) -> CostInputs:
    approaches = {a: bare_approach("acme") for a in APPROACHES}
    approaches.update(fields.pop("approaches", {}))  # type: ignore[arg-type]
    base: dict[str, object] = {
        "requests_per_day": 1000,
        "horizon_days": 10,
        "hourly_rate": 80,
        "approaches": approaches,
        "training": TrainingInputs(training_tokens=1_000_000, epochs=4, evaluation_cost=100,
                                   retrain_every_months=0),
        "retrieval": RetrievalInputs(embedding_model="embed", corpus_tokens=10_000_000,
                                     reindex_every_months=0),
        "price_overrides": {"acme": ACME, "embed": EMBED},
    }
    base.update(fields)
    return CostInputs(**base)  # type: ignore[arg-type]


def test_per_request_cost_with_cached_share() -> None:
    pe = bare_approach("acme", system_prompt_tokens=1000, few_shot_tokens=500,
                       user_input_tokens=300, output_tokens=200, cached_share=0.5)
    cost = compute_costs(inputs(approaches={"prompt_engineering": pe})).approaches[
        "prompt_engineering"]
    # 1,800 input tokens: 900 at $2 + 900 at $0.50 = $0.0018 + $0.00045; 200 output at $8 = $0.0016
    assert cost.input_tokens == 1800
    assert cost.per_request == pytest.approx(0.00385)


def test_fine_tuned_approaches_use_fine_tuned_prices() -> None:
    ft = bare_approach("acme", system_prompt_tokens=100, user_input_tokens=300,
                       output_tokens=200)
    cost = compute_costs(inputs(approaches={"fine_tuning": ft})).approaches["fine_tuning"]
    # 400 input tokens at $1 = $0.0004; 200 output at $4 = $0.0008
    assert cost.per_request == pytest.approx(0.0012)


def test_retrieval_approaches_pay_to_embed_each_query() -> None:
    rag = bare_approach("acme", retrieved_tokens=1500, user_input_tokens=500, output_tokens=100)
    cost = compute_costs(inputs(approaches={"rag": rag})).approaches["rag"]
    # 2,000 input at $2 = $0.004; 100 output at $8 = $0.0008; embedding 500 at $0.02 = $0.00001
    assert cost.per_request == pytest.approx(0.00481)


def test_upfront_cost_of_fine_tuning() -> None:
    ft = bare_approach("acme", engineering_hours=10, data_prep_hours=5, setup_cost=300)
    cost = compute_costs(inputs(approaches={"fine_tuning": ft})).approaches["fine_tuning"]
    # 15 h x $80 = $1,200; 1M tokens x 4 epochs x $3/1M = $12; setup $300; and the first
    # trained model is evaluated before it ships: $100
    assert cost.upfront_breakdown["training"] == pytest.approx(12.0)
    assert cost.upfront_breakdown["evaluation"] == pytest.approx(100.0)
    assert cost.upfront == pytest.approx(1612.0)
    assert cost.cumulative[0] == pytest.approx(1612.0)


def test_upfront_cost_of_rag_embeds_the_corpus() -> None:
    rag = bare_approach("acme", engineering_hours=20)
    cost = compute_costs(inputs(approaches={"rag": rag})).approaches["rag"]
    # 10M corpus tokens x $0.02/1M = $0.20; 20 h x $80 = $1,600
    assert cost.upfront == pytest.approx(1600.20)


def test_prompting_has_no_training_or_data_preparation_cost() -> None:
    pe = bare_approach("acme", data_prep_hours=50)
    cost = compute_costs(inputs(approaches={"prompt_engineering": pe})).approaches[
        "prompt_engineering"]
    assert cost.upfront == 0


def test_cumulative_series_with_maintenance() -> None:
    pe = bare_approach("acme", system_prompt_tokens=1000, few_shot_tokens=500,
                       user_input_tokens=300, output_tokens=200, cached_share=0.5,
                       maintenance_hours_per_month=1)
    report = compute_costs(inputs(approaches={"prompt_engineering": pe}))
    cost = report.approaches["prompt_engineering"]
    # 10 days x 1,000 requests x $0.00385 = $38.50; 1 h x $80 a month = $80 x 12 / 365 per day
    assert cost.total_at_horizon == pytest.approx(38.5 + 10 * 80 * 12 / 365)
    assert len(report.days) == 11 and cost.cumulative[0] == 0
    assert cost.monthly == pytest.approx(0.00385 * 1000 * 365 / 12 + 80)


def test_quarterly_retraining_happens_three_times_a_year() -> None:
    assert event_days(3, 365) == [92, 183, 274]
    assert len(event_days(1, 365)) == 11  # the first index is built upfront
    assert event_days(0, 365) == []
    ft = bare_approach("acme")
    report = compute_costs(inputs(
        horizon_days=365,
        approaches={"fine_tuning": ft},
        training=TrainingInputs(training_tokens=1_000_000, epochs=4, evaluation_cost=100,
                                retrain_every_months=3),
    ))
    cost = report.approaches["fine_tuning"]
    # upfront training $12 and its evaluation $100, then 3 retrains of $12 + $100 evaluation
    assert cost.total_at_horizon == pytest.approx(112 + 3 * 112)
    assert [(e.day, e.kind, e.cost) for e in cost.events] == [
        (92, "retrain", pytest.approx(112)), (183, "retrain", pytest.approx(112)),
        (274, "retrain", pytest.approx(112))]
    assert cost.daily[92] == pytest.approx(112)
    assert cost.monthly_breakdown["retraining"] == pytest.approx(112 / 3)


def test_monthly_reindexing() -> None:
    report = compute_costs(inputs(horizon_days=365, approaches={"rag": bare_approach("acme")},
                                  retrieval=RetrievalInputs(embedding_model="embed",
                                                            corpus_tokens=10_000_000,
                                                            reindex_every_months=1)))
    # the first embedding upfront ($0.20) and eleven refreshes in the year
    assert report.approaches["rag"].total_at_horizon == pytest.approx(0.20 * 12)


def test_monthly_growth_compounds() -> None:
    volume = request_volume(inputs(requests_per_day=1000, monthly_growth=0.10, horizon_days=400))
    assert volume[0] == 0
    assert volume[1] == pytest.approx(1000)
    # one month (365/12 days) after day 1, traffic is 10% higher
    assert np.interp(1 + DAYS_PER_MONTH, np.arange(401), volume) == pytest.approx(1100, rel=1e-3)
    assert volume[1 + 365] == pytest.approx(1000 * 1.1**12)


def _pair(upfront_ft: float, ft_output_tokens: int = 500) -> CostInputs:
    # Prompting: 1,000 output tokens at $10 = $0.01 a request, $10 a day at 1,000 a day.
    # Fine-tuning: 500 output tokens at $10 = $0.005, $5 a day, after `upfront_ft` upfront.
    override = PriceOverride(input=10, output=10, training=1, fine_tuned_input=10,
                             fine_tuned_output=10)
    return inputs(
        horizon_days=60,
        price_overrides={"acme": override, "embed": EMBED},
        training=TrainingInputs(training_tokens=0, epochs=1, evaluation_cost=0,
                                retrain_every_months=0),
        approaches={
            "prompt_engineering": bare_approach("acme", output_tokens=1000),
            "fine_tuning": bare_approach("acme", output_tokens=ft_output_tokens,
                                         setup_cost=upfront_ft),
        },
    )


def test_break_even_interpolates_between_days() -> None:
    report = compute_costs(_pair(103))
    # $10 d = $103 + $5 d  ->  d = 20.6
    assert report.payback_days() == pytest.approx(20.6)
    pair = next(b for b in report.break_even
                if {b.a, b.b} == {"prompt_engineering", "fine_tuning"})
    assert pair.cheaper_after == "fine_tuning"


def test_break_even_on_a_whole_day() -> None:
    assert compute_costs(_pair(100)).payback_days() == pytest.approx(20.0)


def test_lines_that_never_cross_have_no_break_even() -> None:
    report = compute_costs(_pair(100, ft_output_tokens=1000))  # same daily cost, dearer start
    pair = next(b for b in report.break_even
                if {b.a, b.b} == {"prompt_engineering", "fine_tuning"})
    assert pair.day is None and pair.cheaper_after is None
    assert report.payback_days() is None


def test_break_even_listed_for_every_pair() -> None:
    report = compute_costs(inputs())
    assert len(report.break_even) == 15


def test_unknown_model_is_an_error_naming_it() -> None:
    broken = inputs(approaches={"rag": bare_approach("no-such-model-xyz")})
    with pytest.raises(PriceError, match="no-such-model-xyz"):
        compute_costs(broken)
    lenient = compute_costs(broken, strict=False)
    assert "rag" not in lenient.approaches
    assert "no-such-model-xyz" in lenient.errors["rag"]
    assert len(lenient.approaches) == 5


def test_model_that_cannot_be_fine_tuned_is_an_error_naming_it() -> None:
    costs = CostInputs(approaches={"fine_tuning": bare_approach("gpt-5")})
    with pytest.raises(PriceError, match=r"'gpt-5'.*training"):
        compute_costs(costs)


def test_qualitative_rows_follow_the_comparison() -> None:
    report = compute_costs(inputs())
    rows = {a: (c.maintenance_burden, c.quality_consistency)
            for a, c in report.approaches.items()}
    assert rows["prompt_engineering"] == ("Low", "Medium")
    assert rows["rag"] == ("High", "Medium-High")
    assert rows["fine_tuning"] == ("Medium", "High")


def test_support_bot_reproduces_the_comparison(support_bot) -> None:  # type: ignore[no-untyped-def]
    report = compute_costs(support_bot.costs)
    pe, rag, ft = (report.approaches[a] for a in ("prompt_engineering", "rag", "fine_tuning"))
    assert pe.upfront == 0
    assert rag.per_request > pe.per_request > ft.per_request
    # gpt-5.4-mini ($0.75 in, $0.075 cached, $4.50 out): 2,700 input tokens of which 92%
    # (2,484) is the cached prefix; at 10,000 requests a day it is always warm:
    # 216 x 0.75 + 2,484 x 0.075 + 300 x 4.50 = 162 + 186.3 + 1,350 = $0.0016983 a request
    assert pe.per_request == pytest.approx(0.0016983, rel=1e-6)
    assert pe.cache_hit_rate == pytest.approx(1.0)
    # RAG on gpt-5.4-mini: 3,000 input x 0.75 + 300 x 4.50 + 200 embedded x 0.02 = $0.003604
    assert rag.per_request == pytest.approx(0.003604)
    # Llama 3.1 8B LoRA on Fireworks serverless: 600 tokens x $0.20 = $0.00012
    assert ft.per_request == pytest.approx(0.00012)
    assert ft.runs_on == "Fireworks AI llama-3.1-8b (serverless)"
    # Training 2M x 3 epochs x $0.50 = $3; 40 h x $90 = $3,600; first evaluation $150
    assert ft.upfront == pytest.approx(3753.0)


# ---- one workload ---------------------------------------------------------------------------

def test_the_workload_is_stated_once_and_every_approach_follows_it() -> None:
    from tunewise.core.project import Workload

    inputs = CostInputs(requests_per_day=1, horizon_days=1,
                        workload=Workload(user_input_tokens=6000, output_tokens=800))
    report = compute_costs(inputs)
    # Prompt engineering: 2,000 system + 1,000 few-shot + 6,000 user = 9,000 in, 800 out.
    assert report.approaches["prompt_engineering"].input_tokens == 9000
    assert report.approaches["prompt_engineering"].output_tokens == 800
    # RAG: 500 system + 1,500 retrieved + 6,000 user = 8,000 in, 800 out.
    assert report.approaches["rag"].input_tokens == 8000
    assert all(c.output_tokens == 800 for c in report.approaches.values())


def test_an_approach_overrides_only_what_differs() -> None:
    from tunewise.core.project import Workload, default_approaches

    approaches = default_approaches()
    approaches["rag"] = approaches["rag"].model_copy(update={"output_tokens": 120})
    inputs = CostInputs(workload=Workload(user_input_tokens=300, output_tokens=500),
                        approaches=approaches)
    assert inputs.overrides_workload("rag") == ["output"]
    assert inputs.overrides_workload("fine_tuning") == []
    report = compute_costs(inputs)
    assert report.approaches["rag"].output_tokens == 120
    assert report.approaches["fine_tuning"].output_tokens == 500
    # Fine-tuning: 100 system + 300 user.
    assert report.approaches["fine_tuning"].input_tokens == 400
