"""A few-shot score Tunewise measured itself: it beats a typed one, and its interval decides
whether the 90% rule is a close call, with the sample that would settle it."""

from __future__ import annotations

import math
from datetime import date

import pytest

from tests.core.helpers import fine_tuning_answers, project_with
from tunewise.core.decision import assess, examples_to_settle, few_shot_check
from tunewise.core.project import Answers, MeasuredFewShot
from tunewise.core.stats import wilson


def measured(passed: int, n: int) -> MeasuredFewShot:
    low, high = wilson(passed, n)
    return MeasuredFewShot(score=passed / n, low=low, high=high, n=n, passed=passed,
                           scorer="exact", model="gpt-5.4-mini", endpoint_host="127.0.0.1",
                           measured_on=date(2026, 11, 29))


def test_wilson_interval_by_hand() -> None:
    # 40 of 50: p = 0.8, z = 1.96, z^2 = 3.8416.
    # centre = (0.8 + 3.8416 / 100) / (1 + 3.8416 / 50) = 0.838416 / 1.076832 = 0.778596
    # half = 1.96 * sqrt(0.16 / 50 + 3.8416 / 10,000) / 1.076832 = 0.108969
    low, high = wilson(40, 50)
    assert low == pytest.approx(0.669627, abs=5e-6)  # to the rounding of the hand sums
    assert high == pytest.approx(0.887565, abs=5e-6)
    assert wilson(0, 10)[0] == 0 and wilson(10, 10)[1] == 1


def test_a_measured_score_beats_a_typed_one() -> None:
    a = Answers(few_shot_score=0.95, quality_target=0.9, few_shot_measured=measured(25, 50))
    check = few_shot_check(a)
    assert check is not None and check.measured
    assert check.score == 0.5 and not check.passes  # the typed 95% is not used
    assert check.n == 50 and not check.close_call  # 0.81 is far above 0.36-0.64
    assert "Measured few-shot score 50% (25 of 50 held-out examples on gpt-5.4-mini" in (
        check.explanation)


def test_a_line_inside_the_interval_is_a_close_call_with_the_sample_to_settle_it() -> None:
    # 40 of 50 against a 90% target: the line asks for 81%, inside 67%-89%.
    project = project_with(**fine_tuning_answers(
        few_shot_adequate=None, quality_target=0.9, few_shot_measured=measured(40, 50)))
    a = assess(project)
    check = a.few_shot_check
    assert check is not None and check.close_call and not check.passes
    # At a score of 80%, the interval's top drops below 81% from n = the smallest size where
    # centre + half < 0.81; found by search, then checked on both sides here.
    n = check.settle_n
    assert n is not None
    assert wilson(0.8 * n, n)[1] < 0.81 <= wilson(0.8 * (n - 1), n - 1)[1]
    assert n == examples_to_settle(0.8, 0.81, 50)
    assert any("close call" in r and f"about {n:,}" in r for r in [check.explanation])
    assert a.confidence != "high"
    assert any("could land on either side" in d for d in a.confidence_reasons)
    step = next(s for s in a.next_steps if s.id == "settle_few_shot")
    assert f"score about {n:,} held-out examples in all" in step.message


def test_a_score_on_the_line_cannot_be_settled_by_sample_size() -> None:
    assert examples_to_settle(0.81, 0.81, 50) is None


def test_a_clear_measured_result_is_not_a_close_call() -> None:
    a = assess(project_with(**fine_tuning_answers(
        few_shot_adequate=None, quality_target=0.8, few_shot_measured=measured(49, 50))))
    check = a.few_shot_check
    assert check is not None and check.passes and not check.close_call
    assert a.approach == "prompt_engineering"
    assert not math.isnan(check.ratio)
