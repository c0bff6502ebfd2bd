"""P10-P90 bands under the cost chart's lines, from the Monte Carlo's `Band`s.

One filled path per approach, in its line's colour at a low alpha (a little stronger on a dark
background, where a faint fill disappears), drawn under every line and hidden with its line.
The paths are in the view box's coordinates, so a log scale maps the costs the way the chart's
own `view_y` does. Nothing here is worked out: the percentiles are core/uncertainty.py's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPolygonF
from PySide6.QtWidgets import QGraphicsPathItem

from tunewise.core.project import APPROACHES, ApproachId
from tunewise.ui.theme import is_dark

if TYPE_CHECKING:
    from tunewise.core.uncertainty import Band
    from tunewise.ui.results.chart import CostChart

LIGHT_ALPHA = 0.16
DARK_ALPHA = 0.26
BAND_Z = -5  # under every line (lines sit at 10 minus their width)


class BandItems:
    """The chart's bands: `set_bands` gives the data, `set_shown` the toggle."""

    def __init__(self, chart: CostChart) -> None:
        self.chart = chart
        self.shown = False
        self.bands: dict[ApproachId, Band] = {}
        self.items: dict[ApproachId, QGraphicsPathItem] = {}
        plot = chart.getPlotItem()
        for approach in APPROACHES:
            item = QGraphicsPathItem()
            item.setPen(Qt.PenStyle.NoPen)
            item.setZValue(BAND_Z)
            item.setVisible(False)
            plot.addItem(item, ignoreBounds=True)
            self.items[approach] = item

    def style(self, background: QColor) -> None:
        alpha = DARK_ALPHA if is_dark(background) else LIGHT_ALPHA
        for approach, item in self.items.items():
            colour = QColor(self.chart.line_colour(approach))
            colour.setAlphaF(alpha)
            item.setBrush(QBrush(colour))

    def set_bands(self, bands: dict[ApproachId, Band]) -> None:
        self.bands = dict(bands)
        self.update()

    def set_shown(self, shown: bool) -> None:
        self.shown = shown
        self.update()

    def top(self) -> float:
        """The highest P90 drawn (0 with no bands shown), for the chart's range."""
        if not self.shown:
            return 0.0
        return max((max(b.p90) for a, b in self.bands.items()
                    if b.p90 and self.chart.curves[a].isVisible()), default=0.0)

    def visible(self) -> list[ApproachId]:
        """The approaches whose band is on the chart."""
        return [a for a, item in self.items.items() if item.isVisible()]

    def update(self) -> None:
        for approach, item in self.items.items():
            band = self.bands.get(approach)
            on = (self.shown and band is not None and bool(band.days)
                  and self.chart.curves[approach].isVisible()
                  and self.chart.report is not None
                  and approach in self.chart.report.approaches)
            if not on or band is None:
                item.setVisible(False)
                continue
            x = np.asarray(band.days, dtype=float)
            low = self.chart.view_y(np.asarray(band.p10, dtype=float))
            high = self.chart.view_y(np.asarray(band.p90, dtype=float))
            points = [QPointF(float(a), float(b)) for a, b in zip(x, low, strict=True)]
            points += [QPointF(float(a), float(b))
                       for a, b in zip(x[::-1], high[::-1], strict=True)]
            path = QPainterPath()
            path.addPolygon(QPolygonF(points))
            path.closeSubpath()
            item.setPath(path)
            item.setVisible(True)
