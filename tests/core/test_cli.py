"""The command line: evaluate, schema, and one clear line with exit 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.core.test_storage import HOSTILE
from tunewise.__main__ import main
from tunewise.paths import example_project

SUPPORT_BOT = str(example_project("support-bot"))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    return subprocess.run([sys.executable, "-m", "tunewise", *args], capture_output=True,
                          text=True, env=env, cwd=REPO, check=False, timeout=60)


def test_evaluate_json_holds_the_stable_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", SUPPORT_BOT, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    for key in ("flowchart_outcome", "approach", "combination", "stopped_at", "path",
                "signals_for", "signals_against", "blockers", "warnings", "confidence",
                "next_steps", "costs", "break_even", "prices_as_of"):
        assert key in doc
    assert doc["approach"] == "fine_tuning"
    assert doc["combination"] == "fine_tuning+prompt_engineering"
    assert doc["stopped_at"] == "q4"
    assert doc["path"][0] == {"question": "q1", "answer": "no",
                              "detail": doc["path"][0]["detail"]}
    assert set(doc["signals_for"]) >= {"style_voice", "output_format"}
    costs = doc["costs"]
    assert set(costs["prompt_engineering"]) >= {"upfront", "per_request", "monthly",
                                                 "total_at_horizon"}
    # Prompting has no upfront cost; with its fixed prompt cached it is cheaper per request
    # than retrieval's uncached passages; the tuned model is cheapest per request and earns
    # back its upfront cost within the year.
    assert costs["prompt_engineering"]["upfront"] == 0
    assert (costs["rag"]["per_request"] > costs["prompt_engineering"]["per_request"]
            > costs["fine_tuning"]["per_request"])
    pair = next(b for b in doc["break_even"]
                if {b["a"], b["b"]} == {"prompt_engineering", "fine_tuning"})
    assert pair["cheaper_after"] == "fine_tuning" and pair["day"] < 365
    # gpt-5.4-mini, 2,484 of 2,700 input tokens cached: 216 x $0.75 + 2,484 x $0.075 +
    # 300 x $4.50 per 1M = $0.0016983 a request
    assert costs["prompt_engineering"]["per_request"] == 0.001698
    assert costs["fine_tuning"]["runs_on"] == "Fireworks AI llama-3.1-8b (serverless)"
    assert costs["prompt_engineering"]["cache_hit_rate"] == 1.0
    assert doc["price_data"]["offerings_as_of"] == "2026-11-29"
    assert doc["price_data"]["inference_as_of"] == "2026-11-28"
    # Fine-tuning alone costs less than the recommended combination: said, with both totals.
    cheaper = next(w for w in doc["warnings"] if w["id"] == "cheaper_alternative")
    assert "$7,890.00" in cheaper["message"] and "$9,909.00" in cheaper["message"]


def test_evaluate_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", SUPPORT_BOT]) == 0
    out = capsys.readouterr().out
    assert "Recommendation: Fine-tuning, best combined as fine-tuning + prompting" in out
    assert "72% ÷ target 90% = 80%" in out
    # 365 days x 10,000 x $0.0016983 = $6,198.80, plus 12 months x 4 h x $90 = $4,320
    assert "$10,518.80" in out
    assert "runs on Fireworks AI llama-3.1-8b (serverless)" in out


def test_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Project"
    assert "answers" in schema["properties"]


@pytest.mark.parametrize("name", ["empty", "truncated", "NaN", "1e999", "deep nesting",
                                  "5000-digit integer", "huge string", "wrong type",
                                  "unknown field", "newer version", "not json"])
def test_bad_file_exits_2_with_one_line(tmp_path: Path, name: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.tunewise"
    path.write_bytes(HOSTILE[name])
    assert main(["evaluate", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tunewise: ") and "bad.tunewise" in lines[0]


def test_real_entry_point_has_no_traceback(tmp_path: Path) -> None:
    result = run_cli("evaluate", str(tmp_path / "missing.tunewise"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_price_exits_2_naming_the_model(tmp_path: Path) -> None:
    doc = json.loads(Path(SUPPORT_BOT).read_text())
    doc["costs"]["approaches"]["rag"]["model"] = "imaginary-llm-3"
    path = tmp_path / "p.tunewise"
    path.write_text(json.dumps(doc))
    result = run_cli("evaluate", str(path))
    assert result.returncode == 2 and "imaginary-llm-3" in result.stderr


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["evaluate"])
    assert caught.value.code == 2
    assert capsys.readouterr().err.startswith("tunewise: ")
