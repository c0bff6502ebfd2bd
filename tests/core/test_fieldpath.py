"""Typed field paths: reading defaults, writing into the project's dicts, refusing bad values."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tunewise.core.fieldpath import ApproachInput, Attr, FieldPath, PriceOverride, SignNote
from tunewise.core.project import Project, default_approaches


def test_attr_reads_and_writes_a_nested_value() -> None:
    project = Project()
    epochs = Attr("costs", "training", "epochs")
    assert epochs.read(project) == 3
    epochs.apply(project, 5)
    assert project.costs.training.epochs == 5
    assert epochs.name == "epochs"


@pytest.mark.parametrize("names", [
    ("costs", "trainig", "epochs"),  # typo in a group
    ("costs", "training", "epoch"),  # typo in the field
    ("costs", "hourly_rate", "usd"),  # a plain value has no fields
    ("costs", "price_overrides", "input"),  # dict entries need their own kind of path
    (),
])
def test_attr_with_a_typo_raises(names: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        Attr(*names)


def test_other_kinds_check_their_names() -> None:
    with pytest.raises(ValueError):
        ApproachInput("rag", "modle")
    with pytest.raises(ValueError):
        ApproachInput("rga", "model")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        PriceOverride("gpt-4o", "inptu")
    with pytest.raises(ValueError):
        SignNote("no_such_sign")  # type: ignore[arg-type]


def test_paths_compare_and_hash_by_value() -> None:
    assert Attr("costs", "horizon_days") == Attr("costs", "horizon_days")
    assert len({ApproachInput("rag", "model"), ApproachInput("rag", "model")}) == 1
    assert PriceOverride("gpt-4o", "input") != PriceOverride("gpt-4o-mini", "input")
    assert ApproachInput("rag", "output_tokens") != Attr("costs", "approaches")


def test_missing_approach_reads_its_defaults_and_writing_adds_it() -> None:
    project = Project()
    project.costs.approaches = {}
    tokens = ApproachInput("rag", "retrieved_tokens")
    assert tokens.read(project) == default_approaches()["rag"].retrieved_tokens
    assert ApproachInput("rag", "model").read(project) == default_approaches()["rag"].model
    tokens.apply(project, 900)
    assert project.costs.approaches["rag"].retrieved_tokens == 900
    # the rest kept its defaults
    assert project.costs.approaches["rag"].model == default_approaches()["rag"].model
    assert tokens.name == "retrieved_tokens"


def test_override_then_clearing_it_drops_the_entry() -> None:
    project = Project()
    price_in = PriceOverride("gpt-4o", "input")
    price_out = PriceOverride("gpt-4o", "output")
    assert price_in.read(project) is None
    price_in.apply(project, 1.5)
    price_out.apply(project, 6.0)
    assert project.costs.price_overrides["gpt-4o"].input == 1.5
    assert price_in.read(project) == 1.5
    price_in.apply(project, None)
    assert project.costs.price_overrides["gpt-4o"].output == 6.0  # one price left: kept
    price_out.apply(project, None)
    assert project.costs.price_overrides == {}
    assert price_in.name == "input"


def test_sign_note_cleared_is_removed() -> None:
    project = Project()
    note = SignNote("no_gpu_budget")
    assert note.read(project) == ""
    note.apply(project, "Finance decides in Q3")
    assert project.answers.sign_notes == {"no_gpu_budget": "Finance decides in Q3"}
    note.apply(project, "")
    assert project.answers.sign_notes == {}
    assert note.read(project) == ""


@pytest.mark.parametrize(("path", "bad"), [
    (Attr("costs", "training", "epochs"), 0),
    (Attr("metadata", "name"), "   "),
    (ApproachInput("prompt_engineering", "cached_share"), 1.5),
    (PriceOverride("gpt-4o", "output"), -1.0),
    (SignNote("latency"), "x" * 10_001),
])
def test_bad_value_raises_and_leaves_the_original_unchanged(path: FieldPath, bad: Any) -> None:
    project = Project()
    before = project.model_dump()
    candidate = project.model_copy(deep=True)
    with pytest.raises(ValidationError):
        path.apply(candidate, bad)
    assert project.model_dump() == before
