"""The report with ranges and scenarios: the P10-P90 bands on the cost chart, the Uncertainty
section (chance table, conclusions, tornado) and the Scenarios section."""

from __future__ import annotations

import pytest
from reportlab.graphics.shapes import Line, Polygon, PolyLine, Rect, String

from tests.core.test_cli_uncertainty import HOURS, REQUESTS, ranged_plan
from tests.report.test_pdf import _image_xobjects, clock, read, text_of
from tunewise.core import scenarios, uncertainty
from tunewise.core.evaluation import evaluate
from tunewise.core.project import Project, Scenario
from tunewise.core.texts import APPROACH_LABELS, money, percent
from tunewise.core.uncertainty import Sensitivity
from tunewise.report.charts import cost_chart
from tunewise.report.pdf import build_report
from tunewise.report.series import SERIES_STYLE
from tunewise.report.uncertainty_section import tornado


@pytest.fixture(scope="module")
def plan() -> Project:
    return ranged_plan()


@pytest.fixture(scope="module")
def ranged_pdf(plan: Project) -> bytes:
    return build_report(plan, paper="a4", clock=clock)


def test_chance_table_prints_the_monte_carlo_s_figures(plan: Project, ranged_pdf: bytes) -> None:
    text = text_of(ranged_pdf)
    result = uncertainty.run(evaluate(plan, strict=False, today=clock().date()))
    section = text[text.index("Uncertainty 10,000 draws (PERT, seed 1)"):]
    for approach, q in result.total_at_horizon.items():
        chance = percent(result.cheapest_probability[approach])
        assert (f"{APPROACH_LABELS[approach]} {money(q.p10)} {money(q.p50)} {money(q.p90)} "
                f"{chance}") in section
    assert sum(result.cheapest_probability.values()) == pytest.approx(1.0)
    for sentence in result.sentences:  # break-even range, what could flip the cheapest
        assert sentence in section
    assert "earns back its extra upfront cost against prompt engineering" in section
    assert "Requests a day can change the cheapest approach" in section


def test_tornado_is_drawn_in_the_pdf_as_vector(ranged_pdf: bytes) -> None:
    text = text_of(ranged_pdf)
    tornado_part = text[text.index("What moves the gap most"):]
    # Labels on the left, widest swing first; the axis in dollars; the end values.
    assert tornado_part.index("Fine-tuning + prompting: engineering hours") \
        < tornado_part.index("Requests a day")
    assert "Fine-tuning + prompting minus fine-tuning, USD" in tornado_part
    assert "$2,000" in tornado_part and "4,000" in tornado_part and "30,000" in tornado_part
    assert "can change which approach is cheapest" in tornado_part
    assert _image_xobjects(read(ranged_pdf)) == 0


def test_scenario_table_rows(plan: Project, ranged_pdf: bytes) -> None:
    text = text_of(ranged_pdf)
    section = text[text.index("Scenarios Each scenario"):]
    comparison = scenarios.compare(plan, today=clock().date())
    assert "The plan as it stands as planned" in section
    assert "3x traffic If the launch goes well Requests a day: 30,000 (plan: 10,000)" in section
    assert "Quiet year Requests a day: 2,000 (plan: 10,000)" in section
    totals = section[section.index("Totals over 365 days"):]
    for row in comparison.rows:
        figures = " ".join(money(row.totals[a]) for a in row.totals)
        assert figures in totals, row.name
    # A quiet year makes prompting cheapest; the plan's cheapest is fine-tuning.
    assert comparison.rows[2].cheapest == "prompt_engineering"
    assert "Quiet year Requests a day: 2,000 (plan: 10,000) Fine-tuning, best combined as " \
           "fine-tuning + prompting Prompt engineering" in section


def test_chart_shades_the_bands_under_the_lines(plan: Project, ranged_pdf: bytes) -> None:
    assert "Days from the start; shaded: P10 to P90 of the draws" in text_of(ranged_pdf)
    evaluation = evaluate(plan, strict=False, today=clock().date())
    result = uncertainty.run(evaluation)
    drawing = cost_chart(evaluation.costs, 480, 260, bands=result.bands)
    shapes = drawing.contents
    bands = [i for i, s in enumerate(shapes) if isinstance(s, Polygon)]
    lines = [i for i, s in enumerate(shapes) if isinstance(s, PolyLine)
             and not isinstance(s, Polygon)]
    assert len(bands) == len(result.bands) == 6
    assert max(bands) < min(lines)  # every band under every line
    fine_tuning = shapes[bands[list(result.bands).index("fine_tuning")]]
    assert fine_tuning.fillColor.hexval().lower() == "0x" + SERIES_STYLE["fine_tuning"].colour[
        1:].lower()
    assert fine_tuning.fillOpacity < 0.5 and fine_tuning.strokeColor is None
    # Without bands the same chart has no polygons at all.
    plain = cost_chart(evaluation.costs, 480, 260)
    assert not any(isinstance(s, Polygon) for s in plain.contents)


def test_no_ranges_no_scenarios_no_sections(support_bot: Project) -> None:
    text = text_of(build_report(support_bot, paper="a4", clock=clock))
    assert "shaded: P10 to P90" not in text
    assert "What moves the gap most" not in text
    assert "Scenarios Each scenario" not in text


def test_scenarios_without_ranges_print_alone(support_bot: Project) -> None:
    data = support_bot.model_dump()
    data["scenarios"] = [Scenario(name="<b>Big & bold</b>", note="Line one\nline two",
                                  overrides={REQUESTS: 40_000}).model_dump()]
    text = text_of(build_report(Project.model_validate(data), paper="a4", clock=clock))
    assert "<b>Big & bold</b> Line one line two Requests a day: 40,000 (plan: 10,000)" in text
    assert "What moves the gap most" not in text


def test_tornado_bars_span_low_to_high_around_zero() -> None:
    rows = [Sensitivity(input=HOURS, label="Hours", low=20, high=80, diff_low=-500.0,
                        diff_high=4_900.0, swing=5_400.0, flips="fine_tuning"),
            Sensitivity(input=REQUESTS, label="Requests", low=4_000, high=30_000,
                        diff_low=1_900.0, diff_high=1_200.0, swing=700.0, flips=None)]
    drawing = tornado(rows, 480, "A minus B, USD")
    texts = [s.text for s in drawing.contents if isinstance(s, String)]
    assert texts.index("Hours") < texts.index("Requests")
    assert {"-$2,000", "$0", "$6,000"} <= set(texts)  # money() on the axis, zero in it
    bars = [s for s in drawing.contents if isinstance(s, Rect) and s.height == 12]
    assert len(bars) == 2
    # The first bar runs from the gap at 20 h (left of zero) to the gap at 80 h.
    zero = next(s for s in drawing.contents if isinstance(s, Line) and s.strokeDashArray)
    assert bars[0].x < zero.x1 < bars[0].x + bars[0].width
    # The second bar's high end is left of its low end: the figures say which is which.
    assert bars[1].x > zero.x1
    assert bars[0].width / bars[1].width == pytest.approx(5_400 / 700, rel=1e-6)

