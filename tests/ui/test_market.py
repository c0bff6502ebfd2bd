"""The fine-tuning market in the app: the offering chooser, the new cost inputs, Q1's tested
model, forced moves in the results, and the Prices menu (against a server on 127.0.0.1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.price_server import PUBLISHED, PriceServer
from tunewise.core import price_update
from tunewise.core.fieldpath import ApproachInput, Attr, PriceOverride
from tunewise.core.market import bundled_path, default_market, remove_installed_catalogue
from tunewise.core.prices import default_catalog, reload_price_data
from tunewise.core.project import default_approaches
from tunewise.ui.market.offerings import STATUS, OfferingChooser, OfferingsWindow
from tunewise.ui.market.offerings import label as offering_label
from tunewise.ui.market.prices_menu import PriceFetch
from tunewise.ui.wizard.costs import catalog_price

FT = "fine_tuning"
PE = "prompt_engineering"
GPT4O_MINI = "openai/gpt-4o-mini/serverless"
AZURE = "azure-openai/gpt-4.1-mini/standard"
CLOSED = "openai/gpt-4.1-nano/serverless"  # last training and answering day 2026-10-22


@pytest.fixture(autouse=True)
def bundled_data_after() -> Iterator[None]:
    """Fetched and installed price data is process-global: later tests see the bundled data."""
    yield
    price_update.forget_fetched()
    remove_installed_catalogue()
    reload_price_data()
    catalog_price.cache_clear()


def costs_page(ui: Any) -> Any:
    ui.window.wizard.show_page("costs")
    return ui.window.wizard.page_of("costs")


def choose(ui: Any, dialog_log: Any, key: str, approach: str = FT) -> Any:
    """Click Offerings… on an approach's tab and pick `key` in the (replaced) chooser."""
    page = costs_page(ui)
    field = page.offering_fields[approach]
    dialog_log.offering = default_market().by_key(key)
    page.tabs.setCurrentIndex(list(page.model_fields).index(approach))
    ui.qtbot.mouseClick(field.button, Qt.MouseButton.LeftButton)
    return field


def spec(ui: Any, approach: str = FT) -> Any:
    return ui.window.controller.project.costs.approach(approach)


# ---- the offering chooser ------------------------------------------------------------------

def test_choosing_an_offering_sets_model_provider_and_deployment_as_one_undo_step(
        ui: Any, dialog_log: Any) -> None:
    before = (spec(ui).model, spec(ui).provider, spec(ui).deployment)
    field = choose(ui, dialog_log, AZURE)
    assert (spec(ui).model, spec(ui).provider, spec(ui).deployment) == (
        "gpt-4.1-mini", "azure-openai", "standard")
    assert field.combo.currentText() == "gpt-4.1-mini"
    # The chooser was opened on the plan's start date, for this approach.
    (_, _market, on, current, label) = dialog_log.of("choose_offering")[-1]
    assert on == ui.window.controller.evaluation.costs.start_date
    assert label == "Fine-tuning"
    assert current is None or current != AZURE
    assert "Azure" in ui.window.undo_action.text()
    ui.window.undo_action.trigger()  # one Ctrl+Z takes all three back
    assert (spec(ui).model, spec(ui).provider, spec(ui).deployment) == before
    assert field.combo.currentText() == before[0]
    ui.window.redo_action.trigger()
    assert spec(ui).provider == "azure-openai"


def test_cancelling_the_chooser_changes_nothing(ui: Any, dialog_log: Any) -> None:
    before = ui.window.controller.project
    choose(ui, dialog_log, "no/such/offering")  # by_key finds nothing: the stand-in cancels
    assert ui.window.controller.project is before
    assert not ui.window.undo_action.isEnabled()


def test_a_closed_offering_is_marked_explained_and_cannot_be_chosen(qtbot: Any) -> None:
    market = default_market()
    chooser = OfferingChooser(market, date(2026, 11, 29), GPT4O_MINI, None, "Fine-tuning")
    qtbot.addWidget(chooser)
    browser = chooser.browser
    assert browser.current() is not None and browser.current().key == GPT4O_MINI
    assert chooser.choose_button.isEnabled()
    row = browser.row_of(GPT4O_MINI)
    assert browser.proxy.index(row, STATUS).data() == "Closing"
    assert browser.select(CLOSED)
    row = browser.row_of(CLOSED)
    status = browser.proxy.index(row, STATUS)
    assert status.data() == "Closed"
    assert status.data(Qt.ItemDataRole.FontRole).bold()
    assert "2026-10-22" in status.data(Qt.ItemDataRole.ToolTipRole)
    assert not chooser.choose_button.isEnabled()
    assert "closed" in chooser.why.text()
    assert "Closed for a plan starting 2026-11-29" in browser.details.toPlainText()
    assert chooser.chosen() is None
    # The same offering was open for a plan that started before it closed.
    earlier = OfferingChooser(market, date(2026, 10, 1), CLOSED, None)
    qtbot.addWidget(earlier)
    assert earlier.choose_button.isEnabled()
    assert earlier.chosen() is not None and earlier.chosen().key == CLOSED


def test_the_offerings_window_sorts_and_shows_sources_notes_and_disagreements(
        qtbot: Any) -> None:
    market = default_market()
    window = OfferingsWindow(market, date(2026, 11, 29))
    qtbot.addWidget(window)
    browser = window.browser
    assert browser.proxy.rowCount() == len(market.offerings)
    browser.table.sortByColumn(STATUS, Qt.SortOrder.DescendingOrder)
    assert browser.proxy.index(0, STATUS).data() == "Closed"
    browser.table.sortByColumn(STATUS, Qt.SortOrder.AscendingOrder)
    assert browser.proxy.index(0, STATUS).data() == "Open"
    disputed = next(o for o in market.offerings if o.disagreements)
    assert browser.select(disputed.key)
    text = browser.details.toPlainText()
    assert "Where sources disagree" in text
    assert disputed.sources[0].url in text
    assert f"checked {disputed.sources[0].checked.isoformat()}" in text
    assert disputed.notes[:40] in text
    browser.filter.setText("bedrock")
    assert 0 < browser.proxy.rowCount() < len(market.offerings)


def test_the_line_under_the_model_gives_the_offerings_days_on_the_plan(
        ui: Any, dialog_log: Any) -> None:
    ui.type(Attr("costs", "start_date"), "2026-12-01")
    field = choose(ui, dialog_log, GPT4O_MINI)
    text = field.offering_note.text()
    # Last training day 2027-01-05: 30 days to the end of December, 5 more: day 35.
    assert "OpenAI gpt-4o-mini (serverless)" in text
    assert "2027-01-05 (day 35 of the plan)" in text
    assert "2027-01-13 (day 43 of the plan)" in text
    assert default_market().by_key(GPT4O_MINI).notes[:40] in text  # type: ignore[union-attr]


def test_typing_a_model_the_chosen_provider_lacks_clears_provider_and_deployment(
        ui: Any, dialog_log: Any) -> None:
    choose(ui, dialog_log, AZURE)
    ui.type(ApproachInput(FT, "model"), "llama-3.1-8b")
    assert (spec(ui).model, spec(ui).provider, spec(ui).deployment) == (
        "llama-3.1-8b", None, None)
    # The catalogue's first offering of the model is meant, and the line says which.
    offering = default_catalog().offering("llama-3.1-8b")
    assert offering is not None
    note = costs_page(ui).offering_fields[FT].offering_note.text()
    assert f"Runs on {offering_label(default_market(), offering)}" in note


# ---- new inputs ------------------------------------------------------------------------------

def test_the_new_cost_inputs_edit_the_plan(ui: Any) -> None:
    costs = lambda: ui.window.controller.project.costs  # noqa: E731
    ui.type(Attr("costs", "start_date"), "2027-02-01")
    assert costs().start_date == date(2027, 2, 1)
    assert ui.window.controller.evaluation.costs.start_date == date(2027, 2, 1)
    field = ui.type(Attr("costs", "start_date"), "next week")
    assert costs().start_date == date(2027, 2, 1)
    assert "year-month-day" in field.error.text() and "Not applied" in field.error.text()
    ui.type(Attr("costs", "start_date"), "")
    assert costs().start_date is None

    page = costs_page(ui)
    page.training_section.set_open(True)
    for section in page.price_sections.values():
        section.set_open(True)
    ui.type(ApproachInput(PE, "batch_share"), "50%")
    assert costs().approach(PE).batch_share == 0.5
    ui.choose(Attr("costs", "training", "method"), "Preference (DPO)")
    assert costs().training.method == "dpo"
    ui.type(Attr("costs", "training", "training_hours"), "12")
    assert costs().training.training_hours == 12.0
    model = costs().approach(FT).model
    hosting = ui.override(ApproachInput(FT, "model"), "hosting_per_hour")
    ui.type_into(hosting, "2.5")
    assert costs().price_overrides[model].hosting_per_hour == 2.5
    ui.type_into(ui.override(ApproachInput(FT, "model"), "storage_per_month"), "4")
    assert ui.window.controller.value(PriceOverride(model, "storage_per_month")) == 4
    # An hour of hosting is $2.50 whether used or not: $60 a day, $1,825 a month of 365/12 days.
    assert ui.window.controller.evaluation.costs.approaches[FT].monthly_breakdown[
        "hosting"] == pytest.approx(2.5 * 24 * 365 / 12)


def test_q1_tested_model_becomes_promptings_model_in_one_step(ui: Any) -> None:
    project = lambda: ui.window.controller.project  # noqa: E731
    default = default_approaches()[PE].model
    assert project().costs.approach(PE).model == default
    ui.type(Attr("answers", "few_shot_model"), "claude-sonnet-4-6")
    assert project().answers.few_shot_model == "claude-sonnet-4-6"
    assert project().costs.approach(PE).model == "claude-sonnet-4-6"
    costs_field = ui.field(ApproachInput(PE, "model"))
    assert costs_field.combo.currentText() == "claude-sonnet-4-6"
    # The whole run of typing is one undo step, and takes both back.
    ui.window.undo_action.trigger()
    assert project().answers.few_shot_model is None
    assert project().costs.approach(PE).model == default
    ui.window.redo_action.trigger()
    # Prompting still on the tested model: a new tested model moves it again.
    ui.type(Attr("answers", "few_shot_model"), "gpt-5.4")
    assert project().costs.approach(PE).model == "gpt-5.4"
    # A model chosen for prompting on the Costs page stays.
    assert default != "claude-haiku-4-5"
    ui.type(ApproachInput(PE, "model"), "claude-haiku-4-5")
    ui.type(Attr("answers", "few_shot_model"), "gemini-3.5-flash")
    assert project().answers.few_shot_model == "gemini-3.5-flash"
    assert project().costs.approach(PE).model == "claude-haiku-4-5"


# ---- results ---------------------------------------------------------------------------------

def test_forced_moves_and_lifecycle_warnings_show_in_the_results(
        bot: Any, dialog_log: Any) -> None:
    ui = bot  # the support bot, whose verdict is fine-tuning (or a mix with it)
    ui.type(Attr("costs", "start_date"), "2026-12-01")
    recommended = ui.window.controller.evaluation.assessment.recommended_row
    assert recommended in costs_page(ui).offering_fields
    choose(ui, dialog_log, GPT4O_MINI, recommended)
    evaluation = ui.window.controller.evaluation
    cost = evaluation.costs.approaches[recommended]
    row = list(costs_page(ui).model_fields).index(recommended)
    forced = [e for e in cost.events if e.kind in ("migration", "ends")]
    assert forced and cost.lifecycle
    ui.window.wizard.show_page("results")
    d = ui.window.wizard.dashboard
    assert d.lifecycle.isVisible()
    for life in cost.lifecycle:
        assert life.date.isoformat() in d.lifecycle.text()
        assert life.breaks in d.lifecycle.text()
    assert {(a, e.day) for a, e in d.chart.events.shown} >= {
        (recommended, e.day) for e in forced}
    tip = d.table.item(row, 1).toolTip()
    assert all(e.text in tip for e in forced)
    assert d.table.item(row, 1).text() == cost.runs_on
    assert d.table.item(row, 3).toolTip()  # caching and batching as applied
    details = d.details.toPlainText()
    ids = {w.id for w in evaluation.assessment.warnings}
    assert ids & {"offering_training_closes", "offering_retires", "model_retires"}
    for warning in evaluation.assessment.warnings:
        assert warning.message in details


def test_a_cheaper_alternative_is_named_in_the_warnings(bot: Any) -> None:
    bot.type(Attr("costs", "requests_per_day"), "100")
    evaluation = bot.window.controller.evaluation
    warnings = {w.id: w.message for w in evaluation.assessment.warnings}
    assert "cheaper_alternative" in warnings
    bot.window.wizard.show_page("results")
    assert warnings["cheaper_alternative"] in bot.window.wizard.dashboard.details.toPlainText()


def test_the_footer_dates_the_price_data_and_old_data_raises_a_banner(
        ui: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    d = ui.window.wizard.dashboard
    ui.window.wizard.show_page("results")
    catalog = default_catalog()
    assert f"inference as of {catalog.inference_as_of.isoformat()}" in d.footer.text()
    assert f"offerings as of {catalog.market.as_of.isoformat()}" in d.footer.text()
    assert not d.stale.isVisible()

    class Later(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return datetime(2027, 6, 1, 12, tzinfo=UTC)

    monkeypatch.setattr("tunewise.core.costs.datetime", Later)
    ui.window.controller.reevaluate()
    age = (date(2027, 6, 1) - catalog.inference_as_of).days  # 185 days from 2026-11-28
    assert d.stale.isVisible()
    assert f"inference prices are {age:,} days old" in d.stale.text()
    assert "Update Inference Prices" in d.stale.text()
    assert "prices_stale" in {w.id for w in ui.window.controller.evaluation.assessment.warnings}


# ---- the Prices menu -------------------------------------------------------------------------

@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    servers: list[PriceServer] = []

    def start(status: int, body: bytes, delay: float = 0.0) -> PriceServer:
        server = PriceServer(status, body, delay)
        servers.append(server)
        monkeypatch.setenv(price_update.DEFAULT_URL_ENV, server.url)
        return server

    yield start
    for server in servers:
        server.close()


def wait_for_fetch(qtbot: Any) -> None:
    qtbot.waitUntil(lambda: not PriceFetch.running, timeout=30_000)


def test_update_inference_prices_fetches_off_the_gui_thread_and_re_evaluates(
        ui: Any, serve: Any) -> None:
    server = serve(200, json.dumps(PUBLISHED).encode())
    ui.type(ApproachInput(PE, "model"), "gpt-5.4-mini")
    before = ui.window.controller.evaluation
    assert default_catalog().inference("gpt-5.4-mini").input != 0.5
    ui.window.prices.update_action.trigger()
    wait_for_fetch(ui.qtbot)
    assert server.requests == 1
    today = datetime.now(UTC).date().isoformat()
    message = ui.window.statusBar().currentMessage()
    assert "Inference prices updated" in message and today in message
    assert default_catalog().inference("gpt-5.4-mini").input == 0.5
    after = ui.window.controller.evaluation
    assert after is not before and after.costs.inference_as_of.isoformat() == today
    assert f"inference as of {today}" in ui.window.wizard.dashboard.footer.text()
    assert after.costs.approaches[PE].per_request < before.costs.approaches[PE].per_request
    assert not ui.window.undo_action.isEnabled()  # new prices are not an edit of the plan


def test_a_failed_update_names_the_problem_and_keeps_the_prices(
        ui: Any, serve: Any, dialog_log: Any) -> None:
    server = serve(500, b'{"error": "down"}')
    before = default_catalog().as_of
    evaluation = ui.window.controller.evaluation
    ui.window.prices.update_action.trigger()
    wait_for_fetch(ui.qtbot)
    (_, title, message) = dialog_log.of("error")[-1]
    assert title == "Update Inference Prices"
    assert "500" in message and server.url in message and "unchanged" in message
    assert default_catalog().as_of == before
    assert ui.window.controller.evaluation is evaluation
    assert not price_update.fetched_path().exists()


def test_cancelling_an_update_changes_nothing(ui: Any, serve: Any, dialog_log: Any) -> None:
    server = serve(200, json.dumps(PUBLISHED).encode(), delay=0.5)
    before = default_catalog().inference("gpt-5.4-mini").input
    evaluation = ui.window.controller.evaluation
    fetch = ui.window.prices.update_prices()
    assert fetch is not None
    ui.qtbot.waitUntil(lambda: server.requests == 1, timeout=10_000)
    fetch.cancel()  # while the server is still answering
    wait_for_fetch(ui.qtbot)
    assert "cancelled; prices are unchanged" in ui.window.statusBar().currentMessage()
    assert "error" not in dialog_log.names()
    assert default_catalog().inference("gpt-5.4-mini").input == before
    assert ui.window.controller.evaluation is evaluation
    assert not price_update.fetched_path().exists()


def newer_catalogue(tmp_path: Path, as_of: str = "2026-12-15") -> Path:
    document = json.loads(bundled_path().read_text(encoding="utf-8"))
    document["as_of"] = as_of
    path = tmp_path / "offerings-newer.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_install_a_catalogue_then_go_back_to_the_bundled_data(
        ui: Any, dialog_log: Any, tmp_path: Path) -> None:
    dialog_log.open_name = newer_catalogue(tmp_path)
    ui.window.prices.install_action.trigger()
    assert "error" not in dialog_log.names()
    assert default_catalog().market.installed
    assert "2026-12-15" in ui.window.statusBar().currentMessage()
    footer = ui.window.wizard.dashboard.footer.text()
    assert "fine-tuning offerings as of 2026-12-15" in footer
    assert ui.window.controller.evaluation.costs.offerings_as_of == date(2026, 12, 15)

    dialog_log.confirm = False  # asked, and said no: nothing changes
    ui.window.prices.bundled_action.trigger()
    assert default_catalog().market.installed
    dialog_log.confirm = True
    ui.window.prices.bundled_action.trigger()
    (_, _title, _question, informative, _action) = dialog_log.of("confirm")[-1]
    assert "2026-12-15" in informative
    assert not default_catalog().market.installed
    bundled = default_market().as_of.isoformat()
    assert f"fine-tuning offerings as of {bundled}" in ui.window.wizard.dashboard.footer.text()


@pytest.mark.parametrize(("text", "problem"), [
    ("{not json", "is not valid JSON"),
    ('{"as_of": "2026-12-15"}', "is not in the expected shape"),
])
def test_a_bad_catalogue_file_is_refused_plainly_and_changes_nothing(
        ui: Any, dialog_log: Any, tmp_path: Path, text: str, problem: str) -> None:
    bad = tmp_path / "bad-offerings.json"
    bad.write_text(text, encoding="utf-8")
    dialog_log.open_name = bad
    evaluation = ui.window.controller.evaluation
    ui.window.prices.install_action.trigger()
    (_, title, message) = dialog_log.of("error")[-1]
    assert title == "Install Offerings Catalogue"
    assert "bad-offerings.json" in message and problem in message
    assert not default_catalog().market.installed
    assert ui.window.controller.evaluation is evaluation


def test_show_offerings_opens_the_catalogue_on_the_plans_start(
        ui: Any, dialog_log: Any) -> None:
    ui.type(Attr("costs", "start_date"), "2027-03-01")
    ui.window.prices.show_action.trigger()
    (_, market, on) = dialog_log.of("show_offerings")[-1]
    assert market is default_catalog().market
    assert on == date(2027, 3, 1)
