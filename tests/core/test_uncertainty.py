"""The uncertainty engine against figures worked out by hand: bands, odds, tornado, few-shot."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from tests.core.helpers import bare_approach, fine_tuning_answers
from tunewise.core import sampling, stats, uncertainty
from tunewise.core.costs import compute_costs
from tunewise.core.decision import examples_to_settle
from tunewise.core.evaluation import Evaluation, evaluate
from tunewise.core.project import (
    APPROACHES,
    Answers,
    CostInputs,
    PriceOverride,
    Project,
    Range,
    RetrievalInputs,
    TrainingInputs,
    Uncertainty,
)

START = date(2026, 1, 1)
# A made-up model priced by override (as in test_costs.py): input $2, output $8 per 1M tokens;
# fine-tuned input $1, output $4, training $3. No caching and no batching, so every cost is
# linear in traffic.
ACME = PriceOverride(input=2.0, cached_input=0.5, output=8.0, training=3.0,
                     fine_tuned_input=1.0, fine_tuned_cached_input=0.25, fine_tuned_output=4.0)
REQUESTS = "costs.requests_per_day"
PE = "prompt_engineering"
FT = "fine_tuning"


def costs(**fields: object) -> CostInputs:
    # The other four approaches carry $1M of setup, so the comparison is the two below.
    approaches = {a: bare_approach("acme", setup_cost=1_000_000) for a in APPROACHES}
    # Prompting: 1,000 prompt tokens + 200 of output a request: (1000*2 + 200*8)/1M = $0.0036,
    # and 10 engineering hours at $100.
    approaches[PE] = bare_approach("acme", system_prompt_tokens=1000, output_tokens=200,
                                   engineering_hours=10)
    # Fine-tuning: 200 output tokens at $4/1M = $0.0008 a request; 80 engineering hours and
    # training 1M tokens x 1 epoch x $3 upfront: $8,003 (+$0 evaluation).
    approaches[FT] = bare_approach("acme", output_tokens=200, engineering_hours=80)
    base: dict[str, object] = {
        "requests_per_day": 1000, "horizon_days": 365, "hourly_rate": 100,
        "approaches": approaches,
        "training": TrainingInputs(training_tokens=1_000_000, epochs=1, evaluation_cost=0,
                                   retrain_every_months=0),
        "retrieval": RetrievalInputs(embedding_model="embed", corpus_tokens=0,
                                     reindex_every_months=0),
        "price_overrides": {"acme": ACME, "embed": PriceOverride(embedding=0.02)},
    }
    base.update(fields)
    return CostInputs(**base)  # type: ignore[arg-type]


def evaluated(ranges: dict[str, Range] | None = None, *, distribution: str = "pert",
              answers: Answers | None = None, **fields: object) -> Evaluation:
    project = Project(costs=costs(**fields), answers=answers or Answers(),
                      uncertainty=Uncertainty(ranges=ranges or {},
                                              distribution=distribution))  # type: ignore[arg-type]
    return evaluate(project, strict=False, today=START)


def triangular_quantile(q: float, a: float, m: float, b: float) -> float:
    turn = (m - a) / (b - a)
    if q < turn:
        return a + math.sqrt(q * (b - a) * (m - a))
    return b - math.sqrt((1 - q) * (b - a) * (b - m))


def test_a_traffic_range_moves_prompting_by_the_affine_map_of_its_quantiles() -> None:
    a, m, b = 500.0, 1000.0, 3000.0
    ev = evaluated({REQUESTS: Range(low=a, likely=m, high=b)}, distribution="triangular")
    # Prompting at the horizon: $1,000 of engineering + R x 365 days x $0.0036.
    per_request = (1000 * 2 + 200 * 8) / 1e6
    assert ev.costs.approaches[PE].total_at_horizon == pytest.approx(
        1000 + 1000 * 365 * per_request)
    result = uncertainty.run(ev)
    spread = (b - a) * 365 * per_request
    found = result.total_at_horizon[PE]
    for q, got in ((0.1, found.p10), (0.5, found.p50), (0.9, found.p90)):
        expected = 1000 + triangular_quantile(q, a, m, b) * 365 * per_request
        assert got == pytest.approx(expected, abs=0.01 * spread)


def test_with_no_ranges_the_bands_are_the_plan_s_own_lines() -> None:
    ev = evaluated()
    result = uncertainty.run(ev)
    assert result.inputs == [] and result.sensitivity == []
    for approach, band in result.bands.items():
        line = ev.costs.approaches[approach].cumulative[band.days].tolist()
        assert band.p10 == line and band.p50 == line and band.p90 == line
    assert band.days[0] == 0 and band.days[-1] == 365
    totals = {a: c.total_at_horizon for a, c in ev.costs.approaches.items()}
    cheapest = min(totals, key=lambda a: totals[a])
    assert result.cheapest_probability == {a: float(a == cheapest) for a in totals}


def wide_ranges() -> dict[str, Range]:
    return {REQUESTS: Range(low=200, likely=1000, high=8000),
            "costs.hourly_rate": Range(low=60, likely=100, high=200),
            "costs.approaches.fine_tuning.price_multiplier": Range(low=0.5, likely=1, high=3)}


def test_probabilities_sum_to_one_and_a_seed_repeats_its_draws() -> None:
    ev = evaluated(wide_ranges())
    first = uncertainty.run(ev)
    assert sum(first.cheapest_probability.values()) == pytest.approx(1.0, abs=1e-12)
    assert 0 < first.cheapest_probability[PE] < 1
    assert uncertainty.run(ev) == first
    other = uncertainty.run(ev, seed=2)
    assert other.seed == 2 and other.bands[PE].p50 != first.bands[PE].p50
    assert uncertainty.run(ev, draws=500).draws == 500


def test_the_same_seed_gives_the_same_uniforms_everywhere() -> None:
    # Mersenne Twister bytes, top 53 bits: fixed by the seed, not by numpy or the platform.
    u = sampling.uniforms(1, 2, 3)
    again = sampling.uniforms(1, 2, 3)
    assert u.shape == (2, 3) and np.array_equal(u, again)
    assert not np.array_equal(u, sampling.uniforms(2, 2, 3))
    assert ((u >= 0) & (u < 1)).all()


def test_the_tornado_puts_the_only_wide_input_first() -> None:
    ranges = {REQUESTS: Range(low=100, likely=1000, high=10_000),
              "costs.hourly_rate": Range(low=99, likely=100, high=101),
              "costs.approaches.fine_tuning.engineering_hours": Range(low=79, likely=80,
                                                                      high=81)}
    result = uncertainty.run(evaluated(ranges))
    top = result.sensitivity[0]
    assert top.input == REQUESTS
    assert top.label == "Requests a day"
    assert top.swing == pytest.approx(abs(top.diff_high - top.diff_low))
    # Hourly rate: the recommendation and its runner-up differ by 70 engineering hours, so
    # $2 an hour across the range moves their gap by $140 (hand-computed).
    rate = next(s for s in result.sensitivity if s.input == "costs.hourly_rate")
    assert rate.swing == pytest.approx(140.0)


def test_an_input_that_can_flip_the_cheapest_is_named() -> None:
    ev = evaluated({"costs.approaches.fine_tuning.engineering_hours":
                    Range(low=40, likely=80, high=400)}, requests_per_day=20_000)
    totals = {a: c.total_at_horizon for a, c in ev.costs.approaches.items()}
    # At 20,000 a day fine-tuning saves $0.0028 x 20,000 x 365 = $20,440 in a year against
    # prompting, for $7,000 more engineering and $3 of training: cheapest today.
    assert min(totals, key=lambda a: totals[a]) == FT
    result = uncertainty.run(ev)
    hours = result.sensitivity[0]
    # At 400 hours ($32,000 more) prompting is cheaper again.
    assert hours.flips == PE
    assert any(s.startswith("Fine-tuning: engineering hours can change the cheapest")
               and "prompt engineering" in s for s in result.could_flip)
    assert result.cheapest_probability[PE] > 0


def test_the_payback_day_of_straight_lines_is_where_they_cross() -> None:
    ev = evaluated(answers=Answers(**fine_tuning_answers()), requests_per_day=5000)
    assert ev.assessment.recommended_row == FT
    # Fine-tuning $8,003 upfront + $4 a day against prompting $1,000 + $18 a day: the lines
    # meet after 7,003 / 14 = 500.2 days, beyond a 365-day horizon; at 730 days they do meet.
    result = uncertainty.run(evaluated(answers=Answers(**fine_tuning_answers()),
                                       requests_per_day=5000, horizon_days=730))
    assert result.break_even_day is not None and result.break_even_never == 0
    assert result.break_even_day.p50 == pytest.approx(7003 / 14)
    assert uncertainty.run(ev).break_even_never == 1.0


def test_a_growth_range_matches_the_model_at_its_median() -> None:
    # The total grows with growth, so its median is the total at growth's median, exactly;
    # the engine interpolates between grid points and must land close.
    a, m, b = 0.0, 0.03, 0.15
    ev = evaluated({"costs.monthly_growth": Range(low=a, likely=m, high=b)},
                   distribution="triangular", monthly_growth=m, horizon_days=1095)
    # The draws' own median (same seed, same uniforms), so only the interpolation is tested.
    drawn = sampling.triangular(sampling.uniforms(1, 10_000, 1)[:, 0], a, m, b)
    median = stats.percentile(drawn.tolist(), 50)
    exact = compute_costs(costs(monthly_growth=median, horizon_days=1095), today=START)
    got = uncertainty.run(ev).total_at_horizon[PE].p50
    assert got == pytest.approx(exact.approaches[PE].total_at_horizon, rel=0.005)


@pytest.mark.parametrize("distribution", ["pert", "triangular"])
def test_pert_and_triangular_draws_have_their_textbook_means(distribution: str) -> None:
    a, m, b = 2.0, 3.0, 10.0
    u = sampling.uniforms(7, 20_000, 1)[:, 0]
    if distribution == "pert":
        x = sampling.pert(u, a, m, b)
        mean = (a + 4 * m + b) / 6
        sd = math.sqrt((mean - a) * (b - mean) / 7)
    else:
        x = sampling.triangular(u, a, m, b)
        mean = (a + m + b) / 3
        sd = math.sqrt((a * a + m * m + b * b - a * m - a * b - m * b) / 18)
    assert a <= x.min() and x.max() <= b
    assert x.mean() == pytest.approx(mean, abs=4 * sd / math.sqrt(u.size))


def test_the_few_shot_score_s_odds_against_the_line() -> None:
    answers = Answers(quality_target=0.95, few_shot_score=0.9, few_shot_examples=50)
    odds = uncertainty.few_shot_odds(answers)
    assert odds is not None and (odds.n, odds.passed) == (50, 45)
    assert odds.line == pytest.approx(0.855)
    # Beta(46, 6) upper tail = P(Binomial(51, 0.855) <= 45), summed by hand.
    p = 0.9 * 0.95
    tail = sum(math.comb(51, k) * p**k * (1 - p) ** (51 - k) for k in range(46))
    assert odds.probability == pytest.approx(tail, abs=1e-4)
    assert odds.close_call and 0.1 < tail < 0.9
    settle = examples_to_settle(0.9, 0.855, 50)
    assert settle is not None and odds.more_examples == settle - 50
    # The smallest sample whose 95% interval at today's rate clears the line.
    assert stats.wilson(0.9 * settle, settle)[0] > 0.855
    assert stats.wilson(0.9 * (settle - 1), settle - 1)[0] <= 0.855
    assert f"{odds.more_examples:,} more held-out examples" in odds.sentence


def test_no_held_out_count_means_no_odds() -> None:
    assert uncertainty.few_shot_odds(Answers(quality_target=0.95, few_shot_score=0.9)) is None
    assert uncertainty.few_shot_odds(Answers(few_shot_score=0.9, few_shot_examples=50)) is None
    clear = uncertainty.few_shot_odds(Answers(quality_target=0.5, few_shot_score=0.9,
                                              few_shot_examples=200))
    assert clear is not None and clear.probability == 1.0 and not clear.close_call
    assert clear.more_examples is None


def test_the_tornado_s_centre_is_today_s_gap_between_the_two_rows() -> None:
    from tunewise.core.evaluation import evaluate
    from tunewise.core.project import Project, Range, Uncertainty

    project = Project(uncertainty=Uncertainty(ranges={
        "costs.hourly_rate": Range(low=80, likely=100, high=120)}))
    ev = evaluate(project, strict=False)
    result = uncertainty.run(ev, draws=500)
    assert result.recommended is not None and result.runner_up is not None
    mine = ev.costs.approaches[result.recommended].total_at_horizon
    theirs = ev.costs.approaches[result.runner_up].total_at_horizon
    assert result.gap == pytest.approx(mine - theirs)
    s = result.sensitivity[0]
    assert min(s.diff_low, s.diff_high) <= result.gap <= max(s.diff_low, s.diff_high)
