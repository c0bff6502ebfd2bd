"""Saves under violence, and recovery copies: the pure parts of never losing a plan."""

from __future__ import annotations

import os
import random
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

from tunewise.core.project import Metadata, Project
from tunewise.core.recovery import RecoveryStore
from tunewise.core.storage import file_signature, load_project, save_project

TRIALS = 200


def _saver(path: Path, old: Project, new: Project) -> None:  # pragma: no cover - child only
    try:
        while True:
            save_project(new, path)
            save_project(old, path)
    finally:
        os._exit(0)


def test_killing_a_saving_process_never_tears_the_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.tunewise"
    old = Project(metadata=Metadata(name="old"), notes="o" * 3000)
    new = Project(metadata=Metadata(name="new"), notes="n" * 9000)
    start = time.perf_counter()
    save_project(old, path)
    # Kill anywhere within the first few save cycles, however fast or slow this disk is.
    window = 4 * (time.perf_counter() - start) + 0.002
    rng = random.Random(1234)
    seen = set()
    for trial in range(TRIALS):
        if trial and trial % 25 == 0 and len(seen) < 2:
            window *= 2  # a busy machine forks and saves slower than the first save suggests
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            _saver(path, old, new)
        time.sleep(rng.uniform(0, window))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        loaded = load_project(path)
        assert loaded in (old, new)
        seen.add(loaded.metadata.name)
    assert seen == {"old", "new"}  # the kills landed at different moments
    # The next save sweeps away temporaries a killed save left behind.
    save_project(old, path)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.tunewise"]


def test_file_signature_notices_outside_changes(tmp_path: Path) -> None:
    path = tmp_path / "plan.tunewise"
    assert file_signature(path) is None
    save_project(Project(), path)
    before = file_signature(path)
    path.write_bytes(path.read_bytes() + b" ")
    assert file_signature(path) != before


def test_recovery_copy_round_trip(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path / "recovery")
    assert store.pending() == []
    project = Project(metadata=Metadata(name="Unsaved plan"), notes="edited")
    when = datetime(2026, 11, 28, 12, 30, tzinfo=UTC)
    key = store.new_key()
    store.write(key, project, source=tmp_path / "plan.tunewise", now=when)
    [entry] = store.pending()
    assert entry.project == project
    assert entry.saved_at == when
    assert entry.source == tmp_path / "plan.tunewise"
    assert entry.title == "plan.tunewise"
    store.discard(key)
    assert store.pending() == []


def test_recovery_skips_broken_copies_and_sorts_newest_first(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path)
    (tmp_path / "junk.recovery.json").write_text("{not json")
    store.write("a", Project(metadata=Metadata(name="older")), None,
                now=datetime(2026, 1, 1, tzinfo=UTC))
    store.write("b", Project(metadata=Metadata(name="newer")), None,
                now=datetime(2026, 2, 1, tzinfo=UTC))
    assert [e.project.metadata.name for e in store.pending()] == ["newer", "older"]
