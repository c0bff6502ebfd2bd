"""The cost chart as a user works it: legend toggles, zoom and reset, log scale, long horizons,
the crosshair by mouse and keyboard, and break-even labels that agree with the text."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from tunewise.core.evaluation import money
from tunewise.core.fieldpath import Attr
from tunewise.core.results import Crossing
from tunewise.paths import example_project

FT = "fine_tuning"


@pytest.fixture
def bot(ui: Any) -> Any:
    assert ui.window.load(example_project("support-bot"))
    ui.window.wizard.show_page("results")
    vb = ui.window.wizard.dashboard.chart.getPlotItem().vb
    sizes = [None]

    def laid_out() -> bool:  # the same geometry twice running: the layout has settled
        sizes.append(vb.sceneBoundingRect())
        return bool(sizes[-1] == sizes[-2] and vb.width() > 200)

    ui.qtbot.waitUntil(laid_out)
    return ui


def dashboard(bot: Any) -> Any:
    return bot.window.wizard.dashboard


def at(chart: Any, day: float, cost: float) -> QPoint:
    """Where a (day, cost) point is drawn, in the chart's viewport."""
    point: QPoint = chart.mapFromScene(chart.getPlotItem().vb.mapViewToScene(QPointF(day, cost)))
    return point


def legend_entry(chart: Any, name: str) -> tuple[Any, Any]:
    return next((s, lab) for s, lab in chart.legend.items if lab.text == name)


def click(bot: Any, chart: Any, item: Any) -> None:
    centre = chart.mapFromScene(item.sceneBoundingRect().center())
    bot.qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def label_days(chart: Any) -> list[int]:
    return [int(t.removeprefix("day ").replace(",", "")) for t in chart.break_even_labels]


# ---- legend ---------------------------------------------------------------------------------

def test_clicking_a_legend_name_hides_its_line_and_the_text_says_so(bot: Any) -> None:
    d = dashboard(bot)
    chart = d.chart
    crossings = d.evaluation.assessment.crossings
    with_ft = [c for c in crossings if FT in (c.a, c.b)]
    assert with_ft, "the support bot's fine-tuning line crosses prompting's"
    _, name = legend_entry(chart, "Fine-tuning")
    click(bot, chart, name)
    assert not chart.curves[FT].isVisible()
    # Its crossings are no longer marked, and the text under the chart says why.
    xs, _ = chart.marks.markers.getData()
    assert len(xs) == len(crossings) - len(with_ft)
    assert not {round(c.day) for c in with_ft} & set(label_days(chart))
    text = d.crossings.text()
    assert text.startswith(d.evaluation.assessment.crossings_sentence)
    assert f"Hidden on the chart: Fine-tuning ({len(with_ft)} of these crossings not marked)." in (
        text)
    d.chart.show_day(100)
    assert "Fine-tuning&nbsp;(hidden)" in d.readout.text()
    sample, _ = legend_entry(chart, "Fine-tuning")
    click(bot, chart, sample)  # the line in the legend works as well as the name
    assert chart.curves[FT].isVisible()
    assert len(chart.marks.markers.getData()[0]) == len(crossings)
    assert d.crossings.text() == d.evaluation.assessment.crossings_sentence


def test_a_hidden_line_stays_hidden_while_editing(bot: Any) -> None:
    d = dashboard(bot)
    click(bot, d.chart, legend_entry(d.chart, "Retrieval (RAG)")[1])
    d.set_horizon(730)
    assert not d.chart.curves["rag"].isVisible()
    assert "Hidden on the chart: Retrieval (RAG)" in d.crossings.text()


# ---- zoom, pan, reset, log scale --------------------------------------------------------

def wheel(chart: Any, steps: int) -> None:
    centre = QPointF(chart.viewport().rect().center())
    event = QWheelEvent(centre, QPointF(chart.viewport().mapToGlobal(centre.toPoint())),
                        QPoint(0, 0), QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(chart.viewport(), event)


def test_wheel_zooms_and_reset_view_restores_the_whole_horizon(bot: Any) -> None:
    d = dashboard(bot)
    vb = d.chart.getPlotItem().vb
    whole = vb.viewRange()
    assert not d.reset_view.isEnabled()
    wheel(d.chart, 2)
    (x0, x1), _ = vb.viewRange()
    assert x1 - x0 < 0.9 * (whole[0][1] - whole[0][0])  # zoomed in
    assert d.reset_view.isEnabled()
    bot.qtbot.mouseClick(d.reset_view, Qt.MouseButton.LeftButton)
    assert vb.viewRange() == whole
    assert not d.reset_view.isEnabled()


def test_double_click_resets_the_view(bot: Any) -> None:
    d = dashboard(bot)
    vb = d.chart.getPlotItem().vb
    whole = vb.viewRange()
    wheel(d.chart, 3)
    assert vb.viewRange() != whole
    bot.qtbot.mouseDClick(d.chart.viewport(), Qt.MouseButton.LeftButton,
                          pos=d.chart.viewport().rect().center())
    assert vb.viewRange() == whole


def test_a_zoom_survives_an_edit_but_not_a_new_horizon(bot: Any) -> None:
    d = dashboard(bot)
    vb = d.chart.getPlotItem().vb
    wheel(d.chart, 2)
    zoomed = vb.viewRange()
    bot.window.controller.set_value(Attr("costs", "hourly_rate"), 95)
    assert vb.viewRange() == zoomed
    d.set_horizon(730)
    (x0, x1), _ = vb.viewRange()
    assert x0 < 0 < 730 < x1


def test_log_scale_shows_money_ticks_in_powers_of_ten(bot: Any) -> None:
    d = dashboard(bot)
    bot.qtbot.mouseClick(d.log_scale, Qt.MouseButton.LeftButton)
    assert d.log_scale.isChecked()
    axis = d.chart.getPlotItem().getAxis("left")
    assert axis.logMode
    (_, _), (y0, y1) = d.chart.getPlotItem().vb.viewRange()
    top = max(float(c.cumulative.max()) for c in d.evaluation.costs.approaches.values())
    assert y0 <= 0.1 and y1 >= np.log10(top)  # $1 (10^0) up to the dearest line
    strings = axis.logTickStrings([2.0, 3.0, 4.0], 1.0, 1.0)
    assert strings == ["$100", "$1,000", "$10,000"]
    # Markers sit where the lines cross on this scale too.
    crossing = d.evaluation.assessment.crossings[0]
    _xs, ys = d.chart.marks.markers.getData()
    assert ys[0] == pytest.approx(np.log10(crossing.cost))
    # The lines keep their figures; only the drawing is logarithmic.
    _x, y = d.chart.series("rag")
    assert y[-1] == d.evaluation.costs.approaches["rag"].total_at_horizon
    bot.qtbot.mouseClick(d.log_scale, Qt.MouseButton.LeftButton)
    assert not axis.logMode
    assert d.chart.marks.markers.getData()[1][0] == pytest.approx(crossing.cost)


# ---- time axis ------------------------------------------------------------------------------

def ticks(chart: Any) -> list[str]:
    axis = chart.getPlotItem().getAxis("bottom")
    (x0, x1), _ = chart.getPlotItem().vb.viewRange()
    values = [v for _, level in axis.tickValues(x0, x1, axis.width()) for v in level]
    return list(axis.tickStrings(values, 1.0, 1.0))


def test_a_ten_year_horizon_is_labelled_in_years_0_to_10(bot: Any) -> None:
    d = dashboard(bot)
    d.set_horizon(3650)
    axis = d.chart.getPlotItem().getAxis("bottom")
    assert axis.labelText == "Years from launch"
    assert ticks(d.chart) == [str(y) for y in range(11)]


def test_one_year_in_months_and_a_quarter_in_days(bot: Any) -> None:
    d = dashboard(bot)
    assert d.chart.getPlotItem().getAxis("bottom").labelText == "Months from launch"
    assert ticks(d.chart) == ["0", "2", "4", "6", "8", "10", "12"]
    d.set_horizon(1095)
    assert d.chart.getPlotItem().getAxis("bottom").labelText == "Years from launch"
    assert ticks(d.chart) == ["0", "0.5", "1", "1.5", "2", "2.5", "3"]


def test_zooming_into_a_long_horizon_labels_the_view_in_months(bot: Any) -> None:
    d = dashboard(bot)
    d.set_horizon(3650)
    d.chart.getPlotItem().setXRange(0, 365, padding=0)
    assert d.chart.getPlotItem().getAxis("bottom").labelText == "Months from launch"


# ---- crosshair ------------------------------------------------------------------------------

def test_the_crosshair_follows_the_pointer_and_goes_when_it_leaves(bot: Any) -> None:
    d = dashboard(bot)
    chart = d.chart
    _, costs = chart.series(FT)
    bot.qtbot.mouseMove(chart.viewport(), at(chart, 100, float(costs[100])))
    bot.qtbot.waitUntil(lambda: chart.cursor_line.isVisible())
    day = chart.day
    assert abs(day - 100) <= 1  # within a pixel of day 100
    assert f"Day {day} " in d.readout.text()
    assert money(float(costs[day])) in d.readout.text()
    assert d.day.value() == day
    bot.qtbot.mouseMove(d.table, QPoint(20, 20))
    bot.qtbot.waitUntil(lambda: not chart.cursor_line.isVisible())
    assert "Point at the chart" in d.readout.text()


def test_opening_another_file_clears_the_crosshair_and_the_zoom(bot: Any) -> None:
    d = dashboard(bot)
    whole = d.chart.getPlotItem().vb.viewRange()
    d.chart.show_day(120)
    wheel(d.chart, 2)
    assert d.chart.cursor_line.isVisible()
    assert bot.window.load(example_project("support-bot"))
    assert not d.chart.cursor_line.isVisible()
    assert "Point at the chart" in d.readout.text()
    assert d.chart.getPlotItem().vb.viewRange() == whole
    assert not d.reset_view.isEnabled()


def test_arrow_keys_move_the_crosshair_and_the_readout_follows(bot: Any) -> None:
    d = dashboard(bot)
    chart = d.chart
    chart.setFocus()
    bot.qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.day == 365 and chart.cursor_line.isVisible()
    bot.qtbot.keyClick(chart, Qt.Key.Key_Left)
    bot.qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.day == 363
    cost = d.evaluation.costs.approaches["rag"]
    # RAG on day 363: its upfront cost plus 363 days of running it, as the cost model has it.
    assert f"Retrieval&nbsp;(RAG)&nbsp;<b>{money(float(cost.cumulative[363]))}</b>" in (
        d.readout.text())
    bot.qtbot.keyClick(chart, Qt.Key.Key_PageDown)
    assert chart.day == 363 - 30
    bot.qtbot.keyClick(chart, Qt.Key.Key_Home)
    assert chart.day == 0
    bot.qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.day == 0  # not before launch
    assert d.day.value() == 0
    bot.qtbot.keyClick(chart, Qt.Key.Key_Escape)
    assert not chart.cursor_line.isVisible()
    bot.qtbot.keyClick(chart, Qt.Key.Key_Right)  # back where it was
    assert chart.day == 0


def test_the_day_box_reads_a_day_without_the_mouse(bot: Any) -> None:
    d = dashboard(bot)
    d.day.setFocus()
    d.day.selectAll()
    bot.qtbot.keyClicks(d.day, "200")
    assert d.chart.day == 200 and d.chart.cursor_line.isVisible()
    assert "Day 200 (month 6.6)" in d.readout.text()
    for cost in d.evaluation.costs.approaches.values():
        assert money(float(cost.cumulative[200])) in d.readout.text()
    assert d.day.maximum() == 365
    d.set_horizon(90)
    assert d.day.maximum() == 90


def test_the_readout_follows_an_edit_under_the_crosshair(bot: Any) -> None:
    d = dashboard(bot)
    d.chart.show_day(50)
    bot.window.controller.set_value(Attr("costs", "requests_per_day"), 20_000)
    assert d.chart.cursor_line.isVisible() and d.chart.day == 50
    prompting = d.evaluation.costs.approaches["prompt_engineering"]
    assert money(float(prompting.cumulative[50])) in d.readout.text()


# ---- break-even labels ------------------------------------------------------------------

def test_labels_and_text_name_the_same_days(bot: Any) -> None:
    d = dashboard(bot)
    text_days = {int(m.replace(",", "")) for m in re.findall(r"Day ([\d,]+):", d.crossings.text())}
    assert text_days == {round(c.day) for c in d.evaluation.assessment.crossings}
    assert label_days(d.chart)
    assert set(label_days(d.chart)) <= text_days
    xs, _ = d.chart.marks.markers.getData()
    assert sorted(round(x) for x in xs) == sorted(text_days)


def crossing(day: float, cost: float, a: str, b: str) -> Crossing:
    return Crossing(day=day, cost=cost, a=a, b=b, cheaper_after=b,
                    sentence=f"Day {day:,.0f}: {b} becomes cheaper than {a}")


def test_two_crossings_on_the_same_day_get_one_label(bot: Any) -> None:
    d = dashboard(bot)
    evaluation = d.evaluation
    same_day = [crossing(80.2, 9000.0, "prompt_engineering", "rag"),
                crossing(79.8, 12000.0, "prompt_engineering", "fine_tuning+rag"),
                crossing(200.0, 20000.0, "prompt_engineering", "all_three")]
    assessment = evaluation.assessment.model_copy(update={"crossings": same_day})
    d.chart.show_evaluation(dataclasses.replace(evaluation, assessment=assessment))
    assert len(d.chart.marks.markers.getData()[0]) == 3  # a marker on each crossing
    assert sorted(label_days(d.chart)) == [80, 200]  # one label for day 80


def lines_under(chart: Any, label: Any) -> list[str]:
    """The visible lines that pass through a label's box on screen."""
    rect = chart.mapFromScene(label.sceneBoundingRect()).boundingRect()
    vb = chart.getPlotItem().vb
    crossed = []
    for approach, curve in chart.curves.items():
        if not curve.isVisible():
            continue
        days, costs = chart.series(approach)
        ys = chart.view_y(costs)
        for day in range(len(days)):
            p = chart.mapFromScene(vb.mapViewToScene(QPointF(float(days[day]), float(ys[day]))))
            if rect.contains(p):
                crossed.append(approach)
                break
    return crossed


@pytest.mark.parametrize("horizon", [365, 1095, 3650])
def test_labels_sit_clear_of_every_line_and_of_one_another(bot: Any, horizon: int) -> None:
    d = dashboard(bot)
    d.set_horizon(horizon)
    for log in (False, True):
        d.log_scale.setChecked(log)
        shown = [lab for lab in d.chart.marks.labels if lab.isVisible()]
        assert shown, (horizon, log)
        for label in shown:
            assert lines_under(d.chart, label) == [], (horizon, log, label.textItem.toPlainText())
        rects = [lab.sceneBoundingRect() for lab in shown]
        for i, r in enumerate(rects):
            assert not any(r.intersects(o) for o in rects[i + 1:])
        legend = d.chart.legend.sceneBoundingRect()
        assert not any(r.intersects(legend) for r in rects)
