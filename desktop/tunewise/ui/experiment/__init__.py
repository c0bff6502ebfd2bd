"""The few-shot test in the app: ask the team's model the held-out examples, see the score.

`dialog.ExperimentDialog` runs core/experiment's `runner.run` on a worker thread (the dataset
import's `Job`), shows the running pass rate and a results table, and puts the measured score in
Q1 as one undo step. `open_experiment` is the one way in (the Q1 page): one dialog per window,
brought forward when it is already open; its module is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from tunewise.ui.controller import ProjectController
    from tunewise.ui.experiment.dialog import ExperimentDialog


def open_experiment(parent: QWidget, controller: ProjectController) -> ExperimentDialog:
    """Show this window's few-shot test dialog."""
    from tunewise.ui.experiment.dialog import ExperimentDialog

    window = parent.window()
    dialog = next((d for d in window.findChildren(ExperimentDialog)
                   if d.controller is controller), None)
    if dialog is None:
        dialog = ExperimentDialog(controller, window)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
