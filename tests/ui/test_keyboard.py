"""Keyboard and screen readers: Alt+letters, the Tab order, and radio groups named by question."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QRadioButton,
    QTabWidget,
    QToolButton,
    QWidget,
    QWizard,
)

from tests.ui.conftest import Driver

KEYS = ["project", "q1", "q2", "q3", "q4", "constraints", "costs", "results"]
QUESTION_PAGES = KEYS[:-1]


def letter(text: str) -> str | None:
    """The Alt+letter of a widget's text ('&&' is a literal ampersand)."""
    plain = text.replace("&&", "")
    i = plain.find("&")
    return plain[i + 1].lower() if 0 <= i < len(plain) - 1 else None


def menu_bar_letters(window: Any) -> list[str]:
    found = [letter(action.text()) for action in window.menuBar().actions()]
    return [x for x in found if x]


def wizard_letters(window: Any) -> list[str]:
    buttons = [window.wizard.button(b) for b in (QWizard.WizardButton.BackButton,
                                                 QWizard.WizardButton.NextButton)]
    found = [letter(b.text()) for b in buttons]
    return [x for x in found if x]


def visible_letters(page: QWidget) -> list[tuple[str, str]]:
    """(letter, text) of every Alt+letter a user could press on the page as it is shown."""
    found: list[tuple[str, str]] = []
    for widget in page.findChildren(QWidget):
        if not widget.isVisibleTo(page):
            continue
        texts: list[str] = []
        if ((isinstance(widget, QLabel) and widget.buddy() is not None)
                or isinstance(widget, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        for text in texts:
            if (x := letter(text)) is not None:
                found.append((x, text))
    return found


def test_the_menu_bar_and_the_wizard_use_distinct_letters(window: Any) -> None:
    menu = menu_bar_letters(window)
    assert sorted(menu) == ["e", "f", "g", "h", "p"]  # File, Edit, Go, Help, Prices
    assert sorted(wizard_letters(window)) == ["b", "n"]  # Back, Next


@pytest.mark.parametrize("key", [
    *QUESTION_PAGES,
    "results",
])
def test_alt_letters_are_unique_on_each_page_and_never_the_menus(ui: Driver, key: str) -> None:
    window = ui.window
    taken = set(menu_bar_letters(window)) | set(wizard_letters(window))
    window.wizard.show_page(key)
    page = window.wizard.currentPage()
    seen = visible_letters(page)
    tabs = page.findChildren(QTabWidget)
    for tab in tabs:  # each tab shows its own fields beside the page's shared ones
        for i in range(tab.count()):
            tab.setCurrentIndex(i)
            for fold in (b for b in page.findChildren(QToolButton) if b.isCheckable()):
                fold.setChecked(True)
            shown = visible_letters(page)
            letters = [x for x, _ in shown]
            assert len(letters) == len(set(letters)), (tab.tabText(i), sorted(shown))
            assert not taken & set(letters), (tab.tabText(i), sorted(shown))
    letters = [x for x, _ in seen]
    assert letters, "a page with fields offers Alt+letters"
    assert len(letters) == len(set(letters)), sorted(seen)
    assert not taken & set(letters), sorted(seen)


@pytest.mark.parametrize("key", QUESTION_PAGES)
def test_tab_walks_the_page_and_ends_on_next(ui: Driver, key: str) -> None:
    window = ui.window
    window.wizard.show_page(key)
    page = window.wizard.currentPage()
    back = window.wizard.button(QWizard.WizardButton.BackButton)
    next_ = window.wizard.button(QWizard.WizardButton.NextButton)
    stops = [w for w in page.findChildren(QWidget)
             if w.isVisibleTo(page) and w.isEnabled() and w.focusProxy() is None
             and w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    first = page.nextInFocusChain()
    while first not in stops:
        first = first.nextInFocusChain()
    first.setFocus()
    ui.qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    visited: list[QWidget] = []
    for _ in range(200):
        widget = QApplication.focusWidget()
        if widget is next_:
            break
        visited.append(widget)
        ui.qtbot.keyClick(widget, Qt.Key.Key_Tab)
    else:
        pytest.fail(f"Tab never reached Next on {key}")
    on_page = [w for w in visited if page.isAncestorOf(w)]
    # Every stop before Back and Next is on the page, in one run; Back comes last if shown.
    assert visited[:len(on_page)] == on_page
    assert visited[len(on_page):] == ([back] if back.isVisible() and back.isEnabled() else [])
    # Radio buttons share one stop per group (arrows move within it); the rest are all visited.
    missed = [w.accessibleName() or type(w).__name__ for w in stops
              if not isinstance(w, QRadioButton) and w not in visited]
    assert not missed, missed


@pytest.mark.parametrize("key", ["q1", "q2", "q3", "q4", "constraints"])
def test_radio_groups_are_named_by_their_question(ui: Driver, key: str) -> None:
    window = ui.window
    window.wizard.show_page(key)
    page = window.wizard.currentPage()
    questions = {label.text().replace("&", "").rstrip(":")
                 for label in page.findChildren(QLabel) if label.isVisibleTo(page)}
    radios = [b for b in page.findChildren(QRadioButton) if b.isVisibleTo(page)]
    assert radios
    for button in radios:
        spoken = QAccessible.queryAccessibleInterface(button)
        group = spoken.parent()
        question = group.text(QAccessible.Text.Name)
        assert question in questions, (button.text(), question)
        assert spoken.text(QAccessible.Text.Description) == question
