"""The Results page: the dashboard as the wizard's last step."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWizardPage

from tunewise.ui.controller import ProjectController
from tunewise.ui.results.dashboard import Dashboard


class ResultsPage(QWizardPage):
    key = "results"
    heading = "Results"

    def __init__(self, controller: ProjectController) -> None:
        super().__init__()
        self.optional = False
        self.setTitle(self.heading)
        self.dashboard = Dashboard(controller)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.dashboard)
