"""Project files: round trips, atomic saves, migration and hostile input."""

from __future__ import annotations

import contextlib
import errno
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from tunewise.core import files, storage
from tunewise.core.project import (
    SCHEMA_VERSION,
    Answers,
    CostInputs,
    GpuPlan,
    Metadata,
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


def test_round_trip_keeps_every_field(tmp_path: Path, support_bot: Project) -> None:
    path = tmp_path / "plan.tunewise"
    save_project(support_bot, path)
    assert load_project(path) == support_bot


def test_saved_file_is_readable_json_with_format_and_version(tmp_path: Path) -> None:
    path = tmp_path / "plan.tunewise"
    save_project(Project(metadata=Metadata(name="Ωmega — Привет")), path)
    raw = path.read_bytes()
    doc = json.loads(raw)
    assert doc["format"] == "tunewise-project"
    assert doc["schema_version"] == SCHEMA_VERSION
    assert "Ωmega — Привет".encode() in raw  # written as UTF-8, not \u escapes
    assert raw.endswith(b"}\n")


def test_new_files_get_normal_permissions_and_old_files_keep_theirs(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.tunewise"
        save_project(Project(), fresh)
        assert fresh.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600
        shared = tmp_path / "shared.tunewise"
        save_project(Project(), shared)
        shared.chmod(0o660)
        save_project(Project(metadata=Metadata(name="again")), shared)
        assert shared.stat().st_mode & 0o777 == 0o660
    finally:
        os.umask(previous)


def test_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    save_project(Project(), tmp_path / "a.tunewise")
    save_project(Project(), tmp_path / "a.tunewise")
    assert [p.name for p in tmp_path.iterdir()] == ["a.tunewise"]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES])
def test_failed_write_keeps_old_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      code: int) -> None:
    path = tmp_path / "plan.tunewise"
    save_project(Project(metadata=Metadata(name="old")), path)
    before = path.read_bytes()

    def failing_fsync(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(storage.os, "fsync", failing_fsync)
    with pytest.raises(ProjectFileError) as caught:
        save_project(Project(metadata=Metadata(name="new")), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.tunewise"]
    expected = "disk is full" if code == errno.ENOSPC else "permission denied"
    assert expected in str(caught.value) and "plan.tunewise" in str(caught.value)


def test_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root ignores folder permissions, so the refusal to create the temporary file is simulated.
    path = tmp_path / "plan.tunewise"
    save_project(Project(), path)
    before = path.read_bytes()

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files, "_open_temporary", refuse)
    with pytest.raises(ProjectFileError, match="read-only"):
        save_project(Project(metadata=Metadata(name="new")), path)
    assert path.read_bytes() == before


def test_migrates_version_1(tmp_path: Path) -> None:
    project = load_project(DATA / "project-v1.tunewise")
    assert project.schema_version == SCHEMA_VERSION
    assert project.answers.few_shot_adequate == "no"
    assert project.costs.horizon_days == 540
    current = load_project(DATA / "project-v2.tunewise")
    assert project.answers == current.answers
    assert project.costs == current.costs


@pytest.mark.parametrize(("answer", "plan"), [
    ("local_16gb", {"access": "own", "gpu": "rtx-4080"}),
    ("hosted", {"access": "service", "gpu": None}),
    ("none", {"access": "none", "gpu": None}),
])
def test_version_4_gpu_answer_becomes_a_gpu_plan(answer: str, plan: dict[str, object]) -> None:
    doc = json.loads((DATA / "project-v4.tunewise").read_bytes())
    doc["answers"]["gpu_access"] = answer
    project = project_from_bytes(json.dumps(doc).encode())
    assert {"access": project.costs.gpu.access, "gpu": project.costs.gpu.gpu} == plan
    # The rest of the GPU plan takes its defaults: QLoRA at 2,048 tokens, batch 1.
    assert (project.costs.gpu.method, project.costs.gpu.seq_len) == ("qlora", 2048)


def test_version_4_gpu_answer_of_another_shape_is_named() -> None:
    doc = json.loads((DATA / "project-v4.tunewise").read_bytes())
    doc["answers"]["gpu_access"] = ["a", "list"]
    with pytest.raises(ProjectFileError, match=r"answers\.gpu_access: should be one of"):
        project_from_bytes(json.dumps(doc).encode())


def test_newer_version_is_refused_naming_both_versions(tmp_path: Path) -> None:
    doc = json.loads(project_to_bytes(Project()))
    doc["schema_version"] = 7
    path = tmp_path / "future.tunewise"
    path.write_text(json.dumps(doc))
    with pytest.raises(ProjectFileError, match=r"version 7.*format 5"):
        load_project(path)


HOSTILE: dict[str, bytes] = {
    "empty": b"",
    "whitespace": b"  \n ",
    "truncated": project_to_bytes(Project())[:150],
    "not json": b"hello, world",
    "binary": bytes(range(256)),
    "json array": b"[1, 2, 3]",
    "wrong format": b'{"format": "something-else", "schema_version": 2}',
    "no version": b'{"format": "tunewise-project"}',
    "NaN": b'{"format": "tunewise-project", "schema_version": 2, "costs": '
           b'{"requests_per_day": NaN}}',
    "Infinity": b'{"format": "tunewise-project", "schema_version": 2, "costs": '
                b'{"hourly_rate": Infinity}}',
    "1e999": b'{"format": "tunewise-project", "schema_version": 2, "costs": '
             b'{"hourly_rate": 1e999}}',
    "deep nesting": b'{"format": "tunewise-project", "schema_version": 2, "notes": '
                    + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "5000-digit integer": b'{"format": "tunewise-project", "schema_version": 2, "answers": '
                          b'{"example_count": ' + b"9" * 5000 + b"}}",
    "huge string": b'{"format": "tunewise-project", "schema_version": 2, "notes": "'
                   + b"x" * 20_000 + b'"}',
    "wrong type": b'{"format": "tunewise-project", "schema_version": 2, "answers": '
                  b'{"knowledge_gap": "maybe"}}',
    "unknown field": b'{"format": "tunewise-project", "schema_version": 2, "colour": "red"}',
    "negative": b'{"format": "tunewise-project", "schema_version": 2, "costs": '
                b'{"requests_per_day": -5}}',
    "lone surrogate": b'{"format": "tunewise-project", "schema_version": 2, "notes": "\\ud800"}',
    "newer version": b'{"format": "tunewise-project", "schema_version": 99}',
    "bool version": b'{"format": "tunewise-project", "schema_version": true}',
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_gives_project_file_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / "bad.tunewise"
    path.write_bytes(HOSTILE[name])
    with pytest.raises(ProjectFileError) as caught:
        load_project(path)
    message = str(caught.value)
    assert "'bad.tunewise'" in message
    assert "Traceback" not in message and len(message) < 600


def test_invalid_field_is_named() -> None:
    with pytest.raises(ProjectFileError, match=r"answers\.knowledge_gap"):
        project_from_bytes(HOSTILE["wrong type"])
    with pytest.raises(ProjectFileError, match=r"colour: is not a field Tunewise knows"):
        project_from_bytes(HOSTILE["unknown field"])
    with pytest.raises(ProjectFileError, match=r"costs\.requests_per_day"):
        project_from_bytes(HOSTILE["negative"])


def test_byte_order_mark_is_accepted() -> None:
    project = project_from_bytes(b"\xef\xbb\xbf" + project_to_bytes(Project()))
    assert project.format == "tunewise-project"


def test_oversize_file(tmp_path: Path) -> None:
    path = tmp_path / "big.tunewise"
    path.write_bytes(b" " * (MAX_FILE_BYTES + 10))
    with pytest.raises(ProjectFileError, match="at most 5 MB"):
        load_project(path)


@pytest.mark.parametrize("make", ["missing", "folder"])
def test_missing_file_and_folder(tmp_path: Path, make: str) -> None:
    path = tmp_path / "x.tunewise"
    if make == "folder":
        path.mkdir()
    with pytest.raises(ProjectFileError, match=r"x\.tunewise"):
        load_project(path)


def test_nan_is_never_written() -> None:
    project = Project()
    with pytest.raises(ValueError):
        project.costs.hourly_rate = float("nan")
    assert json.loads(project_to_bytes(project))["costs"]["hourly_rate"] == 100


# ---- property tests -------------------------------------------------------------------------

text = st.text(max_size=60)
answers = st.builds(
    Answers,
    few_shot_adequate=st.sampled_from(["yes", "no", "untested"]),
    few_shot_score=st.none() | st.floats(0, 1),
    quality_target=st.none() | st.floats(0.01, 1),
    knowledge_gap=st.booleans(),
    behavior_gap=st.booleans(),
    example_count=st.integers(0, 10_000_000),
    examples_high_quality=st.booleans(),
    style_voice=st.none() | st.booleans(),
    sign_notes=st.dictionaries(st.sampled_from(["style_voice", "small_dataset"]), text),
)
projects = st.builds(
    Project,
    metadata=st.builds(Metadata, name=text.filter(lambda s: s.strip() != ""), author=text),
    answers=answers,
    costs=st.builds(CostInputs, gpu=st.builds(
        GpuPlan, access=st.sampled_from(["service", "own", "rent", "none"]),
        gpu=st.none() | st.sampled_from(["rtx-4080", "a100-80gb"]),
        method=st.sampled_from(["full", "full-bf16", "lora", "qlora"]),
        seq_len=st.integers(128, 131_072), checkpointing=st.booleans())),
    notes=text,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(projects)
def test_round_trip_property(project: Project) -> None:
    assert project_from_bytes(project_to_bytes(project)) == project


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=30,
)


def _documents() -> st.SearchStrategy[bytes]:
    keys = st.sampled_from(["format", "schema_version", "metadata", "answers", "costs", "notes",
                            "name", "approaches", "example_count", "few_shot_adequate"])
    shaped = st.fixed_dictionaries(
        {"format": st.sampled_from(["tunewise-project", "x"]),
         "schema_version": st.sampled_from([1, 2, 3, "2", None])},
        optional={k: json_values for k in ["metadata", "answers", "costs", "notes"]},
    ) | st.dictionaries(keys, json_values, max_size=6)
    as_json = (shaped | json_values).map(lambda v: json.dumps(v).encode())
    return as_json | st.binary(max_size=300)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_loader_raises_nothing_but_project_file_error(raw: bytes) -> None:
    with contextlib.suppress(ProjectFileError):
        project_from_bytes(raw)


# ---- version 2 -> 3: one workload, open answers ---------------------------------------------

def _v2(costs: dict[str, object], answers: dict[str, object] | None = None) -> bytes:
    return json.dumps({"format": "tunewise-project", "schema_version": 2,
                       "answers": answers or {}, "costs": costs}).encode()


def test_v2_tokens_become_one_workload_with_overrides_where_they_differed() -> None:
    approaches = {
        "prompt_engineering": {"model": "gpt-4o", "user_input_tokens": 6000,
                               "output_tokens": 800},
        "rag": {"model": "gpt-4o-mini", "user_input_tokens": 400, "output_tokens": 800},
        "fine_tuning": {"model": "gpt-4o-mini", "user_input_tokens": 400,
                        "output_tokens": 800},
    }
    project = project_from_bytes(_v2({"approaches": approaches}))
    costs = project.costs
    assert (costs.workload.user_input_tokens, costs.workload.output_tokens) == (400, 800)
    assert costs.approaches["prompt_engineering"].user_input_tokens == 6000
    assert costs.approaches["rag"].user_input_tokens is None
    # Every approach is costed with the same tokens as under version 2, including the three
    # the file left out (version 2 gave them 200 in / 300 out).
    assert costs.user_input_tokens("prompt_engineering") == 6000
    assert costs.output_tokens("rag") == 800
    assert costs.user_input_tokens("all_three") == 200
    assert costs.output_tokens("all_three") == 300


def test_v2_missing_answers_keep_their_old_meaning() -> None:
    project = project_from_bytes(_v2({}, {"behavior_gap": True}))
    a = project.answers
    assert (a.few_shot_adequate, a.knowledge_gap, a.behavior_gap, a.example_count,
            a.examples_high_quality) == ("untested", False, True, 0, False)
