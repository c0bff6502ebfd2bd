"""The inputs format 5 adds to the wizard: held-out examples on Q1, a price multiplier per
approach on the Costs page."""

from __future__ import annotations

from typing import Any

import pytest

from tunewise.core.fieldpath import ApproachInput, Attr


def test_held_out_examples_are_typed_on_the_few_shot_page(ui: Any) -> None:
    ui.type(Attr("answers", "few_shot_examples"), "50")
    assert ui.window.controller.project.answers.few_shot_examples == 50
    field = ui.type(Attr("answers", "few_shot_examples"), "12.5")
    assert field.error.text().startswith("Held-out examples must be a whole number. "
                                         "Not applied")
    assert ui.window.controller.project.answers.few_shot_examples == 50


def test_a_price_multiplier_scales_the_approachs_costs(ui: Any) -> None:
    before = ui.window.controller.evaluation.costs.approaches["rag"].per_request
    ui.type(ApproachInput("rag", "price_multiplier"), "1.5")
    assert ui.window.controller.project.costs.approach("rag").price_multiplier == 1.5
    after = ui.window.controller.evaluation.costs.approaches["rag"].per_request
    assert after == pytest.approx(1.5 * before)
    ui.window.undo_action.trigger()
    assert ui.window.controller.project.costs.approach("rag").price_multiplier == 1.0


def test_the_few_shot_page_says_how_sure_the_typed_score_is(ui: Any) -> None:
    from tunewise.core.uncertainty import few_shot_odds

    ui.type(Attr("answers", "few_shot_score"), "0.86")
    ui.type(Attr("answers", "quality_target"), "0.95")
    page = ui.window.wizard.page_of("q1")
    assert not page.odds.isVisible()  # no held-out count: nothing to say how sure it is
    ui.type(Attr("answers", "few_shot_examples"), "50")
    odds = few_shot_odds(ui.window.controller.project.answers)
    assert odds is not None and odds.n == 50
    assert page.odds.isVisible() and page.odds.text() == odds.sentence
