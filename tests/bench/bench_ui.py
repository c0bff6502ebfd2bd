"""Benchmark the desktop app: an input edit to a redrawn chart, and start-up to a shown window.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_ui.py

(a) Median time from typing one value into a cost field to the chart's lines updated and the
    window repainted, with a 3-year horizon and all six approaches costed (target < 16 ms).
(b) Time from launching a process to its first shown window, for Tunewise with the support-bot
    example and for a bare PySide6 + pyqtgraph window measured the same way.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "desktop"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_MS = 16.0
EDITS = 60
LAUNCHES = 3

BARE_WINDOW = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
import pyqtgraph as pg
app = QApplication([])
window = QMainWindow()
plot = pg.PlotWidget()
plot.plot([0, 1, 2], [0, 1, 4])
window.setCentralWidget(plot)
window.resize(1280, 800)
window.show()
def probe():
    print(f"shown-at {time.time():.6f}", flush=True)
    window.close()
QTimer.singleShot(0, probe)
app.exec()
"""


def _paint_counter() -> type:
    from PySide6.QtCore import QEvent, QObject

    class Counter(QObject):
        """Counts paint events of the widget it watches."""

        def __init__(self) -> None:
            super().__init__()
            self.count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    return Counter


def edit_to_redraw_ms() -> tuple[float, float]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["bench"])
    from tunewise.core.fieldpath import ApproachInput, Attr
    from tunewise.paths import example_project
    from tunewise.ui.fields import NumberField
    from tunewise.ui.mainwindow import MainWindow

    with tempfile.TemporaryDirectory() as folder:
        window = MainWindow(QSettings(str(Path(folder) / "b.ini"), QSettings.Format.IniFormat))
        window.load(example_project("support-bot"))
        window.controller.set_value(Attr("costs", "horizon_days"), 1095)
        window.resize(1280, 800)
        window.show()
        window.wizard.show_page("results")
        app.processEvents()
        costed = window.controller.evaluation.costs.approaches
        assert len(costed) == 6 and len(next(iter(costed.values())).cumulative) == 1096
        field = next(f for p in window.wizard.pages for f in getattr(p, "fields", [])
                     if f.path == ApproachInput("prompt_engineering", "system_prompt_tokens"))
        assert isinstance(field, NumberField)
        chart = window.wizard.dashboard.chart
        painted = _paint_counter()()
        chart.viewport().installEventFilter(painted)
        samples = []
        forced = 0
        for i in range(EDITS):
            text = f"{2000 + 10 * (i + 1):,}"
            start = time.perf_counter()
            field.line.setText(text)
            field.line.textEdited.emit(text)  # what a key press in the field does
            before = painted.count
            app.processEvents()  # lays out and repaints everything the edit touched
            if painted.count == before:  # Qt deferred the chart: paint it now, inside the clock
                chart.viewport().repaint()
                forced += 1
            samples.append((time.perf_counter() - start) * 1000)
        y = chart.series("prompt_engineering")[1]
        expected = window.controller.evaluation.costs.approaches["prompt_engineering"]
        assert y[-1] == expected.total_at_horizon  # the chart shows the last edit
        assert painted.count >= EDITS
        window.controller.undo_stack.setClean()
        window.close()
    return statistics.median(samples), max(samples)


def launch_to_shown_s(command: list[str], env: dict[str, str]) -> float:
    samples = []
    for _ in range(LAUNCHES):
        start = time.time()
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120,
                                check=True)
        line = next(ln for ln in result.stdout.splitlines() if ln.startswith("shown-at "))
        samples.append(float(line.split()[1]) - start)
    return statistics.median(samples)


def main() -> None:
    median_ms, worst_ms = edit_to_redraw_ms()
    verdict = "ok" if median_ms < TARGET_MS else "SLOWER THAN TARGET"
    print(f"ui: input edit to redrawn chart (1095 days, 6 approaches): median {median_ms:.1f} ms, "
          f"worst {worst_ms:.1f} ms over {EDITS} edits (target < {TARGET_MS:.0f} ms: {verdict})")

    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, TUNEWISE_STARTUP_PROBE="1", XDG_CONFIG_HOME=home,
                   TUNEWISE_HOME=home,
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "desktop"),
                                                            os.environ.get("PYTHONPATH")])))
        app_s = launch_to_shown_s(
            [sys.executable, "-m", "tunewise",
             str(REPO / "resources" / "examples" / "support-bot.tunewise")],
            env)
        bare_s = launch_to_shown_s([sys.executable, "-c", BARE_WINDOW], env)
    print(f"ui: process start to first shown window: Tunewise {app_s * 1000:.0f} ms, "
          f"bare PySide6 + pyqtgraph window {bare_s * 1000:.0f} ms "
          f"(median of {LAUNCHES} launches each)")


if __name__ == "__main__":
    main()
