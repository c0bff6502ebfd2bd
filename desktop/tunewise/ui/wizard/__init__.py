"""The wizard: the PAGES in order, embedded in the main window as its main flow.

Every page is always reachable (Next never waits on an answer); pages past the point where the
flowchart stopped are marked optional rather than hidden, because combinations need them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget, QWizard, QWizardPage

from tunewise.core.evaluation import Evaluation
from tunewise.ui.controller import ProjectController
from tunewise.ui.results.dashboard import Dashboard
from tunewise.ui.wizard.base import ProjectPage, optional_reason
from tunewise.ui.wizard.behaviour import BehaviourPage
from tunewise.ui.wizard.constraints import ConstraintsPage
from tunewise.ui.wizard.costs import CostsPage
from tunewise.ui.wizard.data import DataPage
from tunewise.ui.wizard.few_shot import FewShotPage
from tunewise.ui.wizard.knowledge import KnowledgePage
from tunewise.ui.wizard.project_info import ProjectInfoPage
from tunewise.ui.wizard.results import ResultsPage

# Each page is built from the controller, in this order.
PAGES: tuple[Callable[[ProjectController], QWizardPage], ...] = (
    ProjectInfoPage,
    FewShotPage,
    KnowledgePage,
    BehaviourPage,
    DataPage,
    ConstraintsPage,
    CostsPage,
    ResultsPage,
)


class Wizard(QWizard):
    """The wizard as a plain child widget: Back and Next only, Enter presses Next."""

    pageMarksChanged = Signal()

    def __init__(self, controller: ProjectController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.BackButton,
                              QWizard.WizardButton.NextButton])
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Back")
        self.setButtonText(QWizard.WizardButton.NextButton, "&Next >")
        self.controller = controller
        self.pages: list[QWizardPage] = []
        for page_class in PAGES:
            page = page_class(controller)
            self.pages.append(page)
            self.addPage(page)
        controller.evaluated.connect(self._mark_optional)
        self._mark_optional(controller.evaluation)

    @property
    def dashboard(self) -> Dashboard:
        page = self.pages[-1]
        assert isinstance(page, ResultsPage)
        return page.dashboard

    def page_of(self, key: str) -> QWizardPage:
        return next(p for p in self.pages if getattr(p, "key", "") == key)

    def show_page(self, key: str) -> None:
        """Go to a page by key, stepping so QWizard's history stays consistent."""
        target = self.pages.index(self.page_of(key))
        if self.currentId() < 0:
            self.restart()  # not shown yet: QWizard starts on the first page when shown
        for _ in range(len(self.pages)):
            if self.currentId() < target:
                self.next()
            elif self.currentId() > target:
                self.back()

    def _mark_optional(self, evaluation: Evaluation) -> None:
        changed = False
        for page in self.pages:
            if isinstance(page, ProjectPage):
                why = optional_reason(page, evaluation.assessment)
                if (why is not None) != page.optional:
                    changed = True
                page.set_optional(why is not None, why or "")
        if changed:
            self.pageMarksChanged.emit()

    # The wizard is the main flow, not a dialog: finishing or Escape must never hide it.
    def done(self, result: int) -> None:
        return

    def reject(self) -> None:
        return
