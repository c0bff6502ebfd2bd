"""`tunewise --smoke-test`: prove that this build of the app really works, in a few seconds.

It starts the app the way a user does (`tunewise.ui.app.run`) on the bundled example, offscreen
unless QT_QPA_PLATFORM says otherwise, and once the window is shown it checks what a user would
see: the recommendation on the results dashboard, a cost chart with lines on it, and a report
exported through the window's own command that QtPdf reads back as a PDF with pages. Then it
closes the window (the document is clean, so nothing asks to save) and exits.

Anything unexpected fails it: an exception, a Qt warning, a Python warning, a dialog (every
blocking dialog is replaced by one that records a failure and never blocks), any output on
stdout or stderr, or a hang. Passing prints exactly one line on stdout and exits 0; failing
prints one line on stderr and exits 1. Release builds and the packaging tests run it on the
frozen executable, which is why it lives in the app and not in the test suite.

Settings, recovery copies and logs go to a temporary folder, so a smoke test never touches the
user's own.
"""

from __future__ import annotations

import faulthandler
import inspect
import os
import shutil
import sys
import tempfile
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

EXIT_PASSED = 0
EXIT_FAILED = 1
TIMEOUT_S = 120.0
# What the bundled example must come out as; a build that decides otherwise is broken.
EXPECTED_APPROACH = {"support-bot": "fine_tuning"}
# The offscreen platform cannot do these; real window systems can, so they are not failures.
OFFSCREEN_LIMITS = (
    "This plugin does not support propagateSizeHints",
    "This plugin does not support grabbing the keyboard",
    "This plugin does not support raise",
)
MIN_CHART_SIZE = (300, 150)
MAX_LINE = 300


class SmokeFailure(Exception):
    """One thing the smoke test found wrong, in one line."""


class _Watch:
    """Everything that went wrong while the app ran, first problem first."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.passed_detail = ""
        self.expect_save_to: Path | None = None

    def fail(self, problem: str) -> None:
        line = " ".join(problem.split())
        self.problems.append(line if len(line) <= MAX_LINE else line[:MAX_LINE - 1] + "…")


@contextmanager
def _captured_output() -> Iterator[Callable[[], str]]:
    """Send file descriptors 1 and 2 (Python's and C libraries' output alike) to a file.

    Yields a function that returns what was written. Fatal-error tracebacks still reach the
    real stderr, so a crash is never silent.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    with (tempfile.TemporaryFile(mode="w+b") as sink,
          os.fdopen(os.dup(saved[2]), "w") as real_stderr):
        faulthandler.enable(file=real_stderr)

        def read() -> str:
            sys.stdout.flush()
            sys.stderr.flush()
            sink.seek(0)
            return sink.read().decode("utf-8", "replace")

        try:
            for fd in (1, 2):
                os.dup2(sink.fileno(), fd)
            yield read
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)
            faulthandler.disable()


def _isolate(home: Path) -> None:
    """Keep settings, recovery copies and logs of this run out of the user's own folders."""
    os.environ["TUNEWISE_HOME"] = str(home)
    os.environ.pop("TUNEWISE_STARTUP_PROBE", None)
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = home / "runtime"
        runtime.mkdir(mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(home / "settings"))


def _replace_dialogs(watch: _Watch) -> None:
    """No dialog may appear: each one is a failure, answered at once without blocking.

    Every public function of ui/dialogs.py is replaced, including ones added after this was
    written, so a new dialog can never hang the smoke test.
    """
    from tunewise.ui import dialogs

    cancel = {"ask_save_changes": dialogs.SaveChoice.CANCEL}

    def refuse(name: str) -> Callable[..., Any]:
        reply = cancel.get(name)

        def stand_in(*args: object, **_kw: object) -> Any:
            # title, message and details: the first line of each
            texts = [a.strip().splitlines()[0] for a in args if isinstance(a, str) and a.strip()]
            texts = texts[:3]
            watch.fail(": ".join([f"unexpected dialog {name}", *texts]))
            return reply
        return stand_in

    saved: list[object] = []

    def save_file_name(*args: object, **kw: object) -> Any:
        target, watch.expect_save_to = watch.expect_save_to, None
        if target is None:
            return refuse("save_file_name")(*args, **kw)
        saved.append(target)
        return target

    def export_done(parent: object, title: str, path: object) -> None:
        # Every export ends by saying where it went; expected for a file this run saved.
        if path not in saved:
            refuse("export_done")(title, str(path))

    expected = {"save_file_name": save_file_name, "export_done": export_done}
    for name, value in list(vars(dialogs).items()):
        if (inspect.isfunction(value) and value.__module__ == dialogs.__name__
                and not name.startswith("_")):
            setattr(dialogs, name, expected.get(name) or refuse(name))


def _install_hooks(watch: _Watch) -> None:
    """Qt messages of warning level and up, and uncaught exceptions, become failures."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    offscreen = os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen")

    def on_message(kind: QtMsgType, _context: object, message: str) -> None:
        if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            return
        if offscreen and message.startswith(OFFSCREEN_LIMITS):
            return
        watch.fail(f"Qt {kind.name.removeprefix('Qt').removesuffix('Msg').lower()}: {message}")

    def on_exception(kind: type[BaseException], error: BaseException,
                     tb: TracebackType | None) -> None:
        watch.fail(_describe(error.with_traceback(tb)))

    qInstallMessageHandler(on_message)
    sys.excepthook = on_exception
    threading.excepthook = lambda args: on_exception(
        args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)


def _check_chart(window: Any, approach: str) -> str:
    """The results dashboard's chart, drawn: big enough, lines on it, the recommended one too."""
    import numpy as np
    from PySide6.QtGui import QColor, QImage
    from PySide6.QtWidgets import QApplication

    from tunewise.report.series import SERIES_STYLE

    window.wizard.show_page("results")
    QApplication.processEvents()  # lay out the page just switched to
    if window.wizard.currentPage() is not window.wizard.page_of("results"):
        raise SmokeFailure("the results page did not open")
    chart = window.wizard.dashboard.chart
    if not chart.isVisible():
        raise SmokeFailure("the cost chart is not visible on the results page")
    days, costs = chart.series(approach)
    if len(days) < 2 or len(costs) != len(days):
        raise SmokeFailure(f"the chart has no cost line for {approach}")
    image = chart.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    if width < MIN_CHART_SIZE[0] or height < MIN_CHART_SIZE[1]:
        raise SmokeFailure(f"the chart was drawn only {width}x{height} pixels")
    rows = np.frombuffer(image.constBits(), dtype=np.uint32, count=height * image.bytesPerLine()
                         // 4).reshape(height, -1)[:, :width] & 0xFFFFFF
    palette, counts = np.unique(rows, return_counts=True)
    inked = 1.0 - float(counts.max()) / rows.size  # all but the background colour
    colours = len(palette)
    if inked < 0.01 or colours < 8:
        raise SmokeFailure(f"the chart looks empty ({inked:.1%} drawn, {colours} colours)")
    line = QColor(SERIES_STYLE[approach].colour)  # type: ignore[index]
    rgb = np.stack([(rows >> 16) & 255, (rows >> 8) & 255, rows & 255], axis=-1).astype(int)
    near = np.abs(rgb - np.array([line.red(), line.green(), line.blue()])).sum(axis=-1) < 40
    if int(near.sum()) < 20:
        raise SmokeFailure(f"the {approach} line is not drawn on the chart")
    return f"chart {width}x{height}"


def _check_report(window: Any, folder: Path, watch: _Watch) -> str:
    """Export the report through the window's own command and read it back with QtPdf."""
    from PySide6.QtPdf import QPdfDocument

    target = folder / "smoke-report.pdf"
    watch.expect_save_to = target
    window.export_report()
    if watch.expect_save_to is not None:
        raise SmokeFailure("Export Report as PDF did not ask where to save")
    if not target.is_file():
        raise SmokeFailure(f"the report was not written to {target}")
    data = target.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise SmokeFailure("the exported report is not a complete PDF file")
    document = QPdfDocument()
    document.load(str(target))
    pages = document.pageCount()
    if document.status() != QPdfDocument.Status.Ready or pages < 1:
        raise SmokeFailure(f"QtPdf cannot read the report ({document.error().name})")
    document.close()
    return f"report {pages} pages"


def _check_window(window: Any, example: Path, watch: _Watch, folder: Path) -> None:
    """The shown window, with the example open, as a user would look at it."""
    from PySide6.QtWidgets import QApplication

    from tunewise.core.evaluation import evaluate
    from tunewise.core.storage import load_project

    if not window.isVisible():
        raise SmokeFailure("the main window is not shown")
    if window.controller.path is None or Path(window.controller.path).name != example.name:
        raise SmokeFailure(f"the window did not open {example.name}")
    evaluation = window.controller.evaluation
    assessment = evaluation.assessment
    expected = evaluate(load_project(example)).assessment
    want = EXPECTED_APPROACH.get(example.stem, expected.approach)
    if assessment.approach != want or assessment.headline != expected.headline:
        raise SmokeFailure(f"the example's recommendation is {assessment.approach}, not {want}")
    if evaluation.costs.errors:
        approach, error = next(iter(evaluation.costs.errors.items()))
        raise SmokeFailure(f"{approach} could not be costed: {error}")
    chart = _check_chart(window, assessment.approach)
    QApplication.processEvents()
    headline = window.wizard.dashboard.headline.text()
    if assessment.headline not in headline:
        raise SmokeFailure(f"the dashboard shows {headline!r}, not the recommendation")
    report = _check_report(window, folder, watch)
    watch.passed_detail = f"{example.name} -> {assessment.headline}; {chart}; {report}"


def _describe(error: BaseException) -> str:
    """An exception in one line: type, message and the innermost place it came from."""
    frames = traceback.extract_tb(error.__traceback__)
    places = [f for f in frames if "tunewise" in Path(f.filename).parts][-1:] + frames[-1:]
    at = " in ".join(dict.fromkeys(f"{Path(f.filename).name}:{f.lineno}" for f in places))
    return f"{type(error).__name__}: {error}" + (f" at {at}" if at else "")


def _run_app(example: Path, folder: Path, watch: _Watch) -> int:
    if not example.is_file():
        raise SmokeFailure(f"the bundled example is missing: {example}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import tunewise.ui  # noqa: F401  - its workaround must run before any Qt call

    _isolate(folder)
    # A copy: opening a file locks it, and the bundle's own folder may be read-only.
    opened = folder / example.name
    shutil.copyfile(example, opened)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tunewise.ui import app as ui_app
    from tunewise.ui.mainwindow import MainWindow

    _install_hooks(watch)
    _replace_dialogs(watch)
    qt_app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "tunewise"])

    def windows() -> list[MainWindow]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]

    def check() -> None:
        shown = [w for w in windows() if w.isVisible()]
        if not shown:
            QTimer.singleShot(50, check)  # not shown yet: the event loop is still starting
            return
        window = shown[0]
        try:
            _check_window(window, opened, watch, folder)
        except SmokeFailure as failure:
            watch.fail(str(failure))
        except Exception as error:  # anything else is a failure too, said in one line
            watch.fail(_describe(error))
        finally:
            window.controller.undo_stack.setClean()  # never a Save prompt on closing
            if window.isWindowModified() or window.controller.modified:
                watch.fail("the example counts as modified after the checks")
            window.close()
            if window.isVisible():
                watch.fail("the main window refused to close")
                qt_app.quit()

    QTimer.singleShot(0, check)
    code = ui_app.run([str(opened)])
    if code != 0:
        watch.fail(f"the app's event loop ended with code {code}")
    return code


def run(example: Path | None = None) -> int:
    """Run the smoke test; print one line and return the exit code."""
    from tunewise.paths import example_project

    watch = _Watch()
    example = example or example_project()

    real_stderr = os.dup(2)  # the hang report must get past the output capture

    def hang() -> None:
        os.write(real_stderr, f"smoke test failed: no result after {TIMEOUT_S:.0f} s\n".encode())
        os._exit(EXIT_FAILED)

    deadline = threading.Timer(TIMEOUT_S, hang)
    deadline.daemon = True
    deadline.start()
    output = ""
    try:
        with (tempfile.TemporaryDirectory(prefix="tunewise-smoke-") as folder,
              _captured_output() as captured,
              warnings.catch_warnings(record=True) as caught):
            warnings.simplefilter("always")
            try:
                _run_app(example, Path(folder), watch)
            except SmokeFailure as failure:
                watch.fail(str(failure))
            except Exception as error:
                watch.fail(_describe(error))
            output = captured()
            for warning in caught:
                watch.fail(f"{warning.category.__name__}: {warning.message} "
                           f"at {Path(warning.filename).name}:{warning.lineno}")
    finally:
        deadline.cancel()
        os.close(real_stderr)
    if output.strip():
        first = next(line for line in output.splitlines() if line.strip())
        watch.fail(f"unexpected output: {first.strip()}")
    if watch.problems:
        more = f" (and {len(watch.problems) - 1} more)" if len(watch.problems) > 1 else ""
        _say(sys.stderr, f"smoke test failed: {watch.problems[0]}{more}")
        return EXIT_FAILED
    if not watch.passed_detail:
        _say(sys.stderr, "smoke test failed: the checks never ran")
        return EXIT_FAILED
    _say(sys.stdout, f"smoke test passed: {watch.passed_detail}")
    return EXIT_PASSED


def _say(stream: Any, line: str) -> None:
    # A windowed build on Windows has no console: the exit code is then the only answer.
    if stream is not None:
        print(line, file=stream, flush=True)
