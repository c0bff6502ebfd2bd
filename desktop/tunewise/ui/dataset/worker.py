"""Long dataset work (inspecting a file, writing a split) on a thread of its own.

A `Job` runs one function off the GUI thread and reports back through queued signals: progress
at most `PROGRESS_EVERY_S` apart (the core may call its progress callback for every line; a
signal per line would flood the GUI thread's queue), then `succeeded` or `failed`. `cancel()`
sets the event the core polls and disowns the job at once: the caller shows "cancelled" now, and
whatever the thread still produces is dropped. A job keeps itself alive until its thread ends,
so no thread is ever destroyed while it runs (`wait_for_all` lets the app and the tests end
cleanly).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

PROGRESS_EVERY_S = 0.1  # ten updates a second: smooth, and never a queue of stale ones

Progress = Callable[[int, int], None]
Work = Callable[[Progress, threading.Event], object]


class _Thread(QThread):
    """Runs the work; its signals are queued to the GUI thread, where the Job lives."""

    progressed = Signal(float)  # share done, 0..1
    succeeded = Signal(object)
    failed = Signal(object)  # the exception, for the GUI thread to judge

    def __init__(self, work: Work, cancel: threading.Event) -> None:
        super().__init__()
        self.work = work
        self.cancel = cancel
        self._last = 0.0

    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < PROGRESS_EVERY_S and done < total:
            return
        self._last = now
        self.progressed.emit(min(max(done / total, 0.0), 1.0) if total > 0 else 0.0)

    def run(self) -> None:
        try:
            result = self.work(self._progress, self.cancel)
        except BaseException as error:  # handed over; the GUI thread decides what it means
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)


class Job(QObject):
    """One piece of work on its own thread; `done`/`failed` only while not cancelled."""

    alive: ClassVar[set[Job]] = set()
    _quit_hooked: ClassVar[bool] = False

    progressed = Signal(float)
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.cancel_event = threading.Event()
        self.cancelled = False
        self.runner = _Thread(work, self.cancel_event)
        self.runner.progressed.connect(self._progressed)
        self.runner.succeeded.connect(self._succeeded)
        self.runner.failed.connect(self._failed)
        self.runner.finished.connect(self._finished)

    def start(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not Job._quit_hooked:
            # No thread may outlive the application: stop and wait for them as it quits.
            app.aboutToQuit.connect(lambda: Job.wait_for_all())
            Job._quit_hooked = True
        Job.alive.add(self)
        self.runner.start()

    def running(self) -> bool:
        return bool(self.runner.isRunning())

    def cancel(self) -> None:
        """Stop: the core sees the event within its next poll; nothing more is reported."""
        self.cancelled = True
        self.cancel_event.set()

    def _progressed(self, share: float) -> None:
        if not self.cancelled:
            self.progressed.emit(share)

    def _succeeded(self, result: object) -> None:
        if not self.cancelled:
            self.done.emit(result)

    def _failed(self, error: object) -> None:
        if not self.cancelled:
            self.failed.emit(error)

    def _finished(self) -> None:
        Job.alive.discard(self)

    @classmethod
    def wait_for_all(cls, timeout_ms: int = 5000) -> bool:
        """Cancel every job and wait for its thread to end; False if one is still running."""
        for job in list(cls.alive):
            job.cancel()
        deadline = time.monotonic() + timeout_ms / 1000
        ended = True
        for job in list(cls.alive):
            left = max(int((deadline - time.monotonic()) * 1000), 0)
            ended = bool(job.runner.wait(left)) and ended
        return ended
