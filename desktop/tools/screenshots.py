"""PNGs of every wizard page and the dashboard, at 1280x800 and at device pixel ratio 2.

    python desktop/tools/screenshots.py OUT_DIR

Writes OUT_DIR/1x/NN-page.png, then runs itself again in a subprocess with QT_SCALE_FACTOR=2
for OUT_DIR/2x/ (one QApplication per process). The dashboard is also saved as
OUT_DIR/dashboard.png for the README.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WIDTH, HEIGHT = 1280, 800
SCALE_ENV = "TUNEWISE_SCREENSHOT_ONLY"


def capture(out: Path) -> list[Path]:
    """Screenshots of every page in this process's QApplication."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["tunewise-screenshots"])
    from tunewise.paths import example_project
    from tunewise.ui.mainwindow import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "screenshots.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        window.load(example_project("support-bot"))
        window.resize(WIDTH, HEIGHT)
        window.show()
        written: list[Path] = []
        for index, page in enumerate(window.wizard.pages):
            window.wizard.show_page(page.key)  # type: ignore[attr-defined]
            for _ in range(3):
                app.processEvents()
            path = out / f"{index:02d}-{page.key}.png"  # type: ignore[attr-defined]
            window.grab().save(str(path))
            written.append(path)
        window.controller.undo_stack.setClean()
        window.close()
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python desktop/tools/screenshots.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    if os.environ.get(SCALE_ENV):
        capture(out)
        return 0
    written = capture(out / "1x")
    shutil.copyfile(written[-1], out / "dashboard.png")
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
