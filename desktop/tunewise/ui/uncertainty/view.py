"""What the dashboard shows of ranges and scenarios, wired in with a few lines there.

- The scenario switcher above the chart ("The plan as it stands" or one scenario): the chart
  and the table show that scenario's evaluation, read-only; the plan itself is unchanged and
  a note says so. Hidden while the plan has no scenarios.
- "Show ranges" under the chart: the Monte Carlo's P10-P90 bands under the lines, worked out
  by `BandsRunner` off the GUI thread after each evaluation (the lines never wait for them).
  Disabled, with a tooltip saying how to add ranges, while the plan has none.
- The "Uncertainty" tab (the panel) and the "Scenarios" tab (the comparison), next to the
  assessment, each shown once the plan has ranges or scenarios.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tunewise.core import scenarios
from tunewise.core.evaluation import Evaluation
from tunewise.ui.theme import NoteBox
from tunewise.ui.uncertainty.worker import BandsRunner

if TYPE_CHECKING:
    from tunewise.core.uncertainty import UncertaintyResult
    from tunewise.ui.results.dashboard import Dashboard
    from tunewise.ui.uncertainty.comparison import ComparisonView
    from tunewise.ui.uncertainty.panel import Panel

PLAN_NAME = scenarios.PLAN_NAME
COMPARE_DELAY_MS = 150
NO_RANGES_TIP = ("The plan has no ranges yet. Add low, likely and high figures for the inputs "
                 "you are unsure of with Edit > Ranges… (or the Ranges… button here) to shade "
                 "where each line could fall.")
RANGES_TIP = ("Shade where each approach's total falls in eight draws of ten (P10 to P90), "
              "from the ranges on the plan's inputs.")


class UncertaintyView(QObject):
    """The switcher, the bands toggle and the two tabs, for one dashboard."""

    def __init__(self, dashboard: Dashboard) -> None:
        super().__init__(dashboard)
        self.dashboard = dashboard
        self.controller = dashboard.controller
        self.chart = dashboard.chart
        self.scenario: str | None = None  # the scenario shown, None for the plan
        self.shown_evaluation: Evaluation | None = None
        self.result: UncertaintyResult | None = None
        self.panel: Panel | None = None
        self.comparison: ComparisonView | None = None

        # The switcher: above the chart.
        self.switcher = QWidget()
        self.scenario_box = QComboBox()
        self.scenario_box.setAccessibleName("Scenario shown")
        self.scenario_box.setToolTip("Show the results of one of the plan's scenarios; the "
                                     "plan itself does not change")
        self.scenario_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scenario_box.currentIndexChanged.connect(self._chosen)
        label = QLabel("&Show:")
        label.setBuddy(self.scenario_box)
        self.edit_scenarios = QToolButton()
        self.edit_scenarios.setText("Scenarios…")
        self.edit_scenarios.setToolTip("Add, rename or remove scenarios and what they change")
        self.edit_scenarios.clicked.connect(self.open_scenarios)
        self.note = NoteBox()
        self.note.setAccessibleName("Scenario shown note")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setMargin(4)
        self.note.setVisible(False)
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(label)
        top.addWidget(self.scenario_box)
        top.addWidget(self.edit_scenarios)
        top.addStretch(1)
        column = QVBoxLayout(self.switcher)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.note)
        self.switcher.setVisible(False)

        # The toggle: under the chart, beside the log scale.
        self.toggle_row = QWidget()
        self.toggle = QCheckBox("Show r&anges")
        self.toggle.setAccessibleName("Show ranges")
        self.toggle.setChecked(True)
        self.toggle.toggled.connect(self._toggled)
        self.edit_ranges = QToolButton()
        self.edit_ranges.setText("Ranges…")
        self.edit_ranges.setToolTip("Low, likely and high figures for the inputs you are "
                                    "unsure of")
        self.edit_ranges.clicked.connect(self.open_ranges)
        row = QHBoxLayout(self.toggle_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.toggle)
        row.addWidget(self.edit_ranges)

        self.runner = BandsRunner(self)
        self.runner.resultReady.connect(self._result)
        self.runner.failed.connect(self._failed)
        self._compare_timer = QTimer(self)
        self._compare_timer.setSingleShot(True)
        self._compare_timer.setInterval(COMPARE_DELAY_MS)
        self._compare_timer.timeout.connect(self.refresh_comparison)
        self._narrow_sizes: list[int] | None = None
        self._widening = False  # the tab bar tells _tab_changed when a wide tab shows

    # ---- the dashboard's two hooks ------------------------------------------------------

    def shown(self, evaluation: Evaluation) -> Evaluation:
        """The evaluation the dashboard should draw: the plan's, or the chosen scenario's."""
        project = evaluation.project
        self._fill_switcher([s.name for s in project.scenarios])
        if self.scenario is None:
            self.note.setVisible(False)
            return evaluation
        try:
            shown = scenarios.evaluate_scenario(project, self.scenario)
        except ValueError as error:  # an override the plan can no longer take
            self._say(f"Scenario “{self.scenario}” cannot be shown: {error}. Showing the plan.")
            return evaluation
        changes = scenarios.changes(project, scenarios.find(project, self.scenario))
        self._say(f"Showing scenario “{self.scenario}” — the plan is unchanged. "
                  + ("; ".join(changes) + "." if changes else "It changes nothing yet."))
        return shown

    def after(self, evaluation: Evaluation) -> None:
        """The dashboard drew `evaluation`: bands, the tabs and the comparison follow."""
        self.shown_evaluation = evaluation
        ranged = bool(self.controller.project.uncertainty.ranges)
        self.toggle.setEnabled(ranged)
        self.toggle.setToolTip(RANGES_TIP if ranged else NO_RANGES_TIP)
        self.toggle_row.setToolTip("" if ranged else NO_RANGES_TIP)
        self._show_tabs(ranged, bool(self.controller.project.scenarios))
        if ranged and self.panel is not None and self.result is None:
            self.panel.show_status("Working out the ranges…")
        self.runner.request(evaluation if ranged else None)
        if self.comparison is not None and self.controller.project.scenarios:
            self._compare_timer.start()

    # ---- switcher -----------------------------------------------------------------------

    def _fill_switcher(self, names: list[str]) -> None:
        wanted = [PLAN_NAME, *names]
        box = self.scenario_box
        if [box.itemText(i) for i in range(box.count())] != wanted:
            box.blockSignals(True)
            box.clear()
            box.addItems(wanted)
            box.blockSignals(False)
        folded = {n.casefold(): n for n in names}
        if self.scenario is not None:
            self.scenario = folded.get(self.scenario.casefold())
        box.blockSignals(True)
        box.setCurrentIndex(wanted.index(self.scenario) if self.scenario else 0)
        box.blockSignals(False)
        self.switcher.setVisible(bool(names))

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(True)

    def show_scenario(self, name: str | None) -> None:
        """Show one scenario's results (None: the plan as it stands)."""
        self.scenario = name
        self.dashboard.show_evaluation(self.controller.evaluation)

    def _chosen(self, index: int) -> None:
        self.show_scenario(self.scenario_box.itemText(index) if index > 0 else None)

    # ---- bands and the panel ------------------------------------------------------------

    def _toggled(self, on: bool) -> None:
        self.chart.set_bands(self.result.bands if self.result else {}, on)

    def _result(self, result: UncertaintyResult | None) -> None:
        self.result = result
        self.chart.set_bands(result.bands if result else {}, self.toggle.isChecked())
        if self.panel is not None and self.shown_evaluation is not None:
            self.panel.show_result(result, self.shown_evaluation)

    def _failed(self, message: str) -> None:
        if self.panel is not None:
            self.panel.show_status(message)

    def _show_tabs(self, ranged: bool, scenarios_there: bool) -> None:
        sections = self.dashboard.sections
        if ranged and self.panel is None:
            from tunewise.ui.uncertainty.panel import Panel

            self.panel = Panel()
            sections.addTab(self.panel, "Uncertainty")
        if scenarios_there and self.comparison is None:
            from tunewise.ui.uncertainty.comparison import ComparisonView

            self.comparison = ComparisonView()
            sections.addTab(self.comparison, "Scenarios")
            self._compare_timer.start()
        if (self.panel is not None or self.comparison is not None) and not self._widening:
            sections.currentChanged.connect(self._tab_changed)
            self._widening = True
        if self.panel is not None:
            sections.setTabVisible(sections.indexOf(self.panel), ranged)
        if self.comparison is not None:
            sections.setTabVisible(sections.indexOf(self.comparison), scenarios_there)

    # ---- comparison ---------------------------------------------------------------------

    def _tab_changed(self, _index: int) -> None:
        """The comparison has a column per approach and the uncertainty tab a table and a
        tornado: the tab's column widens while either is shown, and gives the chart its
        width back after."""
        top = self.dashboard.top
        shown = self.dashboard.sections.currentWidget()
        if shown is not None and shown in (self.comparison, self.panel):
            if self._narrow_sizes is None:
                self._narrow_sizes = top.sizes()
                total = sum(self._narrow_sizes)
                top.setSizes([round(total * 0.62), total - round(total * 0.62)])
        elif self._narrow_sizes is not None:
            top.setSizes(self._narrow_sizes)
            self._narrow_sizes = None

    def refresh_comparison(self) -> None:
        """The plan and every scenario side by side (a few evaluations: after a pause)."""
        if self.comparison is None or not self.controller.project.scenarios:
            return
        self.comparison.show_comparison(scenarios.compare(
            self.controller.project, plan=self.controller.evaluation))

    # ---- dialogs ------------------------------------------------------------------------

    def open_ranges(self) -> QWidget:
        from tunewise.ui.uncertainty import open_ranges

        return open_ranges(self.dashboard, self.controller)

    def open_scenarios(self) -> QWidget:
        from tunewise.ui.uncertainty import open_scenarios

        return open_scenarios(self.dashboard, self.controller)
