"""Forced moves on the cost chart: a marker where an approach must leave an offering or a model.

The events are the cost model's own (`ApproachCost.events` of kind 'migration' or 'ends'); this
module only places a diamond (a move to the catalogue's alternative) or a cross (the approach
ends there) on the approach's line, in its colour, with the event's words as the tooltip. The
line under the table says the same in full.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtGui import QColor

import pyqtgraph as pg  # isort: skip

from tunewise.core import texts
from tunewise.core.costs import CostEvent
from tunewise.core.project import ApproachId

if TYPE_CHECKING:
    from tunewise.ui.results.chart import CostChart

FORCED = ("migration", "ends")
SYMBOLS = {"migration": "d", "ends": "x"}
SIZE = 13


def event_words(approach: ApproachId, event: CostEvent) -> str:
    cost = f", {texts.money(event.cost)}" if event.cost else ""
    return (f"{texts.APPROACH_LABELS[approach]}: {event.text} on {event.date.isoformat()} "
            f"(day {event.day:,}){cost}")


class EventMarks:
    """One marker per forced move of each approach shown on the chart."""

    def __init__(self, chart: CostChart) -> None:
        self.chart = chart
        self.plot: Any = chart.getPlotItem()
        self.markers = pg.ScatterPlotItem(hoverable=True, tip=self._tip)
        self.markers.setZValue(21)
        self.plot.addItem(self.markers, ignoreBounds=True)
        self.shown: list[tuple[ApproachId, CostEvent]] = []
        self._background = QColor("white")
        self._ratio = 1.0

    @staticmethod
    def _tip(x: float, y: float, data: object) -> str:
        return str(data)

    def style(self, background: QColor, ratio: float) -> None:
        self._background, self._ratio = background, ratio
        self.update()

    def update(self) -> None:
        report = self.chart.report
        self.shown = []
        spots: list[dict[str, Any]] = []
        if report is not None:
            hidden = set(self.chart.hidden_series())
            for approach, cost in report.approaches.items():
                if approach in hidden:
                    continue
                for event in cost.events:
                    if event.kind not in FORCED or not 0 <= event.day < len(cost.cumulative):
                        continue
                    y = float(self.chart.view_y(np.array([cost.cumulative[event.day]]))[0])
                    colour = self.chart.line_colour(approach)
                    spots.append({
                        "pos": (float(event.day), y), "symbol": SYMBOLS[event.kind],
                        "size": SIZE, "brush": pg.mkBrush(colour),
                        "pen": pg.mkPen(self._background, width=self._ratio),
                        "data": event_words(approach, event)})
                    self.shown.append((approach, event))
        self.markers.setData(spots)
