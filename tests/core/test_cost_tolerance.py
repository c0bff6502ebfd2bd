"""At extreme valid inputs, comparisons of cost lines allow for float rounding and no more.

Regression tests of issue 11, item 20: a relative slack of 1e-9 called a plan that costs
$1,200 more "no dearer" once both lines were in the trillions.
"""

from __future__ import annotations

import numpy as np

from tests.core.helpers import bare_approach, fine_tuning_answers
from tunewise.core.costs import crossing
from tunewise.core.evaluation import evaluate
from tunewise.core.project import Answers, CostInputs, PriceOverride, Project, TrainingInputs

SAME = PriceOverride(input=1.0, output=1.0, fine_tuned_input=1.0, fine_tuned_output=1.0,
                     training=0.0)


def _plan(ft_monthly_fixed: float) -> Project:
    # Both approaches: 100,000 engineering hours at $100M an hour ($10 trillion up front), the
    # same model at the same prices, the same tokens; fine-tuning's monthly bill differs.
    costs = CostInputs(
        requests_per_day=1000, horizon_days=365, hourly_rate=100_000_000,
        approaches={
            "prompt_engineering": bare_approach("m", engineering_hours=100_000,
                                                user_input_tokens=100, output_tokens=100),
            "fine_tuning": bare_approach("m", engineering_hours=100_000,
                                         user_input_tokens=100, output_tokens=100,
                                         monthly_fixed=ft_monthly_fixed),
        },
        training=TrainingInputs(training_tokens=0, evaluation_cost=0, retrain_every_months=0),
        price_overrides={"m": SAME})
    return Project(answers=Answers(**fine_tuning_answers()), costs=costs)


def test_a_plan_1200_dollars_dearer_at_10_trillion_is_not_called_no_dearer() -> None:
    evaluation = evaluate(_plan(ft_monthly_fixed=100))
    costs = evaluation.costs.approaches
    # By hand: $100 a month for 12 months is $1,200 more over the year, on $10 trillion.
    gap = costs["fine_tuning"].total_at_horizon - costs["prompt_engineering"].total_at_horizon
    assert abs(gap - 1_200) < 0.01
    payback = evaluation.assessment.payback
    assert payback is not None and evaluation.assessment.recommended_row == "fine_tuning"
    assert payback.sentence == ("Within 365 days fine-tuning does not earn back its cost "
                                "against prompt engineering.")


def test_lines_equal_but_for_rounding_are_called_no_dearer() -> None:
    payback = evaluate(_plan(ft_monthly_fixed=0)).assessment.payback
    assert payback is not None
    assert payback.sentence == ("Fine-tuning costs no more than prompt engineering from the "
                                "first day.")


def test_rounding_noise_is_never_a_crossing() -> None:
    base = np.cumsum(np.full(3651, 1e60))
    wobble = base * (1 + np.where(np.arange(3651) % 2 == 0, 1, -1) * 1e-15)
    assert crossing(base, wobble) is None
    # A real difference still crosses, however large the lines.
    later = base + np.linspace(1e55, -1e55, 3651) * 1e5
    found = crossing(later, base)
    assert found is not None and 1824 < found[0] < 1826
