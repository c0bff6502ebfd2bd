"""The wizard pages' base class: a scrollable grid of fields bound to the project, and a live
note showing what the core concluded. Pages never decide.

Keyboard: each page's labels get Alt+letters of their own, none of them the menu bar's or Back's
and Next's (fields.assign_mnemonics); Tab walks the page's fields in order and ends on Back and
Next, never wandering to the side panel in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from tunewise.core.evaluation import Evaluation
from tunewise.core.results import Assessment
from tunewise.ui.controller import Changed, ProjectController
from tunewise.ui.fields import (
    Field,
    add_rows,
    assign_mnemonics,
)
from tunewise.ui.theme import NoteBox

YES_NO = ((True, "Yes"), (False, "No"))


def note_label(text: str = "") -> QLabel:
    """A live note in a tinted box whose colours follow the palette (light, dark, changes)."""
    label = NoteBox(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setMargin(8)
    return label


def issue_html(title: str, items: Sequence[str]) -> str:
    if not items:
        return ""
    rows = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f"<b>{escape(title)}</b><ul style='margin:0'>{rows}</ul>"


class ProjectPage(QWizardPage):
    """Base: a scrollable grid of fields plus a live note from the assessment."""

    key = ""
    heading = ""
    blurb = ""
    warning_ids: tuple[str, ...] = ()
    auto_mnemonics = True

    def __init__(self, controller: ProjectController) -> None:
        super().__init__()
        self.controller = controller
        self.optional = False
        self.setTitle(self.heading)
        self.setSubTitle(self.blurb)
        self.fields: list[Field] = []
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(4)
        self.body_layout.addLayout(self.grid)
        self.note = note_label()
        self.note.setVisible(False)
        self.body_layout.addWidget(self.note)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # an empty stop between Next and the fields
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.build()
        self.body_layout.addStretch(1)
        if self.auto_mnemonics:
            # A field without a label of its own is a check box named by its text; a bare
            # editor (a note) has no letter, and its typed text must never gain an "&".
            labels = [f.label if f.label.text() else f.editor for f in self.fields
                      if f.label.text() or isinstance(f.editor, QAbstractButton)]
            assign_mnemonics([*labels, *self.extra_mnemonics()])
        controller.evaluated.connect(self._evaluated)
        controller.projectReplaced.connect(lambda: self._evaluated(controller.evaluation, True))
        self._evaluated(controller.evaluation, True)

    # ---- for subclasses -----------------------------------------------------------------

    def build(self) -> None:
        raise NotImplementedError

    def extra_mnemonics(self) -> list[QWidget]:
        return []

    def add(self, *fields: Field, start_row: int | None = None) -> int:
        self.fields += fields
        return add_rows(self.grid, fields, self.grid.rowCount() if start_row is None else start_row)

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        """Extra HTML for the note under the fields."""
        return ""

    # ---- keyboard -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._end_tab_order_on_next()

    def _end_tab_order_on_next(self) -> None:
        """Put Back and Next right after this page's last field in the Tab order."""
        wizard = self.wizard()
        if wizard is None:
            return
        back = wizard.button(QWizard.WizardButton.BackButton)
        next_ = wizard.button(QWizard.WizardButton.NextButton)
        # The page's widgets follow the page in the focus chain, in the order they were made.
        last: QWidget | None = None
        widget = self.nextInFocusChain()
        while widget is not None and self.isAncestorOf(widget):
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                last = widget
            widget = widget.nextInFocusChain()
        if last is not None:
            QWidget.setTabOrder(last, back)
        QWidget.setTabOrder(back, next_)

    # ---- refresh ------------------------------------------------------------------------

    def _evaluated(self, evaluation: Evaluation, whole: bool = False) -> None:
        # After an edit, the controller knows which fields it changed; a new project is whole.
        changed: Changed = None if whole else self.controller.last_changed
        for field in self.fields:
            field.refresh(evaluation.project, changed)
        a = evaluation.assessment
        parts = [self.show_assessment(a, evaluation)]
        warnings = [w.message for w in a.warnings if w.id in self.warning_ids]
        parts.append(issue_html("Check this", warnings))
        html = "<br>".join(p for p in parts if p)
        self.note.setText(html)
        self.note.setVisible(bool(html))

    def set_optional(self, optional: bool, why: str = "") -> None:
        if optional == self.optional:
            return
        self.optional = optional
        self.setSubTitle(f"Optional: {why} {self.blurb}" if optional else self.blurb)

    def path_step(self, assessment: Assessment) -> str:
        """The answer the engine used for this page's question, in words."""
        label = assessment.diagram.question(self.key)
        for step in assessment.path:
            if step.question == self.key and label is not None:
                return (f"<b>{escape(label.label)}</b> "
                        f"Answer used: <b>{escape(step.answer)}</b>. {escape(step.detail)}")
        return (f"The flowchart stopped at {assessment.stopped_at.upper()} before reaching this "
                "question; your answer still counts for combinations.")


def optional_reason(page: ProjectPage, assessment: Assessment) -> str | None:
    """Why a page is optional for this assessment, or None if it is on the path."""
    question = assessment.diagram.question(page.key)
    if question is not None and question.answer is None:
        return f"the flowchart stopped at {assessment.stopped_at.upper()}."
    if page.key == "constraints" and not assessment.fine_tuning_considered:
        return "fine-tuning is not on the table with these answers."
    return None

