"""The four questions as a small painted flowchart, with the path taken highlighted.

It only draws `Assessment.path` and `stopped_at`; it never decides anything. Clicking a question
asks the window to show that question's page.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from tunewise.core import texts
from tunewise.core.decision import Assessment

ACCENT = QColor("#0072B2")
STOP = QColor("#009E73")
VETO = QColor("#D55E00")
MUTED = QColor("#9a9a9a")
TEXT = QColor("#1a1a1a")

# Question id -> the outcome its "yes" (or for q3 its "no") leads to.
EXITS: dict[str, tuple[str, str]] = {
    "q1": ("yes", "prompt_engineering"),
    "q2": ("yes", "rag"),
    "q3": ("no", "revisit_problem"),
    "q4": ("yes", "fine_tuning"),
}
OUTCOME_SHORT: dict[str, str] = {
    "prompt_engineering": "Prompt engineering",
    "rag": "RAG",
    "revisit_problem": "Revisit the problem",
    "fine_tuning": "Fine-tune",
    "collect_data": "Collect data, prompt meanwhile",
}


@dataclass
class _Node:
    key: str
    rect: QRectF
    text: str


class FlowchartWidget(QWidget):
    """Questions down the left, where each one exits to the right."""

    questionClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assessment: Assessment | None = None
        self.setMinimumSize(250, 400)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Decision flowchart")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._nodes: list[_Node] = []

    def sizeHint(self) -> QSize:
        return QSize(270, 470)

    def set_assessment(self, assessment: Assessment) -> None:
        if assessment == self.assessment:
            return  # most edits (costs, notes) leave the path as it was
        self.assessment = assessment
        self.setToolTip(self.describe())
        self.update()

    def describe(self) -> str:
        """The chart in words, for the tooltip and for screen readers."""
        a = self.assessment
        if a is None:
            return ""
        steps = [f"{texts.QUESTION_SHORT[s.question]} {s.answer}" for s in a.path]
        return "; ".join(steps) + f". Stopped at {a.stopped_at}: " + \
            texts.APPROACH_LABELS[a.flowchart_outcome] + "."

    # ---- layout -------------------------------------------------------------------------

    def _layout(self) -> list[_Node]:
        w, h = float(self.width()), float(self.height())
        margin = 6.0
        gap_y = 24.0
        rows = 5  # four questions and the "collect data" exit under q4
        box_h = min(64.0, (h - 2 * margin - gap_y * (rows - 1)) / rows)
        q_w = (w - 2 * margin) * 0.50
        o_x = margin + q_w + 26.0
        o_w = w - margin - o_x
        nodes: list[_Node] = []
        for i, q in enumerate(("q1", "q2", "q3", "q4")):
            y = margin + i * (box_h + gap_y)
            nodes.append(_Node(q, QRectF(margin, y, q_w, box_h), texts.QUESTION_SHORT[q]))
            outcome = EXITS[q][1]
            nodes.append(_Node(outcome, QRectF(o_x, y + 4, o_w, box_h - 8), OUTCOME_SHORT[outcome]))
        y = margin + 4 * (box_h + gap_y)
        nodes.append(_Node("collect_data", QRectF(margin, y, q_w, box_h),
                           OUTCOME_SHORT["collect_data"]))
        return nodes

    # ---- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._nodes = self._layout()
        by_key = {n.key: n for n in self._nodes}
        a = self.assessment
        answered = {s.question: s.answer for s in a.path} if a else {}
        outcome = a.flowchart_outcome if a else None
        vetoed = a is not None and a.approach != a.flowchart_outcome

        # Edges first, so boxes sit on top of them.
        for i, q in enumerate(("q1", "q2", "q3", "q4")):
            node = by_key[q]
            exit_answer, exit_outcome = EXITS[q]
            taken_exit = answered.get(q) == exit_answer or (q == "q3" and answered.get(q) == "no")
            self._edge(painter, QPointF(node.rect.right(), node.rect.center().y()),
                       QPointF(by_key[exit_outcome].rect.left(), node.rect.center().y()),
                       exit_answer, q in answered and taken_exit)
            below = by_key[("q2", "q3", "q4", "collect_data")[i]]
            other = "no" if exit_answer == "yes" else "yes"
            taken_down = q in answered and not taken_exit
            self._edge(painter, QPointF(node.rect.center().x(), node.rect.bottom()),
                       QPointF(node.rect.center().x(), below.rect.top()), other, taken_down)

        for node in self._nodes:
            is_question = node.key.startswith("q") and len(node.key) == 2
            on_path = node.key in answered
            is_stop = node.key == outcome
            self._box(painter, node, is_question, on_path, is_stop,
                      vetoed and is_stop, a is not None and node.key == a.stopped_at)
        painter.end()

    def _edge(self, painter: QPainter, start: QPointF, end: QPointF, text: str,
              taken: bool) -> None:
        color = ACCENT if taken else MUTED
        pen = QPen(color, 3 if taken else 1.2)
        if not taken:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(start, end)
        direction = end - start
        length = max((direction.x() ** 2 + direction.y() ** 2) ** 0.5, 1e-6)
        ux, uy = direction.x() / length, direction.y() / length
        size = 7.0
        tip = end
        side_x, side_y = uy * size * 0.6, ux * size * 0.6
        left = QPointF(tip.x() - ux * size - side_x, tip.y() - uy * size + side_y)
        right = QPointF(tip.x() - ux * size + side_x, tip.y() - uy * size - side_y)
        painter.setBrush(color)
        painter.drawPolygon(QPolygonF([tip, left, right]))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        font.setBold(taken)
        painter.setFont(font)
        painter.setPen(TEXT if taken else MUTED)
        mid = (start + end) / 2
        if abs(ux) > abs(uy):
            rect = QRectF(mid.x() - 20, mid.y() - 18, 40, 16)
        else:
            rect = QRectF(mid.x() + 6, mid.y() - 9, 40, 16)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter if abs(ux) > abs(uy)
                         else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _box(self, painter: QPainter, node: _Node, question: bool, on_path: bool, stop: bool,
             vetoed: bool, stopped_here: bool) -> None:
        if stop:
            border, fill = (VETO, QColor("#fbe3d6")) if vetoed else (STOP, QColor("#d8f1e8"))
        elif on_path:
            border, fill = ACCENT, QColor("#dbeaf6")
        else:
            border, fill = MUTED, QColor("#f6f6f6")
        pen = QPen(border, 2.5 if (on_path or stop) else 1.0)
        if not (on_path or stop):
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(fill)
        radius = 4.0 if question else 10.0
        painter.drawRoundedRect(node.rect, radius, radius)
        font = QFont(self.font())
        font.setBold(on_path or stop)
        painter.setFont(font)
        painter.setPen(TEXT if (on_path or stop) else QColor("#555555"))
        label = node.text
        if question:
            label = f"{node.key.upper()} {label}"
        if stop and vetoed:
            label += "\n(blocked)"
        painter.drawText(node.rect.adjusted(4, 2, -4, -2),
                         Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, label)

    # ---- interaction --------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        for node in self._nodes:
            if node.key in ("q1", "q2", "q3", "q4") and node.rect.contains(event.position()):
                self.questionClicked.emit(node.key)
                return
        super().mousePressEvent(event)
