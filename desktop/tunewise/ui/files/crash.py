"""What happens when something goes wrong: log it, save the work, tell the user, keep going.

`CrashGuard.install()` routes uncaught exceptions (main thread, slots, other threads) to one
handler that writes a rotating log in the platform's log folder, asks every registered saver to
write its recovery copy, and shows an error dialog with a "copy details" button, while the app
keeps running. Qt's own warnings go to the same log, and faulthandler writes native crashes
there too.

A log folder that cannot be written never stops the app: logging then goes to stderr only, and
`log_problem` says why. The dialog says only what is true: that the changes were copied, or
that they could not be (and why), and where the log is, or that there is none.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from PySide6.QtCore import QObject, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from tunewise import __version__
from tunewise.ui import dialogs
from tunewise.ui.files.autosave import CopyResult, CopyStatus

LOG_NAME = "tunewise.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
log = logging.getLogger("tunewise")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def format_details(exc_type: type[BaseException], exc: BaseException,
                   tb: TracebackType | None, where: str) -> str:
    """What a bug report needs: versions, where it happened, and the traceback."""
    import platform

    from PySide6 import __version__ as pyside_version

    header = (f"Tunewise {__version__}, Python {platform.python_version()}, "
              f"PySide6 {pyside_version}, {platform.platform()}\nIn: {where}\n\n")
    return header + "".join(traceback.format_exception(exc_type, exc, tb))


class CrashGuard(QObject):
    """Installs the hooks; one per application."""

    # Exceptions from other threads are handed to the GUI thread through this signal.
    _thread_crash = Signal(object, str)

    def __init__(self, log_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_dir = log_dir
        # Each writes a recovery copy; a result that is not a CopyResult counts as written.
        self.savers: list[Callable[[], object]] = []
        self.log_problem: str | None = None
        self._handler: RotatingFileHandler | None = None
        self._fault_file: IO[str] | None = None
        self._previous_hooks: tuple[Any, Any] | None = None
        self._previous_qt_handler: Any = None
        self._handling = False
        self._thread_crash.connect(self._report)

    @property
    def log_path(self) -> Path:
        return self.log_dir / LOG_NAME

    def install(self) -> None:
        log.setLevel(logging.INFO)
        try:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            self._handler = RotatingFileHandler(self.log_path, maxBytes=LOG_BYTES,
                                                backupCount=LOG_BACKUPS, encoding="utf-8")
            self._fault_file = (self.log_dir / "native-crash.log").open("a", encoding="utf-8")
        except OSError as error:
            if self._handler is not None:
                self._handler.close()
                self._handler = None
            self.log_problem = (f"the log folder {self.log_dir} cannot be written "
                                f"({str(error.strerror or error).lower()})")
            print(f"tunewise: no log file: {self.log_problem}", file=sys.stderr)
        if self._handler is not None:
            self._handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            log.addHandler(self._handler)
        log.info("Tunewise %s started", __version__)
        if self._fault_file is not None:
            faulthandler.enable(file=self._fault_file)
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._excepthook
        threading.excepthook = self._threading_hook
        self._previous_qt_handler = qInstallMessageHandler(self._qt_message)

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks
            self._previous_hooks = None
        qInstallMessageHandler(self._previous_qt_handler)
        if faulthandler.is_enabled():
            faulthandler.disable()
        if self._fault_file is not None:
            self._fault_file.close()
            self._fault_file = None
        if self._handler is not None:
            log.removeHandler(self._handler)
            self._handler.close()
            self._handler = None

    # ---- hooks ----------------------------------------------------------------------------

    def _excepthook(self, exc_type: type[BaseException], exc: BaseException,
                    tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        self._report((exc_type, exc, tb), "the main thread")

    def _threading_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        where = f"thread {args.thread.name if args.thread else '?'}"
        info: ExcInfo = (args.exc_type, args.exc_value, args.exc_traceback)
        self._thread_crash.emit(info, where)

    def _qt_message(self, kind: QtMsgType, context: Any, message: str) -> None:
        log.log(_QT_LEVELS.get(kind, logging.WARNING), "Qt: %s", message)
        if self._previous_qt_handler is not None:
            self._previous_qt_handler(kind, context, message)

    # ---- the one handler ------------------------------------------------------------------

    def _report(self, info: ExcInfo, where: str) -> None:
        exc_type, exc, tb = info
        details = format_details(exc_type, exc, tb, where)
        log.error("Unexpected error\n%s", details)
        if self._handler is not None:
            self._handler.flush()
        if self._handling:  # an error while reporting an error: the log has it; stop here
            return
        self._handling = True
        try:
            results = self._save_work()
            message = (f"Tunewise hit an unexpected error ({exc_type.__name__}: {exc}). "
                       "It is still running.")
            failed = [r.reason for r in results if r.status is CopyStatus.FAILED]
            if failed:
                message += (" Your unsaved changes could not be copied to a recovery file: "
                            f"{failed[0]}. Save them now, under another name if need be.")
            elif any(r.status is CopyStatus.WRITTEN for r in results):
                message += " Your unsaved changes were copied to a recovery file."
            if self._handler is not None:
                message += f"\n\nThe details are in the log: {self.log_path}"
            else:
                message += ("\n\nThere is no log to look in "
                            f"({self.log_problem or 'logging is off'}); use Copy Details.")
            dialogs.crash(QApplication.activeWindow(), message, details)
        finally:
            self._handling = False

    def _save_work(self) -> list[CopyResult]:
        results: list[CopyResult] = []
        for saver in list(self.savers):
            try:
                result = saver()
            except Exception as error:  # a broken saver must not stop the others
                log.exception("Writing a recovery copy failed")
                results.append(CopyResult(CopyStatus.FAILED, f"{type(error).__name__}: {error}"))
            else:
                results.append(result if isinstance(result, CopyResult)
                               else CopyResult(CopyStatus.WRITTEN))
        return results
