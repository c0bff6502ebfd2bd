"""The report is built on a worker thread, with a progress window whose Cancel drops the result."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from tunewise.core.project import Project
from tunewise.report.pdf import build_report
from tunewise.ui.results import report_view

from .conftest import DialogLog


@pytest.fixture
def support_bot() -> Project:
    from tunewise.core.storage import load_project
    from tunewise.paths import example_project

    return load_project(example_project("support-bot"))


def test_the_report_is_built_off_the_gui_thread(qtbot: QtBot, support_bot: Project,
                                                tmp_path: Path, dialog_log: DialogLog,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []

    def recording(project: Project, **kw: object) -> bytes:
        threads.append(threading.get_ident())
        return build_report(project, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(report_view, "build_report", recording)
    dialog_log.save_name = tmp_path / "plan.pdf"
    path = report_view.export_report_pdf(None, support_bot)
    assert path == tmp_path / "plan.pdf"
    assert path.read_bytes().startswith(b"%PDF-")
    assert len(threads) == 1
    assert threads[0] != threading.main_thread().ident
    assert threads[0] != threading.get_ident()


def test_a_build_error_is_shown(qtbot: QtBot, support_bot: Project, dialog_log: DialogLog,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(project: Project, **kw: object) -> bytes:
        raise ValueError("no prices")

    monkeypatch.setattr(report_view, "build_report", failing)
    assert report_view.print_report(None, support_bot) == 0
    assert [args[2] for args in dialog_log.of("error")] == [
        "The planning report could not be built."]


@pytest.mark.parametrize("entry", ["export", "preview"])
def test_cancel_leaves_nothing_written_or_shown(qtbot: QtBot, support_bot: Project,
                                                tmp_path: Path, dialog_log: DialogLog,
                                                monkeypatch: pytest.MonkeyPatch,
                                                entry: str) -> None:
    release = threading.Event()
    finished = threading.Event()

    def slow(project: Project, **kw: object) -> bytes:
        release.wait(10)
        pdf = build_report(project, **kw)  # type: ignore[arg-type]
        finished.set()
        return pdf

    monkeypatch.setattr(report_view, "build_report", slow)
    dialog_log.save_name = tmp_path / "plan.pdf"
    clicked: list[bool] = []

    def click_cancel() -> None:  # runs while the build waits: the window is responsive
        [build] = report_view.ReportBuild.running
        clicked.append(build.progress.isVisible())
        build.progress.findChild(QPushButton).click()

    QTimer.singleShot(report_view.PROGRESS_DELAY_MS + 300, click_cancel)
    if entry == "export":
        assert report_view.export_report_pdf(None, support_bot) is None
    else:
        assert report_view.preview_report(None, support_bot) is None
    assert clicked == [True]  # the progress window was showing, and its Cancel ended the wait

    release.set()  # the worker now finishes in the background
    assert QThreadPool.globalInstance().waitForDone(30_000)
    assert finished.is_set()
    qtbot.waitUntil(lambda: not report_view._abandoned)  # its late result arrived, and was dropped
    assert not (tmp_path / "plan.pdf").exists()
    assert not any(name in dialog_log.names() for name in ("export_done", "error"))
    assert not any(isinstance(w, report_view.ReportPreview) and w.isVisible()
                   for w in QApplication.topLevelWidgets())
