"""What a field allows, read from the project model's own constraints, and refusals in words.

The bounds come from the pydantic field constraints in core/project.py (`Field(ge=…, le=…)`,
string lengths), never from a second copy here, so a message such as "Requests per day must be
between 0 and 100,000,000 requests." stays true when the model changes. Pydantic's own wording
never reaches the user.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from PySide6.QtCore import QLocale

from tunewise.core.fieldpath import ApproachInput, FieldPath, PriceOverride, SignNote
from tunewise.core.project import Answers, ApproachInputs, Project
from tunewise.core.project import PriceOverride as ModelPrices
from tunewise.ui.numbers import format_number

FRACTION_LIMIT = 2
"""A float field whose upper bound is at most this is a fraction (a share, a growth rate):
it takes a percent sign, and its range is also given in percent."""

SUFFIX_FROM = 1_000_000
"""A field that can hold a million or more takes the k and M suffixes."""


@dataclass(frozen=True)
class FieldName:
    """A field as the user reads it: its label and the unit shown next to it."""

    label: str
    unit: str = ""


@dataclass(frozen=True)
class Limits:
    """The constraints of one field, as the model declares them."""

    kind: type  # int, float, str or bool
    low: float | None = None
    low_open: bool = False  # gt rather than ge
    high: float | None = None
    high_open: bool = False  # lt rather than le
    min_length: int | None = None
    max_length: int | None = None

    @property
    def fraction(self) -> bool:
        return self.kind is float and self.high is not None and self.high <= FRACTION_LIMIT

    @property
    def large(self) -> bool:
        return self.kind in (int, float) and self.high is not None and self.high >= SUFFIX_FROM


def field_info(path: FieldPath) -> FieldInfo:
    """The pydantic field a path edits."""
    if isinstance(path, ApproachInput):
        return ApproachInputs.model_fields[path.name]
    if isinstance(path, PriceOverride):
        return ModelPrices.model_fields[path.price]
    if isinstance(path, SignNote):
        return Answers.model_fields["sign_notes"]
    cls: type[BaseModel] = Project
    info = cls.model_fields[path.names[0]]
    for part in path.names[1:]:
        annotation = info.annotation
        assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
        cls = annotation
        info = cls.model_fields[part]
    return info


def _unwrap(annotation: Any, found: list[Any]) -> type:
    """The value type under Optional and Annotated; constraints met on the way go to `found`."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        for item in extra:
            found.extend(item.metadata if isinstance(item, FieldInfo) else [item])
        return _unwrap(base, found)
    if origin in (Union, types.UnionType):
        kinds = [_unwrap(a, found) for a in get_args(annotation) if a is not type(None)]
        return kinds[0] if len(kinds) == 1 else object
    if origin is dict:  # sign notes: the limits of one note
        return _unwrap(get_args(annotation)[1], found)
    return annotation if isinstance(annotation, type) else object


def limits(path: FieldPath) -> Limits:
    info = field_info(path)
    found: list[Any] = list(info.metadata)
    kind = _unwrap(info.annotation, found)
    values: dict[str, Any] = {}
    for item in found:  # annotated_types' Ge, Gt, Le, Lt and pydantic's StringConstraints
        for attr, key, is_open in (("ge", "low", False), ("gt", "low", True),
                                   ("le", "high", False), ("lt", "high", True)):
            bound = getattr(item, attr, None)
            if bound is not None:
                values.update({key: bound, f"{key}_open": is_open})
        for attr in ("min_length", "max_length"):
            if getattr(item, attr, None) is not None:
                values[attr] = getattr(item, attr)
    return Limits(kind=kind, **values)


def range_sentence(name: FieldName, bounds: Limits, locale: QLocale | None = None) -> str:
    """E.g. 'Horizon must be between 1 and 3,650 days.'"""
    loc = locale or QLocale()

    def number(value: float) -> str:
        return format_number(value, bounds.kind is int, loc)

    def percent(value: float) -> str:
        return format_number(round(value * 100, 10), False, loc) + loc.percent()

    unit = f" {name.unit}" if name.unit else ""
    low, high = bounds.low, bounds.high
    if low is not None and high is not None:
        if bounds.low_open or bounds.high_open:
            above = "above" if bounds.low_open else "at least"
            below = "below" if bounds.high_open else "at most"
            words = f"{above} {number(low)} and {below} {number(high)}{unit}"
            shares = f" ({above} {percent(low)}, {below} {percent(high)})"
        else:
            words = f"between {number(low)} and {number(high)}{unit}"
            shares = f" ({percent(low)} to {percent(high)})"
        return f"{name.label} must be {words}{shares if bounds.fraction else ''}."
    if low is not None:
        above = "above" if bounds.low_open else "at least"
        return f"{name.label} must be {above} {number(low)}{unit}."
    if high is not None:
        below = "below" if bounds.high_open else "at most"
        return f"{name.label} must be {below} {number(high)}{unit}."
    return f"{name.label} needs a number."


NUMBER_PROBLEMS = frozenset({
    "greater_than", "greater_than_equal", "less_than", "less_than_equal", "finite_number",
    "int_type", "int_parsing", "int_from_float", "float_type", "float_parsing",
})


def refusal(path: FieldPath, error: ValidationError, name: FieldName,
            locale: QLocale | None = None) -> str:
    """Why the model refused a value, naming the field, its range and its unit."""
    problem = error.errors()[0]
    kind = problem["type"]
    bounds = limits(path)
    if kind in NUMBER_PROBLEMS:
        if kind == "int_from_float":
            return f"{name.label} must be a whole number."
        return range_sentence(name, bounds, locale)
    if kind == "string_too_short" or (kind == "missing" and bounds.kind is str):
        return f"{name.label} cannot be empty."
    if kind == "string_too_long" and bounds.max_length is not None:
        most = format_number(bounds.max_length, True, locale)
        return f"{name.label} can be at most {most} characters long."
    if kind == "value_error":  # the project's own validators word these, e.g. lone surrogates
        cause = problem.get("ctx", {}).get("error")
        if cause is not None:
            return f"{name.label} {cause}."
    return f"{name.label} cannot take this value."
