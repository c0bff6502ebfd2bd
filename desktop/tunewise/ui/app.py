"""Starting the desktop app: one QApplication, one main window, optionally one file.

Set TUNEWISE_STARTUP_PROBE=1 to have the app print `shown-at <epoch seconds>` once its window is
first shown and then quit; the start-up benchmark uses it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

PROBE_ENV = "TUNEWISE_STARTUP_PROBE"


def run(argv: list[str]) -> int:
    """Open the window (with argv[0] as the project file, if given) and run until it closes."""
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "tunewise"])
    QCoreApplication.setOrganizationName("Tunewise")
    QCoreApplication.setOrganizationDomain("tunewise.app")
    QCoreApplication.setApplicationName("Tunewise")
    from tunewise import __version__
    from tunewise.ui.mainwindow import MainWindow, app_icon

    QCoreApplication.setApplicationVersion(__version__)
    QApplication.setWindowIcon(app_icon())
    QApplication.setDesktopFileName("tunewise")

    files = [a for a in argv if not a.startswith("-")]
    if len(files) > 1:
        print("tunewise: give at most one project file to open", file=sys.stderr)
        return 2
    window = MainWindow()
    if files:
        window.load(Path(files[0]))
    window.show()
    if os.environ.get(PROBE_ENV):
        def probe() -> None:
            shown = time.time()
            title = window.windowTitle().replace("[*]", "")
            headline = window.controller.evaluation.assessment.headline
            print(f"shown-at {shown:.6f} title={title} recommendation={headline}", flush=True)
            window.controller.undo_stack.setClean()
            window.close()

        QTimer.singleShot(0, probe)
    return int(app.exec())
