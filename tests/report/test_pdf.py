"""The planning report as a reader sees it: its pages, its words, its drawings, its bytes."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta, timezone

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tunewise.core.analyses import ANALYSES
from tunewise.core.evaluation import Evaluation, evaluate
from tunewise.core.project import Project
from tunewise.core.texts import APPROACH_LABELS, lower_label, money
from tunewise.report.charts import nice_ticks, short_money
from tunewise.report.pdf import build_report, write_report
from tunewise.report.sections import SECTION_TITLES
from tunewise.report.series import SERIES_STYLE
from tunewise.report.styles import default_paper

HOSTILE = '<b>R&D</b> <img src="/etc/passwd"/>'


def clock() -> datetime:
    return datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


def read(pdf: bytes) -> pypdf.PdfReader:
    assert pdf.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """All page text, whitespace runs folded to one space (wrapping moves line breaks)."""
    raw = " ".join(page.extract_text() for page in read(pdf).pages)
    return re.sub(r"\s+", " ", raw)


@pytest.fixture(scope="module")
def support_pdf() -> bytes:
    from tunewise.core.storage import load_project
    from tunewise.paths import example_project

    return build_report(load_project(example_project("support-bot")), paper="a4", clock=clock)


def test_report_holds_recommendation_and_every_section(support_pdf: bytes,
                                                       support_bot: Project) -> None:
    text = text_of(support_pdf)
    assessment = evaluate(support_bot).assessment
    assert assessment.headline in text
    assert "Support bot for Acme Cloud" in text
    assert "Dana Whitfield" in text
    assert "28 November 2026" in text
    for title in SECTION_TITLES:
        assert title in text, title
    # The 90% arithmetic of the experiment, and the user's own note on a sign.
    assert "72% ÷ 90% = 80%" in text
    assert "Brand team signed off a tone guide" in text


def test_page_count_footer_and_outline(support_pdf: bytes) -> None:
    reader = read(support_pdf)
    pages = len(reader.pages)
    assert 4 <= pages <= 13  # the GPU feasibility section takes two
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {pages}" in page.extract_text()
    top_level = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top_level[0] == "Support bot for Acme Cloud"
    # The registered analyses print after the costs (the support bot has a result for each).
    after_costs = SECTION_TITLES.index("Costs") + 1
    assert top_level[1:] == [*SECTION_TITLES[:after_costs], *(a.title for a in ANALYSES),
                             *SECTION_TITLES[after_costs:]]


def test_metadata(support_pdf: bytes, support_bot: Project) -> None:
    meta = read(support_pdf).metadata
    assert meta is not None
    assert meta.title == "Support bot for Acme Cloud: planning report"
    assert meta.author == "Dana Whitfield"
    headline = evaluate(support_bot, today=clock().date()).assessment.headline
    assert meta.subject == f"Recommendation: {headline}"
    assert meta["/CreationDate"] == "D:20261128093000+00'00'"


def test_cost_figures_match_the_cost_model(support_pdf: bytes, support_bot: Project) -> None:
    # The example's figures change with the catalogue; the point here is that the report
    # prints the cost model's own (hand-computed figures are in test_report_market.py).
    text = text_of(support_pdf)
    costs = evaluate(support_bot, today=clock().date()).costs
    for cost in costs.approaches.values():
        assert f"{cost.label} {cost.model} {money(cost.upfront)} {money(cost.per_request)} " \
               f"{money(cost.monthly)} {money(cost.total_at_horizon)}" in text, cost.label
    assert f"Plan starts {costs.start_date.isoformat()}" in text
    assert costs.offerings_as_of is not None and costs.inference_as_of is not None
    assert f"Inference prices as of {costs.inference_as_of.isoformat()}" in text
    assert f"Offerings catalogue of {costs.offerings_as_of.isoformat()}" in text
    assert "genai-prices" in text


def _image_xobjects(reader: pypdf.PdfReader) -> int:
    found = 0
    for page in reader.pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        if xobjects is None:
            continue
        for ref in xobjects.get_object().values():
            if ref.get_object().get("/Subtype") == "/Image":
                found += 1
    return found


def test_charts_are_vector_graphics(support_pdf: bytes, support_bot: Project) -> None:
    reader = read(support_pdf)
    assert _image_xobjects(reader) == 0
    # The chart's legend and axis are text in the page, not pixels.
    text = text_of(support_pdf)
    assert "Days from the start" in text
    # The recommended row's payback is drawn, the day the cost model gives.
    payback = evaluate(support_bot, today=clock().date()).assessment.payback
    if payback is not None and payback.day is not None:
        assert f"{APPROACH_LABELS[payback.approach]} pays back: day {payback.day:,.0f}" in text
    assert "Q4 200+ good examples?" in text  # a flowchart box


def test_same_input_same_bytes(support_bot: Project) -> None:
    first = build_report(support_bot, paper="a4", clock=clock)
    assert build_report(support_bot, paper="a4", clock=clock) == first
    later = build_report(support_bot, paper="a4", clock=lambda: clock() + timedelta(days=1))
    assert later != first
    assert "29 November 2026" in text_of(later)


def test_paper_sizes(support_bot: Project) -> None:
    a4 = read(build_report(support_bot, paper="a4", clock=clock)).pages[0].mediabox
    letter = read(build_report(support_bot, paper="letter", clock=clock)).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "en_US.UTF-8"}, "letter"),
    ({"LANG": "fr_CA.UTF-8"}, "letter"),
    ({"LANG": "es_MX"}, "letter"),
    ({"LANG": "fil_PH.UTF-8"}, "letter"),
    ({"LANG": "de_DE.UTF-8"}, "a4"),
    ({"LANG": "en_GB.UTF-8"}, "a4"),
    ({"LANG": "C.UTF-8"}, "a4"),
    ({}, "a4"),
    ({"LANG": "en_US.UTF-8", "LC_PAPER": "de_DE.UTF-8"}, "a4"),
    ({"LC_ALL": "en_US.UTF-8", "LC_PAPER": "de_DE.UTF-8"}, "letter"),
])
def test_default_paper_from_locale(environ: dict[str, str], expected: str) -> None:
    assert default_paper(environ) == expected


def test_paper_none_follows_the_locale(support_bot: Project,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LC_ALL", "LC_PAPER"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    page = read(build_report(support_bot, clock=clock)).pages[0]
    assert round(float(page.mediabox.width)) == 612


def test_hostile_and_unicode_text_prints_literally(support_bot: Project) -> None:
    project = support_bot.model_copy(deep=True)
    project.metadata.name = f"{HOSTILE} Ελληνικά Кириллица"
    project.metadata.author = "Zoë Ψάλτη & Жанна"
    project.answers.sign_notes = {"output_format": "Çà et là: <i>not italic</i> & more"}
    pdf = build_report(project, paper="a4", clock=clock)
    text = text_of(pdf)
    assert HOSTILE in text
    assert "Ελληνικά Кириллица" in text
    assert "Zoë Ψάλτη & Жанна" in text
    assert "Çà et là: <i>not italic</i> & more" in text
    reader = read(pdf)
    assert _image_xobjects(reader) == 0  # the <img> loaded nothing
    assert reader.metadata is not None and HOSTILE in (reader.metadata.title or "")


def test_long_unbroken_text_wraps_inside_the_page(support_bot: Project) -> None:
    project = support_bot.model_copy(deep=True)
    project.metadata.name = "N" * 200
    project.answers.sign_notes = {"style_voice": "https://example.com/" + "a" * 600}
    project.notes = "word " * 1500
    pdf = build_report(project, paper="letter", clock=clock)
    reader = read(pdf)
    assert len(reader.pages) >= 6
    # Every character of the long note made it onto a page (wrapped, not clipped).
    assert "a" * 600 in text_of(pdf).replace(" ", "")


def test_empty_optional_fields_still_build() -> None:
    pdf = build_report(Project(), paper="a4", clock=clock)
    text = text_of(pdf)
    assert "Untitled plan" in text
    assert "Revisit the problem definition" in text
    assert "Next steps" in text


def test_extreme_cost_inputs_still_build() -> None:
    for costs in ({"horizon_days": 1, "requests_per_day": 0},
                  {"horizon_days": 3650, "monthly_growth": -0.5},
                  {"horizon_days": 3650, "monthly_growth": 2.0, "requests_per_day": 1e8}):
        pdf = build_report(Project.model_validate({"costs": costs}), paper="a4", clock=clock)
        assert "Costs" in text_of(pdf)


def test_unknown_price_names_the_approach_and_still_builds(support_bot: Project) -> None:
    project = support_bot.model_copy(deep=True)
    rag = project.costs.approaches["rag"].model_copy(update={"model": "no-such-model-xyz"})
    project.costs.approaches["rag"] = rag
    text = text_of(build_report(project, paper="a4", clock=clock))
    assert "Retrieval (RAG) has no price" in text
    assert "no-such-model-xyz" in text
    costs = evaluate(project, strict=False, today=clock().date()).costs
    assert "rag" in costs.errors
    # The other approaches are still costed.
    assert money(costs.approaches["prompt_engineering"].total_at_horizon) in text


def test_write_report_writes_the_same_bytes(support_bot: Project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"old")
    write_report(support_bot, target, paper="a4", clock=clock)
    assert target.read_bytes() == build_report(support_bot, paper="a4", clock=clock)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]  # no temp file left


def test_clock_with_offset_sets_creation_date(support_bot: Project) -> None:
    berlin = timezone(timedelta(hours=1))
    pdf = build_report(support_bot, paper="a4",
                       clock=lambda: datetime(2026, 11, 28, 10, 30, tzinfo=berlin))
    assert read(pdf).metadata["/CreationDate"] == "D:20261128103000+01'00'"  # type: ignore[index]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=200).filter(lambda s: s.strip()),
       note=st.text(max_size=300))
def test_any_text_builds(name: str, note: str) -> None:
    project = Project.model_validate({"metadata": {"name": name, "author": note[:200]},
                                      "answers": {"sign_notes": {"latency": note}},
                                      "notes": note})
    assert read(build_report(project, paper="a4", clock=clock)).pages


def test_series_style_is_the_okabe_ito_table() -> None:
    assert [(a, s.colour, s.line) for a, s in SERIES_STYLE.items()] == [
        ("prompt_engineering", "#E69F00", "solid"),
        ("rag", "#56B4E9", "dashed"),
        ("fine_tuning", "#009E73", "solid"),
        ("fine_tuning+rag", "#0072B2", "dash-dot"),
        ("fine_tuning+prompt_engineering", "#D55E00", "dotted"),
        ("all_three", "#CC79A7", "long-dash"),
    ]
    assert SERIES_STYLE["fine_tuning"].width > SERIES_STYLE["prompt_engineering"].width


def taken_edges(evaluation: Evaluation) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in evaluation.assessment.diagram.edges if e.taken}


def test_flowchart_highlights_the_path_taken(support_bot: Project,
                                             policy_assistant: Project) -> None:
    assert taken_edges(evaluate(support_bot)) == {
        ("q1", "q2"), ("q2", "q3"), ("q3", "q4"), ("q4", "fine_tuning")}
    assert taken_edges(evaluate(policy_assistant)) == {("q1", "q2"), ("q2", "rag")}


def test_axis_helpers() -> None:
    assert nice_ticks(39_907.5) == [0, 10_000, 20_000, 30_000, 40_000]
    assert nice_ticks(1, 6, min_step=1) == [0, 1]
    assert short_money(12_500) == "$12.5k" and short_money(1_500_000) == "$1.5M"
    assert short_money(2.5e9) == "$2.5B" and short_money(3e20) == "$3\N{MULTIPLICATION SIGN}10²⁰"
    assert lower_label("Fine-tuning + RAG") == "fine-tuning + RAG"
    assert lower_label("RAG only") == "RAG only"
