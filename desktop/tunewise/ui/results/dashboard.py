"""The results dashboard: the core's Assessment in words, the cost chart and the comparison table.

Everything here renders an Evaluation as it is; the horizon control edits the project through the
controller like any other field, so it is undoable and saved with the file.
"""

from __future__ import annotations

import csv
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QImageWriter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tunewise.core import texts
from tunewise.core.analyses import title_of
from tunewise.core.evaluation import Evaluation
from tunewise.core.fieldpath import Attr
from tunewise.core.project import APPROACHES, ApproachId
from tunewise.core.results import Assessment
from tunewise.core.texts import money
from tunewise.ui import dialogs
from tunewise.ui.controller import ProjectController, not_applied_sentence
from tunewise.ui.fields import ERROR_COLOURS, ErrorLabel, NumberField
from tunewise.ui.results.chart import CostChart, readout_html
from tunewise.ui.results.panels import make_panel
from tunewise.ui.theme import NoteBox, is_dark, mix
from tunewise.ui.uncertainty.view import UncertaintyView

import pyqtgraph.exporters  # isort: skip

HORIZON_PRESETS = ((90, "&90 days"), (365, "&1 year"), (730, "&2 years"), (1095, "&3 years"))
PNG_WIDTH = 1600
TABLE_COLUMNS = ("Approach", "Runs on", "Upfront", "Per request", "First month", "At horizon",
                 "Upkeep", "Consistency")
RUNS_ON, PER_REQUEST = 1, 3
LIFECYCLE_WORDS = {"training_closes": "last day for new training jobs", "retires": "retires"}
RUNS_ON_MAX_WIDTH = 300  # wider offering names are elided; the tooltip has them whole


class WarningBanner(NoteBox):
    """A box tinted toward the error colour, for what the results cannot vouch for."""

    def fill_colour(self) -> QColor:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        error = QColor(ERROR_COLOURS[1] if is_dark(base) else ERROR_COLOURS[0])
        return mix(base, error, 0.14)


def lifecycle_text(evaluation: Evaluation) -> str:
    """The offerings and models that close within the horizon, and what the plan does then.

    Approaches sharing one offering share one line.
    """
    grouped: dict[tuple[str, str, str, str], list[str]] = {}
    for approach, cost in evaluation.costs.approaches.items():
        for life in cost.lifecycle:
            key = (life.subject, LIFECYCLE_WORDS[life.kind],
                   f"{life.date.isoformat()} (day {life.day:,})", life.breaks)
            grouped.setdefault(key, []).append(texts.APPROACH_LABELS[approach])
    return "\n".join(f"{', '.join(names)}: {subject}, {what} {when}: {breaks}."
                     for (subject, what, when, breaks), names in grouped.items())


def prices_footer(evaluation: Evaluation) -> str:
    c = evaluation.costs
    parts = []
    if c.inference_as_of is not None:
        parts.append(f"inference as of {c.inference_as_of.isoformat()}")
    if c.offerings_as_of is not None:
        parts.append(f"fine-tuning offerings as of {c.offerings_as_of.isoformat()}")
    dates = ", ".join(parts) if parts else c.prices_as_of
    return f"Price data: {dates}. The plan starts {c.start_date.isoformat()}."


def stale_text(evaluation: Evaluation) -> str:
    stale = evaluation.costs.stale_prices
    if not stale:
        return ""
    old = "; ".join(f"{what} are {age:,} days old (as of {when.isoformat()})"
                    for what, when, age in stale)
    return (f"Old price data: {old}. The costs may no longer match the providers' prices: "
            "update them with Prices > Update Inference Prices, or install a newer offerings "
            "catalogue.")


def events_tooltip(evaluation: Evaluation, approach: ApproachId) -> str:
    cost = evaluation.costs.approaches.get(approach)
    if cost is None:
        return ""
    lines = [f"Runs on {cost.runs_on or cost.model}."]
    lines += [f"Day {e.day:,} ({e.date.isoformat()}): {e.text}"
              + (f", {money(e.cost)}" if e.cost else "") for e in cost.events]
    return "\n".join(lines)


def pricing_tooltip(evaluation: Evaluation, approach: ApproachId) -> str:
    cost = evaluation.costs.approaches.get(approach)
    if cost is None:
        return ""
    note = cost.pricing_note or "No caching or batching applied."
    return f"{note[0].upper()}{note[1:]}" + ("" if note.endswith(".") else ".")


def _list(title: str, items: list[str], ordered: bool = False) -> str:
    if not items:
        return ""
    tag = "ol" if ordered else "ul"
    rows = "".join(f"<li>{i}</li>" for i in items)
    return f"<h4 style='margin-bottom:2px'>{escape(title)}</h4><{tag}>{rows}</{tag}>"


def assessment_html(a: Assessment) -> str:
    """The whole Assessment as readable HTML, strongest points first."""
    parts = [_list("Why", [escape(r.message) for r in a.reasons_for])]
    if a.blockers:
        parts.append(_list("Blockers", [
            f"{escape(b.message)}<br><i>To lift it:</i> {escape(b.lift)}" for b in a.blockers]))
    parts.append(_list("Against fine-tuning", [escape(r.message) for r in a.reasons_against]))
    if a.combination_candidate and not a.combination:
        label = texts.APPROACH_LABELS[a.combination_candidate]
        parts.append(_list(f"{label} would fit once you have",
                           [escape(g) for g in a.combination_missing]))
    parts.append(_list("Check these answers", [escape(w.message) for w in a.warnings]))
    parts.append(_list(f"Confidence: {a.confidence_label.lower()}",
                       [escape(r) for r in a.confidence_reasons]))
    changes = [escape(w.sentence) for w in a.what_would_change]
    parts.append(_list("What would change it", changes))
    parts.append(_list("Next steps", [escape(s.message) for s in a.next_steps], ordered=True))
    shorts = {q.id: q.short for q in a.diagram.questions}
    path = [f"{escape(shorts.get(s.question, s.question))} <b>{escape(s.answer)}</b>: "
            f"{escape(s.detail)}" for s in a.path]
    parts.append(_list("Path through the questions", path))
    return "".join(p for p in parts if p)


class Dashboard(QWidget):
    """Recommendation, cost chart, comparison table and exports."""

    def __init__(self, controller: ProjectController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.evaluation: Evaluation | None = None
        self._details_html = ""
        self._table_layout: tuple[object, ...] = ()

        self.headline = QLabel()
        self.headline.setAccessibleName("Recommendation")
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setWordWrap(True)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.headline.setFont(font)
        self.confidence = QLabel()
        self.confidence.setAccessibleName("Confidence")
        self.confidence.setTextFormat(Qt.TextFormat.PlainText)
        self.confidence.setWordWrap(True)
        # Inputs whose text the plan does not hold: the results use the last accepted values.
        self.not_applied = ErrorLabel()
        self.not_applied.setAccessibleName("Inputs not applied")
        self.not_applied.setVisible(False)
        controller.notAppliedChanged.connect(self._show_not_applied)

        # Price data older than core's limit: said at the top, where it cannot be missed.
        self.stale = WarningBanner()
        self.stale.setAccessibleName("Old price data")
        self.stale.setTextFormat(Qt.TextFormat.PlainText)
        self.stale.setWordWrap(True)
        self.stale.setMargin(6)
        self.stale.setVisible(False)
        # Under the table: forced moves off closing offerings, and the price data's dates.
        self.lifecycle = QLabel()
        self.lifecycle.setAccessibleName("Forced moves")
        self.lifecycle.setTextFormat(Qt.TextFormat.PlainText)
        self.lifecycle.setWordWrap(True)
        self.lifecycle.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.footer = QLabel()
        self.footer.setAccessibleName("Price data")
        self.footer.setTextFormat(Qt.TextFormat.PlainText)
        self.footer.setWordWrap(True)
        self.footer.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.footer.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.details.setAccessibleName("Assessment details")
        self.details.document().setIndentWidth(14)
        self.details.document().setDefaultStyleSheet(
            "ul, ol { margin-left: 0px; margin-top: 0px; } li { margin-bottom: 2px; }"
            " h4 { margin-top: 8px; margin-bottom: 2px; }")

        self.chart = CostChart()
        self.chart.setMinimumHeight(220)
        self.chart.hovered.connect(self._hovered)
        self.chart.seriesToggled.connect(self._show_crossings)
        # Scenario switcher, bands toggle and their tabs (ui/uncertainty/view.py).
        self.uncertainty = UncertaintyView(self)
        # Under the chart: a day to read without the mouse, the scale, and a way back from a
        # zoom (a double-click on the chart does the same).
        self.day = QSpinBox()
        self.day.setAccessibleName("Day to read the costs of")
        self.day.setToolTip("Read every approach's cost on this day (or point at the chart, or "
                            "use the arrow keys on it)")
        self.day.setKeyboardTracking(True)
        self.day.valueChanged.connect(self.chart.show_day)
        day_label = QLabel("&Day:")
        day_label.setBuddy(self.day)
        self.log_scale = QCheckBox("&Log scale")
        self.log_scale.setToolTip("Cost on a logarithmic scale: lines far apart in size both "
                                  "stay readable")
        self.log_scale.toggled.connect(self.chart.set_log_scale)
        self.reset_view = QToolButton()
        self.reset_view.setText("&Reset view")
        self.reset_view.setToolTip("Show the whole horizon again (or double-click the chart)")
        self.reset_view.setEnabled(False)
        self.reset_view.clicked.connect(self.chart.reset_view)
        self.chart.viewChanged.connect(self.reset_view.setEnabled)
        view_row = QHBoxLayout()
        view_row.addWidget(day_label)
        view_row.addWidget(self.day)
        view_row.addSpacing(12)
        view_row.addWidget(self.log_scale)
        view_row.addWidget(self.uncertainty.toggle_row)
        view_row.addStretch(1)
        view_row.addWidget(self.reset_view)
        self.readout = QLabel()
        self.readout.setAccessibleName("Cost on the day under the cursor")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.readout.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.readout.setWordWrap(True)
        self.readout.setMinimumHeight(3 * self.fontMetrics().lineSpacing() + 4)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.crossings = QLabel()
        self.crossings.setAccessibleName("Break-even points")
        self.crossings.setWordWrap(True)
        self.crossings.setTextFormat(Qt.TextFormat.PlainText)
        self.crossings.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.horizon = NumberField(controller, Attr("costs", "horizon_days"), "Hori&zon:",
                                   integer=True, unit="days")
        self.horizon.line.setMinimumWidth(60)
        self.horizon.line.setMaximumWidth(70)
        controls = QHBoxLayout()
        controls.addWidget(self.horizon.label)
        controls.addWidget(self.horizon.editor)
        for days, text in HORIZON_PRESETS:
            # Tool buttons: the presets stay compact so the dashboard fits a 1024-px screen.
            button = QToolButton()
            button.setText(text)
            button.setToolTip(f"Show {days:,} days")
            button.clicked.connect(lambda _=False, d=days: self.set_horizon(d))
            controls.addWidget(button)
        controls.addStretch(1)
        # A push button sizes itself with room for its menu arrow; a style sheet doing that for a
        # tool button stopped it following the palette.
        self.export_button = QPushButton("E&xport")
        menu = QMenu(self.export_button)
        menu.addAction("Chart as &PNG image…", self.export_png)
        menu.addAction("Chart as &SVG drawing…", self.export_svg)
        menu.addAction("Cost per day as &CSV…", self.export_csv)
        self.export_button.setMenu(menu)
        controls.addWidget(self.export_button)

        self.table = QTableWidget(len(APPROACHES), len(TABLE_COLUMNS))
        self.table.setAccessibleName("Cost comparison")
        self.table.setHorizontalHeaderLabels(list(TABLE_COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Sized once per refill, not on every cell change (ResizeToContents re-measures the
        # whole column for each setText, which made typing sluggish).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        right = QWidget()
        right_col = QVBoxLayout(right)
        right_col.setContentsMargins(0, 0, 0, 0)
        right_col.addWidget(self.uncertainty.switcher)
        right_col.addLayout(controls)
        right_col.addWidget(self.horizon.error)
        right_col.addWidget(self.chart, 1)
        right_col.addLayout(view_row)
        right_col.addWidget(self.readout)
        right_col.addWidget(self.crossings)
        # Below this the reasons wrap a word or two per line; the chart gives way first.
        self.details.setMinimumWidth(210)
        self.top = QSplitter(Qt.Orientation.Horizontal)
        self.top.setChildrenCollapsible(False)
        # The assessment, then one tab per registered analysis (the bar hides while there is
        # only the one).
        self.sections = QTabWidget()
        self.sections.setDocumentMode(True)
        self.sections.setTabBarAutoHide(True)
        self.sections.addTab(self.details, "Assessment")
        self.panels: dict[str, QWidget] = {}
        self.top.addWidget(self.sections)
        self.top.addWidget(right)
        self.top.setStretchFactor(0, 0)
        self.top.setStretchFactor(1, 1)
        self.top.setSizes([340, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.headline)
        layout.addWidget(self.confidence)
        layout.addWidget(self.not_applied)
        layout.addWidget(self.stale)
        layout.addWidget(self.top, 1)
        layout.addWidget(self.table)
        layout.addWidget(self.lifecycle)
        layout.addWidget(self.footer)

        controller.evaluated.connect(self.show_evaluation)
        controller.projectReplaced.connect(self._project_replaced)
        self.show_evaluation(controller.evaluation)

    # ---- rendering ----------------------------------------------------------------------

    def _show_not_applied(self) -> None:
        self.not_applied.setText(not_applied_sentence(self.controller.not_applied()))
        self.not_applied.setVisible(bool(self.not_applied.text()))

    def show_evaluation(self, evaluation: Evaluation) -> None:
        evaluation = self.uncertainty.shown(evaluation)  # the plan's, or a scenario's
        self.evaluation = evaluation
        a = evaluation.assessment
        self.horizon.refresh(evaluation.project, self.controller.last_changed)
        self.headline.setText(f"Recommendation: {a.headline}")
        self.confidence.setText(f"Confidence: {a.confidence_label}. "
                                + " ".join(a.confidence_reasons[:1]))
        self.day.blockSignals(True)  # a shorter horizon clamps the day; that moves nothing
        self.day.setMaximum(evaluation.costs.horizon_days)
        self.day.blockSignals(False)
        self.chart.show_evaluation(evaluation)
        self._show_crossings()
        errors = _list("Not costed", [f"{escape(texts.APPROACH_LABELS[k])}: {escape(v)}"
                                       for k, v in evaluation.costs.errors.items()])
        html = assessment_html(a) + errors
        if html != self._details_html:  # re-laying out rich text is the dearest part of a redraw
            self._details_html = html
            self.details.setHtml(html)
        self._fill_table(evaluation)
        moves = lifecycle_text(evaluation)
        self.lifecycle.setText(moves)
        self.lifecycle.setVisible(bool(moves))
        self.footer.setText(prices_footer(evaluation))
        self.footer.setToolTip(f"Prices: {evaluation.costs.prices_as_of}.")
        stale = stale_text(evaluation)
        self.stale.setText(stale)
        self.stale.setVisible(bool(stale))
        self._show_analyses(evaluation)
        self._hovered(self.chart.day)
        self.uncertainty.after(evaluation)

    def _project_replaced(self) -> None:
        """Another file: nothing of the last one's view stays (crosshair, zoom)."""
        self.chart.show_day(None)
        self.chart.reset_view()
        self.show_evaluation(self.controller.evaluation)

    def _show_crossings(self) -> None:
        """The assessment's break-evens in words, saying which are not on the chart."""
        if self.evaluation is None:
            return
        text = self.evaluation.assessment.crossings_sentence
        hidden = self.chart.hidden_series()
        if hidden:
            names = ", ".join(texts.APPROACH_LABELS[a] for a in hidden)
            unmarked = len(self.evaluation.assessment.crossings) - len(
                self.chart.shown_crossings())
            text += f" Hidden on the chart: {names}"
            text += (f" ({unmarked} of these crossings not marked)." if unmarked else ".")
        self.crossings.setText(text)

    def _show_analyses(self, evaluation: Evaluation) -> None:
        for analysis_id, result in evaluation.analyses.items():
            panel = self.panels.get(analysis_id)
            if panel is None:
                panel = make_panel(analysis_id, self)
                self.panels[analysis_id] = panel
                self.sections.addTab(panel, title_of(analysis_id))
            panel.show_result(result, evaluation)  # type: ignore[attr-defined]
        for analysis_id, panel in self.panels.items():
            index = self.sections.indexOf(panel)
            self.sections.setTabVisible(index, analysis_id in evaluation.analyses)

    def _fill_table(self, evaluation: Evaluation) -> None:
        costs = evaluation.costs
        recommended = evaluation.assessment.recommended_row
        changed = False
        layout_key = (recommended, tuple(costs.errors))
        restyle = layout_key != self._table_layout
        self._table_layout = layout_key
        if restyle:
            self.table.clearSpans()
        for row, approach in enumerate(APPROACHES):
            cost = costs.approaches.get(approach)
            label = texts.APPROACH_LABELS[approach]
            if cost is None:
                error = costs.errors.get(approach, "")
                spec = evaluation.project.costs.approach(approach)
                values = [label, spec.model, f"Not costed: {error}", "", "", "", "", ""]
            else:
                values = [label, cost.runs_on or cost.model, money(cost.upfront),
                          money(cost.per_request),
                          money(cost.monthly), money(cost.total_at_horizon),
                          cost.maintenance_burden, cost.quality_consistency]
            for col, text in enumerate(values):
                item = self.table.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(row, col, item)
                if item.text() != text:
                    item.setText(text)
                    changed = True
                if not restyle:
                    continue
                money_col = 2 <= col <= 5 and cost is not None
                align = Qt.AlignmentFlag.AlignRight if money_col else Qt.AlignmentFlag.AlignLeft
                item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
                font = item.font()
                font.setBold(approach == recommended)
                item.setFont(font)
                # The full text where a narrow window elides it (approach names, price errors).
                item.setToolTip(text if col == 0 or (cost is None and col == 2) else "")
            if cost is None and restyle:
                self.table.setSpan(row, 2, 1, len(TABLE_COLUMNS) - 2)
            if cost is not None:
                # What it runs on with its retrains and forced moves; how caching and batching
                # were applied. Set on every refill: they change with the inputs.
                for col, tip in ((RUNS_ON, events_tooltip(evaluation, approach)),
                                 (PER_REQUEST, pricing_tooltip(evaluation, approach))):
                    item = self.table.item(row, col)
                    if item is not None and item.toolTip() != tip:
                        item.setToolTip(tip)
        if changed or restyle:
            self._fit_table()

    def _fit_table(self) -> None:
        """Columns as wide as their contents; exactly tall enough for its six rows."""
        for col in range(1, len(TABLE_COLUMNS)):
            self.table.resizeColumnToContents(col)
        if self.table.columnWidth(RUNS_ON) > RUNS_ON_MAX_WIDTH:
            self.table.setColumnWidth(RUNS_ON, RUNS_ON_MAX_WIDTH)
        self.table.resizeRowsToContents()
        height = (self.table.horizontalHeader().sizeHint().height()
                  + self.table.verticalHeader().length() + 2 * self.table.frameWidth())
        self.table.setFixedHeight(height)

    def _hovered(self, day: int | None) -> None:
        self.readout.setText(readout_html(self.chart, day))
        if day is not None and day != self.day.value():
            self.day.blockSignals(True)  # showing where the crosshair is, not moving it
            self.day.setValue(day)
            self.day.blockSignals(False)

    def set_horizon(self, days: int) -> None:
        self.controller.set_value(Attr("costs", "horizon_days"), days, "Change horizon")
        self.controller.seal()

    # ---- exports ------------------------------------------------------------------------

    def _suggest(self, suffix: str) -> str:
        from tunewise.ui import places

        path = self.controller.path
        stem = f"{path.stem}-costs" if path else "costs"
        return places.suggested_path(path, f"{stem}.{suffix}")

    def export_png(self) -> Path | None:
        path = dialogs.save_file_name(self, "Export chart as PNG", self._suggest("png"),
                                      "PNG images (*.png)")
        if path is None:
            return None
        return self._export(lambda: write_chart_png(self.chart, path), path)

    def export_svg(self) -> Path | None:
        path = dialogs.save_file_name(self, "Export chart as SVG", self._suggest("svg"),
                                      "SVG drawings (*.svg)")
        if path is None:
            return None
        return self._export(lambda: write_chart_svg(self.chart, path), path)

    def export_csv(self) -> Path | None:
        path = dialogs.save_file_name(self, "Export cost series as CSV", self._suggest("csv"),
                                      "CSV files (*.csv)")
        if path is None or self.evaluation is None:
            return None
        return self._export(lambda: write_series_csv(self.evaluation, path), path)

    def _export(self, action: object, path: Path) -> Path | None:
        try:
            action()  # type: ignore[operator]
        except OSError as error:
            dialogs.error(self, "Export failed",
                          f"Could not write '{path.name}': {error.strerror or error}.")
            return None
        dialogs.export_done(self, "Export finished", path)
        return path


def write_chart_png(chart: CostChart, path: Path, width: int = PNG_WIDTH) -> None:
    """The chart as on screen, scaled as a whole so the legend keeps its size beside the axis
    labels (pyqtgraph's exporter enlarges the plot but not the legend or the label text)."""
    writer = QImageWriter(str(path))
    writer.setFormat(b"png")
    if not writer.write(chart.image(width)):
        raise OSError(f"could not write {path}: {writer.errorString()}")


def write_chart_svg(chart: CostChart, path: Path) -> None:
    """The chart as SVG through pyqtgraph's exporter.

    pyqtgraph 0.14's SVG exporter cannot parse the path data Qt 6.12 writes for some items
    and raises ValueError; then the scene is drawn straight into a QSvgGenerator instead,
    which gives the same vector drawing without pyqtgraph's clean-up pass.
    """
    try:
        pyqtgraph.exporters.SVGExporter(chart.getPlotItem()).export(str(path))
        return
    except ValueError:
        pass
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    rect = chart.getPlotItem().sceneBoundingRect()
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(int(rect.width()), int(rect.height())))
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    generator.setTitle("Cumulative cost by approach")
    painter = QPainter(generator)
    try:
        chart.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    finally:
        painter.end()
    if not path.exists():
        raise OSError(f"could not write {path}")


def write_series_csv(evaluation: Evaluation | None, path: Path) -> None:
    """Day, requests and each approach's cumulative cost, one row per day."""
    if evaluation is None:
        return
    report = evaluation.costs
    names = list(report.approaches)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["day", "requests"]
                        + [f"{texts.APPROACH_LABELS[n]} cumulative USD" for n in names])
        for i, day in enumerate(report.days):
            writer.writerow([int(day), f"{report.requests[i]:.2f}"]
                            + [f"{report.approaches[n].cumulative[i]:.2f}" for n in names])
