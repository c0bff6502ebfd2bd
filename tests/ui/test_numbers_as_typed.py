"""Numbers the user never typed: what a field shows, what the plan holds, what the results use.

Each of the four cases found by trying the app as a newcomer, in an English and a German locale:
a refused text never changes the plan (not even an accepted prefix typed on the way), the field
keeps the user's text with the reason and "Not applied", and the results say an input is not
applied. Figures expected from the cost model are worked out by hand here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QToolButton

from tests.ui.conftest import DialogLog, Driver
from tunewise.core.fieldpath import Attr
from tunewise.ui.numbers import NumberKind, ParseError, format_number, parse_number

REQUESTS = Attr("costs", "requests_per_day")
HORIZON = Attr("costs", "horizon_days")
RATE = Attr("costs", "hourly_rate")
SCORE = Attr("answers", "few_shot_score")
TARGET = Attr("answers", "quality_target")
FEW_SHOT = Attr("answers", "few_shot_adequate")

# Prompt engineering's default build is 16 engineering hours, paid at the hourly rate on day 0.
PE_HOURS = 16


@pytest.fixture(params=["en_US", "de_DE"])
def user_locale(request: pytest.FixtureRequest) -> Iterator[str]:
    before = QLocale()
    QLocale.setDefault(QLocale(request.param))
    yield str(request.param)
    QLocale.setDefault(before)


@pytest.fixture
def app(user_locale: str, qtbot: Any, settings: Any, dialog_log: DialogLog) -> Driver:
    """The main window, built after the locale is set (as at a real start)."""
    from tunewise.ui.mainwindow import MainWindow

    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return Driver(qtbot, win)


def in_locale(locale: str, en: str, de: str) -> str:
    return en if locale == "en_US" else de


def plan(app: Driver) -> Any:
    return app.window.controller.project


def evaluation(app: Driver) -> Any:
    return app.window.controller.evaluation


def verdict(app: Driver) -> str:
    return str(app.window.verdict.text())


def dashboard_notice(app: Driver) -> Any:
    return app.window.wizard.dashboard.not_applied


def test_numbers_are_shown_in_the_users_locale(app: Driver, user_locale: str) -> None:
    assert app.field(REQUESTS).line.text() == in_locale(user_locale, "10,000", "10.000")
    app.type(REQUESTS, in_locale(user_locale, "2,500.5", "2.500,5"))
    assert plan(app).costs.requests_per_day == 2500.5
    assert evaluation(app).costs.requests[1] == 2500.5  # day 1, before any growth
    app.type(Attr("costs", "monthly_growth"), in_locale(user_locale, "0.05", "0,05"))
    assert plan(app).costs.monthly_growth == 0.05


def test_50k_requests_a_day_is_fifty_thousand_never_fifty(app: Driver, user_locale: str) -> None:
    requests = app.type(REQUESTS, "50k")
    assert not requests.error.isVisible()
    assert plan(app).costs.requests_per_day == 50_000
    assert evaluation(app).costs.requests[1] == 50_000
    # Once the user leaves the field it shows the number it was taken as.
    assert requests.line.text() == in_locale(user_locale, "50,000", "50.000")
    app.type(REQUESTS, "2M")
    assert plan(app).costs.requests_per_day == 2_000_000


def test_a_suffix_where_none_is_allowed_is_refused(app: Driver, user_locale: str) -> None:
    horizon = app.type(HORIZON, "5k")
    assert horizon.line.text() == "5k"
    assert horizon.error.text() == ("Horizon takes the number in full, without “k” or “M”. "
                                    "Not applied: the plan keeps 365 days.")
    assert plan(app).costs.horizon_days == 365


def test_150_percent_score_is_refused_and_the_verdict_stays(app: Driver, user_locale: str
                                                             ) -> None:
    app.choose(FEW_SHOT, "No, it falls short")
    app.type(TARGET, in_locale(user_locale, "0.8", "0,8"))
    assert plan(app).answers.quality_target == 0.8
    headline = app.headline()
    score = app.type(SCORE, "150%")
    assert score.line.text() == "150%"
    assert score.error.isVisible()
    assert score.error.text() == ("Experiment score must be between 0 and 1 (0% to 100%). "
                                  "Not applied: the plan leaves it empty.")
    # "1" and "15" were typed on the way; the first was valid, and still nothing stays.
    assert plan(app).answers.few_shot_score is None
    assert app.headline() == headline
    assert "Not applied: Experiment score." in verdict(app)
    notice = dashboard_notice(app)
    assert notice.isVisibleTo(app.window.wizard.dashboard)
    assert notice.text() == ("Not applied: Experiment score. "
                             "The results use its last accepted value.")

    app.type_into(score, "60%")
    assert plan(app).answers.few_shot_score == 0.6
    assert not score.error.isVisible()
    assert "Not applied" not in verdict(app)
    assert not notice.isVisibleTo(app.window.wizard.dashboard)
    # What the refused text would have done had it been taken as 100%: the verdict flips.
    assert app.headline() != "Recommendation: Prompt engineering"
    app.type_into(score, "100%")
    assert app.headline() == "Recommendation: Prompt engineering"


def test_horizon_5000_is_refused_and_365_days_are_charted(app: Driver, user_locale: str) -> None:
    horizon = app.type(HORIZON, "5000")
    assert horizon.line.text() == "5000"
    assert horizon.error.text() == in_locale(
        user_locale,
        "Horizon must be between 1 and 3,650 days. Not applied: the plan keeps 365 days.",
        "Horizon must be between 1 and 3.650 days. Not applied: the plan keeps 365 days.")
    assert plan(app).costs.horizon_days == 365
    x, _ = app.window.wizard.dashboard.chart.series("prompt_engineering")
    assert x[-1] == 365
    assert "Not applied: Horizon." in verdict(app)
    # Nothing of the refused run is left to undo.
    assert not app.window.undo_action.isEnabled()
    assert not app.window.isWindowModified()


def test_hourly_rate_92_50_is_never_9250(app: Driver, user_locale: str) -> None:
    rate = app.type(RATE, "92,50")
    upfront = evaluation(app).costs.approaches["prompt_engineering"].upfront
    assert rate.line.text() == "92,50"
    if user_locale == "en_US":
        # A comma groups thousands here, and "92,50" groups nothing: refused, not $9,250.
        assert rate.error.text() == ("Hourly rate needs a number written like 1,500 or 0.25. "
                                     "Not applied: the plan keeps 100 USD / hour.")
        assert plan(app).costs.hourly_rate == 100
        assert upfront == PE_HOURS * 100  # $1,600
        assert "Not applied: Hourly rate." in verdict(app)
    else:
        # In German the comma is the decimal point: 92.50 an hour.
        assert not rate.error.isVisible()
        assert plan(app).costs.hourly_rate == 92.5
        assert upfront == pytest.approx(PE_HOURS * 92.5)  # $1,480
        assert "Not applied" not in verdict(app)


def test_a_refused_field_after_an_accepted_one_keeps_that_value(app: Driver) -> None:
    """What the user accepted by leaving the field stays; only the refused run is taken back."""
    horizon = app.type(HORIZON, "500")
    assert plan(app).costs.horizon_days == 500
    app.type_into(horizon, "5000")
    assert plan(app).costs.horizon_days == 500
    assert horizon.error.text().endswith("Not applied: the plan keeps 500 days.")
    app.window.undo_action.trigger()  # the 500 the user did enter
    assert plan(app).costs.horizon_days == 365
    assert horizon.line.text() == "365"
    assert not horizon.error.isVisible()
    assert "Not applied" not in verdict(app)


def test_two_fields_not_applied_are_both_named(app: Driver) -> None:
    app.type(HORIZON, "0")
    app.type(REQUESTS, "lots")
    assert dashboard_notice(app).text() == (
        "Not applied: Horizon, Requests per day. The results use their last accepted values.")
    app.window.new_project()  # a fresh plan has nothing refused
    assert app.window.controller.not_applied() == ()
    assert "Not applied" not in verdict(app)


@pytest.mark.parametrize(("locale", "text", "kind", "expected"), [
    ("en_US", "1,500", NumberKind(), 1500.0),
    ("en_US", "1,500.25", NumberKind(), 1500.25),
    ("en_US", "92,50", NumberKind(), None),
    ("en_US", "1.500,5", NumberKind(), None),
    ("en_US", "7%", NumberKind(percent=True), 0.07),
    ("en_US", "150%", NumberKind(percent=True), 1.5),  # the model then refuses it, in words
    ("en_US", "15%", NumberKind(), None),
    ("en_US", "0.3k", NumberKind(suffixes=True, integer=True), 300),
    ("en_US", "1.5M", NumberKind(suffixes=True), 1_500_000.0),
    ("en_US", "50k", NumberKind(), None),
    ("en_US", "5m", NumberKind(suffixes=True), None),  # milli? never guessed
    ("en_US", "2.5", NumberKind(integer=True), None),
    ("en_US", "$90", NumberKind(money=True), 90.0),
    ("en_US", "$90", NumberKind(), None),
    ("de_DE", "92,50", NumberKind(), 92.5),
    ("de_DE", "1.500", NumberKind(), 1500.0),
    ("de_DE", "0.25", NumberKind(), None),
    ("de_DE", "50 k", NumberKind(suffixes=True, integer=True), 50_000),
    ("de_DE", "12,5 %", NumberKind(percent=True), 0.125),
    ("fr_FR", "1 500,5", NumberKind(), 1500.5),  # a plain space where French groups with U+202F
    ("fr_FR", "1\u202f500", NumberKind(), 1500.0),
])
def test_parsing_is_exact_or_refused(locale: str, text: str, kind: NumberKind,
                                     expected: float | None) -> None:
    loc = QLocale(locale)
    if expected is None:
        with pytest.raises(ParseError):
            parse_number(text, kind, "Field", loc)
    else:
        value = parse_number(text, kind, "Field", loc)
        assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(("locale", "value", "integer", "text"), [
    ("en_US", 1_234_567, True, "1,234,567"),
    ("de_DE", 1_234_567, True, "1.234.567"),
    ("en_US", 0.05, False, "0.05"),
    ("de_DE", 0.05, False, "0,05"),
    ("de_DE", 2500.5, False, "2.500,5"),
    ("en_US", 10_000.0, False, "10,000"),
    ("en_US", None, False, ""),
])
def test_numbers_read_back_as_typed(locale: str, value: float | None, integer: bool,
                                    text: str) -> None:
    loc = QLocale(locale)
    assert format_number(value, integer, loc) == text
    if value is not None:
        assert parse_number(text, NumberKind(integer=integer), "Field", loc) == value


def test_refused_text_is_drawn_in_the_error_colour_until_the_plan_takes_a_value(
        app: Driver) -> None:
    horizon = app.type(HORIZON, "5000")
    rate = app.field(RATE)
    normal = rate.line.palette().color(QPalette.ColorRole.Text)
    assert horizon.line.palette().color(QPalette.ColorRole.Text) != normal
    assert "Not applied" in horizon.line.accessibleDescription()
    # The dashboard's "1 year" button sets the 365 days the plan already holds.
    app.window.wizard.show_page("results")
    one_year = next(b for b in app.window.wizard.dashboard.findChildren(QToolButton)
                    if b.text().replace("&", "") == "1 year")
    app.qtbot.mouseClick(one_year, Qt.MouseButton.LeftButton)
    assert horizon.line.text() == "365"
    assert not horizon.error.isVisibleTo(app.window)
    assert horizon.line.palette().color(QPalette.ColorRole.Text) == normal
    assert "Not applied" not in verdict(app)
