"""Small builders for core tests: a project with just the answers a test cares about."""

from __future__ import annotations

from typing import Any

from tunewise.core.project import Answers, ApproachInputs, CostInputs, Project


def project_with(costs: CostInputs | None = None, **answers: Any) -> Project:
    return Project(answers=Answers(**answers), costs=costs or CostInputs())


def fine_tuning_answers(**overrides: Any) -> dict[str, Any]:
    """Answers that walk the flowchart all the way to 'fine-tune'."""
    base: dict[str, Any] = {
        "few_shot_adequate": "no",
        "knowledge_gap": False,
        "behavior_gap": True,
        "example_count": 500,
        "examples_high_quality": True,
        "style_voice": True,
    }
    base.update(overrides)
    return base


def bare_approach(model: str, **fields: Any) -> ApproachInputs:
    """An approach with every cost input zero unless given, for hand-computed figures."""
    zero: dict[str, Any] = {
        "system_prompt_tokens": 0, "few_shot_tokens": 0, "retrieved_tokens": 0,
        "user_input_tokens": 0, "output_tokens": 0, "cached_share": 0.0,
        "engineering_hours": 0, "data_prep_hours": 0, "setup_cost": 0,
        "monthly_fixed": 0, "maintenance_hours_per_month": 0,
    }
    zero.update(fields)
    return ApproachInputs(model=model, **zero)
