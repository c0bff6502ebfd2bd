"""Files and editing: save and reopen, unsaved changes, bad files, drops, undo, settings."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from tunewise.core.fieldpath import ApproachInput, Attr
from tunewise.core.storage import load_project
from tunewise.paths import example_project
from tunewise.ui import dialogs

REPO = Path(__file__).resolve().parents[2]


def comparable(project: Any) -> dict[str, Any]:
    data = project.model_dump(mode="json")
    data["metadata"].pop("modified")
    return data


def test_save_reopen_compare(ui: Any, dialog_log: Any, tmp_path: Path) -> None:
    ui.type(Attr("costs", "requests_per_day"), "2,500")
    ui.choose(Attr("answers", "few_shot_adequate"), "No, it falls short")
    ui.type(Attr("answers", "example_count"), "321")
    ui.type_into(ui.override(ApproachInput("rag", "model"), "input"), "0.2")
    assert ui.window.isWindowModified()
    target = tmp_path / "plan.tunewise"
    dialog_log.save_name = target
    ui.window.save_action.trigger()
    assert target.exists()
    assert not ui.window.isWindowModified()
    assert ui.window.windowTitle() == "Untitled plan — plan.tunewise[*] — Tunewise"
    reopened = load_project(target)
    assert comparable(reopened) == comparable(ui.window.controller.project)
    assert reopened.costs.requests_per_day == 2500
    assert reopened.answers.example_count == 321
    rag_model = reopened.costs.approach("rag").model
    assert reopened.costs.price_overrides[rag_model].input == 0.2

    ui.window.new_action.trigger()
    assert ui.window.controller.project.costs.requests_per_day == 10_000
    assert ui.window.open_project(target)
    assert comparable(ui.window.controller.project) == comparable(reopened)
    assert ui.field(Attr("costs", "requests_per_day")).line.text() == "2,500"
    assert str(target.resolve()) in ui.window.settings.value("recentFiles")
    recent = [a.text() for a in ui.window.recent_menu.actions()]
    assert "&1 plan.tunewise" in recent


def test_save_as_adds_the_extension(ui: Any, dialog_log: Any, tmp_path: Path) -> None:
    dialog_log.save_name = tmp_path / "named"
    assert ui.window.save_as()
    assert (tmp_path / "named.tunewise").exists()


def test_undo_redo_merges_typing_in_one_field(ui: Any) -> None:
    stack = ui.window.controller.undo_stack
    ui.type(Attr("costs", "requests_per_day"), "2500")
    ui.type(Attr("costs", "hourly_rate"), "120")
    assert stack.count() == 2  # one step per field, not one per key
    ui.window.undo_action.trigger()
    assert ui.window.controller.project.costs.hourly_rate == 100
    assert ui.field(Attr("costs", "hourly_rate")).line.text() == "100"
    ui.window.undo_action.trigger()
    assert ui.window.controller.project.costs.requests_per_day == 10_000
    assert ui.field(Attr("costs", "requests_per_day")).line.text() == "10,000"
    assert not ui.window.isWindowModified()
    ui.window.redo_action.trigger()
    assert ui.field(Attr("costs", "requests_per_day")).line.text() == "2,500"
    assert ui.window.isWindowModified()


def test_undo_covers_answers_and_the_recommendation(ui: Any) -> None:
    ui.choose(Attr("answers", "few_shot_adequate"), "Yes")
    assert ui.headline() == "Recommendation: Prompt engineering"
    ui.window.undo_action.trigger()
    assert ui.headline() == "Recommendation: None yet — answer Q1–Q4 to get a recommendation"
    field = ui.field(Attr("answers", "few_shot_adequate"))
    assert not any(b.isChecked() for b in field.buttons)  # unanswered again
    ui.window.redo_action.trigger()
    assert ui.headline() == "Recommendation: Prompt engineering"


def test_unsaved_changes_cancel_keeps_everything(ui: Any, dialog_log: Any) -> None:
    ui.type(Attr("costs", "requests_per_day"), "42")
    dialog_log.save_choice = dialogs.SaveChoice.CANCEL
    ui.window.new_action.trigger()
    assert dialog_log.of("ask_save_changes")[0][1] == "Untitled"
    assert ui.window.controller.project.costs.requests_per_day == 42
    assert ui.window.isWindowModified()
    assert not ui.window.close()  # quitting is refused too
    assert ui.window.isVisible()


def test_unsaved_changes_discard_drops_them(ui: Any, dialog_log: Any) -> None:
    ui.type(Attr("costs", "requests_per_day"), "42")
    dialog_log.save_choice = dialogs.SaveChoice.DISCARD
    ui.window.new_action.trigger()
    assert ui.window.controller.project.costs.requests_per_day == 10_000
    assert not ui.window.isWindowModified()
    assert "save_file_name" not in dialog_log.names()


def test_unsaved_changes_save_writes_the_file(ui: Any, dialog_log: Any, tmp_path: Path) -> None:
    target = tmp_path / "kept.tunewise"
    ui.type(Attr("costs", "requests_per_day"), "42")
    dialog_log.save_choice = dialogs.SaveChoice.SAVE
    dialog_log.save_name = target
    assert ui.window.close()
    assert load_project(target).costs.requests_per_day == 42


def test_unsaved_changes_save_cancelled_in_file_picker_keeps_window(ui: Any,
                                                                    dialog_log: Any) -> None:
    ui.type(Attr("costs", "requests_per_day"), "42")
    dialog_log.save_choice = dialogs.SaveChoice.SAVE
    dialog_log.save_name = None
    assert not ui.window.close()
    assert ui.window.controller.project.costs.requests_per_day == 42


def test_corrupt_file_leaves_the_open_project_untouched(ui: Any, dialog_log: Any,
                                                        tmp_path: Path) -> None:
    assert ui.window.load(example_project("support-bot"))
    ui.type(Attr("costs", "hourly_rate"), "77")
    before = comparable(ui.window.controller.project)
    bad = tmp_path / "broken.tunewise"
    bad.write_text('{"format": "tunewise-project", "schema_version": 2, "costs": {', "utf-8")
    dialog_log.save_choice = dialogs.SaveChoice.DISCARD
    dialog_log.open_name = bad
    ui.window.open_action.trigger()
    (title, message) = dialog_log.of("error")[0][1:3]
    assert title == "Could not open the project"
    assert "broken.tunewise" in message and "is not valid JSON" in message
    assert comparable(ui.window.controller.project) == before
    assert ui.window.controller.path == example_project("support-bot")
    assert ui.window.windowTitle() == ("Support bot for Acme Cloud — support-bot.tunewise[*]"
                                       " — Tunewise")


def _enter(mime: QMimeData) -> QDragEnterEvent:
    # PySide6 6.12 flags the only QDragEnterEvent constructor as deprecated.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                               Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)


def _drop(window: Any, path: Path) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = _enter(mime)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    return drop


def test_dropping_a_project_file_opens_it(ui: Any) -> None:
    _drop(ui.window, example_project("policy-assistant"))
    expected = load_project(example_project("policy-assistant")).metadata.name
    assert ui.window.windowTitle() == f"{expected} — policy-assistant.tunewise[*] — Tunewise"
    assert ui.field(Attr("metadata", "name")).line.text() == expected


def test_dropping_another_file_says_it_cannot_be_used(ui: Any, tmp_path: Path,
                                                     dialog_log: Any) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello", "utf-8")
    before = ui.window.controller.project
    _drop(ui.window, other)  # taken, so the window can say why it is not used
    (message,) = dialog_log.of("information")
    assert "notes.txt" in message[2] and "unchanged" in message[2]
    assert ui.window.controller.project is before


def test_geometry_and_recent_files_live_in_settings_not_the_project(
        qtbot: Any, window: Any, settings: QSettings, tmp_path: Path) -> None:
    from tunewise.ui.mainwindow import MainWindow

    window.load(example_project("support-bot"))
    window.resize(700, 520)  # the offscreen screen is 800 x 600
    window.splitter.setSizes([300, 400])
    assert window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert again.size().width() == 700
    assert again.splitter.sizes()[0] == 300
    assert again.recent_files() == [str(example_project("support-bot").resolve())]
    saved = tmp_path / "saved.tunewise"
    again.controller.save(saved)
    text = saved.read_text("utf-8")
    assert "recentFiles" not in text and "geometry" not in text and "splitter" not in text


def test_report_entries_call_the_report_module(ui: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from tunewise.ui.results import report_view

    calls: list[tuple[str, Any]] = []
    for name in ("export_report_pdf", "print_report", "preview_report"):
        monkeypatch.setattr(report_view, name,
                            lambda parent, project, *_, n=name: calls.append((n, project)))
    ui.window.export_report()
    ui.window.print_report()
    ui.window.preview_report()
    assert [c[0] for c in calls] == ["export_report_pdf", "print_report", "preview_report"]
    assert all(c[1] is ui.window.controller.project for c in calls)


def test_about_names_licences_and_price_date(ui: Any, dialog_log: Any) -> None:
    from tunewise.core.prices import default_catalog

    ui.window.show_about()
    html = dialog_log.of("about")[0][2]
    for text in ("LGPL v3", "pyqtgraph", "MIT", "ReportLab", "BSD", "genai-prices",
                 default_catalog().as_of):
        assert text in html
    ui.window.show_guide()
    assert "90%" in dialog_log.of("show_document")[0][2]


def test_standard_shortcuts(window: Any) -> None:
    from PySide6.QtGui import QKeySequence

    assert window.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert window.open_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)


def test_startup_with_a_file_argument(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TUNEWISE_STARTUP_PROBE="1",
               XDG_CONFIG_HOME=str(tmp_path),
               PYTHONPATH=os.pathsep.join([str(REPO / "desktop"),
                                           os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run(
        [sys.executable, "-m", "tunewise", str(example_project("support-bot"))],
        env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "title=Support bot for Acme Cloud — support-bot.tunewise — Tunewise" in result.stdout
    assert "recommendation=Fine-tuning, best combined as fine-tuning + prompting" in result.stdout
