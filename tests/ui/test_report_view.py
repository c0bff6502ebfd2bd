"""The report in the app: printing the PDF's own pages, the preview window, the export."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from tunewise.core.project import Project
from tunewise.report.pdf import build_report
from tunewise.ui import dialogs
from tunewise.ui.results import report_view


@pytest.fixture(scope="module")
def report_pdf() -> bytes:
    from tunewise.core.storage import load_project
    from tunewise.paths import example_project

    return build_report(load_project(example_project("support-bot")), paper="a4")


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setFullPage(True)
    return printer


def page_count(pdf: bytes) -> int:
    import io

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_printing_gives_the_reports_pages(qtbot: QtBot, report_pdf: bytes,
                                          tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    printed = report_view.print_pdf_bytes(report_pdf, pdf_printer(out))
    expected = page_count(report_pdf)
    assert printed == expected
    assert len(pypdf.PdfReader(out).pages) == expected


def test_printing_honours_page_range_and_copies(qtbot: QtBot, report_pdf: bytes,
                                                tmp_path: Path) -> None:
    out = tmp_path / "range.pdf"
    printer = pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    printer.setCopyCount(2)
    assert not printer.supportsMultipleCopies()  # PDF output: Tunewise makes the copies
    assert report_view.print_pdf_bytes(report_pdf, printer) == 4
    assert len(pypdf.PdfReader(out).pages) == 4


def test_page_range_outside_the_report_is_an_error(qtbot: QtBot, report_pdf: bytes,
                                                   tmp_path: Path) -> None:
    printer = pdf_printer(tmp_path / "none.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(50, 60)
    with pytest.raises(report_view.PrintError, match="outside"):
        report_view.print_pdf_bytes(report_pdf, printer)


@pytest.mark.qt_log_ignore(r"QPainter::begin\(\): Returned false")
def test_print_failure_is_reported(qtbot: QtBot, support_bot: Project, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[str] = []

    def choose(parent: object, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "missing-folder" / "x.pdf"))
        return True

    monkeypatch.setattr(dialogs, "exec_print_dialog", choose)
    monkeypatch.setattr(dialogs, "error",
                        lambda parent, title, message, details="": errors.append(details))
    assert report_view.print_report(None, support_bot) == 0
    assert len(errors) == 1 and "Could not start printing" in errors[0]


def test_print_report_uses_the_dialogs_printer(qtbot: QtBot, support_bot: Project,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "via-dialog.pdf"

    def choose(parent: object, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return True

    monkeypatch.setattr(dialogs, "exec_print_dialog", choose)
    pages = report_view.print_report(None, support_bot)
    assert pages == page_count(build_report(support_bot))
    assert len(pypdf.PdfReader(out).pages) == pages


def test_cancelled_print_dialog_prints_nothing(qtbot: QtBot, support_bot: Project,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dialogs, "exec_print_dialog", lambda parent, printer: False)
    assert report_view.print_report(None, support_bot) == 0


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every PDF report_view builds, so a test can compare with what it showed or wrote."""
    seen: list[bytes] = []

    def recording(project: Project, **kw: object) -> bytes:
        seen.append(build_report(project, **kw))  # type: ignore[arg-type]
        return seen[-1]

    monkeypatch.setattr(report_view, "build_report", recording)
    return seen


# The offscreen platform plugin says this whenever a top-level window is shown.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_preview_opens_shows_the_pages_and_closes(qtbot: QtBot, support_bot: Project,
                                                  built: list[bytes]) -> None:
    preview = report_view.preview_report(None, support_bot)
    assert preview is not None
    qtbot.addWidget(preview)
    qtbot.waitExposed(preview)
    [pdf] = built
    assert preview.pdf == pdf  # the very bytes build_report produced
    assert preview.document.pageCount() == page_count(pdf)
    assert preview.view.pageMode() == QPdfView.PageMode.MultiPage
    preview.go_to_page(3)
    assert preview.page_box.value() == 3
    preview.zoom(2.0)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.Custom
    preview.close()
    qtbot.waitUntil(lambda: not preview.isVisible())


@pytest.mark.parametrize(("screen", "expected"), [
    (QRect(0, 0, 1440, 900), (860, 860)),  # a laptop: as tall as the screen allows
    (QRect(0, 0, 2560, 1440), (860, 1000)),  # a large monitor: the size it asks for
    (QRect(0, 0, 800, 600), (784, 560)),  # a small screen: narrower too
])
def test_preview_fits_the_screen(qtbot: QtBot, support_bot: Project,
                                 monkeypatch: pytest.MonkeyPatch, screen: QRect,
                                 expected: tuple[int, int]) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(screen))
    preview = report_view.preview_report(None, support_bot)
    assert preview is not None
    qtbot.addWidget(preview)
    qtbot.waitExposed(preview)
    g = preview.geometry()
    assert (g.width(), g.height()) == expected
    with_title_bar = QRect(g.left(), g.top() - 30, g.width(), g.height() + 30)
    assert screen.contains(with_title_bar)


def test_export_writes_the_report(qtbot: QtBot, support_bot: Project, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch, built: list[bytes]) -> None:
    asked: list[str] = []

    def save_as(parent: object, title: str, suggested: str = "", filter: str = "") -> Path:
        asked.append(suggested)
        return tmp_path / "plan"  # no suffix: export adds .pdf

    monkeypatch.setattr(dialogs, "save_file_name", save_as)
    path = report_view.export_report_pdf(None, support_bot)
    assert path == tmp_path / "plan.pdf"
    assert path.read_bytes().startswith(b"%PDF-")
    assert [path.read_bytes()] == built
    assert [Path(a).name for a in asked] == ["Support bot for Acme Cloud - report.pdf"]


def test_export_cancelled_writes_nothing(qtbot: QtBot, support_bot: Project,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dialogs, "save_file_name", lambda *args, **kw: None)
    assert report_view.export_report_pdf(None, support_bot) is None


def test_export_error_is_shown(qtbot: QtBot, support_bot: Project, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "save_file_name",
                        lambda *args, **kw: tmp_path / "no-folder" / "plan.pdf")
    monkeypatch.setattr(dialogs, "error",
                        lambda parent, title, message, details="": shown.append(message))
    assert report_view.export_report_pdf(None, support_bot) is None
    assert len(shown) == 1 and "plan.pdf" in shown[0]


def test_suggested_file_name_is_safe() -> None:
    project = Project.model_validate({"metadata": {"name": 'a/b:c*<d>|"e"?'}})
    assert report_view.suggested_file_name(project) == "a b c d e - report.pdf"
