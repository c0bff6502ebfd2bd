"""The Monte Carlo (core/uncertainty.py) off the GUI thread, after each evaluation.

The deterministic lines redraw at once; the bands follow. `BandsRunner.request(evaluation)`
restarts a short timer, so a run of typing starts one job, not one per key. Jobs run one at a
time on the runner's own pool; a request made while one runs waits for it, and only the newest
evaluation is then worked on. A result reaches `resultReady` only if its evaluation is still the
one asked for last: an older job's result is dropped.

Jobs run on the global pool and are kept alive here until they report, so a dashboard closed
mid-job never waits in a destructor (the worker needs the GIL to finish) and never receives a
signal after it is gone.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal

if TYPE_CHECKING:
    from tunewise.core.evaluation import Evaluation

DEBOUNCE_MS = 120
_RUNNING: set[_Task] = set()  # jobs started and not yet reported


class _Signals(QObject):
    done = Signal(int, object)  # generation, UncertaintyResult
    failed = Signal(int, object)  # generation, the exception


class _Task(QRunnable):
    def __init__(self, generation: int, evaluation: Evaluation) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner holds it until its signal arrives
        self.generation = generation
        self.evaluation = evaluation
        self.signals = _Signals()

    def run(self) -> None:
        from tunewise.core import uncertainty

        try:
            result = uncertainty.run(self.evaluation)
        except Exception as error:  # handed to the GUI thread, which says so
            self.signals.failed.emit(self.generation, error)
        else:
            self.signals.done.emit(self.generation, result)


class BandsRunner(QObject):
    """Runs `uncertainty.run` for the newest evaluation asked for; reports only that one."""

    resultReady = Signal(object)  # UncertaintyResult, or None when there is nothing to draw
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, delay_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._start)
        self._generation = 0
        self._pending: Evaluation | None = None
        self._task: _Task | None = None
        self.result: object | None = None

    def request(self, evaluation: Evaluation | None) -> None:
        """Work on `evaluation` soon (None: no ranges, nothing to draw); older jobs are stale."""
        self._generation += 1
        self._pending = evaluation
        if evaluation is None:
            self._timer.stop()
            self.result = None
            self.resultReady.emit(None)
            return
        self._timer.start()

    def busy(self) -> bool:
        return self._task is not None or self._timer.isActive()

    def _start(self) -> None:
        if self._task is not None or self._pending is None:
            return  # the running job's end starts the newest one
        task = _Task(self._generation, self._pending)
        self._pending = None
        task.signals.done.connect(self._done)
        task.signals.failed.connect(self._failed)
        task.signals.done.connect(lambda *_: _RUNNING.discard(task))
        task.signals.failed.connect(lambda *_: _RUNNING.discard(task))
        self._task = task
        _RUNNING.add(task)
        QThreadPool.globalInstance().start(task)

    def _finish(self) -> None:
        self._task = None
        if self._pending is not None and not self._timer.isActive():
            self._start()

    def _done(self, generation: int, result: object) -> None:
        current = generation == self._generation
        self._finish()
        if current:
            self.result = result
            self.resultReady.emit(result)

    def _failed(self, generation: int, error: object) -> None:
        current = generation == self._generation
        self._finish()
        if current:
            self.result = None
            self.failed.emit(f"The ranges could not be worked out: {error}")
            self.resultReady.emit(None)

    @staticmethod
    def wait(timeout_ms: int = 5000) -> bool:
        """Let every running job report (the app quitting, a test ending), handling events
        meanwhile; False if one is still running after `timeout_ms`."""
        deadline = time.monotonic() + timeout_ms / 1000
        while _RUNNING and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.005)
        return not _RUNNING
