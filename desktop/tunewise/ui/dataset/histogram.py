"""The token-length histogram: how many examples fall in each band of tokens per example.

pyqtgraph bars over the report's own bins (core/dataset chose the edges). Colours come from
the palette when it is applied and again on every palette, style or pixel-ratio change, so the
chart reads on a light and a dark window; pens scale with the device pixel ratio.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

from tunewise.ui.theme import MARK_CONTRAST, mix, readable


class TokenHistogram(QWidget):
    """Bars of examples per band of tokens per example."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Token length histogram")
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        item = self.plot.getPlotItem()
        item.setLabel("bottom", "Tokens per example")
        item.setLabel("left", "Examples")
        item.showGrid(x=False, y=True, alpha=0.25)
        self.bars = pg.BarGraphItem(x0=[], x1=[], height=[])
        self.plot.addItem(self.bars)
        self.edges: list[float] = []
        self.counts: list[int] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.apply_palette)
        self._ready = True
        self.apply_palette()

    def set_histogram(self, edges: Sequence[float], counts: Sequence[int]) -> None:
        self.edges, self.counts = list(edges), list(counts)
        if len(self.edges) != len(self.counts) + 1 or not self.counts:
            self.bars.setOpts(x0=[], x1=[], height=[])
            return
        self.bars.setOpts(x0=self.edges[:-1], x1=self.edges[1:], height=self.counts)
        self.plot.getPlotItem().vb.setRange(
            xRange=(self.edges[0], self.edges[-1]), yRange=(0, max(max(self.counts), 1)),
            padding=0.02)

    def apply_palette(self) -> None:
        palette = self.palette()
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        ratio = max(self.devicePixelRatioF(), 1.0)
        self.plot.setBackground(background)
        item = self.plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(mix(text, background, 0.35), width=ratio))
            axis.setTextPen(text)
            axis.label.setDefaultTextColor(text)
        fill = readable(palette.color(QPalette.ColorRole.Highlight), background, MARK_CONTRAST)
        self.bars.setOpts(brush=pg.mkBrush(fill),
                          pen=pg.mkPen(mix(fill, background, 0.5), width=ratio))

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange,
                            QEvent.Type.DevicePixelRatioChange) and getattr(self, "_ready", False):
            self.apply_palette()
        return super().event(event)
