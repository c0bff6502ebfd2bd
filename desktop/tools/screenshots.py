"""PNGs of every wizard page and the dashboard: light, dark and at device pixel ratio 2.

    python desktop/tools/screenshots.py OUT_DIR

Writes OUT_DIR/light/NN-page.png and OUT_DIR/dark/NN-page.png (the same window after the
application palette turned dark, which also shows that every page follows a palette change at
run time), then runs itself again in a subprocess with QT_SCALE_FACTOR=2 for OUT_DIR/2x/ (one
QApplication per process). Each set also holds the dashboard with a 10-year horizon and the
crosshair on day 1,000, and the chart as the PNG export writes it. The light dashboard is also
saved as OUT_DIR/dashboard.png for the README.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

WIDTH, HEIGHT = 1280, 800
SCALE_ENV = "TUNEWISE_SCREENSHOT_ONLY"


def settle(app: Any) -> None:
    for _ in range(3):
        app.processEvents()


def capture_pages(app: Any, window: Any, out: Path) -> list[Path]:
    """Every page of the wizard, then the chart's other states and its PNG export."""
    from tunewise.core.fieldpath import Attr

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for index, page in enumerate(window.wizard.pages):
        window.wizard.show_page(page.key)
        settle(app)
        path = out / f"{index:02d}-{page.key}.png"
        window.grab().save(str(path))
        written.append(path)
    dashboard = window.wizard.dashboard
    horizon = window.controller.project.costs.horizon_days
    window.controller.set_value(Attr("costs", "horizon_days"), 3650, "Screenshot")
    settle(app)
    dashboard.chart.show_day(1000)
    settle(app)
    window.grab().save(str(out / f"{len(written):02d}-results-10-years.png"))
    dashboard.chart.show_day(None)
    window.controller.set_value(Attr("costs", "horizon_days"), horizon, "Screenshot")
    settle(app)
    dashboard.chart.image(1600).save(str(out / "chart-export.png"))  # as Export > PNG writes it
    return written


def capture(out: Path, *, dark_too: bool) -> dict[str, list[Path]]:
    """Screenshots in this process's QApplication: light into out/light (or out itself for the
    2x run), then the same window dark into out/dark."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["tunewise-screenshots"])
    app.setStyle("Fusion")  # the same look on every platform, and a palette it fully follows
    from tunewise.paths import example_project
    from tunewise.ui.mainwindow import MainWindow
    from tunewise.ui.theme import dark_palette

    sets: dict[str, list[Path]] = {}
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "screenshots.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        window.load(example_project("support-bot"))
        window.resize(WIDTH, HEIGHT)
        window.show()
        sets["light"] = capture_pages(app, window, out / "light" if dark_too else out)
        if dark_too:
            light = app.palette()
            app.setPalette(dark_palette())
            settle(app)
            sets["dark"] = capture_pages(app, window, out / "dark")
            app.setPalette(light)
        window.controller.undo_stack.setClean()
        window.close()
    return sets


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python desktop/tools/screenshots.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    if os.environ.get(SCALE_ENV):
        capture(out, dark_too=False)
        return 0
    sets = capture(out, dark_too=True)
    shutil.copyfile(sets["light"][-1], out / "dashboard.png")
    env = dict(os.environ, QT_SCALE_FACTOR="2", **{SCALE_ENV: "1"})
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = subprocess.run([sys.executable, __file__, str(out / "2x")],
                            env=env, check=False)
    if result.returncode != 0:
        return result.returncode
    for path in sorted(out.rglob("*.png")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
