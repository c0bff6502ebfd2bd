"""Ranges and scenarios in the app (issue 16): the Ranges and Scenarios dialogs, the scenario
switcher and comparison, the bands under the chart's lines, the Uncertainty tab and its tornado.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tunewise.core import inputs, scenarios, uncertainty
from tunewise.core.fieldpath import Attr
from tunewise.core.project import APPROACHES, Project, Range, Scenario, Uncertainty
from tunewise.core.texts import APPROACH_LABELS, money
from tunewise.ui.controller import ProjectController
from tunewise.ui.results.dashboard import Dashboard
from tunewise.ui.uncertainty.panel import dollars, percent
from tunewise.ui.uncertainty.ranges_dialog import HIGH, LIKELY, LOW, RangesDialog
from tunewise.ui.uncertainty.scenarios_dialog import ScenariosDialog

REQUESTS = "costs.requests_per_day"
HOURS = "costs.approaches.fine_tuning.engineering_hours"
WAIT_MS = 10_000


@pytest.fixture
def controller(support_bot: Project) -> ProjectController:
    return ProjectController(support_bot)


@pytest.fixture
def dashboard(qtbot: QtBot, controller: ProjectController) -> Iterator[Dashboard]:
    board = Dashboard(controller)
    qtbot.addWidget(board)
    board.resize(1100, 760)
    board.show()
    qtbot.waitExposed(board)
    yield board
    board.uncertainty.runner.wait()


def with_ranges(controller: ProjectController) -> None:
    requests = controller.project.costs.requests_per_day
    ranges = {REQUESTS: Range(low=requests * 0.5, likely=requests, high=requests * 3),
              HOURS: Range(low=40, likely=80, high=200)}
    assert controller.set_value(Attr("uncertainty"), Uncertainty(ranges=ranges, draws=2000)) \
        is None


def with_scenarios(controller: ProjectController) -> None:
    requests = controller.project.costs.requests_per_day
    plan = [Scenario(name="3x traffic", note="launch goes well",
                     overrides={REQUESTS: float(requests * 3)}),
            Scenario(name="Quiet", overrides={REQUESTS: float(max(requests // 10, 1))})]
    assert controller.set_value(Attr("scenarios"), plan) is None


# ---- Ranges dialog ----------------------------------------------------------------------


def test_a_range_added_in_the_dialog_is_stored_and_undo_removes_it(
        qtbot: QtBot, controller: ProjectController) -> None:
    dialog = RangesDialog(controller)
    qtbot.addWidget(dialog)
    words = inputs.label(REQUESTS)
    assert dialog.choice.findText(words) >= 0  # offered by its words
    dialog.choice.setEditText(words)
    dialog.add_range()
    plan = controller.project.costs.requests_per_day
    # Likely at the plan's figure, a quarter either side; written as the locale writes them.
    assert dialog.table.item(0, LOW).text() == f"{round(plan * 0.75):,}"
    assert dialog.table.item(0, HIGH).text() == f"{round(plan * 1.25):,}"
    dialog.set_cell(REQUESTS, HIGH, f"{plan * 2:,}")
    steps = controller.undo_stack.count()
    assert dialog.apply()
    stored = controller.project.uncertainty.ranges[REQUESTS]
    assert (stored.low, stored.likely, stored.high) == (round(plan * 0.75), plan, plan * 2)
    assert controller.undo_stack.count() == steps + 1  # one undo step
    controller.undo_stack.undo()
    assert controller.project.uncertainty.ranges == {}


def test_a_refused_low_is_named_next_to_its_row_and_changes_nothing(
        qtbot: QtBot, controller: ProjectController) -> None:
    dialog = RangesDialog(controller)
    qtbot.addWidget(dialog)
    dialog.add_range(REQUESTS)
    dialog.set_cell(REQUESTS, LOW, "-100")
    before = controller.project
    steps = controller.undo_stack.count()
    assert not dialog.apply()
    assert controller.project == before and controller.undo_stack.count() == steps
    problem = dialog.problem(REQUESTS)
    assert "Requests a day" in problem and "low" in problem
    assert not dialog.table.isColumnHidden(5)
    assert "Requests a day" in dialog.error.text() and "unchanged" in dialog.error.text()
    dialog.set_cell(REQUESTS, LOW, "1,000")  # typed in the locale's way, with a group
    assert dialog.apply()
    assert controller.project.uncertainty.ranges[REQUESTS].low == 1000
    assert dialog.problem(REQUESTS) == ""


def test_numbers_in_the_dialog_follow_the_locale(qtbot: QtBot,
                                                 controller: ProjectController) -> None:
    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    dialog = RangesDialog(controller)
    qtbot.addWidget(dialog)
    dialog.add_range("costs.monthly_growth")
    dialog.set_cell("costs.monthly_growth", LOW, "0,01")
    dialog.set_cell("costs.monthly_growth", LIKELY, "0,05")
    dialog.set_cell("costs.monthly_growth", HIGH, "0,2")
    assert dialog.apply(), dialog.error.text()
    found = controller.project.uncertainty.ranges["costs.monthly_growth"]
    assert (found.low, found.likely, found.high) == (0.01, 0.05, 0.2)
    dialog.set_cell("costs.monthly_growth", LIKELY, "0,5")  # above high: refused, named
    assert not dialog.apply()
    assert "low <= likely <= high" in dialog.problem("costs.monthly_growth")


# ---- Scenarios dialog, switcher and comparison ------------------------------------------


def test_scenarios_dialog_adds_a_scenario_in_one_undo_step(
        qtbot: QtBot, controller: ProjectController) -> None:
    dialog = ScenariosDialog(controller)
    qtbot.addWidget(dialog)
    dialog.add_scenario()
    dialog.rename("Busy")
    dialog.add_override(REQUESTS, "30,000")
    dialog.add_override("costs.approaches.prompt_engineering.model", "gpt-4.1-mini")
    steps = controller.undo_stack.count()
    assert dialog.apply(), dialog.error.text()
    (busy,) = controller.project.scenarios
    assert busy.name == "Busy"
    assert busy.overrides == {REQUESTS: 30000.0,
                              "costs.approaches.prompt_engineering.model": "gpt-4.1-mini"}
    assert controller.undo_stack.count() == steps + 1
    controller.undo_stack.undo()
    assert controller.project.scenarios == []


def test_a_refused_override_is_named_and_changes_nothing(
        qtbot: QtBot, controller: ProjectController) -> None:
    dialog = ScenariosDialog(controller)
    qtbot.addWidget(dialog)
    dialog.add_scenario("Broken")
    dialog.add_override(REQUESTS, "-5")
    before = controller.project
    assert not dialog.apply()
    assert controller.project == before
    assert "Broken" in dialog.error.text() and "Requests a day" in dialog.error.text()


def test_the_switcher_shows_a_scenario_and_returns_to_the_plan(
        dashboard: Dashboard, controller: ProjectController) -> None:
    view = dashboard.uncertainty
    assert not view.switcher.isVisibleTo(dashboard)  # no scenarios, no switcher
    with_scenarios(controller)
    assert view.switcher.isVisibleTo(dashboard)
    plan_total = controller.evaluation.costs.approaches["prompt_engineering"].total_at_horizon
    box = view.scenario_box
    assert [box.itemText(i) for i in range(box.count())] == [
        scenarios.PLAN_NAME, "3x traffic", "Quiet"]
    box.setCurrentIndex(1)
    expected = scenarios.evaluate_scenario(controller.project, "3x traffic")
    busy_total = expected.costs.approaches["prompt_engineering"].total_at_horizon
    assert busy_total > plan_total
    row = APPROACHES.index("prompt_engineering")
    assert dashboard.table.item(row, 5).text() == money(busy_total)
    assert "Showing scenario “3x traffic” — the plan is unchanged" in view.note.text()
    assert view.note.isVisibleTo(dashboard)
    # The plan itself did not move.
    assert controller.project.costs.requests_per_day * 3 == expected.project.costs.requests_per_day
    box.setCurrentIndex(0)
    assert dashboard.table.item(row, 5).text() == money(plan_total)
    assert not view.note.isVisibleTo(dashboard)


def test_the_comparison_table_is_scenarios_compare(
        qtbot: QtBot, dashboard: Dashboard, controller: ProjectController) -> None:
    with_scenarios(controller)
    view = dashboard.uncertainty
    assert view.comparison is not None
    dashboard.sections.setCurrentWidget(view.comparison)
    qtbot.waitUntil(lambda: view.comparison.comparison is not None, timeout=WAIT_MS)
    expected = scenarios.compare(controller.project, plan=controller.evaluation)
    shown = view.comparison.text()
    assert shown[0][:4] == ["Scenario", "Recommendation", "Confidence", "Cheapest"]
    assert [r[0] for r in shown[1:]] == [r.name for r in expected.rows]
    for cells, r in zip(shown[1:], expected.rows, strict=True):
        assert cells[1] == r.headline
        assert cells[3] == scenarios.cheapest_words(r)
        for approach, total in r.totals.items():
            column = shown[0].index(APPROACH_LABELS[approach])
            assert cells[column] == money(total)


# ---- bands, the panel and the tornado ---------------------------------------------------


def test_with_no_ranges_the_toggle_is_disabled_and_says_how(dashboard: Dashboard) -> None:
    toggle = dashboard.uncertainty.toggle
    assert not toggle.isEnabled()
    assert "Edit > Ranges" in toggle.toolTip()
    assert dashboard.uncertainty.panel is None  # no Uncertainty tab
    tabs = [dashboard.sections.tabText(i) for i in range(dashboard.sections.count())]
    assert "Uncertainty" not in tabs and "Scenarios" not in tabs


def test_with_ranges_the_bands_appear_and_the_panel_matches_the_monte_carlo(
        qtbot: QtBot, dashboard: Dashboard, controller: ProjectController) -> None:
    with_ranges(controller)
    view = dashboard.uncertainty
    assert view.toggle.isEnabled() and view.toggle.isChecked()
    qtbot.waitUntil(lambda: view.result is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not view.runner.busy(), timeout=WAIT_MS)
    chart = dashboard.chart
    shown = set(chart.bands.visible())
    assert shown == set(controller.evaluation.costs.approaches)
    expected = uncertainty.run(controller.evaluation)
    panel = view.panel
    assert panel is not None
    rows = panel.probabilities.text()[1:]
    assert len(rows) == len(expected.total_at_horizon)
    by_name = {r[0]: r for r in rows}
    for approach, q in expected.total_at_horizon.items():
        row = by_name[APPROACH_LABELS[approach]]
        assert row[1:4] == [dollars(q.p10), dollars(q.p50), dollars(q.p90)]
        assert row[4] == percent(expected.cheapest_probability[approach])
    # Toggled off, the bands go; the lines stay.
    view.toggle.setChecked(False)
    assert chart.bands.visible() == []
    assert chart.curves["prompt_engineering"].isVisible()


def test_the_tornados_first_bar_is_the_widest_input(
        qtbot: QtBot, dashboard: Dashboard, controller: ProjectController) -> None:
    with_ranges(controller)
    view = dashboard.uncertainty
    qtbot.waitUntil(lambda: view.result is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not view.runner.busy(), timeout=WAIT_MS)
    assert view.panel is not None
    dashboard.sections.setCurrentWidget(view.panel)
    tornado = view.panel.tornado
    expected = uncertainty.run(controller.evaluation).sensitivity
    assert [b.label for b in tornado.bars] == [s.label for s in expected]
    widest = max(expected, key=lambda s: abs(s.diff_high - s.diff_low))
    assert tornado.bars[0].label == widest.label
    rects = tornado.bar_rects()
    assert rects[0].width() == max(r.width() for r in rects)


def test_edit_menu_opens_both_dialogs(bot: Any) -> None:
    menu = bot.window.menuBar().actions()[1].menu()
    texts = [a.text() for a in menu.actions()]
    assert "Ra&nges…" in texts and "&Scenarios…" in texts
    dialog = bot.window.wizard.dashboard.uncertainty.open_ranges()
    assert isinstance(dialog, RangesDialog) and dialog.isVisible()
    dialog.reject()
