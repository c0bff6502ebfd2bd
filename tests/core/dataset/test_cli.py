"""`tunewise dataset inspect|split`: stable JSON, readable text, and one line with exit 2 on
input that cannot be read; nothing hangs on a pipe or a huge file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.core.dataset.helpers import chat, distinct_examples, write_jsonl
from tunewise.__main__ import DATASET_FORMAT_CHOICES, ENCODING_CHOICES, main
from tunewise.core.dataset.model import DATASET_FORMATS
from tunewise.core.dataset.tokens import ENCODINGS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["dataset", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_offers_exactly_the_formats_and_encodings_of_the_core() -> None:
    assert DATASET_FORMAT_CHOICES == DATASET_FORMATS
    assert ENCODING_CHOICES == ENCODINGS


def test_inspect_json_has_the_stable_keys(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", [chat("hi", "hello"), chat("hi", "hello"), "{"])
    code, out, err = run(capsys, "inspect", str(path), "--json", "--context-limit", "1000",
                         "--model", "llama-3.1-8b")
    assert code == 0 and err == ""
    doc = json.loads(out)
    for key in ("format", "records", "valid", "invalid_count", "invalid", "duplicates",
                "near_duplicates", "good_examples", "tokens", "training_tokens",
                "over_context", "pii"):
        assert key in doc
    assert doc["records"] == 3 and doc["valid"] == 2 and doc["duplicates"] == 1
    assert doc["invalid"] == [{"line": 3, "problem": doc["invalid"][0]["problem"],
                               "kind": "not_json"}]
    assert set(doc["tokens"]) >= {"encoding", "total", "per_example", "approximate"}
    assert set(doc["tokens"]["per_example"]) == {"mean", "p50", "p95", "max"}
    assert doc["tokens"]["approximate"] is True and doc["context_limit"] == 1000
    assert set(doc["pii"]) >= {"count", "kinds"}


def test_inspect_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", [chat("mail jo@example.org", "ok"), "[1]"])
    code, out, _ = run(capsys, "inspect", str(path))
    assert code == 0
    assert out.startswith("x.jsonl: OpenAI chat (messages), 2 records")
    assert "Valid: 1; invalid: 1 (wrong_type 1)" in out
    assert "Personal data: 1 examples (email 1, phone 0, card 0, iban 0)" in out
    assert "line 2: the line is a list, not a JSON object" in out


def test_split(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", distinct_examples(30))
    out_dir = tmp_path / "split"
    code, out, _ = run(capsys, "split", str(path), "--few-shot", "5", "--held-out", "10",
                       "--seed", "4", "--out", str(out_dir))
    assert code == 0
    assert out.startswith("Wrote 5 few-shot, 10 held-out and 15 training examples (seed 4)")
    assert len((out_dir / "train.jsonl").read_text().splitlines()) == 15
    code, _, err = run(capsys, "split", str(path), "--few-shot", "5", "--held-out", "10",
                       "--seed", "4", "--out", str(out_dir))
    assert code == 2 and "already exists; use --force" in err and err.count("\n") == 1
    code, _, err = run(capsys, "split", str(path), "--seed", "4", "--out", str(out_dir),
                       "--force")
    assert code == 2 and "30 good examples" in err


def one_line_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("tunewise: ") and err.count("\n") == 1
    return err


def test_files_that_cannot_be_datasets(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert "empty.jsonl is empty" in one_line_error(capsys, "inspect", str(empty))
    binary = tmp_path / "photo.jsonl"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    assert "binary" in one_line_error(capsys, "inspect", str(binary))
    assert "no such file" in one_line_error(capsys, "inspect", str(tmp_path / "nope.jsonl"))
    assert "is a folder" in one_line_error(capsys, "inspect", str(tmp_path))
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n  \n")
    assert "no examples" in one_line_error(capsys, "inspect", str(blank))
    for option, value, message in (("--format", "xml", "invalid choice: 'xml'"),
                                   ("--context-limit", "0", "must be at least 1")):
        with pytest.raises(SystemExit) as exited:
            main(["dataset", "inspect", str(blank), option, value])
        err = capsys.readouterr().err
        assert exited.value.code == 2 and message in err and err.count("\n") == 1


def test_bad_utf8_is_reported_per_line(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.jsonl"
    good = json.dumps(chat("hi", "hello")).encode()
    path.write_bytes(good + b"\n" + json.dumps(chat("caf\u00e9", "ok")).encode()
                     .replace(b"\\u00e9", b"\xe9") + b"\n")
    code, out, _ = run(capsys, "inspect", str(path), "--json")
    assert code == 0
    assert json.loads(out)["invalid"][0]["kind"] == "not_utf8"
    only_bad = tmp_path / "only-bad.jsonl"
    only_bad.write_bytes(b"\xff\xfe\xfa not utf-8\n")
    assert "line 1 is not UTF-8 text" in one_line_error(capsys, "inspect", str(only_bad))


def test_deep_nesting_and_a_huge_line(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    assert "nested too deeply" in one_line_error(capsys, "inspect", str(deep))
    code, out, _ = run(capsys, "inspect", str(deep), "--format", "chat", "--json")
    assert code == 0 and json.loads(out)["invalid"][0]["kind"] == "not_json"
    deep.write_text('{"messages": ' + "{" * 50_000 + "\n")
    code, out, _ = run(capsys, "inspect", str(deep), "--format", "chat", "--json")
    assert code == 0 and json.loads(out)["invalid_count"] == 1
    huge = tmp_path / "huge.jsonl"
    with open(huge, "wb") as handle:
        handle.write(b'{"messages": "' + b"x" * (100 * 1024 * 1024) + b'"}\n')
        handle.write(json.dumps(chat("hi", "hello")).encode() + b"\n")
    code, out, _ = run(capsys, "inspect", str(huge), "--json")  # told from line 2
    doc = json.loads(out)
    assert code == 0 and doc["records"] == 2 and doc["valid"] == 1
    assert doc["invalid"][0] == {"line": 1, "kind": "too_long",
                                 "problem": doc["invalid"][0]["problem"]}
    with open(huge, "r+b") as handle:
        handle.truncate(100 * 1024 * 1024 + 10)  # now the one huge line alone
    assert "line 1 is longer than 16 MiB" in one_line_error(capsys, "inspect", str(huge))


def test_a_sparse_2gb_file_is_refused_at_once(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    sparse = tmp_path / "sparse.jsonl"
    with open(sparse, "wb") as handle:
        handle.truncate(2 * 1024**3)
    assert "binary" in one_line_error(capsys, "inspect", str(sparse))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    result = subprocess.run([sys.executable, "-m", "tunewise", "dataset", "inspect", str(fifo)],
                            capture_output=True, text=True, env=env, timeout=30, check=False)
    assert result.returncode == 2
    assert result.stderr == "tunewise: pipe.jsonl is a pipe, not a file\n"
