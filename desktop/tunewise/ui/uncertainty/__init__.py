"""Ranges and scenarios in the app (issue 16): the Ranges… and Scenarios… dialogs, the
Monte Carlo's worker, the bands toggle and scenario switcher on the dashboard (`view.py`), the
Uncertainty tab with its tornado (`panel.py`, `tornado.py`) and the Scenarios tab
(`comparison.py`). The figures are core/uncertainty.py's and core/scenarios.py's.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tunewise.ui.controller import ProjectController


def open_ranges(parent: QWidget | None, controller: ProjectController) -> QWidget:
    """The Ranges dialog, window-modal and not waited on."""
    from tunewise.ui.uncertainty.ranges_dialog import RangesDialog

    dialog = RangesDialog(controller, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_scenarios(parent: QWidget | None, controller: ProjectController) -> QWidget:
    """The Scenarios dialog, window-modal and not waited on."""
    from tunewise.ui.uncertainty.scenarios_dialog import ScenariosDialog

    dialog = ScenariosDialog(controller, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
