"""The break-evens on the cost chart: `Assessment.crossings` as markers, one label per day.

Crossings that fall on the same (rounded) day share one label. Labels are placed clear of the
lines, the markers, the legend and one another (`label_layout.place`), joined to their markers by
a leader line when they had to move away; a label with no room is left out (the text under the
chart names every crossing). Crossings of a hidden line are not marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtGui import QColor

import pyqtgraph as pg  # isort: skip

from tunewise.core.results import Crossing
from tunewise.ui.results.label_layout import Box, Lines, place
from tunewise.ui.theme import mix

if TYPE_CHECKING:
    from tunewise.ui.results.chart import CostChart


class BreakEvenMarks:
    """Markers, labels and leader lines for the crossings a chart shows."""

    def __init__(self, chart: CostChart) -> None:
        self.chart = chart
        self.plot: Any = chart.getPlotItem()
        self.markers = pg.ScatterPlotItem(size=9, symbol="o")
        self.markers.setZValue(20)
        self.plot.addItem(self.markers, ignoreBounds=True)
        self.leaders = pg.PlotCurveItem(connect="pairs", antialias=True)
        self.leaders.setZValue(19)
        self.plot.addItem(self.leaders, ignoreBounds=True)
        self.labels: list[pg.TextItem] = []
        self.texts: list[str] = []  # the text of each label shown, in order
        self._colours = (QColor("white"), QColor("black"), 1.0)

    def style(self, background: QColor, foreground: QColor, ratio: float) -> None:
        self._colours = (background, foreground, ratio)
        self.markers.setPen(pg.mkPen(foreground, width=1))  # symbols are drawn for the ratio
        self.markers.setBrush(pg.mkBrush(background))
        self.leaders.setPen(pg.mkPen(mix(foreground, background, 0.3), width=ratio))
        for label in self.labels:
            self._style(label)

    def _style(self, label: pg.TextItem) -> None:
        bg, fg, ratio = self._colours
        label.setColor(fg)
        label.fill = pg.mkBrush(QColor(bg.red(), bg.green(), bg.blue(), 235))
        label.border = pg.mkPen(mix(fg, bg, 0.6), width=ratio)
        label.update()

    def groups(self) -> list[tuple[int, list[Crossing]]]:
        """Crossings shown on the chart, one group per (rounded) day: one label each."""
        found: dict[int, list[Crossing]] = {}
        for shown in self.chart.shown_crossings():
            found.setdefault(round(shown.day), []).append(shown)
        return list(found.items())

    def update(self) -> None:
        """Markers for the crossings shown, then their labels."""
        shown = self.chart.shown_crossings()
        xs = np.array([c.day for c in shown], dtype=float)
        ys = self.chart.view_y(np.array([c.cost for c in shown], dtype=float))
        self.markers.setData(xs, ys)
        self.place()

    def place(self, *_: object) -> None:  # also the view box's sigResized slot
        """Label each day with crossings, clear of every line, marker, label and the legend."""
        vb = self.plot.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        width, height = float(vb.width()), float(vb.height())
        groups = self.groups() if width > 20 and height > 20 else []
        sx, sy = width / max(x1 - x0, 1e-9), height / max(y1 - y0, 1e-9)
        anchors: list[tuple[float, float]] = []
        sizes: list[tuple[float, float]] = []
        texts: list[str] = []
        points: list[list[tuple[float, float]]] = []
        for day, members in groups:
            ys = self.chart.view_y(np.array([c.cost for c in members], dtype=float))
            pts = [((c.day - x0) * sx, (y1 - y) * sy) for c, y in zip(members, ys, strict=True)]
            inside = [(x, y) for x, y in pts if 0 <= x <= width and 0 <= y <= height]
            if not inside:
                continue
            label = self._label(len(texts))
            text = f"day {day:,}"
            if label.textItem.toPlainText() != text:
                label.setText(text)
            rect = label.textItem.boundingRect()
            anchors.append((sum(x for x, _ in inside) / len(inside),
                            sum(y for _, y in inside) / len(inside)))
            sizes.append((rect.width(), rect.height()))
            texts.append(text)
            points.append(inside)
        placed = place(anchors, sizes, [p for group in points for p in group],
                       self._lines(x0, y1, sx, sy), Box(0, 0, width, height),
                       [self._legend_box()]) if anchors else []
        leader_x: list[float] = []
        leader_y: list[float] = []
        self.texts = []
        for i, label in enumerate(self.labels):
            spot = placed[i] if i < len(placed) else None
            if spot is None:
                label.setVisible(False)
                continue
            box = spot.box
            label.setPos(x0 + box.left / sx, y1 - box.top / sy)
            label.setVisible(True)
            self.texts.append(texts[i])
            if spot.leader:
                for x, y in points[i]:
                    nx, ny = box.nearest(x, y)
                    leader_x += [x0 + x / sx, x0 + nx / sx]
                    leader_y += [y1 - y / sy, y1 - ny / sy]
        self.leaders.setData(np.array(leader_x), np.array(leader_y))

    def _label(self, index: int) -> pg.TextItem:
        while len(self.labels) <= index:
            label = pg.TextItem(anchor=(0, 0))
            label.setZValue(21)
            label.setVisible(False)
            self._style(label)
            self.plot.addItem(label, ignoreBounds=True)
            self.labels.append(label)
        return self.labels[index]

    def _lines(self, x0: float, y1: float, sx: float, sy: float) -> Lines:
        """The visible lines in view-box pixels, for keeping labels off them."""
        report = self.chart.report
        rows = [] if report is None else [
            self.chart.view_y(report.approaches[a].cumulative)
            for a, curve in self.chart.curves.items()
            if curve.isVisible() and a in report.approaches]
        if not rows:
            return Lines(0.0, 1.0, np.empty((0, 0)))
        # One sample a day from day 0 (CostReport.days), so x is first + i * step.
        return Lines(-x0 * sx, sx, (y1 - np.vstack(rows)) * sy)

    def _legend_box(self) -> Box:
        legend = self.chart.legend
        rect = legend.mapRectToItem(self.plot.vb, legend.boundingRect())
        return Box(rect.left(), rect.top(), rect.right(), rect.bottom())
