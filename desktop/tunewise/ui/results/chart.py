"""pyqtgraph, configured once, and the cumulative cost chart drawn with it.

PySide6 is imported before pyqtgraph so pyqtgraph binds to it. The chart keeps one PlotDataItem
per approach and only calls setData on change, so an edit redraws in a few milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPen

import pyqtgraph as pg  # isort: skip

from tunewise.core import texts
from tunewise.core.costs import DAYS_PER_MONTH, CostReport
from tunewise.core.evaluation import Evaluation
from tunewise.core.project import APPROACHES, ApproachId
from tunewise.core.texts import money
from tunewise.report.series import SERIES_STYLE

pg.setConfigOptions(antialias=True, background="w", foreground="k")

MONTHS_FROM_DAYS = 120  # longer horizons are labelled in months
PEN_SCALE = 1.5  # the report's widths are in points; a little heavier reads better on screen


def pen_for(approach: ApproachId) -> QPen:
    """The same colour, width ratio and dash pattern as the report's chart (SERIES_STYLE)."""
    style = SERIES_STYLE[approach]
    pen: QPen = pg.mkPen(QColor(style.colour), width=style.width * PEN_SCALE)
    if style.dash:
        # Qt measures dashes in pen widths; the report in points. Same proportions either way.
        pen.setDashPattern([length / style.width for length in style.dash])
    pen.setCosmetic(True)
    return pen


def compact_money(value: float) -> str:
    """Axis labels: $1,250 / $125,000 / $12.5M, with thousands separators."""
    if abs(value) >= 10_000_000:
        return f"${value / 1_000_000:,.1f}M".replace(".0M", "M")
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


class MoneyAxis(pg.AxisItem):
    """USD with thousands separators."""

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        return [compact_money(v * scale) for v in values]


class TimeAxis(pg.AxisItem):
    """Days on the data side; labelled in days or in months, whichever suits the horizon."""

    def __init__(self, orientation: str = "bottom") -> None:
        super().__init__(orientation)
        self.months = False

    def set_months(self, months: bool) -> None:
        self.months = months
        self.setLabel("Months from launch" if months else "Days from launch")
        self.picture = None
        self.update()

    def tickValues(self, minVal: float, maxVal: float,
                   size: float) -> list[tuple[float, list[float]]]:
        if not self.months:
            ticks: list[tuple[float, list[float]]] = super().tickValues(minVal, maxVal, size)
            return ticks
        span_months = max((maxVal - minVal) / DAYS_PER_MONTH, 1e-9)
        steps = (1, 2, 3, 6, 12, 24)
        step = next((s for s in steps if span_months / s <= 12), 24)
        first = math.ceil(minVal / DAYS_PER_MONTH / step) * step
        major = [m * DAYS_PER_MONTH for m in range(first, int(maxVal / DAYS_PER_MONTH) + 1, step)]
        return [(step * DAYS_PER_MONTH, major)]

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        if self.months:
            return [f"{round(v / DAYS_PER_MONTH):,}" for v in values]
        return [f"{v:,.0f}" for v in values]


class CostChart(pg.PlotWidget):
    """Cumulative cost of each approach over the horizon, with break-evens and a crosshair."""

    hovered = Signal(object)  # day under the cursor (int) or None

    MAX_LABELS = 6

    def __init__(self, parent: object = None) -> None:
        self.time_axis = TimeAxis()
        super().__init__(parent, axisItems={"left": MoneyAxis("left"), "bottom": self.time_axis})
        item = self.getPlotItem()
        item.setLabel("left", "Cumulative cost (USD)")
        left = item.getAxis("left")
        left.setWidth(QFontMetrics(self.font()).horizontalAdvance("$10,000,000") + 28)
        self.time_axis.set_months(False)
        item.showGrid(x=True, y=True, alpha=0.25)
        # Grid lines on major ticks only: translucent minor grid lines cost most of a repaint.
        for axis in ("left", "bottom"):
            item.getAxis(axis).setStyle(maxTickLevel=0)
        item.getAxis("left").setTickDensity(2.0)  # major steps of $5,000 rather than $20,000
        item.setMenuEnabled(False)
        item.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.legend = item.addLegend(offset=(8, 8), labelTextSize="8pt", colCount=2)
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 220))
        self.curves: dict[ApproachId, pg.PlotDataItem] = {}
        for approach in APPROACHES:
            curve = item.plot([], [], pen=pen_for(approach), name=texts.APPROACH_LABELS[approach])
            self.curves[approach] = curve
        self.markers = pg.ScatterPlotItem(size=9, symbol="o", pen=pg.mkPen("k", width=1),
                                          brush=pg.mkBrush(255, 255, 255))
        self.markers.setZValue(10)
        item.addItem(self.markers)
        self.marker_labels: list[pg.TextItem] = []
        for _ in range(self.MAX_LABELS):
            label = pg.TextItem(anchor=(0, 1), color=(30, 30, 30),
                                fill=pg.mkBrush(255, 255, 255, 210))
            label.setZValue(11)
            label.setVisible(False)
            item.addItem(label, ignoreBounds=True)
            self.marker_labels.append(label)
        self.cursor_line = pg.InfiniteLine(angle=90, movable=False,
                                           pen=pg.mkPen((90, 90, 90), width=1,
                                                        style=Qt.PenStyle.DashLine))
        self.cursor_line.setVisible(False)
        item.addItem(self.cursor_line, ignoreBounds=True)
        self.report: CostReport | None = None
        self._spots: list[tuple[float, float, str]] = []
        self._ranges: tuple[float, float] = (0.0, 0.0)
        self.break_even_labels: list[str] = []
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        item.vb.sigResized.connect(self._place_labels)

    # ---- data ---------------------------------------------------------------------------

    def show_evaluation(self, evaluation: Evaluation) -> None:
        report = evaluation.costs
        self.report = report
        days = report.days
        top = 0.0
        for approach, curve in self.curves.items():
            cost = report.approaches.get(approach)
            if cost is None:
                curve.setData([], [])
                continue
            curve.setData(days, cost.cumulative)
            top = max(top, float(cost.cumulative[-1]), float(cost.cumulative.max()))
        months = report.horizon_days > MONTHS_FROM_DAYS
        if months != self.time_axis.months:
            self.time_axis.set_months(months)
        # Ranges move in round steps, so typing in a field rarely re-lays out the axes.
        ranges = (report.horizon_days, nice_ceiling(top * 1.05))
        if ranges != self._ranges:
            self._ranges = ranges
            item = self.getPlotItem()
            item.setXRange(0, ranges[0], padding=0.02)
            item.setYRange(0, ranges[1], padding=0)
        self._mark_break_evens(evaluation)

    def _mark_break_evens(self, evaluation: Evaluation) -> None:
        spots = [(c.day, c.cost, c.sentence) for c in evaluation.assessment.crossings]
        self.markers.setData([s[0] for s in spots], [s[1] for s in spots])
        self.break_even_labels = [s[2] for s in spots]
        self._spots = spots
        self._place_labels()

    def _place_labels(self) -> None:
        """Label markers with their day, choosing a side free of earlier labels, or none."""
        spots = getattr(self, "_spots", [])
        item = self.getPlotItem()
        (x0, x1), (y0, y1) = item.vb.viewRange()
        width_px, height_px = max(item.vb.width(), 50.0), max(item.vb.height(), 50.0)
        per_px_x, per_px_y = (x1 - x0) / width_px, (y1 - y0) / height_px
        taken: list[tuple[float, float, float, float]] = []
        for i, label in enumerate(self.marker_labels):
            if i >= len(spots):
                label.setVisible(False)
                continue
            day, y, _text = spots[i]
            text = f"day {day:,.0f}"
            metrics = QFontMetrics(label.textItem.font())
            w = (metrics.horizontalAdvance(text) + 10) * per_px_x
            h = (metrics.height() + 6) * per_px_y
            placed = None
            # (anchor, box) candidates: below-right, above-left, above-right, below-left.
            for ax, ay in ((0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (1.0, 0.0)):
                left = day - ax * w + (4 * per_px_x if ax == 0 else -4 * per_px_x)
                bottom = y - (1 - ay) * h  # anchor y 0 hangs below the point
                box = (left, bottom, left + w, bottom + h)
                inside = box[0] >= x0 and box[2] <= x1 and box[1] >= y0 and box[3] <= y1
                clear = all(box[2] <= t[0] or box[0] >= t[2] or box[3] <= t[1] or box[1] >= t[3]
                            for t in taken)
                if inside and clear:
                    placed = (ax, ay, box)
                    break
            if placed is None:
                label.setVisible(False)  # the marker stays; the details list names it
                continue
            ax, ay, box = placed
            taken.append(box)
            label.setText(text)
            label.setAnchor((ax, ay))
            label.setPos(day + (4 if ax == 0 else -4) * per_px_x, y)
            label.setVisible(True)

    # ---- crosshair ----------------------------------------------------------------------

    def _mouse_moved(self, pos: QPointF) -> None:
        item = self.getPlotItem()
        if self.report is None or not item.sceneBoundingRect().contains(pos):
            self.show_day(None)
            return
        day = item.vb.mapSceneToView(pos).x()
        self.show_day(day)

    def show_day(self, day: float | None) -> None:
        """Put the crosshair on a day (None hides it) and announce it."""
        if self.report is None or day is None or not 0 <= day <= self.report.horizon_days + 0.5:
            self.cursor_line.setVisible(False)
            self.hovered.emit(None)
            return
        whole = round(min(max(day, 0), self.report.horizon_days))
        self.cursor_line.setPos(whole)
        self.cursor_line.setVisible(True)
        self.hovered.emit(whole)

    def costs_on(self, day: int) -> list[tuple[ApproachId, float]]:
        """Every approach's cumulative cost on one day, cheapest first."""
        if self.report is None:
            return []
        found = [(a, float(c.cumulative[day])) for a, c in self.report.approaches.items()
                 if day < len(c.cumulative)]
        return sorted(found, key=lambda pair: pair[1])

    def series(self, approach: ApproachId) -> tuple[np.ndarray, np.ndarray]:
        """The plotted x and y of one approach, as drawn."""
        x, y = self.curves[approach].getData()
        return (np.asarray(x if x is not None else []), np.asarray(y if y is not None else []))


def day_caption(day: int) -> str:
    return f"Day {day:,} (month {day / DAYS_PER_MONTH:,.1f})"


def readout_html(chart: CostChart, day: int | None) -> str:
    """The crosshair readout: every approach's cost on one day, cheapest first."""
    if day is None:
        return "<i>Point at the chart to read every approach's cost on that day.</i>"
    items = " &nbsp; ".join(
        f"<span style='color:{SERIES_STYLE[a].colour}'>&#9632;</span>&nbsp;"
        f"{texts.APPROACH_LABELS[a].replace(' ', '&nbsp;')}&nbsp;<b>{money(v)}</b>"
        for a, v in chart.costs_on(day)
    )
    return f"<b>{day_caption(day)}:</b> &nbsp;{items}"
