"""Cost inputs by their dotted path: which can carry a range, their words, reading and setting.

Ranges (`project.uncertainty.ranges`) and scenario overrides (`project.scenarios`) name the
field they act on by path ("costs.requests_per_day", "costs.approaches.rag.engineering_hours").
This module is the one place that knows those paths: it checks a value the way the field itself
would (its pydantic constraints), gives the words the app, the report and the CLI print, and
makes the validated copy of a project with one input changed that the Monte Carlo's designed
runs and the scenarios are evaluated on.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import TypeAdapter, ValidationError

from tunewise.core import texts
from tunewise.core.project import APPROACHES, ApproachInputs, CostInputs

if TYPE_CHECKING:
    from tunewise.core.fieldpath import FieldPath
    from tunewise.core.project import Project


class InputError(ValueError):
    """A path or value the plan cannot take; the message names it."""


# The plain numeric inputs a range can sit on, with their words (approach inputs below).
_PLAN_INPUTS: dict[str, str] = {
    "costs.requests_per_day": "Requests a day",
    "costs.monthly_growth": "Monthly growth",
    "costs.hourly_rate": "Hourly rate",
    "costs.workload.user_input_tokens": "User input tokens",
    "costs.workload.output_tokens": "Output tokens",
    "costs.training.training_tokens": "Training set size",
    "costs.training.epochs": "Epochs",
    "costs.training.evaluation_cost": "Evaluation per run",
    "costs.training.retrain_every_months": "Retrain every (months)",
    "costs.training.training_hours": "Training hours",
    "costs.retrieval.corpus_tokens": "Corpus size",
    "costs.retrieval.reindex_every_months": "Re-index every (months)",
    "costs.gpu.peak_factor": "Busiest hour (times the average)",
    "costs.gpu.serving_tokens_per_second": "Serving tokens a second",
}
_APPROACH_INPUTS: dict[str, str] = {
    "system_prompt_tokens": "system prompt tokens",
    "few_shot_tokens": "few-shot tokens",
    "retrieved_tokens": "retrieved tokens",
    "user_input_tokens": "own user input tokens",
    "output_tokens": "own output tokens",
    "cached_share": "cached share",
    "batch_share": "batched share",
    "engineering_hours": "engineering hours",
    "data_prep_hours": "data preparation hours",
    "setup_cost": "setup cost",
    "monthly_fixed": "monthly bills",
    "maintenance_hours_per_month": "upkeep hours a month",
    "price_multiplier": "price multiplier",
}
# Scenario overrides may also choose another model or offering for an approach.
_APPROACH_CHOICES: dict[str, str] = {
    "model": "model",
    "provider": "provider",
    "deployment": "deployment",
}


def _approach_paths(names: dict[str, str]) -> dict[str, str]:
    return {f"costs.approaches.{a}.{name}": f"{texts.APPROACH_LABELS[a]}: {words}"
            for a in APPROACHES for name, words in names.items()}


RANGEABLE: dict[str, str] = {**_PLAN_INPUTS, **_approach_paths(_APPROACH_INPUTS)}
OVERRIDABLE: dict[str, str] = {**RANGEABLE, **_approach_paths(_APPROACH_CHOICES)}
RANGEABLE_PATHS: tuple[str, ...] = tuple(RANGEABLE)


def label(path: str) -> str:
    """The input in words ("Requests a day", "RAG: engineering hours")."""
    return OVERRIDABLE.get(path, path)


def field_path(path: str) -> FieldPath:
    """The typed path (core/fieldpath.py) the GUI and the copies use for a dotted one."""
    from tunewise.core.fieldpath import ApproachInput, Attr

    parts = path.split(".")
    if len(parts) == 4 and parts[:2] == ["costs", "approaches"] and parts[2] in APPROACHES:
        return ApproachInput(parts[2], parts[3])
    return Attr(*parts)


@cache
def _adapter(path: str) -> tuple[TypeAdapter[Any], bool]:
    """A validator for the field at `path`, and whether it holds whole numbers."""
    parts = path.split(".")
    if parts[:2] == ["costs", "approaches"] and len(parts) == 4:
        info = ApproachInputs.model_fields[parts[3]]
    else:
        model: Any = CostInputs
        for part in parts[1:-1]:
            model = model.model_fields[part].annotation
        info = model.model_fields[parts[-1]]
    annotation = info.annotation
    adapter: TypeAdapter[Any] = TypeAdapter(
        Annotated[annotation, *info.metadata] if info.metadata else annotation)  # type: ignore[arg-type]
    whole = "int" in str(annotation) and "float" not in str(annotation)
    return adapter, whole


def is_whole(path: str) -> bool:
    return _adapter(path)[1]


def check_value(path: str, value: Any, *, rangeable: bool = True) -> Any:
    """The value as the field would store it, or InputError naming the input and the problem."""
    known = RANGEABLE if rangeable else OVERRIDABLE
    if path not in known:
        what = "carry a range" if rangeable else "be set by a scenario"
        raise InputError(f"'{path}' is not an input that can {what}")
    adapter, whole = _adapter(path)
    if whole and isinstance(value, float):
        if not value.is_integer():
            raise InputError(f"{label(path)} takes whole numbers, not {value:g}")
        value = int(value)
    try:
        return adapter.validate_python(value)
    except ValidationError as error:
        problem = error.errors()[0]["msg"]
        raise InputError(f"{label(path)}: {problem} (got {value!r})") from None


def check_project(project: Project) -> None:
    """Every range and scenario override names a known input with values it can take."""
    for path, found in project.uncertainty.ranges.items():
        for value in (found.low, found.likely, found.high):
            try:
                check_value(path, value)
            except InputError as error:
                raise InputError(f"the range on {error}") from None
    names: set[str] = set()
    for scenario in project.scenarios:
        key = scenario.name.casefold()
        if key in names:
            raise InputError(f"two scenarios are called '{scenario.name}'")
        names.add(key)
        for path, setting in scenario.overrides.items():
            check_value(path, setting, rangeable=False)


def read(project: Project, path: str) -> Any:
    return field_path(path).read(project)


def _copy_along(project: Project, path: str) -> Project:
    """A copy of `project` that shares everything except the models on the way to `path`
    (each copied shallowly), so setting the input leaves `project` as it was. Much cheaper
    than a deep copy, which the Monte Carlo's designed runs would pay a dozen times."""
    changed = project.model_copy()
    costs = changed.costs = project.costs.model_copy()
    parts = path.split(".")
    if parts[1] == "approaches":
        return changed  # ApproachInput.apply copies the approach and replaces the dict
    holder: Any = costs
    for part in parts[1:-1]:
        inner = getattr(holder, part).model_copy()
        setattr(holder, part, inner)
        holder = inner
    return changed


def apply(project: Project, path: str, value: Any, *, rangeable: bool = True) -> Project:
    """A validated copy of `project` with one input changed (whole-number fields take the
    nearest whole number of a drawn value); `project` itself is left as it was."""
    if is_whole(path) and isinstance(value, float):
        value = round(value)
    value = check_value(path, value, rangeable=rangeable)
    changed = _copy_along(project, path)
    field_path(path).apply(changed, value)
    return changed


def apply_many(project: Project, values: dict[str, Any], *, rangeable: bool = True) -> Project:
    changed = project.model_copy(deep=True)
    for path, value in values.items():
        if is_whole(path) and isinstance(value, float):
            value = round(value)
        field_path(path).apply(changed, check_value(path, value, rangeable=rangeable))
    return changed
