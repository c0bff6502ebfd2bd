"""The few-shot run against a real server on 127.0.0.1: scores, money and nothing lost.

Figures are worked out by hand here: the server answers every third question wrongly and
reports 1,000 input and 10 output tokens a request; gpt-5.4-mini costs $0.75 and $4.50 per
1M tokens in the bundled price snapshot.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from tests.chat_server import ChatServer
from tests.conftest import REPO
from tests.core.experiment.helpers import KEY, MODEL, answers, qa_dataset
from tunewise.core.dataset.split import split
from tunewise.core.experiment import runner
from tunewise.core.experiment.client import AuthError, ChatClient
from tunewise.core.experiment.journal import ResultsFileError
from tunewise.core.experiment.runner import Tick, UnreachableError
from tunewise.core.stats import percentile, wilson


def held_out_questions(dataset: Path, tmp_path: Path, seed: int) -> list[str]:
    """The held-out questions as `dataset split` writes them: an independent path."""
    split(dataset, seed=seed, out_dir=tmp_path / "split", force=True)
    lines = (tmp_path / "split" / "held_out.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["messages"][0]["content"] for line in lines]


def right(question: str) -> bool:
    return int(question.split()[1].rstrip("?")) % 3 != 0


def test_score_interval_tokens_cost_and_one_request_each(tmp_path: Path) -> None:
    dataset = qa_dataset(tmp_path)
    asked = held_out_questions(dataset, tmp_path, seed=7)
    expected_passed = sum(right(q) for q in asked)
    with ChatServer(answers(), delay=0.01) as server:
        # Retries: two questions meet a 429 and a 500 before their answer.
        server.fail(asked[0], 429, 500)
        server.fail(asked[1], 503)
        with ChatClient(server.base_url, api_key=KEY, backoff=0.01) as client:
            result = runner.run(dataset, client=client, model=MODEL, seed=7,
                                results_path=tmp_path / "results.jsonl")
    assert len(asked) == 50 and result.n == 50 and result.errors == 0
    assert result.passed == expected_passed
    assert result.score == expected_passed / 50
    # Every held-out question, and no other, was answered exactly once; the retried ones
    # were asked 3 and 2 times but are counted once.
    assert set(server.answered) == set(asked) and set(server.answered.values()) == {1}
    assert server.requests[asked[0]] == 3 and server.requests[asked[1]] == 2
    assert server.max_in_flight <= 4
    # 50 answers x 1,000 and 10 tokens; 50,000 x $0.75 + 500 x $4.50 per 1M = $0.03975
    assert (result.input_tokens, result.output_tokens) == (50_000, 500)
    assert result.cost_usd == pytest.approx(0.03975, abs=1e-9)
    # The prompt: 20 few-shot pairs, then the held-out question; temperature 0.
    body = server.bodies[-1]
    assert len(body["messages"]) == 41 and body["temperature"] == 0.0
    assert [m["role"] for m in body["messages"][:2]] == ["user", "assistant"]


def test_wilson_interval_by_hand() -> None:
    # 36 of 50: p = 0.72, z^2/n = 3.8416/50 = 0.076832, centre = (0.72 + 0.038416) / 1.076832
    # = 0.704311; half = 1.96 sqrt(0.72 x 0.28 / 50 + 3.8416 / 10,000) / 1.076832
    # = 1.96 x 0.066454 / 1.076832 = 0.120958
    low, high = wilson(36, 50)
    assert low == pytest.approx(0.704311 - 0.120958, abs=1e-5)
    assert high == pytest.approx(0.704311 + 0.120958, abs=1e-5)
    assert wilson(0, 0) == (0.0, 1.0)
    assert wilson(50, 50)[1] == 1.0 and wilson(50, 50)[0] == pytest.approx(0.928652, abs=1e-5)


def test_latency_percentiles_interpolate_like_numpy() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 50) == 25.0  # halfway between 20 and 30
    assert percentile(values, 95) == pytest.approx(38.5)  # 30 + 0.85 x 10
    assert percentile([], 50) == 0.0


def test_errors_are_left_out_of_the_score(tmp_path: Path) -> None:
    dataset = qa_dataset(tmp_path)
    asked = held_out_questions(dataset, tmp_path, seed=7)
    with ChatServer(answers()) as server:
        server.fail(asked[2], "malformed")
        server.fail(asked[3], 500, 500)
        with ChatClient(server.base_url, backoff=0.01, max_attempts=2) as client:
            result = runner.run(dataset, client=client, model=MODEL, seed=7,
                                results_path=tmp_path / "r.jsonl")
    assert result.errors == 2 and result.n == 48
    assert result.passed == sum(right(q) for q in asked[:2] + asked[4:])
    failed = {e.input: e.error for e in result.examples if e.passed is None}
    assert "malformed" in (failed[asked[2]] or "")
    assert "HTTP 500 after 2 attempts" in (failed[asked[3]] or "")


def test_cancel_keeps_answers_and_the_next_run_resumes(tmp_path: Path) -> None:
    dataset = qa_dataset(tmp_path)
    results = tmp_path / "r.jsonl"
    cancel = threading.Event()
    ticks: list[Tick] = []

    def progress(tick: Tick) -> None:
        ticks.append(tick)
        if tick.done == 10:
            cancel.set()

    with ChatServer(answers(), delay=0.02) as server, ChatClient(server.base_url) as client:
        first = runner.run(dataset, client=client, model=MODEL, seed=7, concurrency=2,
                           results_path=results, progress=progress, cancel=cancel)
        assert first.cancelled and 10 <= len(first.examples) <= 12
        kept = len(first.examples)
        assert sum(server.requests.values()) == kept  # in-flight answers were kept too
        second = runner.run(dataset, client=client, model=MODEL, seed=7, concurrency=2,
                            results_path=results)
    assert not second.cancelled and second.n == 50
    assert set(server.requests.values()) == {1} and len(server.requests) == 50
    assert ticks[-1].total == 50 and ticks[-1].answered == ticks[-1].done
    assert second.started == first.started  # one run, in two sittings


def test_a_killed_run_resumes_without_asking_again(tmp_path: Path) -> None:
    dataset = qa_dataset(tmp_path)
    results = tmp_path / "r.jsonl"
    with ChatServer(answers(), delay=0.1) as server:
        env = {**os.environ, "PYTHONPATH": str(REPO / "desktop"), "TUNEWISE_API_KEY": KEY}
        child = subprocess.Popen(
            [sys.executable, "-m", "tunewise", "experiment", "run", "--dataset", str(dataset),
             "--base-url", server.base_url, "--model", MODEL, "--seed", "7",
             "--concurrency", "2", "--results", str(results)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if results.exists() and len(results.read_bytes().splitlines()) >= 9:
                break
            time.sleep(0.01)
        child.kill()
        child.wait(timeout=10)
        before = [json.loads(line)["example"]["input"]
                  for line in results.read_text(encoding="utf-8").splitlines()[1:]
                  if line.endswith("}")]
        assert 8 <= len(before) < 50
        with ChatClient(server.base_url, api_key=KEY) as client:
            result = runner.run(dataset, client=client, model=MODEL, seed=7, concurrency=2,
                                results_path=results)
    assert result.n == 50
    for question in before:
        assert server.requests[question] == 1  # kept before the kill: never asked again
    # Only what was in flight at the kill (at most 2) was asked twice.
    assert sum(server.requests.values()) <= 50 + 2


def test_max_cost_stops_before_a_request_would_pass_the_cap(tmp_path: Path) -> None:
    dataset = qa_dataset(tmp_path)
    guess = runner.estimate(dataset, model=MODEL, seed=7)
    # Each request is estimated at well under $0.0005, and really costs 1,000 x $0.75 +
    # 10 x $4.50 per 1M = $0.000795. After 5 answers $0.003975 is spent and the next would
    # pass $0.004; after 4 ($0.00318) the 5th still fits.
    assert all(0.00002 < usd < 0.0005 for usd in guess.per_request_usd)
    with ChatServer(answers()) as server, ChatClient(server.base_url) as client:
        result = runner.run(dataset, client=client, model=MODEL, seed=7, concurrency=1,
                            max_cost=0.004, results_path=tmp_path / "r.jsonl")
    assert result.stopped_at_cost_cap and result.max_cost_usd == 0.004
    assert len(result.examples) == 5 and sum(server.requests.values()) == 5
    assert result.cost_usd == pytest.approx(0.003975, abs=1e-9)
    assert result.to_json()["stopped_at_cost_cap"] is True


def test_estimate_adds_up_the_prompts(tmp_path: Path) -> None:
    dataset = qa_dataset(tmp_path)
    guess = runner.estimate(dataset, model=MODEL, seed=7)
    assert guess.requests == 50 and len(guess.per_request_usd) == 50
    # Each answer is "answer N": 3 o200k tokens ("answer", " ", "N"); 50 of them.
    assert guess.output_tokens == 150
    assert guess.cost_usd == pytest.approx(
        guess.input_tokens * 0.75 / 1e6 + guess.output_tokens * 4.5 / 1e6)
    unknown = runner.estimate(dataset, model="no-such-model-xyz", seed=7)
    assert unknown.cost_usd is None and "no price is known" in unknown.note


def test_refused_key_stops_the_run_and_keeps_nothing_secret(tmp_path: Path) -> None:
    dataset = qa_dataset(tmp_path)
    with ChatServer(status=401) as server, \
            ChatClient(server.base_url, api_key=KEY) as client, \
            pytest.raises(AuthError) as caught:
        runner.run(dataset, client=client, model=MODEL, seed=7, results_path=tmp_path / "r.jsonl")
    assert sum(server.requests.values()) <= 4  # the requests in flight, no more
    assert KEY not in str(caught.value)


def test_unreachable_endpoint_gives_up(tmp_path: Path) -> None:
    dataset = qa_dataset(tmp_path)
    with ChatClient("http://127.0.0.1:9/v1") as client, pytest.raises(UnreachableError):
        runner.run(dataset, client=client, model=MODEL, seed=7, results_path=tmp_path / "r.jsonl")


def test_results_file_of_other_settings_is_refused(tmp_path: Path) -> None:
    dataset = qa_dataset(tmp_path)
    results = tmp_path / "r.jsonl"
    with ChatServer(answers()) as server, ChatClient(server.base_url) as client:
        runner.run(dataset, client=client, model=MODEL, seed=7, held_out=3, results_path=results)
        with pytest.raises(ResultsFileError, match=r"other settings .*seed"):
            runner.run(dataset, client=client, model=MODEL, seed=8, held_out=3,
                       results_path=results)


def test_the_key_is_nowhere_on_disk(tmp_path: Path, app_home: Path) -> None:
    dataset = qa_dataset(tmp_path)
    with ChatServer(answers()) as server:
        server.fail("question 1?", 404)
        with ChatClient(server.base_url, api_key=KEY) as client:
            result = runner.run(dataset, client=client, model=MODEL, seed=7)
    assert server.authorizations[0] == f"Bearer {KEY}"
    written = [p for folder in (tmp_path, app_home) for p in folder.rglob("*") if p.is_file()]
    assert any(p.name.startswith("examples.few-shot-") for p in written)
    for path in written:
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in json.dumps(result.to_json())


def test_measured_keeps_the_score_and_a_few_failures(tmp_path: Path) -> None:
    dataset = qa_dataset(tmp_path)
    with ChatServer(answers()) as server, ChatClient(server.base_url) as client:
        result = runner.run(dataset, client=client, model=MODEL, seed=7,
                            results_path=tmp_path / "r.jsonl")
    kept = runner.measured(result, date(2026, 11, 29))
    assert (kept.n, kept.passed, kept.score) == (50, result.passed, result.score)
    assert (kept.low, kept.high) == result.ci95
    assert kept.endpoint_host == f"127.0.0.1:{server.port}" and kept.few_shot == 20
    assert len(kept.failing) == 5 and all(f.output == "something else" for f in kept.failing)
