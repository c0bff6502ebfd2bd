"""Never lose a plan: failed saves, autosave and recovery, crashes, outside edits, two windows."""

from __future__ import annotations

import errno
import gc
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QTimer

from tests.ui.conftest import DialogLog, Driver, make_window
from tunewise.core import storage
from tunewise.core.fieldpath import Attr
from tunewise.core.project import SCHEMA_VERSION, Metadata, Project
from tunewise.core.recovery import RecoveryStore
from tunewise.core.storage import load_project, save_project
from tunewise.paths import example_project
from tunewise.ui import dialogs
from tunewise.ui.files.crash import CrashGuard
from tunewise.ui.files.safety import offer_recovery

NAME = Attr("metadata", "name")




# ---- saves that fail ----------------------------------------------------------------------

@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "disk is full"),
                                             (errno.EACCES, "permission denied")])
def test_failed_save_keeps_old_file_and_unsaved_changes(
    ui: Driver, plan: Path, dialog_log: DialogLog, monkeypatch: pytest.MonkeyPatch,
    code: int, words: str,
) -> None:
    assert ui.window.load(plan)
    before = plan.read_bytes()
    ui.type(NAME, "Renamed plan")
    assert ui.window.isWindowModified()

    def failing_fsync(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(storage.os, "fsync", failing_fsync)
    assert ui.window.save() is False
    [(_, title, message)] = dialog_log.of("error")
    assert title == "Could not save the project" and words in message and "plan.tunewise" in message
    assert plan.read_bytes() == before
    assert [p.name for p in plan.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert ui.window.isWindowModified() and ui.window.controller.modified
    assert ui.window.controller.project.metadata.name == "Renamed plan"


# ---- autosave and recovery ----------------------------------------------------------------

def test_autosave_then_crash_then_restore(qtbot: Any, tmp_path: Path, plan: Path,
                                          dialog_log: DialogLog,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    store = RecoveryStore(tmp_path / "recovery")
    first = make_window(qtbot, tmp_path, store)
    assert first.load(plan)
    ui = Driver(qtbot, first)
    ui.type(NAME, "Edited before the crash")
    ui.choose(Attr("answers", "few_shot_adequate"), "Not tried")
    edited = first.controller.project.answers
    autosaver = first.guard.autosaver
    assert autosaver is not None and autosaver.timer.isActive()
    assert autosaver.timer.interval() <= 60_000
    autosaver.timer.timeout.emit()  # the timer fires
    assert len(store.pending()) == 1

    # The window vanishes without closing, as in a crash: no close event, no save prompt.
    first.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    del first, ui, autosaver
    gc.collect()

    offered: list[Any] = []

    def restore(parent: Any, entries: list[Any]) -> tuple[Any, Any]:
        offered.extend(entries)
        return dialogs.RestoreChoice.RESTORE, entries[0]

    monkeypatch.setattr(dialogs, "ask_restore", restore)
    second = make_window(qtbot, tmp_path, store)
    assert offer_recovery(second, second.controller, second.guard, store)
    assert [e.source for e in offered] == [plan]
    assert offered[0].saved_at.tzinfo is not None  # shown to the user as a time
    assert second.controller.project.answers == edited
    assert second.controller.project.metadata.name == "Edited before the crash"
    assert second.controller.path == plan and second.controller.modified
    assert second.isWindowModified()
    second.controller.undo_stack.undo()  # one step back is the file as it was on disk
    assert second.controller.project == load_project(plan)
    second.controller.undo_stack.redo()
    # Saving deletes the recovery copy.
    assert second.save()
    assert store.pending() == []
    assert load_project(plan).answers == edited


def test_discarding_changes_deletes_the_recovery_copy(qtbot: Any, tmp_path: Path,
                                                      dialog_log: DialogLog) -> None:
    store = RecoveryStore(tmp_path / "recovery")
    win = make_window(qtbot, tmp_path, store)
    Driver(qtbot, win).type(NAME, "Throwaway")
    win.guard.write_recovery_copy()
    assert len(store.pending()) == 1
    dialog_log.save_choice = dialogs.SaveChoice.DISCARD
    win.new_project()
    assert store.pending() == []


def test_declining_restore_discards_and_a_live_window_is_not_offered(
    qtbot: Any, tmp_path: Path, dialog_log: DialogLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = RecoveryStore(tmp_path / "recovery")
    live = make_window(qtbot, tmp_path, store)
    Driver(qtbot, live).type(NAME, "Still open")
    live.guard.write_recovery_copy()
    asked: list[Any] = []
    monkeypatch.setattr(dialogs, "ask_restore",
                        lambda parent, entries: (asked.append(entries),
                                                 (dialogs.RestoreChoice.DISCARD, None))[1])
    other = make_window(qtbot, tmp_path, store)
    assert not offer_recovery(other, other.controller, other.guard, store)
    assert asked == []  # the copy belongs to a window that is still running
    assert len(store.pending()) == 1


# ---- crashes ------------------------------------------------------------------------------

@pytest.fixture
def crash_guard(tmp_path: Path) -> Any:
    guard = CrashGuard(tmp_path / "logs")
    guard.install()
    yield guard
    guard.uninstall()


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_shows_dialog_logs_and_keeps_running(
    qtbot: Any, tmp_path: Path, crash_guard: CrashGuard, dialog_log: DialogLog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = RecoveryStore(tmp_path / "recovery")
    win = make_window(qtbot, tmp_path, store)
    crash_guard.savers.append(win.guard.write_recovery_copy)
    ui = Driver(qtbot, win)
    ui.type(NAME, "Unsaved when it broke")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "crash", lambda parent, message, details:
                        shown.append((message, details)))

    def broken_slot() -> None:
        raise RuntimeError("chart exploded")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: bool(shown), timeout=2000)
    message, details = shown[0]
    assert "RuntimeError: chart exploded" in message and "still running" in message
    assert "recovery file" in message
    assert "broken_slot" in details and "Tunewise" in details
    log_text = crash_guard.log_path.read_text(encoding="utf-8")
    assert "chart exploded" in log_text and "Traceback" in log_text
    assert [e.project.metadata.name for e in store.pending()] == ["Unsaved when it broke"]
    # Still responding: edits go on working.
    ui.type(NAME, "After the error")
    assert win.controller.project.metadata.name == "After the error"


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_thread_reaches_the_same_dialog(
    qtbot: Any, crash_guard: CrashGuard, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "crash", lambda parent, message, details:
                        shown.append(message))

    def work() -> None:
        raise ValueError("background failure")

    thread = threading.Thread(target=work, name="pricing")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(shown), timeout=2000)
    assert "background failure" in shown[0]
    assert "thread pricing" in crash_guard.log_path.read_text(encoding="utf-8")


@pytest.mark.qt_log_ignore("tunewise-test-warning")
def test_qt_warnings_go_to_the_log(crash_guard: CrashGuard) -> None:
    from PySide6.QtCore import qWarning

    qWarning("tunewise-test-warning")
    assert "Qt: tunewise-test-warning" in crash_guard.log_path.read_text(encoding="utf-8")
    assert (crash_guard.log_dir / "native-crash.log").exists()


# ---- other programs, other windows, newer files -------------------------------------------

@pytest.mark.parametrize("choice", ["cancel", "overwrite"])
def test_outside_change_is_noticed_before_saving(ui: Driver, plan: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 choice: str) -> None:
    assert ui.window.load(plan)
    ui.type(NAME, "Mine")
    outside = Project(metadata=Metadata(name="Edited elsewhere"))
    save_project(outside, plan)
    asked: list[str] = []
    answer = {"cancel": dialogs.ExternalChoice.CANCEL,
              "overwrite": dialogs.ExternalChoice.OVERWRITE}[choice]
    monkeypatch.setattr(dialogs, "ask_external_change",
                        lambda parent, name: (asked.append(name), answer)[1])
    saved = ui.window.save()
    assert asked == ["plan.tunewise"]
    if choice == "cancel":
        assert not saved and load_project(plan).metadata.name == "Edited elsewhere"
        assert ui.window.controller.modified
    else:
        assert saved and load_project(plan).metadata.name == "Mine"


def test_second_window_is_warned_and_opens_read_only(qtbot: Any, tmp_path: Path, plan: Path,
                                                     dialog_log: DialogLog,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    first = make_window(qtbot, tmp_path)
    assert first.load(plan)
    warned: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "ask_open_read_only",
                        lambda parent, name, holder: (warned.append((name, holder)), True)[1])
    second = make_window(qtbot, tmp_path)
    assert second.load(plan)
    assert warned and warned[0][0] == "plan.tunewise" and str(os.getpid()) in warned[0][1]
    assert "(read-only)" in second.windowTitle()
    Driver(qtbot, second).type(NAME, "Second window's edit")
    before = plan.read_bytes()
    dialog_log.save_name = None  # the user cancels the Save As that read-only leads to
    assert second.save() is False
    assert "information" in dialog_log.names() and "save_file_name" in dialog_log.names()
    assert plan.read_bytes() == before
    # Declining the read-only copy opens nothing.
    monkeypatch.setattr(dialogs, "ask_open_read_only", lambda parent, name, holder: False)
    third = make_window(qtbot, tmp_path)
    assert third.load(plan) is False and third.controller.path is None


def test_newer_version_file_is_refused_and_never_overwritten(ui: Driver, tmp_path: Path,
                                                             dialog_log: DialogLog) -> None:
    future = tmp_path / "future.tunewise"
    future.write_text('{"format": "tunewise-project", "schema_version": 9, "notes": "x"}')
    before = future.read_bytes()
    assert ui.window.load(future) is False
    [(_, _, message)] = dialog_log.of("error")
    assert "version 9" in message and f"format {SCHEMA_VERSION}" in message
    assert ui.window.controller.path is None
    assert future.read_bytes() == before


def test_bundled_examples_are_never_saved_over(ui: Driver, dialog_log: DialogLog,
                                               tmp_path: Path) -> None:
    example = example_project("support-bot")
    before = example.read_bytes()
    assert ui.window.load(example)
    ui.type(NAME, "My own plan")
    dialog_log.save_name = tmp_path / "mine"
    assert ui.window.save()
    assert example.read_bytes() == before
    assert "information" in dialog_log.names()
    assert ui.window.controller.path == tmp_path / "mine.tunewise"
    assert load_project(tmp_path / "mine.tunewise").metadata.name == "My own plan"


def test_a_folder_without_write_access_does_not_look_locked(ui: Driver, plan: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            dialog_log: DialogLog) -> None:
    from PySide6.QtCore import QLockFile

    monkeypatch.setattr(QLockFile, "tryLock", lambda self, timeout=0: False)
    monkeypatch.setattr(QLockFile, "error", lambda self: QLockFile.LockError.PermissionError)
    assert ui.window.load(plan)
    assert "(read-only)" not in ui.window.windowTitle()
