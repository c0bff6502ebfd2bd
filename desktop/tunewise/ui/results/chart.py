"""The cumulative cost chart, drawn with pyqtgraph.

PySide6 is imported before pyqtgraph so pyqtgraph binds to it. The chart keeps one PlotDataItem
per approach and only calls setData on change, so an edit redraws in a few milliseconds.

Nothing here is a fixed colour: backgrounds, axes, legend and labels come from the palette and are
worked out again when it changes; pens are widened by the device pixel ratio (Qt draws cosmetic
pens in device pixels, so a 2x screen would otherwise get hairlines beside doubled text). The
break-evens are `Assessment.crossings`, the same list the text under the chart reads.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QWidget

import pyqtgraph as pg  # isort: skip

from tunewise.core import texts
from tunewise.core.costs import DAYS_PER_MONTH, CostReport
from tunewise.core.evaluation import Evaluation
from tunewise.core.project import APPROACHES, ApproachId
from tunewise.core.results import Crossing
from tunewise.core.texts import money
from tunewise.report.series import SERIES_STYLE
from tunewise.ui.results.bands import BandItems
from tunewise.ui.results.break_evens import BreakEvenMarks
from tunewise.ui.results.chart_items import (
    DAYS_PER_YEAR,
    MONTHS_UP_TO,
    MoneyAxis,
    SeriesLegend,
    SeriesSample,
    TimeAxis,
    nice_ceiling,
    time_unit,
)
from tunewise.ui.results.event_marks import EventMarks
from tunewise.ui.theme import MARK_CONTRAST, is_dark, mix, readable

if TYPE_CHECKING:
    from tunewise.core.uncertainty import Band

PEN_SCALE = 1.5  # the report's widths are in points; a little heavier reads better on screen
LOG_FLOOR = 1.0  # USD: the bottom of the log scale (a line at $0 runs off the chart)
POINTER_MS = 16  # pointer moves are handled at most this often (one frame)


def line_colour(approach: ApproachId, background: QColor | None = None) -> QColor:
    """The report's colour; on a dark background, lightened just enough to stand 3:1 off it."""
    colour = QColor(SERIES_STYLE[approach].colour)
    if background is None or not is_dark(background):
        return colour
    return readable(colour, background, MARK_CONTRAST)


def pen_for(approach: ApproachId, background: QColor | None = None, ratio: float = 1.0) -> QPen:
    """The same colour, width ratio and dash pattern as the report's chart (SERIES_STYLE),
    `ratio` times wider for a screen of that device pixel ratio."""
    style = SERIES_STYLE[approach]
    pen: QPen = pg.mkPen(line_colour(approach, background),
                         width=style.width * PEN_SCALE * ratio)
    if style.dash:
        # Qt measures dashes in pen widths; the report in points. Same proportions either way.
        pen.setDashPattern([length / style.width for length in style.dash])
    pen.setCosmetic(True)
    return pen


class CostChart(pg.PlotWidget):
    """Cumulative cost of each approach over the horizon, with break-evens and a crosshair.

    Mouse: wheel zooms, drag pans, a double-click resets the view, clicking a legend entry hides
    or shows its line. Keyboard (when the chart has focus): Left/Right move the crosshair a day,
    Page Up/Down a month, Home/End to the first or last day, Escape hides it.
    """

    _ready = False  # events arrive while pyqtgraph is still building the widget
    hovered = Signal(object)  # day under the crosshair (int) or None
    seriesToggled = Signal()
    viewChanged = Signal(bool)  # True while zoomed or panned away from the whole horizon

    def __init__(self, parent: QWidget | None = None) -> None:
        self.time_axis = TimeAxis()
        self.money_axis = MoneyAxis("left")
        super().__init__(parent, axisItems={"left": self.money_axis, "bottom": self.time_axis})
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Cumulative cost chart")
        self.setAccessibleDescription(
            "Arrow keys move the crosshair a day, Page Up and Page Down a month; the costs on "
            "that day are read out under the chart.")
        item = self.getPlotItem()
        item.setLabel("left", "Cumulative cost (USD)")
        item.showGrid(x=True, y=True, alpha=0.25)
        # Grid lines on major ticks only: translucent minor grid lines cost most of a repaint.
        for axis in (self.money_axis, self.time_axis):
            axis.setStyle(maxTickLevel=0)
        self.money_axis.setTickDensity(2.0)  # major steps of $5,000 rather than $20,000
        item.setMenuEnabled(False)
        item.hideButtons()
        self.setMouseEnabled(x=True, y=True)
        self.legend = SeriesLegend(offset=(8, 8), colCount=2, sampleType=SeriesSample)
        self.legend.setParentItem(item.vb)
        item.legend = self.legend
        self.legend.sigSampleClicked.connect(self._legend_clicked)
        self.curves: dict[ApproachId, pg.PlotDataItem] = {}
        for approach in APPROACHES:
            curve = item.plot([], [], name=texts.APPROACH_LABELS[approach], antialias=True)
            # Thin lines over thick ones, so a thin line is never hidden under a wide one.
            curve.setZValue(10 - SERIES_STYLE[approach].width)
            self.curves[approach] = curve
        self.marks = BreakEvenMarks(self)
        self.events = EventMarks(self)
        self.bands = BandItems(self)  # P10-P90 under the lines, when ranges are shown
        self.cursor_line = pg.InfiniteLine(angle=90, movable=False)
        self.cursor_line.setZValue(15)
        self.cursor_line.setVisible(False)
        item.addItem(self.cursor_line, ignoreBounds=True)

        self.report: CostReport | None = None
        self.crossings: list[Crossing] = []
        self.zoomed = False
        self.log_scale = False
        self.day: int | None = None  # where the crosshair is, while it is shown
        self._last_day = 0  # where the keyboard picks up again
        self._ranges: tuple[float, float] = (0.0, 0.0)
        self._top = 1.0
        self._ratio = 1.0
        self._exporting = False
        self._background = QColor("white")
        self._foreground = QColor("black")
        self._pointer: QPointF | None = None
        self._pointer_timer = QTimer(self)
        self._pointer_timer.setSingleShot(True)
        self._pointer_timer.setInterval(POINTER_MS)
        self._pointer_timer.timeout.connect(self._pointer_settled)
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        item.vb.sigResized.connect(self.marks.place)
        item.vb.sigRangeChanged.connect(self._range_changed)
        item.vb.sigRangeChangedManually.connect(self._zoomed_by_user)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.apply_palette)
        self._ready = True
        self.apply_palette()

    # ---- colours and pens ---------------------------------------------------------------

    def apply_palette(self) -> None:
        """Colours from the palette and pens for the device pixel ratio; again on a change."""
        palette = self.palette()
        bg = palette.color(QPalette.ColorRole.Base)
        fg = palette.color(QPalette.ColorRole.Text)
        if not self._exporting:  # an export sets the ratio of its image
            self._ratio = max(self.devicePixelRatioF(), 1.0)
        r = self._ratio
        self._background, self._foreground = bg, fg
        self.setBackground(bg)
        axis_pen = pg.mkPen(mix(fg, bg, 0.35), width=r)
        for axis in (self.money_axis, self.time_axis):
            axis.setPen(axis_pen)
            axis.setTextPen(fg)
        self.legend.setBrush(pg.mkBrush(QColor(bg.red(), bg.green(), bg.blue(), 225)))
        self.legend.setPen(pg.mkPen(mix(fg, bg, 0.7), width=r))
        self.legend.setLabelTextSize(f"{self.font().pointSizeF():.1f}pt")
        for approach, curve in self.curves.items():
            curve.setPen(pen_for(approach, bg, r))
        self._style_legend_labels()
        self.marks.style(bg, fg, r)
        self.events.style(bg, r)
        self.bands.style(bg)
        self.cursor_line.setPen(pg.mkPen(mix(fg, bg, 0.3), width=r, style=Qt.PenStyle.DashLine))
        self._show_focus(self.hasFocus())

    def _style_legend_labels(self) -> None:
        muted = mix(self._foreground, self._background, 0.55)
        for sample, label in self.legend.items:
            shown = sample.item.isVisible()
            label.setText(label.text, color=self._foreground if shown else muted)
            sample.update()

    def _show_focus(self, focused: bool) -> None:
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        self.getPlotItem().vb.setBorder(
            pg.mkPen(readable(highlight, self._background, MARK_CONTRAST), width=2 * self._ratio)
            if focused else None)

    def line_colour(self, approach: ApproachId) -> QColor:
        return line_colour(approach, self._background)

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange,
                    QEvent.Type.DevicePixelRatioChange, QEvent.Type.FontChange) and self._ready:
            self.apply_palette()
        return bool(super().event(event))

    # ---- data ---------------------------------------------------------------------------

    def show_evaluation(self, evaluation: Evaluation) -> None:
        report = evaluation.costs
        horizon_changed = self.report is not None and (
            report.horizon_days != self.report.horizon_days)
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
        self._top = top
        self.crossings = list(evaluation.assessment.crossings)
        if horizon_changed:
            self.zoomed = False  # a new horizon is a new view
        self._apply_ranges()
        if self.day is not None:
            self.show_day(self.day)  # the readout follows the new figures
        self.marks.update()
        self.events.update()

    def _apply_ranges(self, force: bool = False) -> None:
        """The whole horizon and every line, in round steps (so typing in a field rarely
        re-lays out the axes); left alone while the user has zoomed or panned."""
        if self.report is None or (self.zoomed and not force):
            return
        top = max(self._top, self.bands.top())
        ranges = (float(self.report.horizon_days), nice_ceiling(top * 1.05))
        if ranges == self._ranges and not force:
            return
        self._ranges = ranges
        item = self.getPlotItem()
        horizon, top = ranges
        vb = item.vb
        vb.setLimits(xMin=-0.05 * horizon, xMax=1.05 * horizon, minXRange=5)
        item.setXRange(0, horizon, padding=0.02)
        if self.log_scale:
            bottom = math.log10(LOG_FLOOR)
            vb.setLimits(yMin=bottom - 1, yMax=math.log10(top) + 2)
            item.setYRange(bottom, math.log10(top), padding=0.02)
        else:
            vb.setLimits(yMin=-0.5 * top, yMax=3 * top)
            item.setYRange(0, top, padding=0)
        self.viewChanged.emit(False)

    def set_bands(self, bands: dict[ApproachId, Band], shown: bool) -> None:
        """The Monte Carlo's P10-P90 bands (results/bands.py); the range makes room for them."""
        self.bands.set_bands(bands)
        self.bands.set_shown(shown)
        self._apply_ranges()

    def reset_view(self) -> None:
        """Back to the whole horizon and every line."""
        self.zoomed = False
        self._apply_ranges(force=True)

    def set_log_scale(self, on: bool) -> None:
        if on == self.log_scale:
            return
        self.log_scale = on
        self.getPlotItem().setLogMode(x=False, y=on)
        self.reset_view()
        self.events.update()
        self.marks.update()
        self.bands.update()

    def _zoomed_by_user(self, *_: object) -> None:
        self.zoomed = True
        self.viewChanged.emit(True)

    def _range_changed(self, *_: object) -> None:
        (x0, x1), _y = self.getPlotItem().vb.viewRange()
        horizon = self.report.horizon_days if self.report is not None else x1 - x0
        self.time_axis.set_unit(time_unit(min(x1 - x0, horizon)))
        self.marks.place()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Here rather than through the scene's click events: Qt 6 delivers a second press
        # before the double-click, and the scene reports that press as a single click.
        vb = self.getPlotItem().vb
        if (event.button() == Qt.MouseButton.LeftButton
                and vb.sceneBoundingRect().contains(self.mapToScene(event.position().toPoint()))):
            self.reset_view()
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    # ---- series -------------------------------------------------------------------------

    def _legend_clicked(self, curve: pg.PlotDataItem) -> None:
        approach = next(a for a, c in self.curves.items() if c is curve)
        self.set_series_visible(approach, not curve.isVisible())

    def set_series_visible(self, approach: ApproachId, visible: bool) -> None:
        self.curves[approach].setVisible(visible)
        self._style_legend_labels()
        self.marks.update()
        self.events.update()
        self.bands.update()
        self.seriesToggled.emit()

    def hidden_series(self) -> list[ApproachId]:
        return [a for a, c in self.curves.items() if not c.isVisible()]

    # ---- break-evens --------------------------------------------------------------------

    def shown_crossings(self) -> list[Crossing]:
        """The assessment's crossings whose two lines are both on the chart."""
        hidden = set(self.hidden_series())
        return [c for c in self.crossings if not {c.a, c.b} & hidden]

    def view_y(self, values: np.ndarray) -> np.ndarray:
        """Costs as the view box has them: themselves, or their log10 on a log scale."""
        if not self.log_scale:
            return values
        return np.asarray(np.log10(np.maximum(values, LOG_FLOOR / 10)), dtype=float)

    @property
    def break_even_labels(self) -> list[str]:
        """The text of each break-even label on the chart, in order."""
        return self.marks.texts

    # ---- crosshair ----------------------------------------------------------------------

    def _mouse_moved(self, pos: QPointF) -> None:
        # Rate-limited: many moves within a frame make one update, with the latest position.
        self._pointer = QPointF(pos)
        if not self._pointer_timer.isActive():
            self._pointer_timer.start()

    def _pointer_settled(self) -> None:
        pos, self._pointer = self._pointer, None
        if pos is None:
            return
        vb = self.getPlotItem().vb
        if self.report is None or not vb.sceneBoundingRect().contains(pos):
            self.show_day(None)
            return
        self.show_day(vb.mapSceneToView(pos).x())

    def leaveEvent(self, event: QEvent) -> None:
        self._pointer_timer.stop()
        self._pointer = None
        self.show_day(None)
        super().leaveEvent(event)

    def show_day(self, day: float | None) -> None:
        """Put the crosshair on a day (None hides it) and announce it."""
        if self.report is None or day is None or not -0.5 <= day <= self.report.horizon_days + 0.5:
            self.cursor_line.setVisible(False)
            self.day = None
            self.hovered.emit(None)
            return
        whole = round(min(max(day, 0), self.report.horizon_days))
        self.cursor_line.setPos(whole)
        self.cursor_line.setVisible(True)
        self.day = self._last_day = whole
        self.hovered.emit(whole)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.report is None:
            super().keyPressEvent(event)
            return
        key, horizon = Qt.Key(event.key()), self.report.horizon_days
        start = self.day if self.day is not None else min(self._last_day, horizon)
        month = round(DAYS_PER_MONTH)
        moves = {Qt.Key.Key_Left: start - 1, Qt.Key.Key_Right: start + 1,
                 Qt.Key.Key_PageDown: start - month, Qt.Key.Key_PageUp: start + month,
                 Qt.Key.Key_Home: 0, Qt.Key.Key_End: horizon}
        if key == Qt.Key.Key_Escape and self.day is not None:
            self.show_day(None)
        elif key in moves:
            # While hidden, a step shows the crosshair where it was last; Home and End jump.
            stepping = key not in (Qt.Key.Key_Home, Qt.Key.Key_End)
            target = start if self.day is None and stepping else moves[key]
            self.show_day(min(max(target, 0), horizon))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._show_focus(True)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._show_focus(False)
        super().focusOutEvent(event)

    def costs_on(self, day: int) -> list[tuple[ApproachId, float]]:
        """Every approach's cumulative cost on one day, cheapest first."""
        if self.report is None:
            return []
        found = [(a, float(c.cumulative[day])) for a, c in self.report.approaches.items()
                 if day < len(c.cumulative)]
        return sorted(found, key=lambda pair: pair[1])

    def series(self, approach: ApproachId) -> tuple[np.ndarray, np.ndarray]:
        """The plotted x and y of one approach, as given (before any log scale)."""
        x, y = self.curves[approach].getOriginalDataset()
        return (np.asarray(x if x is not None else []), np.asarray(y if y is not None else []))

    # ---- export -------------------------------------------------------------------------

    @contextmanager
    def drawn_at(self, ratio: float) -> Iterator[None]:
        """Pens for a paint device of `ratio`, and no crosshair or focus ring, for a moment."""
        crosshair, focused = self.cursor_line.isVisible(), self.hasFocus()
        self._exporting, self._ratio = True, ratio
        self.cursor_line.setVisible(False)
        try:
            self.apply_palette()
            self._show_focus(False)
            yield
        finally:
            self._exporting = False
            self.apply_palette()
            self.cursor_line.setVisible(crosshair)
            self._show_focus(focused)

    def image(self, width: int) -> QImage:
        """The chart as on screen, scaled as a whole (text, legend and pens alike) to `width`
        pixels: what the PNG export writes."""
        ratio = width / max(self.width(), 1)
        size = QSize(width, round(self.height() * ratio))
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(self._background)
        with self.drawn_at(ratio):
            self.scene().prepareForPaint()
            QWidget.render(self, image)  # the widget as a whole (QGraphicsView's render is a
            # scene-to-painter copy that ignores the image's pixel ratio)
        return image


def day_caption(day: int, horizon: int) -> str:
    if horizon > MONTHS_UP_TO:
        return f"Day {day:,} (year {day / DAYS_PER_YEAR:,.1f})"
    return f"Day {day:,} (month {day / DAYS_PER_MONTH:,.1f})"


def readout_html(chart: CostChart, day: int | None) -> str:
    """The crosshair readout: every approach's cost on one day, cheapest first."""
    if day is None or chart.report is None:
        return ("<i>Point at the chart, or choose a day, to read every approach's cost on that "
                "day.</i>")
    hidden = set(chart.hidden_series())
    items = " &nbsp; ".join(
        f"<span style='color:{chart.line_colour(a).name()}'>&#9632;</span>&nbsp;"
        f"{texts.APPROACH_LABELS[a].replace(' ', '&nbsp;')}"
        f"{'&nbsp;(hidden)' if a in hidden else ''}&nbsp;<b>{money(v)}</b>"
        for a, v in chart.costs_on(day)
    )
    return f"<b>{day_caption(day, chart.report.horizon_days)}:</b> &nbsp;{items}"
