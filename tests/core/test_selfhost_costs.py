"""Self-hosted fine-tuning in the cost model: training hours on cards, serving GPUs by traffic.

Every figure is worked out by hand from the GPU catalogue's numbers (asserted first, so a
change in the data shows here rather than as a mysterious cost):
- Llama 3.1 8B has 8.03e9 parameters (published); LoRA r=16 with checkpointing does
  48,431,658,240 FLOPs a training token (6N over the architecture's count plus the adapters);
- the A100 80GB peaks at 312 TFLOPS bf16 and rents at $1.30 an hour; LoRA runs at 35%;
- the L40S peaks at 362.05 TFLOPS and rents at $1.40 an hour.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tunewise.core.costs import DAYS_PER_MONTH, compute_costs
from tunewise.core.evaluation import evaluate
from tunewise.core.gpu import analysis, catalogue, throughput
from tunewise.core.project import CostInputs, GpuPlan, Project


def self_hosted(requests: float = 10_000, growth: float = 0.0, horizon: int = 30,
                **plan: object) -> CostInputs:
    inputs = CostInputs(requests_per_day=requests, monthly_growth=growth, horizon_days=horizon,
                        gpu=GpuPlan(**{"method": "lora", "serving_tokens_per_second": 100.0,
                                       **plan}))  # type: ignore[arg-type]
    tuned = inputs.approach("fine_tuning").model_copy(
        update={"provider": "self-hosted", "deployment": None})
    inputs.approaches = {**inputs.approaches, "fine_tuning": tuned}
    return inputs


def test_the_catalogue_figures_the_hand_sums_use() -> None:
    a100, l40s = catalogue.gpus().get("a100-80gb"), catalogue.gpus().get("l40s")
    assert (a100.bf16_tflops, a100.rental_per_hour) == (312.0, 1.30)
    assert (l40s.bf16_tflops, l40s.rental_per_hour) == (362.05, 1.40)
    assert catalogue.gpus().default_training == a100
    assert catalogue.gpus().default_serving == l40s
    llama = catalogue.models().get("llama-3.1-8b")
    assert llama.parameters == 8_030_000_000
    assert throughput.training_flops_per_token(llama, "lora") == 48_431_658_240


# One request: 100 system + 200 user = 300 input tokens, 300 output tokens.
# Prefill: 300 x 2 x 8.03e9 FLOPs at half of 362.05 TFLOPS = 0.0266151 s; decoding at the typed
# 100 tokens a second: 3 s. So 3.0266151 GPU-seconds a request.
SECONDS = 300 * 2 * 8.03e9 / (362.05e12 * 0.5) + 300 / 100


def test_serving_rents_the_cards_the_busiest_hour_needs() -> None:
    # 10,000 a day, the busiest hour at 3 times the average: 0.347222 requests a second, each
    # 3.0266 GPU-seconds: 1.0509 busy cards, so 2 L40S at $1.40 an hour: $67.20 a day.
    costs = compute_costs(self_hosted())
    tuned = costs.approaches["fine_tuning"]
    assert pytest.approx(1.05091, abs=1e-5) == 10_000 / 86_400 * 3 * SECONDS
    assert tuned.runs_on == "Self-hosted llama-3.1-8b"
    assert tuned.per_request == 0.0  # no charge per token
    assert tuned.monthly_breakdown["hosting"] == pytest.approx(67.20 * DAYS_PER_MONTH)
    assert tuned.daily[1] - tuned.daily[2] == 0.0
    # Day 1's cost: the serving cards plus the monthly upkeep (4 hours at $100) spread per day.
    assert tuned.daily[1] == pytest.approx(67.20 + 400 / DAYS_PER_MONTH)
    assert "serving on NVIDIA L40S cards at $1.40 an hour" in tuned.pricing_note


def test_a_training_run_is_its_hours_on_the_default_rented_card() -> None:
    # 1M tokens x 3 epochs x 48,431,658,240 FLOPs / (312e12 x 0.35) = 1,330.5 s = 0.369594 h,
    # at $1.30 an hour: $0.4805 a run.
    costs = compute_costs(self_hosted())
    tuned = costs.approaches["fine_tuning"]
    assert tuned.upfront_breakdown["training"] == pytest.approx(0.4804728)
    assert "0.4 hours a run on one NVIDIA A100 80GB SXM rented at $1.30 an hour" in (
        tuned.pricing_note)


def test_own_cards_train_for_nothing_an_hour_and_typed_hours_win() -> None:
    own = compute_costs(self_hosted(access="own", gpu="rtx-4090")).approaches["fine_tuning"]
    assert own.upfront_breakdown["training"] == 0.0
    assert "of yours" in own.pricing_note and "no hourly charge counted" in own.pricing_note
    typed = self_hosted(access="rent", gpu="h100-80gb", count=2)
    typed.training = typed.training.model_copy(update={"training_hours": 5.0})
    h100 = catalogue.gpus().get("h100-80gb")
    assert h100.rental_per_hour is not None
    run = compute_costs(typed).approaches["fine_tuning"].upfront_breakdown["training"]
    assert run == pytest.approx(5.0 * 2 * h100.rental_per_hour)


def test_the_serving_bill_steps_up_with_traffic() -> None:
    # 5,000 a day growing 10% a month: busy cards = volume / 86,400 x 3 x 3.0266 pass 1 when
    # the volume passes 9,515.6 a day: 5,000 x 1.1^((d-1)/30.4167) > 9,515.6 first on day 207.
    inputs = self_hosted(requests=5_000, growth=0.10, horizon=365)
    costs = compute_costs(inputs)
    tuned = costs.approaches["fine_tuning"]
    upkeep = 400 / DAYS_PER_MONTH
    serving = tuned.daily[1:] - upkeep
    retrain_days = {e.day for e in tuned.events}
    plain = [d for d in range(1, 366) if d not in retrain_days]
    one, two = 1 * 1.40 * 24, 2 * 1.40 * 24
    assert all(math.isclose(serving[d - 1], one) for d in plain if d < 207)
    assert all(math.isclose(serving[d - 1], two) for d in plain if d >= 207)
    # The analysis lists the same step.
    result = analysis.run(Project(costs=inputs), costs)
    assert result is not None
    assert [(s.day, s.gpus) for s in result.serving] == [(1, 1), (207, 2)]
    assert result.serving[1].requests_per_day == pytest.approx(
        5_000 * 1.1 ** (206 / DAYS_PER_MONTH))


def test_totals_at_another_volume_follow_the_serving_steps() -> None:
    # Doubling the traffic doubles the busy cards (1.05 -> 2.10): 3 cards instead of 2.
    costs = compute_costs(self_hosted())
    totals = costs.totals_at_volume(20_000, ("fine_tuning",))
    tuned = costs.approaches["fine_tuning"]
    assert totals["fine_tuning"] - tuned.total_at_horizon == pytest.approx(30 * 1.40 * 24)


def test_a_self_hosted_plan_shows_in_the_evaluation_with_its_sign() -> None:
    inputs = self_hosted(access="rent", gpu="l40s", model="llama-3.1-8b")
    evaluation = evaluate(Project(costs=inputs))
    sign = next(s for s in evaluation.assessment.signals_against if s.id == "no_gpu_budget")
    assert not sign.present
    assert sign.detail.startswith("LoRA of Llama 3.1 8B at 2,048 tokens needs about ")
    assert sign.detail.endswith("a rented NVIDIA L40S has 48 GB.")
    assert np.all(np.diff(evaluation.costs.approaches["fine_tuning"].cumulative) > 0)
