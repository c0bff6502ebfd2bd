"""Typed paths to one editable value of a Project, for the GUI's fields and its undo stack.

A path knows how to read its value from a project and how to set it on a project the caller has
already copied. Plain attributes (`Attr`) need nothing special; values kept in the project's
dicts do: an approach missing from `costs.approaches` reads as its default (`ApproachInput`), a
price override is dropped once all its prices are cleared (`PriceOverride`), and an empty note on
a sign is removed (`SignNote`). Paths are frozen and compare by value, so the controller can tell
"the same field again" (one undo step for a run of typing) and "which field changed".

No Qt here: the pydantic model's `validate_assignment` is the only validation, so `apply` raises
pydantic's ValidationError on a refused value, and a ValueError at construction catches a typo
in a path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, get_origin

from pydantic import BaseModel

from tunewise.core.project import (
    APPROACHES,
    SIGNS_AGAINST,
    SIGNS_FOR,
    ApproachId,
    ApproachInputs,
    Project,
    SignAgainstId,
    SignForId,
)
from tunewise.core.project import PriceOverride as ModelPrices


class ValuePath(Protocol):
    """What every kind of field path offers (each kind is also frozen, hashable and comparable).

    `read(project)` is the current value; an entry missing from a dict reads as its default.
    `apply(project, value)` sets the value in place on `project`, a copy the caller owns; it
    raises pydantic's ValidationError when the model refuses the value, possibly after changing
    part of the copy, which is why the caller works on a copy.
    """

    @property
    def name(self) -> str:
        """The last attribute name, for undo text and messages."""
        ...

    def read(self, project: Project) -> Any: ...

    def apply(self, project: Project, value: Any) -> None: ...


def _model_class(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model a field holds, or None for a plain value, a dict or a list."""
    if (get_origin(annotation) is None and isinstance(annotation, type)
            and issubclass(annotation, BaseModel)):
        return annotation
    return None


@dataclass(frozen=True, init=False, repr=False)
class Attr:
    """A plain attribute path, e.g. Attr("costs", "training", "epochs")."""

    names: tuple[str, ...]

    def __init__(self, *names: str) -> None:
        if not names:
            raise ValueError("a field path needs at least one name")
        cls: type[BaseModel] | None = Project
        for i, part in enumerate(names):
            where = ".".join(names[:i]) or "project"
            if cls is None:
                raise ValueError(f"{where} has no fields, so {part!r} cannot follow it")
            if part not in cls.model_fields:
                raise ValueError(f"{where} has no field {part!r}")
            cls = _model_class(cls.model_fields[part].annotation)
        object.__setattr__(self, "names", tuple(names))

    def __repr__(self) -> str:
        return f"Attr{self.names!r}" if len(self.names) > 1 else f"Attr({self.names[0]!r})"

    @property
    def name(self) -> str:
        return self.names[-1]

    def read(self, project: Project) -> Any:
        obj: Any = project
        for part in self.names:
            obj = getattr(obj, part)
        return obj

    def apply(self, project: Project, value: Any) -> None:
        obj: Any = project
        for part in self.names[:-1]:
            obj = getattr(obj, part)
        setattr(obj, self.names[-1], value)


@dataclass(frozen=True)
class ApproachInput:
    """One input of one approach; an approach missing from the file reads as its defaults."""

    approach: ApproachId
    name: str

    def __post_init__(self) -> None:
        if self.approach not in APPROACHES:
            raise ValueError(f"no approach {self.approach!r}")
        if self.name not in ApproachInputs.model_fields:
            raise ValueError(f"an approach has no field {self.name!r}")

    def read(self, project: Project) -> Any:
        return getattr(project.costs.approach(self.approach), self.name)

    def apply(self, project: Project, value: Any) -> None:
        spec = project.costs.approach(self.approach).model_copy()
        setattr(spec, self.name, value)
        project.costs.approaches = {**project.costs.approaches, self.approach: spec}


@dataclass(frozen=True)
class PriceOverride:
    """One typed-in price for one model; the entry goes once all its prices are cleared."""

    model: str
    price: str

    def __post_init__(self) -> None:
        if self.price not in ModelPrices.model_fields:
            raise ValueError(f"a price override has no price {self.price!r}")

    @property
    def name(self) -> str:
        return self.price

    def read(self, project: Project) -> Any:
        entry = project.costs.price_overrides.get(self.model)
        return None if entry is None else getattr(entry, self.price)

    def apply(self, project: Project, value: Any) -> None:
        overrides = dict(project.costs.price_overrides)
        found = overrides.get(self.model)
        entry = found.model_copy() if found is not None else ModelPrices()
        setattr(entry, self.price, value)
        if any(v is not None for v in entry.model_dump().values()):
            overrides[self.model] = entry
        else:
            overrides.pop(self.model, None)
        project.costs.price_overrides = overrides


SIGNS: tuple[SignForId | SignAgainstId, ...] = (*SIGNS_FOR, *SIGNS_AGAINST)


@dataclass(frozen=True)
class SignNote:
    """The user's note on one sign; an empty note is removed rather than stored."""

    sign: SignForId | SignAgainstId

    def __post_init__(self) -> None:
        if self.sign not in SIGNS:
            raise ValueError(f"no sign {self.sign!r}")

    @property
    def name(self) -> str:
        return self.sign

    def read(self, project: Project) -> Any:
        return project.answers.sign_notes.get(self.sign, "")

    def apply(self, project: Project, value: Any) -> None:
        notes = dict(project.answers.sign_notes)
        if value:
            notes[self.sign] = value
        else:
            notes.pop(self.sign, None)
        project.answers.sign_notes = notes


FieldPath: TypeAlias = Attr | ApproachInput | PriceOverride | SignNote

if TYPE_CHECKING:  # every kind offers what ValuePath promises
    _KINDS: tuple[type[ValuePath], ...] = (Attr, ApproachInput, PriceOverride, SignNote)
