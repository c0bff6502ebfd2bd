"""The tornado chart: which ranged inputs move the recommendation's cost gap the most.

One horizontal bar per input, widest swing first (the order core/uncertainty.py gives), from the
gap with the input at its low to the gap at its high, around the gap at likely values. The gap
is the recommended row's total at the horizon minus its runner-up's (positive: the
recommendation costs more). A dashed line marks the gap as planned, a solid one zero, where the
two cost the same. Input labels sit on the left; colours come from the palette and the series
colours of the two ends; sizes follow the font, so it reads at 2x and in the dark.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from tunewise.core.texts import money
from tunewise.ui.theme import MARK_CONTRAST, is_dark, mix, muted_text, readable

LOW_COLOUR = "#0072B2"  # the input at its low end (Okabe-Ito blue)
HIGH_COLOUR = "#D55E00"  # ... at its high end (vermillion)
MAX_LABEL_CHARS = 34


@dataclass(frozen=True)
class Bar:
    label: str
    diff_low: float
    diff_high: float
    tip: str = ""

    @property
    def swing(self) -> float:
        return abs(self.diff_high - self.diff_low)


class Tornado(QWidget):
    """Bars for `set_bars(bars, likely_gap)`, in the order given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Tornado chart")
        self.bars: list[Bar] = []
        self.likely = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(260)

    def set_bars(self, bars: list[Bar], likely_gap: float) -> None:
        self.bars = list(bars)
        self.likely = likely_gap
        self.setAccessibleDescription("; ".join(
            f"{b.label}: {money(b.diff_low)} to {money(b.diff_high)}" for b in self.bars))
        self.updateGeometry()
        self.update()

    # ---- geometry -----------------------------------------------------------------------

    def _row(self) -> int:
        return self.fontMetrics().height() + 8

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(420, max(len(self.bars), 1) * self._row() + 4 * line + 20)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, self.sizeHint().height())

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(self._label(b)) for b in self.bars), default=0)
        return min(widest + 10, max(int(self.width() * 0.42), 80))

    def _label(self, bar: Bar) -> str:
        text = bar.label
        return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"

    def _scale(self) -> tuple[float, float]:
        values = [self.likely, 0.0]
        for bar in self.bars:
            values += [bar.diff_low, bar.diff_high]
        low, high = min(values), max(values)
        pad = (high - low) * 0.06 or 1.0
        return low - pad, high + pad

    def bar_rects(self) -> list[QRectF]:
        """Each bar's rectangle on the widget, in order (the first is the widest)."""
        metrics = self.fontMetrics()
        left = self._label_width()
        right = self.width() - 12
        top = metrics.height() + 6
        low, high = self._scale()

        def x(value: float) -> float:
            return left + (value - low) / (high - low) * (right - left)

        rects = []
        row = self._row()
        for i, bar in enumerate(self.bars):
            a, b = sorted((x(bar.diff_low), x(bar.diff_high)))
            rects.append(QRectF(a, top + i * row + 3, max(b - a, 1.0), row - 6))
        return rects

    # ---- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        bg = palette.color(QPalette.ColorRole.Base)
        fg = palette.color(QPalette.ColorRole.Text)
        painter.fillRect(self.rect(), bg)
        metrics = self.fontMetrics()
        if not self.bars:
            painter.setPen(muted_text(palette, bg))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             "No ranges on inputs that move the gap.")
            painter.end()
            return
        left = self._label_width()
        right = self.width() - 12
        top = metrics.height() + 6
        row = self._row()
        bottom = top + len(self.bars) * row
        low, high = self._scale()

        def x(value: float) -> float:
            return left + (value - low) / (high - low) * (right - left)

        dark = is_dark(bg)
        ends = [readable(QColor(c), bg, MARK_CONTRAST) for c in (LOW_COLOUR, HIGH_COLOUR)]
        fills = [mix(c, bg, 0.25 if dark else 0.15) for c in ends]
        for i, (bar, rect) in enumerate(zip(self.bars, self.bar_rects(), strict=True)):
            y = top + i * row
            painter.setPen(fg)
            painter.drawText(QRectF(0, y, left - 8, row),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(self._label(bar), Qt.TextElideMode.ElideRight,
                                                left - 8))
            base = x(self.likely)
            painter.setPen(Qt.PenStyle.NoPen)
            for value, fill in ((bar.diff_low, fills[0]), (bar.diff_high, fills[1])):
                a, b = sorted((base, x(value)))
                painter.setBrush(fill)
                painter.drawRect(QRectF(a, rect.top(), max(b - a, 1.0), rect.height()))
        # Zero (the two cost the same) and the gap as planned.
        muted = muted_text(palette, bg)
        painter.setPen(QPen(mix(fg, bg, 0.2), 1.5))
        painter.drawLine(QPointF(x(0.0), top - 2), QPointF(x(0.0), bottom + 2))
        dashed = QPen(muted, 1.2, Qt.PenStyle.DashLine)
        painter.setPen(dashed)
        painter.drawLine(QPointF(x(self.likely), top - 2), QPointF(x(self.likely), bottom + 2))
        # Scale: the two ends and the gap as planned; a key for the colours.
        painter.setPen(muted)
        text_y = bottom + 4
        line = metrics.height()
        painter.drawText(QRectF(left, text_y, right - left, line),
                         Qt.AlignmentFlag.AlignLeft, money(low))
        painter.drawText(QRectF(left, text_y, right - left, line),
                         Qt.AlignmentFlag.AlignRight, money(high))
        planned = f"Dashed: as planned, {money(self.likely)}"
        painter.drawText(QRectF(left, text_y + line, right - left, line),
                         Qt.AlignmentFlag.AlignLeft,
                         metrics.elidedText(planned, Qt.TextElideMode.ElideRight, right - left))
        key_y = text_y + 2 * line + 2
        x0 = float(left)
        for colour, words in ((fills[0], "input low"), (fills[1], "input high")):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRect(QRectF(x0, key_y + line * 0.2, line * 0.9, line * 0.6))
            painter.setPen(fg)
            x0 += line * 1.2
            painter.drawText(QRectF(x0, key_y, metrics.horizontalAdvance(words) + 2, line),
                             Qt.AlignmentFlag.AlignLeft, words)
            x0 += metrics.horizontalAdvance(words) + line
        painter.setPen(muted)
        header = "Gap at the horizon: recommendation minus runner-up"
        painter.drawText(QRectF(0, 0, self.width(), line + 2), Qt.AlignmentFlag.AlignLeft,
                         metrics.elidedText(header, Qt.TextElideMode.ElideRight, self.width()))
        painter.end()
