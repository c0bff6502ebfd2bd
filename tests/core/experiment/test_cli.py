"""`tunewise experiment run`: the estimate first, the JSON, Q1 recorded, exit 2 with one line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.chat_server import ChatServer
from tests.core.experiment.helpers import KEY, MODEL, answers, qa_dataset
from tunewise.__main__ import PRESET_CHOICES, SCORER_CHOICES, main
from tunewise.core.experiment.client import PRESETS
from tunewise.core.experiment.model import SCORERS
from tunewise.core.storage import load_project
from tunewise.paths import example_project


def run(*args: str) -> int:
    try:
        return main(["experiment", "run", *args])
    except SystemExit as stopped:  # argparse's refusals
        return int(stopped.code or 0)


def test_choices_match_the_core() -> None:
    assert SCORER_CHOICES == SCORERS
    assert tuple(PRESETS) == PRESET_CHOICES


def test_json_and_the_plan_gets_the_measured_score(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUNEWISE_API_KEY", KEY)
    dataset = qa_dataset(tmp_path)
    plan = tmp_path / "plan.tunewise"
    shutil.copy(example_project("support-bot"), plan)
    with ChatServer(answers()) as server:
        code = run("--dataset", str(dataset), "--base-url", server.base_url, "--model", MODEL,
                   "--seed", "7", "--project", str(plan), "--json")
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err.startswith("Estimated: 50 requests")
    doc = json.loads(out)
    for key in ("n", "passed", "score", "ci95", "errors", "tokens", "cost_usd", "latency_ms",
                "model", "few_shot"):
        assert key in doc
    assert doc["n"] == 50 and doc["tokens"] == {"input": 50_000, "output": 500}
    assert set(doc["latency_ms"]) == {"p50", "p95"} and len(doc["ci95"]) == 2
    assert server.authorizations[0] == f"Bearer {KEY}"
    measured = load_project(plan).answers.few_shot_measured
    assert measured is not None and (measured.n, measured.passed) == (50, doc["passed"])
    assert load_project(plan).answers.few_shot_model == MODEL
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_text_output_prints_the_estimate_then_the_score(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = qa_dataset(tmp_path)
    with ChatServer(answers()) as server:
        assert run("--dataset", str(dataset), "--base-url", server.base_url, "--model", MODEL,
                   "--seed", "7", "--held-out", "10", "--max-cost", "1") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Estimated: 10 requests")
    assert lines[2].startswith("Score: ") and "of 10 passed" in lines[2]


def one_line_exit(capsys: pytest.CaptureFixture[str], code: int) -> str:
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("tunewise: ") and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(("args", "words"), [
    (["--preset", "azure", "--model", "m"], "resource's own URL"),
    (["--model", "m"], "--base-url URL or --preset NAME"),
    (["--base-url", "ftp://x", "--model", "m"], "http:// or https://"),
    (["--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--scorer", "regex"],
     "needs a pattern"),
    (["--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--scorer-option", "x"],
     "NAME=VALUE"),
    (["--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--held-out", "0"],
     "at least 1"),
    (["--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--max-cost", "-1"],
     "at least 0"),
    (["--base-url", "http://127.0.0.1:9/v1"], "--model"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            args: list[str], words: str) -> None:
    dataset = qa_dataset(tmp_path)
    code = run("--dataset", str(dataset), *args)
    assert words in one_line_exit(capsys, code)


def test_bad_key_unreachable_and_bad_dataset_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUNEWISE_API_KEY", KEY)
    dataset = qa_dataset(tmp_path)
    with ChatServer(status=403) as server:
        code = run("--dataset", str(dataset), "--base-url", server.base_url, "--model", MODEL)
    err = one_line_exit(capsys, code)
    assert f"127.0.0.1:{server.port} refused the API key" in err and KEY not in err
    code = run("--dataset", str(dataset), "--base-url", "http://127.0.0.1:9/v1", "--model",
               MODEL)
    assert "cannot reach 127.0.0.1:9" in one_line_exit(capsys, code)
    code = run("--dataset", str(tmp_path / "missing.jsonl"), "--base-url",
               "http://127.0.0.1:9/v1", "--model", MODEL)
    one_line_exit(capsys, code)
    (tmp_path / "small").mkdir()
    small = qa_dataset(tmp_path / "small", count=30)
    code = run("--dataset", str(small), "--base-url", "http://127.0.0.1:9/v1", "--model",
               MODEL)
    assert "need at least 70" in one_line_exit(capsys, code)


def test_every_request_failing_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = qa_dataset(tmp_path)
    with ChatServer(status=404) as server:
        code = run("--dataset", str(dataset), "--base-url", server.base_url, "--model", MODEL,
                   "--held-out", "5")
    assert "no held-out example was answered" in one_line_exit(capsys, code)
