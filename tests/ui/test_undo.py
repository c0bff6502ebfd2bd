"""Undo across several fields at once, and price overrides keyed by the approach's model."""

from __future__ import annotations

from typing import Any

from tunewise.core.fieldpath import ApproachInput, Attr, PriceOverride
from tunewise.core.project import PriceOverride as Prices

RATE = Attr("costs", "hourly_rate")
RAG_OUTPUT = ApproachInput("rag", "output_tokens")
GPT4O_INPUT = PriceOverride("gpt-4o", "input")


def values(ui: Any) -> tuple[Any, ...]:
    project = ui.window.controller.project
    return (project.costs.hourly_rate, project.costs.approach("rag").output_tokens,
            dict(project.costs.price_overrides))


def test_three_fields_set_together_are_one_undo_step(ui: Any) -> None:
    rate_field = ui.field(RATE)
    start = values(ui)
    assert start == (100, None, {})  # RAG follows the workload's output until it sets its own
    assert not ui.window.undo_action.isEnabled()

    message = ui.window.controller.set_values(
        [(RATE, 120), (RAG_OUTPUT, 500), (GPT4O_INPUT, 2.0)], "Apply team rates")
    assert message is None
    changed = (120, 500, {"gpt-4o": Prices(input=2.0)})
    assert values(ui) == changed
    assert rate_field.line.text() == "120"
    assert ui.field(RAG_OUTPUT).line.text() == "500"
    assert ui.window.undo_action.text() == "&Undo Apply team rates"

    ui.window.undo_action.trigger()  # one Ctrl+Z puts all three back
    assert values(ui) == start
    assert rate_field.line.text() == "100"
    assert ui.field(RAG_OUTPUT).line.text() == ""
    assert not ui.window.undo_action.isEnabled()  # nothing else to undo

    ui.window.redo_action.trigger()
    assert values(ui) == changed
    assert rate_field.line.text() == "120"


def test_a_refused_value_in_a_batch_changes_nothing_and_names_the_field(ui: Any) -> None:
    start = values(ui)
    epochs = Attr("costs", "training", "epochs")
    message = ui.window.controller.set_values(
        [(RATE, 150), (GPT4O_INPUT, 3.0), (epochs, 0)], "Apply team rates")
    assert message == "Epochs must be between 1 and 100."
    assert values(ui) == start
    assert ui.window.controller.project.costs.training.epochs == 3
    assert ui.field(RATE).line.text() == "100"
    assert not ui.window.undo_action.isEnabled()
    assert not ui.window.isWindowModified()


def test_one_field_set_alone_says_why_with_its_range(ui: Any) -> None:
    message = ui.window.controller.set_value(Attr("costs", "training", "epochs"), 0)
    assert message == "Epochs must be between 1 and 100."


def test_price_override_is_keyed_by_the_approach_model(ui: Any) -> None:
    def overrides() -> dict[str, Prices]:
        return dict(ui.window.controller.project.costs.price_overrides)

    rag = ui.window.controller.project.costs.approach("rag").model
    # Prompt engineering on another model first, so the two start apart.
    ui.type(ApproachInput("prompt_engineering", "model"), "gpt-5.4" if rag != "gpt-5.4" else
            "gpt-5.4-mini")
    rag_input = ui.override(ApproachInput("rag", "model"), "input")
    ui.type_into(rag_input, "0.25")
    # The override is for the model RAG runs on by default.
    assert overrides() == {rag: Prices(input=0.25)}
    assert rag_input.line.text() == "0.25"

    # Prompt engineering on the same model shows the same override.
    pe_input = ui.override(ApproachInput("prompt_engineering", "model"), "input")
    assert pe_input.line.text() == ""  # another model, no override
    ui.type(ApproachInput("prompt_engineering", "model"), rag)
    assert pe_input.line.text() == "0.25"
    ui.type_into(pe_input, "0.3")
    assert overrides() == {rag: Prices(input=0.3)}
    assert rag_input.line.text() == "0.3"

    # Clearing the only price drops the model's entry.
    ui.type_into(pe_input, "")
    assert overrides() == {}
    assert rag_input.line.text() == ""

    # Typing in one field is one undo step per run: undo brings back 0.3, then 0.25.
    ui.window.undo_action.trigger()
    assert overrides() == {rag: Prices(input=0.3)}
    ui.window.undo_action.trigger()
    assert overrides() == {rag: Prices(input=0.25)}
    assert rag_input.line.text() == "0.25"
