"""Ranges and scenarios in the plan: checked like their fields, saved and loaded, evaluated."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from tunewise.core import inputs, scenarios
from tunewise.core.costs import compute_costs
from tunewise.core.evaluation import evaluate
from tunewise.core.project import CostInputs, Project, Range, Scenario, Uncertainty
from tunewise.core.storage import project_from_bytes, project_to_bytes


def plan(**changes: object) -> Project:
    return Project(**changes)  # type: ignore[arg-type]


def test_a_range_is_checked_like_the_field_it_sits_on() -> None:
    with pytest.raises(ValidationError, match="the range on Requests a day: Input should be "
                                              "greater than or equal to 0"):
        plan(uncertainty=Uncertainty(ranges={"costs.requests_per_day": Range(
            low=-1, likely=10, high=20)}))
    with pytest.raises(ValidationError, match=r"the range on Epochs takes whole numbers, not 1\.5"):
        plan(uncertainty=Uncertainty(ranges={"costs.training.epochs": Range(
            low=1.5, likely=2, high=3)}))
    with pytest.raises(ValidationError, match=r"'costs\.approaches\.rag\.model' is not an input "
                                              "that can carry a range"):
        plan(uncertainty=Uncertainty(ranges={"costs.approaches.rag.model": Range(
            low=1, likely=1, high=1)}))
    with pytest.raises(ValidationError, match=r"low <= likely <= high; got 3, 1, 2"):
        Range(low=3, likely=1, high=2)


def test_scenarios_need_distinct_names_and_known_inputs() -> None:
    with pytest.raises(ValidationError, match="two scenarios are called 'launch'"):
        plan(scenarios=[Scenario(name="Launch"), Scenario(name="launch")])
    with pytest.raises(ValidationError, match="Monthly growth: Input should be less than or "
                                              "equal to 2"):
        plan(scenarios=[Scenario(name="Boom", overrides={"costs.monthly_growth": 5.0})])


def test_ranges_and_scenarios_survive_save_and_load() -> None:
    project = plan(
        uncertainty=Uncertainty(ranges={"costs.approaches.rag.engineering_hours": Range(
            low=40, likely=80, high=160)}, distribution="triangular", draws=2000, seed=9),
        scenarios=[Scenario(name="3x traffic", note="if launch goes well",
                            overrides={"costs.requests_per_day": 30_000}),
                   Scenario(name="gpt-4.1-mini for prompting", overrides={
                       "costs.approaches.prompt_engineering.model": "gpt-4.1-mini"})])
    raw = project_to_bytes(project)
    doc = json.loads(raw)
    assert doc["uncertainty"]["ranges"] == {
        "costs.approaches.rag.engineering_hours": {"low": 40.0, "likely": 80.0, "high": 160.0}}
    assert doc["scenarios"][0] == {"name": "3x traffic", "note": "if launch goes well",
                                   "overrides": {"costs.requests_per_day": 30000.0}}
    assert project_from_bytes(raw) == project


def test_a_scenario_is_the_plan_with_its_inputs_set() -> None:
    project = plan(scenarios=[Scenario(name="3x traffic",
                                       overrides={"costs.requests_per_day": 30_000})])
    changed = scenarios.apply(project, scenarios.find(project, "3X TRAFFIC"))
    assert changed.costs.requests_per_day == 30_000
    assert project.costs.requests_per_day == 10_000  # the plan itself is untouched
    table = scenarios.compare(project)
    assert [r.name for r in table.rows] == [scenarios.PLAN_NAME, "3x traffic"]
    assert table.rows[1].changes == ["Requests a day: 30,000 (plan: 10,000)"]
    tripled = evaluate(changed, strict=False)
    assert table.rows[1].totals == {k: v.total_at_horizon
                                    for k, v in tripled.costs.approaches.items()}
    with pytest.raises(inputs.InputError, match="no scenario called 'Doom' \\(it has: "
                                                "'3x traffic'\\)"):
        scenarios.find(project, "Doom")


def test_a_price_multiplier_scales_every_price_the_approach_pays() -> None:
    base = CostInputs(horizon_days=90)
    doubled = base.model_copy(deep=True)
    for approach in ("prompt_engineering", "fine_tuning"):
        doubled.approaches = {**doubled.approaches, approach: doubled.approach(
            approach).model_copy(update={"price_multiplier": 2.0})}
    one, two = compute_costs(base), compute_costs(doubled)
    for approach in ("prompt_engineering", "fine_tuning"):
        a, b = one.approaches[approach], two.approaches[approach]
        assert b.per_request == pytest.approx(2 * a.per_request)
        assert b.upfront_breakdown["training"] == pytest.approx(
            2 * a.upfront_breakdown["training"])
        # Engineering hours are the team's own figures: unchanged.
        assert b.upfront_breakdown["engineering"] == a.upfront_breakdown["engineering"]
    assert two.approaches["rag"].total_at_horizon == one.approaches["rag"].total_at_horizon


def test_every_rangeable_input_reads_and_applies() -> None:
    project = Project()
    for path in inputs.RANGEABLE_PATHS:
        value = inputs.read(project, path)
        number = 1 if value is None else value
        changed = inputs.apply(project, path, float(number))
        assert inputs.read(changed, path) == number, path
        assert inputs.label(path) != path


def test_a_scenario_s_own_inputs_lose_their_ranges_there() -> None:
    project = plan(
        uncertainty=Uncertainty(ranges={
            "costs.requests_per_day": Range(low=5_000, likely=10_000, high=20_000),
            "costs.hourly_rate": Range(low=80, likely=100, high=120)}),
        scenarios=[Scenario(name="3x traffic", overrides={"costs.requests_per_day": 30_000})])
    changed = scenarios.apply(project, project.scenarios[0])
    assert list(changed.uncertainty.ranges) == ["costs.hourly_rate"]
    assert list(project.uncertainty.ranges) == ["costs.requests_per_day", "costs.hourly_rate"]
