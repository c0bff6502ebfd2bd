"""Project files are parsed strictly, migrate safely, and whatever loads saves and loads again.

Regression tests of issue 11, items 1, 9, 18 and 21.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tunewise.core.project import (
    MAX_PRICE_OVERRIDES,
    SIGNS_AGAINST,
    SIGNS_FOR,
    Answers,
    CostInputs,
    Metadata,
    PriceOverride,
    Project,
)
from tunewise.core.storage import (
    MAX_FILE_BYTES,
    ProjectFileError,
    load_project,
    project_from_bytes,
    project_to_bytes,
    save_project,
)


def _doc(**sections: Any) -> dict[str, Any]:
    doc = json.loads(project_to_bytes(Project()))
    for key, value in sections.items():
        doc[key] = value
    return doc


def _raw(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc).encode()


# ---- 1: whatever loads can be saved and loaded again ---------------------------------------

def test_a_plan_with_100000_price_overrides_is_refused_naming_the_field(tmp_path: Path) -> None:
    doc = _doc()
    doc["costs"]["price_overrides"] = {f"model-{i:06d}": {"input": 1.0} for i in range(100_000)}
    path = tmp_path / "huge.tunewise"
    path.write_bytes(_raw(doc))
    assert path.stat().st_size < MAX_FILE_BYTES  # small enough to read: the old loader took it
    with pytest.raises(ProjectFileError) as caught:
        load_project(path)
    assert f"costs.price_overrides: Dictionary should have at most {MAX_PRICE_OVERRIDES} items" \
        in str(caught.value)


# The widest text a field can hold, byte for byte: each character a control character that JSON
# writes as a six-byte escape, or a four-byte emoji.
WIDE = "\x01😀"


def _wide(length: int) -> str:
    return (WIDE * length)[:length]


def _largest_project() -> Project:
    price = 1234.5678901234567
    overrides = {
        f"m{i:02d}" + _wide(117): PriceOverride(**dict.fromkeys(PriceOverride.model_fields, price))
        for i in range(MAX_PRICE_OVERRIDES)
    }
    notes = {sign: _wide(10_000) for sign in (*SIGNS_FOR, *SIGNS_AGAINST)}
    return Project(
        metadata=Metadata(name="n" + _wide(199), author=_wide(200), use_case=_wide(10_000)),
        answers=Answers(sign_notes=notes),
        costs=CostInputs(price_overrides=overrides),
        notes=_wide(10_000),
    )


def test_the_largest_plan_the_schema_allows_saves_within_the_read_limit(tmp_path: Path) -> None:
    project = _largest_project()
    path = tmp_path / "largest.tunewise"
    save_project(project, path)
    size = path.stat().st_size
    assert size < MAX_FILE_BYTES / 4, size
    assert load_project(path) == project


def test_prices_left_to_the_catalog_are_not_written() -> None:
    project = Project(costs=CostInputs(price_overrides={"gpt-4o": PriceOverride(input=2.0)}))
    written = json.loads(project_to_bytes(project))
    assert written["costs"]["price_overrides"] == {"gpt-4o": {"input": 2.0}}
    assert project_from_bytes(project_to_bytes(project)) == project


near_limit_text = st.builds(
    lambda unit, cut: (unit * 10_000)[:10_000 - cut],
    st.text(alphabet=st.sampled_from(["\x01", "😀", "é", "a", "\n", '"', "\\"]), min_size=1,
            max_size=8),
    st.integers(0, 10))
model_names = st.text(alphabet=st.sampled_from(["\x02", "😀", "x", "-", ":"]), min_size=1,
                      max_size=120).filter(lambda s: s.strip() == s and s != "")
prices = st.none() | st.floats(0, 10_000, allow_nan=False)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    notes=near_limit_text,
    overrides=st.dictionaries(model_names, st.builds(PriceOverride, input=prices, output=prices,
                                                     training=prices),
                              min_size=MAX_PRICE_OVERRIDES - 2, max_size=MAX_PRICE_OVERRIDES),
    sign_notes=st.dictionaries(st.sampled_from([*SIGNS_FOR, *SIGNS_AGAINST]), near_limit_text,
                               max_size=3),
)
def test_round_trip_near_the_limits(notes: str, overrides: dict[str, PriceOverride],
                                    sign_notes: dict[str, str]) -> None:
    project = Project(notes=notes, answers=Answers(sign_notes=sign_notes),
                      costs=CostInputs(price_overrides=overrides))
    raw = project_to_bytes(project)
    assert len(raw) <= MAX_FILE_BYTES
    assert project_from_bytes(raw) == project


# ---- 21: strict parsing -----------------------------------------------------------------------

def test_a_key_given_twice_is_an_error_naming_it() -> None:
    raw = project_to_bytes(Project()).replace(b'"notes": ""',
                                              b'"notes": "first", "notes": "second"')
    with pytest.raises(ProjectFileError,
                       match=r"gives the key 'notes' twice in one object"):
        project_from_bytes(raw, "'plan.tunewise'")


@pytest.mark.parametrize(("section", "field", "value", "named"), [
    ("answers", "knowledge_gap", "false", r"answers\.knowledge_gap: Input should be a valid "
                                          r"boolean"),
    ("costs", "requests_per_day", True, r"costs\.requests_per_day: Input should be a valid "
                                        r"number"),
    ("costs", "hourly_rate", "100", r"costs\.hourly_rate: Input should be a valid number"),
    ("answers", "example_count", 12.0, r"answers\.example_count: Input should be a valid "
                                       r"integer"),
])
def test_values_of_the_wrong_json_type_are_errors_naming_the_field(
        section: str, field: str, value: object, named: str) -> None:
    doc = _doc()
    doc[section][field] = value
    with pytest.raises(ProjectFileError, match=named):
        project_from_bytes(_raw(doc))


def test_numbers_written_as_whole_numbers_still_load() -> None:
    doc = _doc()
    doc["costs"]["requests_per_day"] = 2500  # an integer where a decimal is allowed is exact
    assert project_from_bytes(_raw(doc)).costs.requests_per_day == 2500


# ---- 9: migrations check what they convert ----------------------------------------------------

@pytest.mark.parametrize("value", [[], {}, 3, [True]])
def test_version_1_with_a_strange_answer_gives_a_message(value: object) -> None:
    doc = {"format": "tunewise-project", "schema_version": 1,
           "answers": {"few_shot_adequate": value}}
    with pytest.raises(ProjectFileError,
                       match=r"answers\.few_shot_adequate: should be true, false or null"):
        project_from_bytes(_raw(doc), "'old.tunewise'")


strange = st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=5),
                       lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                       max_leaves=8)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(version=st.sampled_from([1, 2]), answers=strange, costs=strange,
       approach=strange, few_shot=strange, tokens=strange)
def test_old_files_of_any_shape_give_only_project_file_errors(
        version: int, answers: object, costs: object, approach: object, few_shot: object,
        tokens: object) -> None:
    shaped_costs = {"horizon": 30, "approaches": {"rag": approach,
                                                  "fine_tuning": {"model": "m",
                                                                  "user_input_tokens": tokens,
                                                                  "output_tokens": tokens}}}
    for doc in ({"format": "tunewise-project", "schema_version": version,
                 "answers": answers, "costs": costs},
                {"format": "tunewise-project", "schema_version": version,
                 "answers": {"few_shot_adequate": few_shot}, "costs": shaped_costs}):
        with contextlib.suppress(ProjectFileError):
            project_from_bytes(_raw(doc))


# ---- 18: what a message repeats from a file is quoted, escaped and short ----------------------

@pytest.mark.parametrize("key", ["a\nb\nc", "\x1b[31mred\x1b[0m", "k" * 1_000_000,
                                 "\u202eevil"])
def test_unknown_keys_are_echoed_on_one_safe_line(key: str) -> None:
    doc = _doc()
    doc["answers"][key] = 1
    with pytest.raises(ProjectFileError) as caught:
        project_from_bytes(_raw(doc), "'plan.tunewise'")
    message = str(caught.value)
    assert "\n" not in message and "\x1b" not in message and "\u202e" not in message
    assert len(message) < 300
    assert "is not a field Tunewise knows" in message
