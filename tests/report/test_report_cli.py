"""`tunewise report`: writes the PDF; bad input exits 2 with exactly one line on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pypdf

from tests.conftest import REPO
from tunewise.paths import example_project

SUPPORT_BOT = str(example_project("support-bot"))


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    return subprocess.run([sys.executable, "-m", "tunewise", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, check=False, timeout=60)


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tunewise: ")
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in result.stderr


def test_report_writes_a_pdf(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    result = run_cli("report", SUPPORT_BOT, "-o", str(out), "--paper", "letter")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip() == f"Wrote {out}"
    reader = pypdf.PdfReader(out)
    assert round(float(reader.pages[0].mediabox.width)) == 612
    assert "Fine-tuning, best combined as fine-tuning + prompting" in reader.pages[0].extract_text()


def test_missing_file_exits_2_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    result = run_cli("report", str(tmp_path / "nope.tunewise"), "-o", str(out))
    assert_one_line_failure(result, "nope.tunewise", "does not exist")
    assert not out.exists()


def test_broken_file_exits_2_with_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tunewise"
    broken.write_text('{"format": "tunewise-project", "schema_version": 2, "metadata": {',
                      encoding="utf-8")
    out = tmp_path / "plan.pdf"
    assert_one_line_failure(run_cli("report", str(broken), "-o", str(out)), "broken.tunewise")
    assert not out.exists()


def test_invalid_values_exit_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tunewise"
    bad.write_text('{"format": "tunewise-project", "schema_version": 2, '
                   '"costs": {"requests_per_day": -5}}', encoding="utf-8")
    assert_one_line_failure(run_cli("report", str(bad), "-o", str(tmp_path / "o.pdf")),
                            "requests_per_day")


def test_unwritable_output_exits_2_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "plan.pdf"
    assert_one_line_failure(run_cli("report", SUPPORT_BOT, "-o", str(out)), "could not write")


def test_bad_paper_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run_cli("report", SUPPORT_BOT, "-o", str(tmp_path / "o.pdf"), "--paper", "a3")
    assert_one_line_failure(result, "--paper")
