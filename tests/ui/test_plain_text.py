"""User and file text is shown as typed: never as markup, never as a link; errors in plain words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from tests.ui.conftest import Driver
from tunewise.core.fieldpath import ApproachInput, Attr
from tunewise.core.project import Project
from tunewise.core.storage import save_project
from tunewise.ui import dialogs

# The real dialogs, kept before the autouse fixture replaces them with recorders.
REAL = {name: getattr(dialogs, name) for name in (
    "error", "information", "ask_save_changes", "ask_open_read_only", "ask_external_change",
    "crash")}
LINK = "<a href='http://x'>y</a>"


def test_a_model_name_in_markup_is_shown_literally_in_the_fields_error(ui: Driver) -> None:
    model = ui.type(ApproachInput("prompt_engineering", "model"), "<img src=x>")
    assert ui.window.controller.project.costs.approach("prompt_engineering").model == (
        "<img src=x>")
    assert model.error.isVisibleTo(ui.window)
    assert "<img src=x>" in model.error.text()
    assert model.error.textFormat() == Qt.TextFormat.PlainText


def test_an_unknown_key_holding_a_link_is_shown_as_text_in_the_open_error(
        ui: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "link.tunewise"
    save_project(Project(), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document[LINK] = "click me"
    path.write_text(json.dumps(document), encoding="utf-8")
    shown: list[QMessageBox] = []

    def run(box: QMessageBox) -> int:
        shown.append(box)
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(dialogs, "error", REAL["error"])
    monkeypatch.setattr(dialogs, "run", run)
    assert not ui.window.load(path)
    [box] = shown
    assert box.windowTitle() == "Could not open the project"
    assert LINK in box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    # What the user sees is the label in the box: plain text, so no link to click.
    labels = [label for label in box.findChildren(QLabel) if LINK in label.text()]
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)


@pytest.mark.parametrize(("ask", "args"), [
    ("error", ("Title", LINK, "details")),
    ("information", ("Title", LINK)),
    ("ask_save_changes", (LINK,)),
    ("ask_open_read_only", (LINK, LINK)),
    ("ask_external_change", (LINK,)),
    ("crash", (LINK, "details")),
])
def test_every_message_box_shows_its_text_as_plain_text(
        qtbot: Any, monkeypatch: pytest.MonkeyPatch, ask: str, args: tuple[str, ...]) -> None:
    shown: list[QMessageBox] = []

    def run(box: QMessageBox) -> int:
        shown.append(box)
        return int(QMessageBox.StandardButton.Cancel.value)

    monkeypatch.setattr(dialogs, "run", run)
    REAL[ask](None, *args)
    assert shown
    for box in shown:
        texts = [label for label in box.findChildren(QLabel) if label.text()]
        assert any(LINK in label.text() for label in texts)
        assert all(label.textFormat() == Qt.TextFormat.PlainText
                   for label in texts if LINK in label.text())
        box.deleteLater()


@pytest.mark.parametrize(("path", "typed", "message"), [
    (Attr("costs", "requests_per_day"), "200000000",
     "Requests per day must be between 0 and 100,000,000 requests."),
    (Attr("answers", "quality_target"), "0",
     "Quality target must be above 0 and at most 1 (above 0%, at most 100%)."),
    (Attr("costs", "monthly_growth"), "300%",
     "Monthly growth must be between -0.5 and 2 (-50% to 200%)."),
    (Attr("costs", "training", "epochs"), "0", "Epochs must be between 1 and 100."),
    (Attr("answers", "example_count"), "2.5", "Examples on hand must be a whole number."),
])
def test_refusals_name_the_field_its_range_and_unit(ui: Driver, path: Attr, typed: str,
                                                    message: str) -> None:
    field = ui.type(path, typed)
    assert field.error.text().startswith(message + " Not applied: ")
    assert "Input should" not in field.error.text()


def test_a_long_author_is_refused_in_words(ui: Driver) -> None:
    author = ui.field(Attr("metadata", "author"))
    ui.window.wizard.show_page("project")
    author.line.setText("")
    author.line.setFocus()
    ui.qtbot.keyClicks(author.line, "a" * 201)
    assert author.error.text() == ("Author can be at most 200 characters long. "
                                   "Not applied: the plan leaves it empty.")
    assert ui.window.controller.project.metadata.author == ""
    ui.qtbot.keyClick(author.line, Qt.Key.Key_Backspace)
    assert not author.error.isVisible()
    assert ui.window.controller.project.metadata.author == "a" * 200
