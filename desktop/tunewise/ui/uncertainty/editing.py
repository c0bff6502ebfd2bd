"""What the Ranges and Scenarios dialogs share: they edit one part of the plan and apply it as
one undo step, or say why not and leave the plan as it was."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from tunewise.ui.controller import ProjectController
from tunewise.ui.fields import ErrorLabel


class PlanEditDialog(QDialog):
    """`apply()` sets the part of the plan (one undo step) and says whether it took; OK
    applies and closes only when it did. A refusal shows in `error`; nothing changes."""

    controller: ProjectController
    error: ErrorLabel

    def apply(self) -> bool:
        raise NotImplementedError

    def _applied(self) -> bool:
        self.controller.seal()
        self.error.setVisible(False)
        return True

    def _refused(self, text: str) -> bool:
        self.error.setText(text)
        self.error.setVisible(True)
        return False

    def accept(self) -> None:
        if self.apply():
            super().accept()
