"""The decision flowchart as a small painted diagram, with the path taken highlighted.

It draws `Assessment.diagram` (the core's flowchart with the walk through it) and never decides
anything. Clicking a question asks the window to show that question's page. Its colours come
from the palette when it paints (see `FlowColours`), so it reads in light and dark and follows a
palette change at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from tunewise.core.results import Assessment
from tunewise.ui.theme import MARK_CONTRAST, TEXT_CONTRAST, mix, readable

# Hues with a meaning of their own (Okabe-Ito, as in the report); lightness follows the palette.
STOP_HUE = QColor("#009E73")
VETO_HUE = QColor("#D55E00")


@dataclass(frozen=True)
class FlowColours:
    """Every colour of one paint, derived from the widget's palette."""

    background: QColor
    text: QColor  # on the background: taken edges' labels
    muted: QColor  # on the background: edges not taken, their labels
    accent: QColor  # the path taken
    path_fill: QColor
    stop: QColor
    stop_fill: QColor
    veto: QColor
    veto_fill: QColor
    idle_fill: QColor  # boxes off the path
    box_text: QColor  # on any box fill
    idle_text: QColor  # on idle_fill

    @classmethod
    def from_palette(cls, palette: QPalette) -> FlowColours:
        role = QPalette.ColorRole
        window = palette.color(role.Window)
        base = palette.color(role.Base)
        text = palette.color(role.WindowText)
        box_text = palette.color(role.Text)
        accent = readable(palette.color(role.Highlight), window, MARK_CONTRAST)
        stop = readable(STOP_HUE, window, MARK_CONTRAST)
        veto = readable(VETO_HUE, window, MARK_CONTRAST)
        idle_fill = mix(base, window, 0.5)
        return cls(
            background=window,
            text=readable(text, window),
            muted=readable(mix(text, window, 0.45), window, TEXT_CONTRAST),
            accent=accent,
            path_fill=mix(base, accent, 0.16),
            stop=stop,
            stop_fill=mix(base, stop, 0.16),
            veto=veto,
            veto_fill=mix(base, veto, 0.16),
            idle_fill=idle_fill,
            box_text=box_text,
            idle_text=readable(mix(box_text, idle_fill, 0.35), idle_fill, TEXT_CONTRAST),
        )


@dataclass
class _Node:
    key: str
    rect: QRectF
    text: str
    question: bool


class FlowchartWidget(QWidget):
    """Questions down the left, where each one exits to the right; drawn from the Diagram."""

    questionClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assessment: Assessment | None = None
        self.colours = FlowColours.from_palette(self.palette())
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
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        """The chart in words, for the tooltip and for screen readers."""
        return self.assessment.diagram.describe() if self.assessment is not None else ""

    # ---- layout -------------------------------------------------------------------------

    def node_rect(self, key: str) -> QRectF | None:
        """Where a question's or an outcome's box is drawn, in widget coordinates."""
        return next((n.rect for n in self._layout() if n.key == key), None)

    def _layout(self) -> list[_Node]:
        if self.assessment is None:
            return []
        chart = self.assessment.diagram
        w, h = float(self.width()), float(self.height())
        margin = 6.0
        gap_y = 24.0
        rows = len(chart.questions) + 1  # the final outcome sits under the last question
        box_h = min(64.0, (h - 2 * margin - gap_y * (rows - 1)) / rows)
        q_w = (w - 2 * margin) * 0.50
        o_x = margin + q_w + 26.0
        o_w = w - margin - o_x
        nodes: list[_Node] = []
        for i, q in enumerate(chart.questions):
            y = margin + i * (box_h + gap_y)
            nodes.append(_Node(q.id, QRectF(margin, y, q_w, box_h), q.short, True))
            nodes.append(_Node(q.exit_to, QRectF(o_x, y + 4, o_w, box_h - 8),
                               chart.outcome_short[q.exit_to], False))
        y = margin + len(chart.questions) * (box_h + gap_y)
        final = chart.final_outcome
        nodes.append(_Node(final, QRectF(margin, y, q_w, box_h), chart.outcome_short[final],
                           False))
        return nodes

    # ---- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.colours = FlowColours.from_palette(self.palette())
        self._nodes = self._layout()
        a = self.assessment
        if a is None:
            painter.end()
            return
        chart = a.diagram
        by_question = {n.key: n for n in self._nodes if n.question}
        rows = self._nodes  # question i at 2i, its exit at 2i + 1, the final outcome last
        answered = {q.id for q in chart.questions if q.answer is not None}

        # Edges first, so boxes sit on top of them.
        for i, q in enumerate(chart.questions):
            node = by_question[q.id]
            exit_box = rows[2 * i + 1]
            below = rows[2 * i + 2]
            for edge in (e for e in chart.edges if e.source == q.id):
                if edge.side:
                    self._edge(painter, QPointF(node.rect.right(), node.rect.center().y()),
                               QPointF(exit_box.rect.left(), node.rect.center().y()),
                               edge.answer, edge.taken, edge.tentative)
                else:
                    self._edge(painter, QPointF(node.rect.center().x(), node.rect.bottom()),
                               QPointF(node.rect.center().x(), below.rect.top()), edge.answer,
                               edge.taken, edge.tentative)

        for node in self._nodes:
            on_path = node.question and node.key in answered
            is_stop = not node.question and node.key == chart.outcome
            self._box(painter, node, node.question, on_path, is_stop,
                      chart.blocked and is_stop, node.key == a.stopped_at)
        # An open question waits for its answer: a "?" on its corner.
        for q in chart.questions:
            if q.state == "unanswered":
                self._open_mark(painter, by_question[q.id].rect)
        painter.end()

    def _open_mark(self, painter: QPainter, rect: QRectF) -> None:
        c = self.colours
        size = min(18.0, rect.height() * 0.45)
        badge = QRectF(rect.right() - size * 0.75, rect.top() - size * 0.25, size, size)
        painter.setPen(QPen(c.accent, 1.5))
        painter.setBrush(self.palette().base())
        painter.drawEllipse(badge)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(c.accent)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "?")

    def _edge(self, painter: QPainter, start: QPointF, end: QPointF, text: str,
              taken: bool, tentative: bool = False) -> None:
        c = self.colours
        color = c.accent if taken else c.muted
        pen = QPen(color, 3 if taken else 1.2)
        if tentative and taken:  # "not tried" carries on as if no: a guess, drawn dotted
            pen.setDashPattern([1.0, 1.0])
        elif not taken:
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
        painter.setPen(c.text if taken else c.muted)
        mid = (start + end) / 2
        if abs(ux) > abs(uy):
            rect = QRectF(mid.x() - 20, mid.y() - 18, 40, 16)
        else:
            rect = QRectF(mid.x() + 6, mid.y() - 9, 40, 16)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter if abs(ux) > abs(uy)
                         else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _box(self, painter: QPainter, node: _Node, question: bool, on_path: bool, stop: bool,
             vetoed: bool, stopped_here: bool) -> None:
        c = self.colours
        if stop:
            border, fill = (c.veto, c.veto_fill) if vetoed else (c.stop, c.stop_fill)
        elif on_path:
            border, fill = c.accent, c.path_fill
        else:
            border, fill = c.muted, c.idle_fill
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
        painter.setPen(c.box_text if (on_path or stop) else c.idle_text)
        label = node.text
        if question:
            label = f"{node.key.upper()} {label}"
        if stop and vetoed:
            label += "\n(blocked)"
        painter.drawText(node.rect.adjusted(4, 2, -4, -2),
                         Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, label)

    # ---- interaction --------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        for node in self._layout():
            if node.question and node.rect.contains(event.position()):
                self.questionClicked.emit(node.key)
                return
        super().mousePressEvent(event)
