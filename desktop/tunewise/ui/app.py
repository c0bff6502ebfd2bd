"""Starting the desktop app: one QApplication, one main window, optionally one file.

Before the window appears, the crash guard is installed (log, recovery copy, error dialog) and
work a crashed session left unsaved is offered for restoring.

Set TUNEWISE_STARTUP_PROBE=1 to have the app print `shown-at <epoch seconds>` once its window is
first shown and then quit; the start-up benchmark uses it.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

PROBE_ENV = "TUNEWISE_STARTUP_PROBE"


def settle_memory() -> None:
    """Move everything built at start-up (Qt wrappers, models, catalogues) out of the garbage
    collector's sight. Full collections then skip it, so they stay short: without this, one
    during a long import froze the window ~70 ms at a time (bench_dataset_ui)."""
    gc.collect()
    gc.freeze()


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
    from tunewise.core.recovery import RecoveryStore
    from tunewise.ui.files import locations
    from tunewise.ui.files.crash import CrashGuard
    from tunewise.ui.files.safety import offer_recovery

    probing = bool(os.environ.get(PROBE_ENV))
    guard = CrashGuard(locations.log_dir(), app)
    guard.install()
    store = RecoveryStore(locations.recovery_dir())
    window = MainWindow(recovery=store)
    guard.savers.append(window.guard.write_recovery_copy)
    window.show()
    restored = not probing and offer_recovery(window, window.controller, window.guard, store)
    if files and not restored:
        window.load(Path(files[0]))
    QTimer.singleShot(0, settle_memory)  # once the window and its first plan are built
    if probing:
        def probe() -> None:
            shown = time.time()
            title = window.windowTitle().replace("[*]", "")
            headline = window.controller.evaluation.assessment.headline
            print(f"shown-at {shown:.6f} title={title} recommendation={headline}", flush=True)
            window.controller.undo_stack.setClean()
            window.close()

        QTimer.singleShot(0, probe)
    try:
        return int(app.exec())
    finally:
        guard.uninstall()
