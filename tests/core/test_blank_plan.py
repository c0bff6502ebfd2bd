"""A blank plan is blank: unanswered questions stay open, and the verdict says so."""

from __future__ import annotations

from tests.core.helpers import project_with
from tunewise.core.decision import assess
from tunewise.core.evaluation import evaluate, to_json
from tunewise.core.project import Project


def test_a_new_plan_asks_for_answers_instead_of_deciding() -> None:
    a = assess(Project())
    assert a.approach == "answer_questions"
    assert a.headline == "None yet — answer Q1–Q4 to get a recommendation"
    assert a.confidence == "low"
    assert a.confidence_reasons == [
        "Q1–Q4 are not answered yet, so there is no verdict to be sure of."]
    assert a.path == []
    assert [q.state for q in a.diagram.questions] == ["unanswered"] * 4
    assert [q.shown for q in a.diagram.questions] == ["?"] * 4
    assert not any(e.taken for e in a.diagram.edges)
    assert a.recommended_row is None
    assert a.what_would_change == []
    assert a.present_signals_against() == []


def test_the_verdict_names_the_questions_still_open() -> None:
    a = assess(project_with(few_shot_adequate="no", example_count=500,
                            examples_high_quality=True))
    assert a.headline == "None yet — answer Q2 and Q3 to get a recommendation"
    assert a.stopped_at == "q2"
    assert [q.state for q in a.diagram.questions] == [
        "answered", "unanswered", "unanswered", "not_reached"]


def test_not_tried_is_an_answer_drawn_as_a_guess() -> None:
    a = assess(project_with(few_shot_adequate="untested", knowledge_gap=True))
    assert a.approach == "rag"
    q1 = a.diagram.questions[0]
    assert (q1.state, q1.shown) == ("answered", "not tried")
    spine = next(e for e in a.diagram.edges if e.source == "q1" and not e.side)
    assert spine.taken and spine.tentative
    assert a.confidence != "high"


def test_confidence_is_never_high_with_open_questions() -> None:
    for answers in ({}, {"few_shot_adequate": "no"},
                    {"few_shot_adequate": "no", "knowledge_gap": False}):
        assert assess(project_with(**answers)).confidence == "low"


def test_json_says_the_plan_is_waiting_for_answers() -> None:
    doc = to_json(evaluate(Project(), strict=False))
    assert doc["approach"] == "answer_questions"
    assert doc["recommended_row"] is None
