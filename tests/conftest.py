"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tunewise.core.project import Project
from tunewise.core.storage import load_project
from tunewise.paths import example_project

# No test reads or writes the machine's own keyring (nor waits on a desktop keyring service):
# keyring's null back-end finds nothing and stores nothing; tests that need one set their own.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Logs and recovery copies of every test (and its subprocesses) go to a fresh folder."""
    home = tmp_path_factory.mktemp("tunewise-home")
    monkeypatch.setenv("TUNEWISE_HOME", str(home))
    return home


@pytest.fixture
def support_bot() -> Project:
    return load_project(example_project("support-bot"))


@pytest.fixture
def policy_assistant() -> Project:
    return load_project(example_project("policy-assistant"))
