"""The planning report in the app: export it, preview it, print it.

All three use the very bytes `tunewise.report.pdf.build_report` produces. The preview shows them
with QtPdf, and printing renders those PDF pages onto the printer; nothing here lays the report
out a second time with QPainter.

The report is built on a worker thread (`ReportBuild`), never on the GUI thread: while it runs
the window stays responsive and a non-modal progress window offers Cancel. Cancelling abandons
the result; the worker may finish in the background, and what it produces is then ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEventLoop,
    QIODevice,
    QObject,
    QPointF,
    QRectF,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QProgressDialog,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from tunewise.core.prices import PriceError
from tunewise.core.project import Project
from tunewise.core.storage import atomic_write
from tunewise.report.pdf import build_report
from tunewise.report.styles import default_paper
from tunewise.ui import dialogs, places
from tunewise.ui.screens import fit_dialog

PDF_FILTER = "PDF documents (*.pdf);;All files (*)"
# Pages are rendered at the printer's resolution, but never finer than this: 300 dpi is what a
# laser printer resolves for text and lines, and an A4 page at 300 dpi is about 35 MB in memory.
MAX_PRINT_DPI = 300
# And never wider or taller than this many pixels, whatever the paper size.
MAX_PRINT_PIXELS = 5000


class PrintError(Exception):
    """Printing failed; the message says why in plain words."""


def suggested_file_name(project: Project) -> str:
    """'Support bot for Acme Cloud - report.pdf', with characters file systems refuse removed."""
    return f"{places.safe_stem(project.metadata.name)} - report.pdf"


# A build shorter than this shows no progress window at all.
PROGRESS_DELAY_MS = 400


class _BuildSignals(QObject):
    done = Signal(object)  # the PDF bytes
    failed = Signal(object)  # the exception build_report raised


class _BuildTask(QRunnable):
    """Runs `build_report` on a pool thread and reports back through queued signals."""

    def __init__(self, project: Project, project_path: Path | None = None) -> None:
        super().__init__()
        self.project = project
        self.project_path = project_path
        self.signals = _BuildSignals()

    def run(self) -> None:
        try:
            # Looked up at call time, so tests can replace report_view.build_report.
            pdf = build_report(self.project, project_path=self.project_path)
        except BaseException as error:  # handed to the GUI thread to judge
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(pdf)


class ReportBuild(QObject):
    """One report build off the GUI thread, with a non-modal progress window and Cancel.

    `run()` waits for the result in a local event loop, so the window keeps repainting and
    answering; it returns the PDF, or None when the user cancelled (the worker's late result is
    then dropped). A failure of the build itself is raised again on the GUI thread.
    """

    running: ClassVar[list[ReportBuild]] = []

    def __init__(self, parent: QWidget | None, project: Project,
                 project_path: Path | None = None) -> None:
        super().__init__()
        # The user may edit the plan while the report is built: the worker reads its own copy.
        # the pool deletes the task when done
        self.task = _BuildTask(project.model_copy(deep=True), project_path)
        self.signals = self.task.signals
        self.loop = QEventLoop()
        self.result: bytes | None = None
        self.error: BaseException | None = None
        self.cancelled = False
        self.progress = QProgressDialog("Building the planning report…", "Cancel", 0, 0, parent)
        self.progress.setWindowTitle("Report")
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setMinimumDuration(PROGRESS_DELAY_MS)
        self.progress.setValue(0)  # starts the clock: shown only if the build takes longer
        self.progress.canceled.connect(self.cancel)
        self.signals.done.connect(self._done)
        self.signals.failed.connect(self._failed)

    def run(self) -> bytes | None:
        ReportBuild.running.append(self)
        try:
            QThreadPool.globalInstance().start(self.task)
            if not self._finished():
                self.loop.exec()
        finally:
            ReportBuild.running.remove(self)
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
        if self.cancelled:
            return None
        if self.error is not None:
            raise self.error
        return self.result

    def cancel(self) -> None:
        """Abandon the build: run() returns None now, whatever the worker does later."""
        if self._finished():
            return
        self.cancelled = True
        # Kept until the worker reports, so its signals never reach a deleted object.
        _abandoned.add(self)
        self.loop.quit()

    def _finished(self) -> bool:
        return self.cancelled or self.result is not None or self.error is not None

    def _done(self, pdf: bytes) -> None:
        if self.cancelled:
            _abandoned.discard(self)  # the result is dropped
            return
        self.result = pdf
        self.loop.quit()

    def _failed(self, error: BaseException) -> None:
        if self.cancelled:
            _abandoned.discard(self)
            return
        self.error = error
        self.loop.quit()


_abandoned: set[ReportBuild] = set()


def _build(parent: QWidget | None, project: Project,
           project_path: Path | None = None) -> bytes | None:
    """The report's PDF, built off the GUI thread; None if it failed (said so) or was cancelled."""
    if ReportBuild.running:  # one at a time: bring the one in progress forward
        ReportBuild.running[-1].progress.show()
        ReportBuild.running[-1].progress.raise_()
        return None
    try:
        return ReportBuild(parent, project, project_path).run()
    except (PriceError, ValueError, OSError) as error:
        dialogs.error(parent, "Report", "The planning report could not be built.", str(error))
        return None


# ---- export -------------------------------------------------------------------------------

def export_report_pdf(parent: QWidget | None, project: Project,
                      project_path: Path | None = None) -> Path | None:
    """Ask where to save the report, write it there, and return the path (None if not saved).

    The picker starts in the folder of the plan's file (`project_path`), if it has one.
    """
    suggested = places.suggested_path(project_path, suggested_file_name(project))
    path = dialogs.save_file_name(parent, "Export Report as PDF", suggested, PDF_FILTER)
    if path is None:
        return None
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    pdf = _build(parent, project, project_path)
    if pdf is None:
        return None
    try:
        atomic_write(path, pdf)
    except OSError as error:
        dialogs.error(parent, "Export Report as PDF",
                      f"Could not write '{path.name}': {error.strerror or error}.", str(error))
        return None
    dialogs.export_done(parent, "Report exported", path)
    return path


# ---- printing -----------------------------------------------------------------------------

def _load(pdf: bytes, owner: QWidget | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument reading `pdf` from memory; keep the buffer alive as long as the document."""
    buffer = QBuffer(owner)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(owner)  # type: ignore[arg-type]  # a None parent is fine at run time
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrintError(f"The report could not be read back for printing "
                         f"({document.error().name}).")
    return document, buffer


def pages_to_print(printer: QPrinter, page_count: int, current_page: int = 1) -> list[int]:
    """The 1-based pages the user asked for, in order, within 1..page_count."""
    if printer.printRange() == QPrinter.PrintRange.CurrentPage:
        return [min(max(current_page, 1), page_count)]
    ranges = printer.pageRanges()
    if printer.printRange() == QPrinter.PrintRange.Selection or ranges.isEmpty():
        return list(range(1, page_count + 1))
    return [page for page in range(1, page_count + 1) if ranges.contains(page)]


def print_pdf_bytes(pdf: bytes, printer: QPrinter, current_page: int = 1) -> int:
    """Print the pages of `pdf` the printer's settings ask for; return how many were printed.

    Honours the page range and, where the print system does not make copies itself, the copy
    count and collation. Raises PrintError with a plain message when anything fails.
    """
    document, buffer = _load(pdf)
    try:
        pages = pages_to_print(printer, document.pageCount(), current_page)
        if not pages:
            raise PrintError(f"The page range asked for is outside the report's "
                             f"{document.pageCount()} pages.")
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        if printer.collateCopies():
            sequence = pages * copies
        else:
            sequence = [page for page in pages for _ in range(copies)]
        dpi = max(72, min(printer.resolution(), MAX_PRINT_DPI))
        painter = QPainter()
        if not painter.begin(printer):
            where = printer.outputFileName() or printer.printerName() or "the printer"
            raise PrintError(f"Could not start printing on '{where}'. Check that the printer "
                             "is connected and not paused, or that the file can be written.")
        try:
            for index, page in enumerate(sequence):
                if index and not printer.newPage():
                    raise PrintError(f"The printer stopped accepting pages after {index} of "
                                     f"{len(sequence)}.")
                _draw_page(painter, document, page - 1, dpi)
        finally:
            painter.end()
        return len(sequence)
    finally:
        document.close()
        buffer.close()


def _draw_page(painter: QPainter, document: QPdfDocument, index: int, dpi: int) -> None:
    points = document.pagePointSize(index)
    scale = min(dpi / 72.0, MAX_PRINT_PIXELS / max(points.width(), points.height(), 1.0))
    size = QSize(max(1, round(points.width() * scale)), max(1, round(points.height() * scale)))
    image = document.render(index, size)
    if image.isNull():
        raise PrintError(f"Page {index + 1} of the report could not be rendered for printing.")
    area = QRectF(painter.viewport())
    fit = min(area.width() / size.width(), area.height() / size.height())
    target = QRectF(0, 0, size.width() * fit, size.height() * fit)
    target.moveCenter(area.center())
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(target, image)


def _printer_for(pdf_paper: str) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter if pdf_paper == "letter"
                                  else QPageSize.PageSizeId.A4))
    printer.setFullPage(True)  # the PDF pages carry their own margins
    printer.setDocName("Tunewise planning report")
    return printer


def print_bytes_with_dialog(parent: QWidget | None, pdf: bytes, current_page: int = 1) -> int:
    """Ask for printer, range and copies, then print; errors go to a dialog. Pages printed."""
    printer = _printer_for(default_paper())
    if not dialogs.exec_print_dialog(parent, printer):
        return 0
    try:
        return print_pdf_bytes(pdf, printer, current_page)
    except PrintError as error:
        dialogs.error(parent, "Print", "The report was not printed.", str(error))
        return 0


def print_report(parent: QWidget | None, project: Project,
                 project_path: Path | None = None) -> int:
    """File > Print…: build the report and print it. Returns the number of pages printed."""
    pdf = _build(parent, project, project_path)
    if pdf is None:
        return 0
    return print_bytes_with_dialog(parent, pdf)


# ---- preview ------------------------------------------------------------------------------

class ReportPreview(QDialog):
    """The report's PDF pages in a QPdfView, with page and zoom controls and a Print button."""

    ZOOM_STEP = 1.25
    PREFERRED_SIZE = QSize(860, 1000)

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.setWindowTitle(f"Print Preview: {title}")
        # A page's width and most of its height, as far as the screen allows.
        fit_dialog(self, self.PREFERRED_SIZE, parent)
        self.document, self._buffer = _load(pdf, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        self.toolbar = QToolBar(self)
        self.page_box = QSpinBox(self)
        self.page_box.setRange(1, self.document.pageCount())
        self.page_box.setAccessibleName("Page")
        self.page_box.valueChanged.connect(self.go_to_page)
        self._action("Previous page", QKeySequence.StandardKey.MoveToPreviousPage,
                     lambda: self.go_to_page(self.current_page() - 1))
        self.toolbar.addWidget(self.page_box)
        self.toolbar.addWidget(QLabel(f" of {self.document.pageCount()} ", self))
        self._action("Next page", QKeySequence.StandardKey.MoveToNextPage,
                     lambda: self.go_to_page(self.current_page() + 1))
        self.toolbar.addSeparator()
        self._action("Zoom out", QKeySequence.StandardKey.ZoomOut,
                     lambda: self.zoom(1 / self.ZOOM_STEP))
        self._action("Zoom in", QKeySequence.StandardKey.ZoomIn,
                     lambda: self.zoom(self.ZOOM_STEP))
        self._action("Fit width", None,
                     lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self._action("Whole page", None,
                     lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.toolbar.addSeparator()
        self.print_action = self._action("Print…", QKeySequence.StandardKey.Print,
                                         self.print_pages)
        self._action("Close", QKeySequence.StandardKey.Close, self.close)
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view)

    def _action(self, text: str, keys: QKeySequence.StandardKey | None,
                slot: object) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        return action

    def current_page(self) -> int:
        """1-based."""
        return int(self.view.pageNavigator().currentPage()) + 1

    def go_to_page(self, page: int) -> None:
        page = min(max(page, 1), self.document.pageCount())
        if page != self.current_page():
            self.view.pageNavigator().jump(page - 1, QPointF(), self.view.zoomFactor())
        if self.page_box.value() != page:
            self.page_box.setValue(page)

    def _page_changed(self, index: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(index + 1)
        self.page_box.blockSignals(False)

    def zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(max(current * factor, 0.25), 6.0))

    def print_pages(self) -> int:
        return print_bytes_with_dialog(self, self.pdf, self.current_page())


def preview_report(parent: QWidget | None, project: Project,
                   project_path: Path | None = None) -> ReportPreview | None:
    """File > Print Preview…: show the report's pages in a window (not modal); return it."""
    pdf = _build(parent, project, project_path)
    if pdf is None:
        return None
    try:
        preview = ReportPreview(pdf, project.metadata.name, parent)
    except PrintError as error:
        dialogs.error(parent, "Print Preview", "The report could not be shown.", str(error))
        return None
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    preview.show()
    return preview
