"""Each scorer passes and fails what a user would expect; bad options are plain ValueErrors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.chat_server import ChatServer
from tunewise.core.experiment.client import ChatClient
from tunewise.core.experiment.model import SCORERS
from tunewise.core.experiment.scorers import ScoreError, make_scorer, verdict


def check(scorer: str, expected: str, output: str, **options: object) -> bool:
    return make_scorer(scorer, options)("the input", expected, output)


def test_exact_trims_only() -> None:
    assert check("exact", "Paris", "  Paris\n")
    assert not check("exact", "Paris", "paris")


def test_normalised_ignores_case_spaces_and_punctuation() -> None:
    assert check("normalised", "Paris, France.", "  paris   FRANCE ")
    assert check("normalised", "«Ça va?»", "ça va")
    assert not check("normalised", "Paris", "Lyon")


def test_contains() -> None:
    assert check("contains", "refund", "You get a REFUND within 5 days.")
    assert not check("contains", "refund", "You get a REFUND.", case_sensitive="true")
    assert not check("contains", "refund", "No money back.")


def test_regex() -> None:
    assert check("regex", "", "Order #12345 shipped", pattern=r"#\d{5}\b")
    assert not check("regex", "", "Order #123 shipped", pattern=r"#\d{5}\b")
    assert check("regex", "", " YES ", pattern="yes", full="true", ignore_case="true")
    assert not check("regex", "", "yes sir", pattern="yes", full="true")


def test_numeric_takes_the_first_number_within_a_tolerance() -> None:
    assert check("numeric", "42", "The answer is 42.0 units, not 7")
    assert check("numeric", "1,234.5", "about 1234.4", tolerance="0.1")
    assert not check("numeric", "1,234.5", "about 1234.3", tolerance="0.1")
    assert check("numeric", "200", "210", relative="0.05")
    assert not check("numeric", "-3", "3")
    assert not check("numeric", "3", "three")
    with pytest.raises(ScoreError, match="no number"):
        check("numeric", "n/a", "3")


def test_json_valid_accepts_a_fenced_answer() -> None:
    assert check("json_valid", "", '{"a": 1}')
    assert check("json_valid", "", '```json\n{"a": 1}\n```')
    assert not check("json_valid", "", "{a: 1}")


def test_json_schema_from_a_dict_or_a_file(tmp_path: Path) -> None:
    schema = {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}, "age": {"type": "integer"}}}
    assert check("json_schema", "", '{"name": "Ann", "age": 3}', schema=schema)
    assert not check("json_schema", "", '{"age": 3}', schema=schema)
    assert not check("json_schema", "", "not json", schema=schema)
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    assert not check("json_schema", "", '{"name": 5}', schema=str(path))
    with pytest.raises(ValueError, match="not a valid JSON Schema"):
        make_scorer("json_schema", {"schema": {"type": "no such type"}})
    with pytest.raises(ValueError, match="cannot be read"):
        make_scorer("json_schema", {"schema": str(tmp_path / "missing.json")})


def test_json_fields_match_field_by_field() -> None:
    expected = '{"intent": "refund", "priority": 2}'
    assert check("json_fields", expected, '{"priority": 2, "intent": "refund", "extra": 1}')
    assert not check("json_fields", expected, '{"intent": "refund", "priority": 3}')
    assert not check("json_fields", expected, '{"intent": "refund"}')
    assert not check("json_fields", expected, "[1, 2]")
    assert check("json_fields", expected, '{"intent": "refund", "priority": 9}', fields="intent")
    with pytest.raises(ScoreError, match="not a JSON object"):
        check("json_fields", "[1]", "[1]")


def test_judge_passes_on_a_clear_pass_and_its_own_failures_are_errors() -> None:
    def grade(messages: list[dict[str, str]]) -> str:
        text = messages[-1]["content"]
        if "Answer to grade:\nunclear" in text:
            return "Maybe?"
        return "PASS - same fact" if "Answer to grade:\nParis" in text else "FAIL\nwrong city"

    with ChatServer(responder=grade) as judge_server, ChatClient(judge_server.base_url) as judge:
        score = make_scorer("judge", {"rubric": "Same city."}, judge_client=judge,
                            judge_model="judge-model")
        assert score("Capital of France?", "Paris", "Paris")
        assert not score("Capital of France?", "Paris", "Lyon")
        with pytest.raises(ScoreError, match="no clear PASS"):
            score("Capital of France?", "Paris", "unclear")
        judge_server.fail("Rubric: Same city.\n\nInput:\nQ\n\nExpected answer:\nP\n\nAnswer to "
                          "grade:\nP\n\nPASS or FAIL?", "malformed")
        with pytest.raises(ScoreError, match="the judge failed"):
            score("Q", "P", "P")
    assert judge_server.bodies[0]["model"] == "judge-model"
    assert "Same city." in judge_server.bodies[0]["messages"][-1]["content"]
    assert verdict("**PASS**") and not verdict("fail: no")
    with pytest.raises(ScoreError):
        verdict("PASS or FAIL, hard to say")


@pytest.mark.parametrize(("scorer", "options", "message"), [
    ("exact", {"pattern": "x"}, "does not take pattern"),
    ("regex", {}, "needs a pattern"),
    ("regex", {"pattern": "("}, "not valid"),
    ("numeric", {"tolerance": "lots"}, "is a number"),
    ("numeric", {"tolerance": "-1"}, "at least 0"),
    ("contains", {"case_sensitive": "maybe"}, "true or false"),
    ("json_schema", {}, "needs a schema"),
    ("json_schema", {"schema": "[1]"}, "JSON Schema object"),
    ("nonsense", {}, "unknown scorer"),
])
def test_bad_options_say_what_is_wrong(scorer: str, options: dict[str, object],
                                       message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_scorer(scorer, options)


def test_every_scorer_id_has_a_scorer() -> None:
    needs = {"regex": {"pattern": "x"}, "json_schema": {"schema": {"type": "object"}}}
    for scorer in SCORERS:
        assert callable(make_scorer(scorer, needs.get(scorer, {}), judge_model="m"))
