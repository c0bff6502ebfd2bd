"""The list of wizard steps beside the flowchart, usable from the keyboard.

Arrow keys move the selection without leaving the list; Enter, Return or Space opens the
selected step, as does a click. While the list has keyboard focus a ring in the palette's
highlight colour runs round it, so a keyboard user can see where the keys go.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QListWidget, QWidget

OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
# In device-independent pixels, so the ring doubles with the text at 2x.
FOCUS_RING_WIDTH = 2


class StepList(QListWidget):
    """One row per wizard page; `opened(row)` when the user asks to go to a page."""

    opened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Steps")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.clicked.connect(self._clicked)

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.opened.emit(index.row())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if (event.key() in OPEN_KEYS and plain == Qt.KeyboardModifier.NoModifier
                and self.currentRow() >= 0):
            self.opened.emit(self.currentRow())
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.hasFocus():
            return
        painter = QPainter(self.viewport())
        try:
            # Read at every paint, so a switch to a dark palette recolours the ring too.
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), FOCUS_RING_WIDTH)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            half = FOCUS_RING_WIDTH // 2
            painter.drawRect(self.viewport().rect().adjusted(half, half, -half, -half))
        finally:
            painter.end()
