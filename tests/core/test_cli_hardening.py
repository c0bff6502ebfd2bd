"""The command line under attack: exit code 2 and exactly one safe line on stderr, never a
traceback, a hang or a destroyed project. Regression tests of issue 11, items 6, 8, 9, 14 and 18,
each run as a real subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import REPO
from tunewise.core.project import Metadata, Project
from tunewise.core.storage import project_to_bytes, save_project


def run(*args: str, stdout: int | IO[bytes] = subprocess.PIPE,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "PYTHONPATH": str(REPO / "desktop"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "tunewise", *args], stdout=stdout,
                          stderr=subprocess.PIPE, env=environment, cwd=REPO, timeout=60,
                          check=False)


def one_line(result: subprocess.CompletedProcess[bytes]) -> str:
    """The single stderr line of a refused command (exit 2), decoded."""
    assert result.returncode == 2, result.stderr
    err = result.stderr.decode("utf-8", "backslashreplace")
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("tunewise: ") and "Traceback" not in err
    return err.rstrip("\n")


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.tunewise"
    save_project(Project(metadata=Metadata(name="My plan")), path)
    return path


# ---- 6: the report never replaces a project -------------------------------------------------

def test_report_onto_its_own_project_is_refused(plan: Path) -> None:
    before = plan.read_bytes()
    line = one_line(run("report", str(plan), "-o", str(plan)))
    assert "'plan.tunewise' is a project file name" in line
    assert plan.read_bytes() == before


def test_report_onto_another_project_is_refused(plan: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.tunewise"
    save_project(Project(metadata=Metadata(name="Other")), other)
    before = other.read_bytes()
    one_line(run("report", str(plan), "-o", str(other)))
    assert other.read_bytes() == before


def test_report_onto_a_link_to_its_project_is_refused(plan: Path, tmp_path: Path) -> None:
    link = tmp_path / "plan.pdf"
    link.symlink_to(plan)
    before = plan.read_bytes()
    line = one_line(run("report", str(plan), "-o", str(link)))
    assert "is the project file itself" in line
    assert plan.read_bytes() == before and link.is_symlink()


# ---- 8: a pipe never hangs the command line -------------------------------------------------

@pytest.mark.parametrize("command", [["evaluate"], ["report"]])
def test_a_pipe_as_the_project_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "plan.tunewise"
    os.mkfifo(fifo)
    extra = ["-o", str(tmp_path / "out.pdf")] if command == ["report"] else []
    line = one_line(run(*command, str(fifo), *extra))  # a hang would time out here
    assert line == "tunewise: 'plan.tunewise' cannot be opened: it is a pipe, not a file."


def test_a_pipe_as_the_report_output_is_refused(plan: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "out.pdf"
    os.mkfifo(fifo)
    line = one_line(run("report", str(plan), "-o", str(fifo)))
    assert "is a pipe, not a file" in line


# ---- 9: a broken old file is a message, not a TypeError --------------------------------------

@pytest.mark.parametrize("answer", [[], {}])
def test_version_1_with_a_list_or_object_answer(tmp_path: Path, answer: object) -> None:
    path = tmp_path / "old.tunewise"
    path.write_text(json.dumps({"format": "tunewise-project", "schema_version": 1,
                                "answers": {"few_shot_adequate": answer}}))
    line = one_line(run("evaluate", str(path)))
    assert "answers.few_shot_adequate: should be true, false or null" in line


# ---- 14: output that cannot be written ------------------------------------------------------

def test_a_full_disk_on_stdout(plan: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("this system has no /dev/full")
    with open("/dev/full", "wb") as full:
        line = one_line(run("evaluate", str(plan), stdout=full))
    assert line == "tunewise: could not write the output: No space left on device."


def test_a_closed_pipe_on_stdout(plan: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    with os.fdopen(write_end, "wb") as closed:
        line = one_line(run("evaluate", str(plan), "--json", stdout=closed))
    assert line == "tunewise: could not write the output: Broken pipe."


def test_a_terminal_that_cannot_show_the_plans_name(tmp_path: Path) -> None:
    path = tmp_path / "plan.tunewise"
    save_project(Project(metadata=Metadata(name="План для поддержки")), path)
    cp1252 = {"PYTHONIOENCODING": "cp1252"}
    line = one_line(run("evaluate", str(path), env=cp1252))
    assert "(cp1252) cannot show" in line and "--json" in line
    # JSON can say the same in any encoding: \u escapes.
    result = run("evaluate", str(path), "--json", env=cp1252)
    assert result.returncode == 0 and result.stderr == b""
    assert json.loads(result.stdout)["project"] == "План для поддержки"
    assert b"\\u041f" in result.stdout  # the first letter, escaped


# ---- 18: what is echoed is escaped and short -------------------------------------------------

def _with_key(tmp_path: Path, key: str) -> Path:
    doc = json.loads(project_to_bytes(Project()))
    doc["answers"][key] = True
    path = tmp_path / "odd.tunewise"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("key", ["one\ntwo\nthree", "\x1b[2J\x1b[31mred", "k" * 1_000_000])
def test_a_strange_key_is_one_short_safe_line(tmp_path: Path, key: str) -> None:
    line = one_line(run("evaluate", str(_with_key(tmp_path, key))))
    assert "\x1b" not in line and len(line) < 400
    assert "is not a field Tunewise knows" in line


def test_a_strange_file_name_is_one_safe_line(tmp_path: Path) -> None:
    line = one_line(run("evaluate", str(tmp_path / "a\nb\x1b[31m.tunewise")))
    assert "\x1b" not in line and "does not exist" in line
