"""inspect(): every format, every problem kind, and the counts a user reads, counted by hand."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

import pytest

from tests.core.dataset.helpers import chat, distinct_examples, write_jsonl
from tunewise.core.dataset.formats import DatasetError
from tunewise.core.dataset.inspect import inspect
from tunewise.core.dataset.tokens import encoding

TODAY = date(2026, 12, 2)


def kinds(report_invalid: list[object]) -> list[tuple[int, str]]:
    return [(p.line, p.kind) for p in report_invalid]  # type: ignore[attr-defined]


def test_a_chat_file_with_one_problem_of_each_kind(tmp_path: Path) -> None:
    records: list[object] = [
        chat("What is the refund window?", "Thirty days.", system="Be brief."),   # 1 good
        "{not json",                                                              # 2
        [1, 2],                                                                   # 3
        {"messages": [{"role": "user", "content": "hi"}]},                        # 4
        {"messages": [{"role": "user", "content": "hi"},
                      {"role": "bot", "content": "hello"}]},                      # 5
        {"messages": [{"role": "user", "content": "  "},
                      {"role": "assistant", "content": "hello"}]},                # 6
        {"messages": [{"role": "assistant", "content": "hello"},
                      {"role": "user", "content": "hi"}]},                        # 7
        {"messages": [{"role": "user", "content": "a"},
                      {"role": "system", "content": "b"},
                      {"role": "assistant", "content": "c"}]},                    # 8
        {"messages": [{"role": "user", "content": "a"}], "extra": 1},             # 9
        {"messages": [{"content": "a"}, {"role": "assistant", "content": "b"}]},  # 10
        {"messages": "hello"},                                                    # 11
        {"prompt": "2+2?", "completion": "4"},                                    # 12
        chat("Where is my parcel?", "It left the depot today."),                  # 13 good
    ]
    path = write_jsonl(tmp_path / "support.jsonl", records)
    report = inspect(path, today=TODAY)
    assert report.format == "chat"
    assert report.records == 13 and report.valid == 2 and report.invalid_count == 11
    found = kinds(report.invalid)
    assert (2, "not_json") in found
    assert (3, "wrong_type") in found
    assert (4, "no_assistant") in found
    assert (5, "unknown_role") in found
    assert (6, "empty_content") in found
    assert (7, "role_order") in found
    assert (8, "role_order") in found
    assert (9, "unknown_key") in found
    assert (10, "missing_key") in found
    assert (11, "wrong_type") in found
    assert (12, "mixed_format") in found
    assert {line for line, _ in found} == set(range(2, 13))
    assert report.good_examples == 2 and report.measured_on == TODAY
    assert report.file.name == "support.jsonl" and report.file.size == path.stat().st_size


def test_exact_duplicates_are_counted_beyond_the_first(tmp_path: Path) -> None:
    base = distinct_examples(5)
    records = [*base, base[0], base[0], base[3]]  # 3 copies beyond the first
    report = inspect(write_jsonl(tmp_path / "d.jsonl", records))
    assert report.valid == 8 and report.duplicates == 3 and report.near_duplicates == 0
    assert report.good_examples == 5


@pytest.mark.parametrize(("fmt", "record", "messages"), [
    ("prompt_completion", {"prompt": "Capital of France?", "completion": "Paris"},
     [("user", "Capital of France?"), ("assistant", "Paris")]),
    ("alpaca", {"instruction": "Translate", "input": "chat", "output": "cat"},
     [("user", "Translate\n\nchat"), ("assistant", "cat")]),
    ("alpaca", {"instruction": "Say hi", "input": "", "output": "hi"},
     [("user", "Say hi"), ("assistant", "hi")]),
    ("sharegpt", {"conversations": [{"from": "system", "value": "Be kind."},
                                    {"from": "human", "value": "Hello"},
                                    {"from": "gpt", "value": "Hi there"}]},
     [("system", "Be kind."), ("user", "Hello"), ("assistant", "Hi there")]),
    ("preference", {"input": {"messages": [{"role": "user", "content": "Hello"}]},
                    "preferred_output": [{"role": "assistant", "content": "Hi, how can I help?"}],
                    "non_preferred_output": [{"role": "assistant", "content": "What."}]},
     [("user", "Hello"), ("assistant", "Hi, how can I help?")]),
])
def test_every_json_format_is_detected_and_counted_as_chat(
        tmp_path: Path, fmt: str, record: dict[str, object],
        messages: list[tuple[str, str]]) -> None:
    report = inspect(write_jsonl(tmp_path / "x.jsonl", [record]))
    assert report.format == fmt and report.valid == 1
    enc = encoding("o200k_base")
    # 3 per example; per message 3 + the role (one token each) + the content.
    expected = 3 + sum(3 + len(enc.encode(role)) + len(enc.encode(text))
                       for role, text in messages)
    assert report.tokens.total == expected == report.training_tokens
    assert report.mean_output_tokens == len(enc.encode(messages[-1][1]))
    assert report.mean_input_tokens == expected - len(enc.encode(messages[-1][1])) - 4


def test_format_problems_of_the_other_formats(tmp_path: Path) -> None:
    records = [
        {"instruction": "Say hi", "output": "hi"},                              # good
        {"instruction": "Say hi", "output": 3},                                 # wrong type
        {"instruction": "Say hi", "output": "hi", "history": []},               # unknown key
        {"instruction": "Say hi"},                                              # output missing
        {"instruction": "Say hi", "output": ""},                                # empty
    ]
    report = inspect(write_jsonl(tmp_path / "a.jsonl", records))
    assert report.format == "alpaca" and report.valid == 1
    assert kinds(report.invalid) == [(2, "wrong_type"), (3, "unknown_key"),
                                     (4, "missing_key"),
                                     (5, "empty_content")]
    share = [{"conversations": [{"from": "human", "value": "a"}, {"from": "bot", "value": "b"}]},
             {"conversations": [{"from": "gpt", "value": "a"}, {"from": "human", "value": "b"}]}]
    report = inspect(write_jsonl(tmp_path / "s.jsonl", share))
    assert kinds(report.invalid) == [(1, "unknown_role"), (2, "role_order")]
    pref = [{"input": {"messages": [{"role": "user", "content": "a"}]},
             "preferred_output": [{"role": "user", "content": "b"}],
             "non_preferred_output": [{"role": "assistant", "content": ""}]}]
    report = inspect(write_jsonl(tmp_path / "p.jsonl", pref))
    assert {k for _, k in kinds(report.invalid)} >= {"role_order", "empty_content"}


def test_csv_and_tsv_with_chosen_columns(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text('id,question,reply\n1,"Where is, my parcel?",On its way\n'
                    '2,"A two\nline question",Yes\n3,,Empty question\n4,only two\n'
                    '5,Refund?,"Yes, within 30 days"\n', encoding="utf-8")
    report = inspect(path, input_column="question", output_column="reply")
    assert report.format == "csv" and report.records == 5 and report.valid == 3
    # Problems name the line a row starts on (row 3 of data spans lines 3-4).
    assert kinds(report.invalid) == [(5, "empty_content"), (6, "bad_row")]
    tsv = tmp_path / "t.tsv"
    tsv.write_text("input\toutput\nhello\tworld\n", encoding="utf-8")
    report = inspect(tsv)  # input/output columns are found by name
    assert report.format == "tsv" and report.valid == 1
    with pytest.raises(DatasetError, match=r"no column 'nope'.*'input', 'output'"):
        inspect(tsv, input_column="nope")


def test_context_limit_makes_long_examples_invalid(tmp_path: Path) -> None:
    short, long = chat("hi", "hello"), chat("word " * 50, "fine")
    report = inspect(write_jsonl(tmp_path / "c.jsonl", [short, long]), context_limit=30)
    assert report.over_context == 1 and report.valid == 1 and report.context_limit == 30
    assert kinds(report.invalid) == [(2, "over_context")]


def test_tokens_are_approximate_for_models_other_than_openai(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", [chat("hi", "hello")])
    assert inspect(path, model="llama-3.1-8b").tokens.approximate
    assert not inspect(path, model="gpt-4.1-mini").tokens.approximate
    assert not inspect(path).tokens.approximate
    cl100k = inspect(path, encoding="cl100k_base").tokens
    assert cl100k.encoding == "cl100k_base" and cl100k.total == 3 + (4 + 1) + (4 + 1)


def test_statistics_histogram_and_labels(tmp_path: Path) -> None:
    records = [chat(f"Review number {i}: " + "good " * (i % 7), "positive" if i % 3 else
                    "negative") for i in range(60)]
    report = inspect(write_jsonl(tmp_path / "l.jsonl", records))
    assert report.good_examples == 60
    assert report.labels == {"positive": 40, "negative": 20}
    assert sum(report.histogram.counts) == 60
    assert len(report.histogram.edges) == len(report.histogram.counts) + 1
    assert report.tokens.p50 <= report.tokens.p95 <= report.tokens.max
    free_text = [chat(f"Question {i}", f"A long answer number {i} with many words") for i in
                 range(30)]
    assert inspect(write_jsonl(tmp_path / "f.jsonl", free_text)).labels is None


def test_progress_is_reported_and_cancel_stops(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", distinct_examples(300))
    calls: list[tuple[int, int]] = []
    inspect(path, progress=lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert calls[-1] == (size, size) and len(calls) <= 3  # rate-limited: a fast file is one call
    stop = threading.Event()
    stop.set()
    report = inspect(path, cancel=stop)
    assert report.cancelled and report.records == 0


def test_sha256_is_of_the_whole_file(tmp_path: Path) -> None:
    import hashlib

    path = write_jsonl(tmp_path / "h.jsonl", [chat("a", "b"), "", chat("c", "d")])
    report = inspect(path)
    assert report.records == 2  # the blank line is not a record
    assert report.file.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert json.loads(json.dumps(report.to_json()))["records"] == 2
