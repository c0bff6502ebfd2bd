"""F1 explains the page in view, field by field; the step list works from the keyboard."""

from __future__ import annotations

from html import escape
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette

from tunewise.ui import helptext
from tunewise.ui.wizard import PAGES

PAGE_KEYS = [str(getattr(page, "key")) for page in PAGES]  # noqa: B009


def activate(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def press_f1(qtbot: Any, ui: Any, key: str) -> str:
    """Show the page, press F1 where the focus is, and return the help that opened."""
    ui.window.wizard.show_page(key)
    activate(qtbot, ui.window)
    target = ui.window.focusWidget() or ui.window
    before = len(ui.window_dialogs.of("show_document"))
    qtbot.keyClick(target, Qt.Key.Key_F1)
    shown = ui.window_dialogs.of("show_document")
    assert len(shown) == before + 1, "F1 opened no help"
    (_, title, html) = shown[-1]
    assert title == f"Help: {ui.window.wizard.currentPage().title()}"
    return str(html)


@pytest.fixture
def helped(ui: Any, dialog_log: Any) -> Any:
    ui.window_dialogs = dialog_log
    return ui


def label_of(field: Any) -> str:
    text = field.label.text() or (field.box.text() if hasattr(field, "box") else "")
    return str(text).replace("&", "").rstrip(":")


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_f1_explains_every_field_on_the_page(qtbot: Any, helped: Any, key: str) -> None:
    html = press_f1(qtbot, helped, key)
    page = helped.window.wizard.currentPage()
    assert getattr(page, "key", "") == key
    assert "No help is written" not in html
    fields = list(getattr(page, "fields", [])) or [helped.window.wizard.dashboard.horizon]
    for field in fields:
        explanation = helptext.PAGE_HELP[key].fields[helptext.field_key(field.path)]
        assert escape(explanation) in html
        label = label_of(field)
        if label:  # sign notes have none of their own; they share one entry
            assert escape(label) in html, label


def test_costs_help_explains_cached_share_and_training_set(qtbot: Any, helped: Any) -> None:
    html = press_f1(qtbot, helped, "costs")
    assert "<b>Cached share</b>" in html
    assert "cheaper cached rate" in html
    assert "<b>Training set size</b>" in html
    assert "times the epochs" in html
    # Fields repeated on each approach's tab are explained once.
    assert html.count("<b>Cached share</b>") == 1


def test_question_pages_start_with_the_question_as_the_flowchart_asks_it(
        qtbot: Any, helped: Any) -> None:
    html = press_f1(qtbot, helped, "q4")
    question = helped.window.controller.evaluation.assessment.diagram.question("q4")
    assert question is not None and escape(question.label) in html


def test_guide_stays_in_the_help_menu(helped: Any, dialog_log: Any) -> None:
    menu = next(a.menu() for a in helped.window.menuBar().actions() if a.text() == "&Help")
    texts = [a.text() for a in menu.actions()]
    assert "&Guide to the Method" in texts and "Help for This &Page" in texts
    next(a for a in menu.actions() if a.text() == "&Guide to the Method").trigger()
    assert dialog_log.of("show_document")[-1][1] == "Guide to the method"


# ---- the step list ------------------------------------------------------------------------

def current_key(ui: Any) -> str:
    return str(ui.window.wizard.currentPage().key)


def test_arrow_keys_move_the_selection_and_enter_opens_it(qtbot: Any, ui: Any) -> None:
    steps = ui.window.steps
    activate(qtbot, ui.window)
    steps.setFocus()
    qtbot.keyClick(steps, Qt.Key.Key_Down)
    qtbot.keyClick(steps, Qt.Key.Key_Down)
    assert steps.currentItem().text().startswith("Q2")
    assert current_key(ui) == "project"  # browsing the list does not switch pages
    assert steps.hasFocus()
    qtbot.keyClick(steps, Qt.Key.Key_Return)
    assert current_key(ui) == "q2"

    steps.setFocus()
    qtbot.keyClick(steps, Qt.Key.Key_Down)
    qtbot.keyClick(steps, Qt.Key.Key_Space)
    assert current_key(ui) == "q3"
    steps.setFocus()
    qtbot.keyClick(steps, Qt.Key.Key_End)
    qtbot.keyClick(steps, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert current_key(ui) == "results"


def test_clicking_a_step_opens_it(qtbot: Any, ui: Any) -> None:
    steps = ui.window.steps
    where = steps.visualItemRect(steps.item(6)).center()
    qtbot.mouseClick(steps.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert current_key(ui) == "costs"
    assert steps.currentRow() == 6


def test_the_list_follows_the_wizard(ui: Any) -> None:
    ui.window.wizard.next()
    assert ui.window.steps.currentRow() == 1


def ring_colour(steps: Any) -> QColor:
    """The colour on the list's left edge, below the selected first row."""
    viewport = steps.viewport().geometry()
    point = QPoint(viewport.left(), viewport.bottom() - 2)
    return QColor(steps.grab().toImage().pixelColor(point))


def test_step_list_shows_a_focus_ring_in_the_palettes_colour(qtbot: Any, ui: Any) -> None:
    steps = ui.window.steps
    activate(qtbot, ui.window)
    ui.window.flowchart.setFocus()
    highlight = steps.palette().color(QPalette.ColorRole.Highlight)
    assert ring_colour(steps) != highlight
    steps.setFocus()
    assert steps.hasFocus()
    assert ring_colour(steps) == highlight

    dark = QPalette(steps.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.Highlight, QColor("#8ab4f8"))
    steps.setPalette(dark)
    assert ring_colour(steps) == QColor("#8ab4f8")
