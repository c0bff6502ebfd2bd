"""The results dashboard: chart series, break-evens, crosshair, table, horizon and exports."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtWidgets import QToolButton

from tunewise.core.evaluation import money
from tunewise.core.fieldpath import ApproachInput, Attr
from tunewise.paths import example_project
from tunewise.report.series import SERIES_STYLE
from tunewise.ui.results.chart import pen_for

PE = "prompt_engineering"


@pytest.fixture
def bot(ui: Any) -> Any:
    assert ui.window.load(example_project("support-bot"))
    return ui


def test_one_line_per_approach_in_distinct_colour_and_style(bot: Any) -> None:
    chart = bot.window.wizard.dashboard.chart
    pens = {a: pen_for(a) for a in SERIES_STYLE}
    assert len({p.color().name() for p in pens.values()}) == 6
    assert len({tuple(p.dashPattern()) for p in pens.values()}) == 5  # two solids, by width
    # The app's lines are the report's: same colour for every approach.
    assert all(pens[a].color().name().upper() == SERIES_STYLE[a].colour for a in pens)
    names = [label.text for _, label in chart.legend.items]
    assert names == ["Prompt engineering", "Retrieval (RAG)", "Fine-tuning", "Fine-tuning + RAG",
                     "Fine-tuning + prompting", "All three combined"]
    x, _ = chart.series("prompt_engineering")
    assert len(x) == 366 and x[-1] == 365
    assert chart.getPlotItem().getAxis("left").labelText == "Cumulative cost (USD)"
    assert chart.getPlotItem().getAxis("bottom").labelText == "Months from launch"


def test_editing_a_cost_input_redraws_the_line(bot: Any) -> None:
    chart = bot.window.wizard.dashboard.chart
    # Prompting on gpt-5.4 (no retirement announced), nothing cached, 10,000 requests a day
    # for a year, whatever the example says.
    bot.type(ApproachInput(PE, "model"), "gpt-5.4")
    bot.type(ApproachInput(PE, "cached_share"), "0")
    bot.type(ApproachInput(PE, "batch_share"), "0")
    bot.type(Attr("costs", "requests_per_day"), "10000")
    bot.type(Attr("costs", "monthly_growth"), "0")
    bot.type(Attr("costs", "horizon_days"), "365")
    bot.type(ApproachInput(PE, "system_prompt_tokens"), "2000")
    _, before = chart.series("prompt_engineering")
    before = before.copy()
    bot.type(ApproachInput(PE, "system_prompt_tokens"), "3000")
    _, after = chart.series("prompt_engineering")
    # 1,000 more prompt tokens at gpt-5.4's $2.50 per 1M input tokens: $0.0025 a request;
    # 10,000 requests a day for 365 days: $9,125 more by the horizon, nothing more on day 0.
    assert after[0] == pytest.approx(before[0])
    assert after[-1] - before[-1] == pytest.approx(9125.0)
    assert after[1] - before[1] == pytest.approx(25.0)
    table = bot.window.wizard.dashboard.table
    assert table.item(0, 5).text() == money(after[-1])
    assert table.item(0, 5).textAlignment() & 0x2  # Qt.AlignRight


def test_table_shows_the_core_figures(bot: Any) -> None:
    d = bot.window.wizard.dashboard
    cost = d.evaluation.costs.approaches["fine_tuning"]
    row = [d.table.item(2, c).text() for c in range(8)]
    assert cost.runs_on  # the offering, in words
    assert row == ["Fine-tuning", cost.runs_on, money(cost.upfront), money(cost.per_request),
                   money(cost.monthly), money(cost.total_at_horizon), "Medium", "High"]
    # Support bot: 24 + 16 hours at $90 is $3,600 of work before the training run.
    assert cost.upfront >= 3600


def test_unknown_model_is_shown_not_crashed(bot: Any) -> None:
    d = bot.window.wizard.dashboard
    model = bot.field(ApproachInput(PE, "model"))
    bot.type_into(model, "our-private-llm")
    assert "our-private-llm" in model.error.text()
    assert d.chart.series("prompt_engineering")[1].size == 0
    assert d.table.item(0, 2).text().startswith("Not costed:")
    assert "(!)" in bot.window.wizard.page_of("costs").tabs.tabText(0)
    bot.type_into(bot.override(ApproachInput(PE, "model"), "input"), "1")
    bot.type_into(bot.override(ApproachInput(PE, "model"), "output"), "2")
    assert not model.error.isVisible()
    _, y = d.chart.series("prompt_engineering")
    # 2,700 input tokens at $1 and 300 output at $2 per 1M: $0.0033 a request.
    assert d.evaluation.costs.approaches["prompt_engineering"].per_request == pytest.approx(0.0033)
    assert y.size == 366


def test_break_evens_are_marked_and_listed(bot: Any) -> None:
    d = bot.window.wizard.dashboard
    bot.window.wizard.show_page("results")
    payback = d.evaluation.costs.payback_days()
    assert payback is not None
    xs, _ = d.chart.marks.markers.getData()
    assert np.isclose(xs, payback).any()
    assert f"Day {payback:,.0f}: fine-tuning becomes cheaper than prompt engineering" in (
        d.crossings.text())
    assert f"day {payback:,.0f}" in d.chart.break_even_labels


def test_crosshair_reads_every_approach_on_that_day(bot: Any) -> None:
    d = bot.window.wizard.dashboard
    d.chart.show_day(100.4)
    text = d.readout.text()
    assert "Day 100 " in text
    for cost in d.evaluation.costs.approaches.values():
        assert money(float(cost.cumulative[100])) in text
    d.chart.show_day(None)
    assert "Point at the chart" in d.readout.text()


def test_horizon_control_is_undoable_and_redraws(bot: Any) -> None:
    d = bot.window.wizard.dashboard
    bot.window.wizard.show_page("results")
    three_years = next(b for b in d.findChildren(QToolButton) if b.text() == "&3 years")
    three_years.click()
    assert bot.window.controller.project.costs.horizon_days == 1095
    assert d.chart.series("rag")[0][-1] == 1095
    assert d.horizon.line.text() == "1,095"
    bot.window.undo_action.trigger()
    assert d.chart.series("rag")[0][-1] == 365
    assert d.horizon.line.text() == "365"


def test_short_horizons_are_labelled_in_days(bot: Any) -> None:
    d = bot.window.wizard.dashboard
    d.set_horizon(90)
    assert d.chart.getPlotItem().getAxis("bottom").labelText == "Days from launch"


def test_exports_png_svg_csv(bot: Any, dialog_log: Any, tmp_path: Path) -> None:
    d = bot.window.wizard.dashboard
    for kind, action in (("png", d.export_png), ("svg", d.export_svg), ("csv", d.export_csv)):
        dialog_log.save_name = tmp_path / f"chart.{kind}"
        assert action() == tmp_path / f"chart.{kind}"
        assert (tmp_path / f"chart.{kind}").stat().st_size > 500
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in (tmp_path / "chart.svg").read_text("utf-8")
    rows = list(csv.reader((tmp_path / "chart.csv").read_text("utf-8").splitlines()))
    assert rows[0][:3] == ["day", "requests", "Prompt engineering cumulative USD"]
    assert len(rows) == 1 + 366
    cost = d.evaluation.costs.approaches["prompt_engineering"]
    assert float(rows[-1][2]) == pytest.approx(cost.total_at_horizon, abs=0.01)
    assert rows[1][1] == "0.00" and rows[2][1] == "10000.00"


def test_export_cancelled_writes_nothing(bot: Any, dialog_log: Any, tmp_path: Path) -> None:
    dialog_log.save_name = None
    assert bot.window.wizard.dashboard.export_csv() is None
    assert list(tmp_path.iterdir()) == [] or all(p.suffix != ".csv" for p in tmp_path.iterdir())
