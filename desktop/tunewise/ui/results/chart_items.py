"""The cost chart's own pyqtgraph items: axes in USD (linear or log) and in days, months or years
(whichever suits the span in view), and a legend whose entries toggle their lines."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter

from tunewise.core.costs import DAYS_PER_MONTH
from tunewise.core.texts import short_money

DAYS_PER_YEAR = 12 * DAYS_PER_MONTH
DAYS_UP_TO = 120  # a view this many days wide or less is labelled in days
MONTHS_UP_TO = 730  # then months up to two years; longer spans in years

# unit: (axis title, days in one, tick steps in units; days use pyqtgraph's own steps)
TIME_UNITS: dict[str, tuple[str, float, tuple[float, ...]]] = {
    "days": ("Days from launch", 1.0, ()),
    "months": ("Months from launch", DAYS_PER_MONTH, (1, 2, 3, 6, 12)),
    "years": ("Years from launch", DAYS_PER_YEAR, (0.5, 1, 2, 5)),
}


def compact_money(value: float) -> str:
    """Axis labels: $1,250 / $125,000 / $12.5M / $3.2B / $250T; beyond, $2.5 times 10 to the 27.

    Never pyqtgraph's own "1e+27" forms, however large the value.
    """
    if not math.isfinite(value):
        return ""
    if abs(value) >= 1_000_000_000:
        text = short_money(abs(value))
        return "-" + text if value < 0 else text
    if abs(value) >= 10_000_000:
        return f"${value / 1_000_000:,.1f}M".replace(".0M", "M")
    if 0 < abs(value) < 1:
        return f"${value:,.2f}"
    return f"${value:,.0f}"


def nice_ceiling(value: float) -> float:
    """The next round number at or above value: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^n."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def time_unit(span_days: float) -> str:
    """What a time axis this many days wide is labelled in: days, months or years."""
    if span_days <= DAYS_UP_TO:
        return "days"
    return "months" if span_days <= MONTHS_UP_TO else "years"


class MoneyAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """USD with thousands separators, on a linear or a log scale.

    pyqtgraph's automatic SI scaling is off: it would divide the ticks by 10^n and put "x1e+27"
    beside the axis; the labels say the whole amount ("$3.2B", "$2.5 times 10 to the 27").
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        return [compact_money(v * scale) for v in values]

    def logTickStrings(self, values: Sequence[float], scale: float,
                       spacing: float) -> list[str]:
        return [compact_money(10.0 ** min(v * scale, 300.0)) for v in values]


class TimeAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """Days on the data side; labelled in days, months or years."""

    def __init__(self, orientation: str = "bottom") -> None:
        super().__init__(orientation)
        self.unit = ""
        self.set_unit("days")

    def set_unit(self, unit: str) -> None:
        if unit == self.unit:
            return
        self.unit = unit
        self.setLabel(TIME_UNITS[unit][0])
        self.picture = None
        self.update()

    def tickValues(self, minVal: float, maxVal: float,
                   size: float) -> list[tuple[float, list[float]]]:
        if self.unit == "days":
            ticks: list[tuple[float, list[float]]] = super().tickValues(minVal, maxVal, size)
            return ticks
        _, days, steps = TIME_UNITS[self.unit]
        span = max((maxVal - minVal) / days, 1e-9)
        step = next((s for s in steps if span / s <= 12), steps[-1])
        first = math.ceil(minVal / days / step)
        last = math.floor(maxVal / days / step)
        return [(step * days, [i * step * days for i in range(first, last + 1)])]

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        if self.unit == "days":
            return [f"{v:,.0f}" for v in values]
        days = TIME_UNITS[self.unit][1]
        return [f"{v / days:,.1f}".removesuffix(".0") for v in values]


class SeriesSample(pg.ItemSample):  # type: ignore[misc]  # pyqtgraph is untyped
    """A legend entry's line; a hidden series keeps its line, faint, rather than an eye icon
    (which is black and vanishes on a dark legend)."""

    def paint(self, painter: QPainter, *args: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(1.0 if self.item.isVisible() else 0.25)
        painter.setPen(self.item.opts["pen"])
        painter.drawLine(QPointF(0, 11), QPointF(20, 11))

    def mouseClickEvent(self, event: object) -> None:
        # The chart toggles the series, so the markers and the text below follow.
        event.accept()  # type: ignore[attr-defined]
        if event.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            self.sigClicked.emit(self.item)


class SeriesLegend(pg.LegendItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """The legend; clicking an entry's name toggles its series like clicking its line."""

    def mouseClickEvent(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        pos = event.pos()  # type: ignore[attr-defined]
        for sample, label in self.items:
            if label.geometry().contains(pos) or sample.geometry().contains(pos):
                event.accept()  # type: ignore[attr-defined]
                self.sigSampleClicked.emit(sample.item)
                return
