"""Windows and files as a newcomer meets them: the window fits the screen it opens on, the title
names the plan, pickers start next to the plan, exports say where they went, recent files tell
where they are and what became of them, and TUNEWISE_HOME keeps every setting in one folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSettings, QStandardPaths, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QMessageBox

from tunewise.core.fieldpath import Attr
from tunewise.paths import example_project
from tunewise.ui import dialogs

REPO = Path(__file__).resolve().parents[2]
# Taken before the autouse fixture replaces it, to check the real confirmation box.
REAL_EXPORT_DONE = dialogs.export_done
TITLE_BAR = 30  # about what a window manager adds above a window


def on_screen(window: Any, screen: QRect) -> bool:
    """The window, with a title bar above it, lies wholly within `screen`."""
    g = window.geometry()
    return screen.contains(QRect(g.left(), g.top() - TITLE_BAR, g.width(), g.height() + TITLE_BAR))


def use_screen(monkeypatch: pytest.MonkeyPatch, area: QRect) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(area))


# ---- the window on the screen -------------------------------------------------------------

def test_window_last_used_on_a_big_monitor_fills_a_small_one(
        qtbot: Any, settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    from tunewise.ui.mainwindow import MainWindow

    use_screen(monkeypatch, QRect(0, 0, 2560, 1440))
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.setGeometry(QRect(80, 60, 2400, 1300))
    first.show()
    assert first.close()

    laptop = QRect(0, 0, 1440, 900)
    use_screen(monkeypatch, laptop)
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert on_screen(again, laptop)
    # It takes the screen it has, not two thirds of it with scroll bars.
    assert again.width() >= laptop.width() - 40
    assert again.height() >= laptop.height() - 60


def test_window_left_on_a_monitor_since_unplugged_comes_back(
        qtbot: Any, settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    from tunewise.ui.mainwindow import MainWindow

    laptop = QRect(0, 0, 1440, 900)
    use_screen(monkeypatch, laptop)
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.setGeometry(QRect(2700, 200, 1000, 700))  # on a second monitor to the right
    assert first.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert on_screen(again, laptop)
    assert (again.width(), again.height()) == (1000, 700)  # it fitted, so it keeps its size


def test_first_launch_fits_a_small_screen(qtbot: Any, settings: QSettings,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from tunewise.ui.mainwindow import MainWindow

    small = QRect(0, 0, 1024, 680)
    use_screen(monkeypatch, small)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert on_screen(window, small)


# ---- the title bar ------------------------------------------------------------------------

def shown_title(window: Any) -> str:
    """The title as the window manager shows it, with the modified mark resolved."""
    window.show()
    return str(window.windowHandle().title())


def test_title_bar_names_the_plan_and_its_file(ui: Any, dialog_log: Any, tmp_path: Path) -> None:
    assert shown_title(ui.window) == "Untitled plan — Tunewise"
    ui.type(Attr("metadata", "name"), "Support bot for Acme Cloud")
    assert shown_title(ui.window) == "Support bot for Acme Cloud* — Tunewise"
    dialog_log.save_name = tmp_path / "support-bot.tunewise"
    assert ui.window.save()
    assert shown_title(ui.window) == "Support bot for Acme Cloud — support-bot.tunewise — Tunewise"
    ui.type(Attr("costs", "hourly_rate"), "120")
    assert shown_title(ui.window) == ("Support bot for Acme Cloud — support-bot.tunewise* — "
                                      "Tunewise")


def test_title_bar_shows_a_name_as_typed(ui: Any, dialog_log: Any, tmp_path: Path) -> None:
    ui.type(Attr("metadata", "name"), "Plan [*] <b>draft</b>")
    dialog_log.save_name = tmp_path / "draft.tunewise"
    assert ui.window.save()
    assert shown_title(ui.window) == "Plan [*] <b>draft</b> — draft.tunewise — Tunewise"


# ---- where pickers start -------------------------------------------------------------------

@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Documents folder of the test's own; the process runs from somewhere else entirely."""
    folder = tmp_path / "Documents"
    folder.mkdir()
    real = QStandardPaths.writableLocation

    def writable(location: QStandardPaths.StandardLocation) -> str:
        if location == QStandardPaths.StandardLocation.DocumentsLocation:
            return str(folder)
        return str(real(location))

    monkeypatch.setattr(QStandardPaths, "writableLocation", writable)
    elsewhere = tmp_path / "launched-from-here"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return folder


def suggested(dialog_log: Any) -> Path:
    """Where the last file picker started, with the name it suggested."""
    return Path(dialog_log.of("save_file_name")[-1][2])


def test_first_save_starts_in_documents_with_the_plans_name(ui: Any, dialog_log: Any,
                                                            documents: Path) -> None:
    ui.type(Attr("metadata", "name"), "Support bot: Acme/Cloud")
    ui.window.save_action.trigger()  # the picker is cancelled
    assert suggested(dialog_log) == documents / "Support bot Acme Cloud.tunewise"


def test_saving_an_example_starts_in_documents_not_the_app_folder(ui: Any, dialog_log: Any,
                                                                  documents: Path) -> None:
    assert ui.window.load(example_project("support-bot"))
    ui.window.save_as_action.trigger()
    assert suggested(dialog_log) == documents / "support-bot.tunewise"


def test_exports_start_in_the_plans_folder(ui: Any, dialog_log: Any, tmp_path: Path,
                                           documents: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    dialog_log.save_name = plans / "acme.tunewise"
    assert ui.window.save()
    dialog_log.save_name = None  # each picker below is cancelled
    d = ui.window.wizard.dashboard
    for export, name in ((d.export_png, "acme-costs.png"), (d.export_svg, "acme-costs.svg"),
                         (d.export_csv, "acme-costs.csv")):
        export()
        assert suggested(dialog_log) == plans / name
    ui.window.export_report()
    assert suggested(dialog_log) == plans / "Untitled plan - report.pdf"


def test_exports_of_an_unsaved_plan_start_in_documents(ui: Any, dialog_log: Any,
                                                       documents: Path) -> None:
    ui.window.wizard.dashboard.export_png()
    assert suggested(dialog_log) == documents / "costs.png"
    ui.window.export_report()
    assert suggested(dialog_log) == documents / "Untitled plan - report.pdf"


# ---- after an export -----------------------------------------------------------------------

def test_export_ends_saying_where_it_went(ui: Any, dialog_log: Any, tmp_path: Path) -> None:
    dialog_log.save_name = tmp_path / "chart.csv"
    assert ui.window.wizard.dashboard.export_csv() == tmp_path / "chart.csv"
    dialog_log.save_name = tmp_path / "report.pdf"
    ui.window.export_report()
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert [(title, path) for _, title, path in dialog_log.of("export_done")] == [
        ("Export finished", tmp_path / "chart.csv"), ("Report exported", tmp_path / "report.pdf")]


def test_failed_export_does_not_claim_success(ui: Any, dialog_log: Any, tmp_path: Path) -> None:
    dialog_log.save_name = tmp_path / "missing-folder" / "chart.csv"
    assert ui.window.wizard.dashboard.export_csv() is None
    assert "export_done" not in dialog_log.names()
    assert dialog_log.names()[-1] == "error"


def answer_box_with(monkeypatch: pytest.MonkeyPatch, button: str) -> list[tuple[str, Any]]:
    """Message boxes are answered by clicking `button`; returns what each box said."""
    shown: list[tuple[str, Any]] = []

    def exec_(box: QMessageBox) -> int:
        shown.append((box.text(), box.textFormat()))
        next(b for b in box.buttons() if b.text() == button).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown


def test_confirmation_opens_the_folder(qtbot: Any, dialog_log: Any, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    odd = tmp_path / "<b>plans</b>"
    shown = answer_box_with(monkeypatch, "Open &Folder")
    REAL_EXPORT_DONE(None, "Export finished", odd / "chart.png")
    assert shown == [(f"Saved “chart.png” in {odd}.", Qt.TextFormat.PlainText)]
    assert dialog_log.of("open_folder") == [(odd,)]


def test_confirmation_closed_with_ok_opens_nothing(qtbot: Any, dialog_log: Any, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    answer_box_with(monkeypatch, "OK")
    REAL_EXPORT_DONE(None, "Export finished", tmp_path / "chart.png")
    assert dialog_log.of("open_folder") == []


def test_folder_that_cannot_be_opened_is_reported(qtbot: Any, dialog_log: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    answer_box_with(monkeypatch, "Open &Folder")
    monkeypatch.setattr(dialogs, "open_folder", lambda folder: False)
    REAL_EXPORT_DONE(None, "Export finished", tmp_path / "chart.png")
    [(_, title, message)] = dialog_log.of("error")
    assert title == "Export finished" and str(tmp_path) in message


# ---- recent files -------------------------------------------------------------------------

def save_as(ui: Any, dialog_log: Any, path: Path) -> None:
    dialog_log.save_name = path
    assert ui.window.save_as()


def recent_entry(ui: Any, name: str) -> Any:
    return next(a for a in ui.window.recent_menu.actions() if a.text().endswith(" " + name))


def test_recent_files_show_their_folder(ui: Any, dialog_log: Any, tmp_path: Path) -> None:
    folder = tmp_path / "team plans"
    folder.mkdir()
    save_as(ui, dialog_log, folder / "acme.tunewise")
    entry = recent_entry(ui, "acme.tunewise")
    assert entry.text() == "&1 acme.tunewise"
    assert entry.toolTip() == str(folder.resolve())
    assert ui.window.recent_menu.toolTipsVisible()


def test_missing_recent_file_is_reported_first_and_dropped(ui: Any, dialog_log: Any,
                                                           tmp_path: Path) -> None:
    save_as(ui, dialog_log, tmp_path / "kept.tunewise")
    save_as(ui, dialog_log, tmp_path / "gone.tunewise")
    ui.window.new_action.trigger()
    (tmp_path / "gone.tunewise").unlink()
    ui.type(Attr("costs", "hourly_rate"), "120")  # unsaved work in the open plan
    dialog_log.calls.clear()
    recent_entry(ui, "gone.tunewise").trigger()

    assert dialog_log.names() == ["error"]  # no "save changes?" before it, nor after
    (_, title, message) = dialog_log.of("error")[0][:3]
    assert title == "Recent file not found"
    assert "gone.tunewise" in message and str(tmp_path) in message
    assert ui.window.recent_files() == [str((tmp_path / "kept.tunewise").resolve())]
    texts = [a.text() for a in ui.window.recent_menu.actions()]
    assert "&1 kept.tunewise" in texts and not any("gone" in t for t in texts)
    assert ui.window.controller.project.costs.hourly_rate == 120
    assert ui.window.isWindowModified()


def test_recent_file_opens(ui: Any, dialog_log: Any, tmp_path: Path) -> None:
    save_as(ui, dialog_log, tmp_path / "acme.tunewise")
    ui.window.new_action.trigger()
    recent_entry(ui, "acme.tunewise").trigger()
    assert ui.window.controller.path == tmp_path / "acme.tunewise"


# ---- TUNEWISE_HOME ------------------------------------------------------------------------

def test_tunewise_home_keeps_the_settings_too(tmp_path: Path) -> None:
    home = tmp_path / "portable"
    config = tmp_path / "config"
    config.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TUNEWISE_STARTUP_PROBE="1",
               TUNEWISE_HOME=str(home), XDG_CONFIG_HOME=str(config),
               PYTHONPATH=os.pathsep.join([str(REPO / "desktop"),
                                           os.environ.get("PYTHONPATH", "")]))
    example = example_project("support-bot")
    result = subprocess.run([sys.executable, "-m", "tunewise", str(example)], env=env,
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ini = (home / "settings" / "tunewise.ini").read_text("utf-8")
    assert str(example.resolve()) in ini  # the recent file
    assert "rect=" in ini  # the window's place
    assert list(config.rglob("*")) == []  # nothing in the platform's settings store
