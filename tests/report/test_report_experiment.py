"""The report's few-shot test section as a reader sees it (issue 14).

The support-bot plan gets a MeasuredFewShot built here with round figures (36 of 50 passed,
the Wilson interval worked out by hand below), so every number checked is one written in this
file; the text checked is what pypdf reads back.
"""

from __future__ import annotations

import io
import math
import re
from datetime import UTC, date, datetime

import pypdf

from tunewise.core.project import FewShotFailure, MeasuredFewShot, Project
from tunewise.core.storage import load_project
from tunewise.paths import example_project
from tunewise.report.experiment_section import TITLE
from tunewise.report.pdf import build_report

KEY = "sk-test-never-printed-0123456789"


def clock() -> datetime:
    return datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def wilson(passed: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    p = passed / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def measured(**changes: object) -> MeasuredFewShot:
    low, high = wilson(36, 50)
    base: dict[str, object] = {
        "score": 0.72, "low": low, "high": high, "n": 50, "passed": 36, "errors": 2,
        "scorer": "normalised", "model": "gpt-4o-mini", "endpoint_host": "api.example.test",
        "measured_on": date(2026, 11, 28), "cost_usd": 0.42, "few_shot": 20,
        "failing": [
            FewShotFailure(input="Where is my refund for order 7731?",
                           expected="Refunds arrive within 5 working days.",
                           output="I cannot help with orders."),
            FewShotFailure(input="word " * 390, expected="short", output="also short"),
        ],
    }
    base.update(changes)
    return MeasuredFewShot.model_validate(base)


def plan(target: float | None = 0.85, **changes: object) -> Project:
    project = load_project(example_project("support-bot"))
    project.answers.few_shot_measured = measured(**changes)
    project.answers.few_shot_model = "gpt-4o-mini"
    project.answers.quality_target = target
    return project


def test_the_section_says_what_ran_and_the_score_with_its_interval() -> None:
    low, high = wilson(36, 50)
    # By hand: p = 0.72, n = 50, z = 1.96 gives 0.5833 to 0.8253.
    assert (round(low, 3), round(high, 3)) == (0.583, 0.825)
    text = text_of(build_report(plan(), paper="a4", clock=clock))
    assert TITLE in text
    assert "72% (95% interval 58.3% to 82.5%, 36 of 50 passed)" in text
    assert "gpt-4o-mini" in text and "api.example.test" in text
    assert "Normalised match" in text
    assert "20 in the prompt" in text and "50 answered and scored" in text
    assert "2 requests failed" in text
    assert "28 November 2026" in text
    assert "$0.42" in text
    # The failing examples, the first in full, the long one cut.
    assert "Where is my refund for order 7731?" in text
    assert "Refunds arrive within 5 working days." in text
    assert "I cannot help with orders." in text
    assert "word word" in text and "…" in text


def test_the_line_is_named_from_the_target_or_its_absence_said() -> None:
    with_target = text_of(build_report(plan(0.85), paper="a4", clock=clock))
    without = text_of(build_report(plan(None), paper="a4", clock=clock))
    assert "No quality target is set" in without
    assert "No quality target is set" not in with_target
    # By hand: 90% of an 85% target is 76.5%, inside 58.3% to 82.5%.
    assert "90% of the 85% target: 76.5%" in with_target
    assert "90% of the" not in without


def test_a_plan_without_a_measured_score_prints_no_section() -> None:
    project = load_project(example_project("support-bot"))
    assert project.answers.few_shot_measured is None
    assert TITLE not in text_of(build_report(project, paper="a4", clock=clock))


def test_no_failing_examples_and_an_unknown_price_are_said() -> None:
    text = text_of(build_report(plan(failing=[], cost_usd=None, errors=0), paper="a4",
                                clock=clock))
    assert "No failing examples were kept" in text
    assert "the model has no price in the catalogue" in text
    assert KEY not in text
