"""Saving and reading real files: links, pipes, write protection, owners, long names, temporaries.

Each test here is the regression test of one failure an attack run found (issue 11); the
number in a test's comment is the item. What is checked is what a user would find on disk.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from tests.privileges import as_root, run_unprivileged, shared_folder
from tunewise.core import files
from tunewise.core.project import Metadata, Project
from tunewise.core.storage import (
    ProjectFileError,
    file_signature,
    load_project,
    project_to_bytes,
    read_project,
    save_project,
)

OLD = Project(metadata=Metadata(name="old"))
NEW = Project(metadata=Metadata(name="new"))


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# ---- 4: links are followed, never replaced ---------------------------------------------------

def test_saving_through_a_link_writes_the_file_it_points_to(tmp_path: Path) -> None:
    real = tmp_path / "real" / "plan.tunewise"
    real.parent.mkdir()
    save_project(OLD, real)
    link = tmp_path / "link.tunewise"
    link.symlink_to(real)
    save_project(NEW, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert load_project(real).metadata.name == "new"
    assert _hidden(real.parent) == [] and _hidden(tmp_path) == []


def test_a_dangling_link_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "plan.tunewise"
    link.symlink_to(tmp_path / "gone" / "plan.tunewise")
    with pytest.raises(ProjectFileError, match="link to a file that does not exist"):
        save_project(NEW, link)
    assert link.is_symlink() and not (tmp_path / "gone").exists()


@pytest.mark.parametrize("kind", ["pipe", "device", "folder"])
def test_a_pipe_device_or_folder_is_never_a_save_target(tmp_path: Path, kind: str) -> None:
    if kind == "pipe":
        target = _fifo(tmp_path / "plan.tunewise")
    elif kind == "device":
        target = tmp_path / "plan.tunewise"
        target.symlink_to("/dev/null")
    else:
        target = tmp_path / "plan.tunewise"
        target.mkdir()
    with pytest.raises(ProjectFileError, match=f"is a {kind}, not a file"):
        save_project(NEW, target)
    assert _hidden(tmp_path) == []


# ---- 8: a pipe as the project file never hangs ----------------------------------------------

def test_a_pipe_named_like_a_project_is_refused_at_once(tmp_path: Path) -> None:
    fifo = _fifo(tmp_path / "plan.tunewise")
    outcome: list[BaseException | None] = []

    def load() -> None:
        try:
            load_project(fifo)
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # unblock the reader before failing, so the suite does not hang
        with open(fifo, "wb"):
            pass
        pytest.fail("loading a pipe waited for a writer")
    [error] = outcome
    assert isinstance(error, ProjectFileError)
    assert str(error) == "'plan.tunewise' cannot be opened: it is a pipe, not a file."


# ---- 5: write protection, mode, owner, extended attributes, hard links ---------------------

def _save_expecting_refusal(path: Path) -> str:
    try:
        save_project(NEW, path)
    except ProjectFileError as error:
        return str(error)
    return "saved"


@pytest.mark.parametrize("mode", [0o444, 0o000])
def test_a_write_protected_file_is_refused_for_a_normal_user(mode: int) -> None:
    with shared_folder() as folder:
        path = folder / "plan.tunewise"
        run_unprivileged(save_project, OLD, path)
        before = path.read_bytes()
        path.chmod(mode)
        message = run_unprivileged(_save_expecting_refusal, path)
        assert message == ("Could not save 'plan.tunewise': it is write-protected. Save it "
                           "under another name.")
        assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == mode
        assert _hidden(folder) == []


def test_a_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    path = tmp_path / "plan.tunewise"
    save_project(OLD, path)
    before = path.read_bytes()
    path.chmod(0o444)
    with pytest.raises(ProjectFileError, match="write-protected"):
        save_project(NEW, path)
    assert path.read_bytes() == before


def test_mode_owner_and_extended_attributes_are_kept(tmp_path: Path) -> None:
    if not as_root():
        pytest.skip("giving a file to another owner needs root")
    path = tmp_path / "plan.tunewise"
    save_project(OLD, path)
    path.chmod(0o640)
    os.chown(path, 65534, 65534)
    try:
        os.setxattr(path, "user.tunewise.test", b"kept")
    except OSError as error:
        pytest.skip(f"this file system has no user extended attributes ({error.strerror})")
    save_project(NEW, path)
    info = path.stat()
    assert (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid) == (0o640, 65534, 65534)
    assert os.getxattr(path, "user.tunewise.test") == b"kept"
    assert load_project(path).metadata.name == "new"


def test_a_normal_user_saving_a_group_file_keeps_its_group_and_mode() -> None:
    def save_twice(path: Path) -> tuple[int, int]:
        save_project(OLD, path)
        os.chmod(path, 0o664)
        save_project(NEW, path)
        info = os.stat(path)
        return stat.S_IMODE(info.st_mode), info.st_uid

    with shared_folder() as folder:
        mode, owner = run_unprivileged(save_twice, folder / "plan.tunewise")
        assert mode == 0o664 and owner == folder.stat().st_uid
        assert load_project(folder / "plan.tunewise").metadata.name == "new"


def test_hard_links_stay_linked(tmp_path: Path) -> None:
    path = tmp_path / "plan.tunewise"
    save_project(OLD, path)
    twin = tmp_path / "twin.tunewise"
    os.link(path, twin)
    save_project(NEW, path)
    assert path.stat().st_ino == twin.stat().st_ino and path.stat().st_nlink == 2
    assert load_project(twin).metadata.name == "new"
    assert _hidden(tmp_path) == []


# ---- 3: content, not size and time, tells a file changed --------------------------------------

def test_a_same_size_edit_with_the_old_time_is_noticed(tmp_path: Path) -> None:
    path = tmp_path / "plan.tunewise"
    save_project(Project(metadata=Metadata(name="aaaa")), path)
    before = file_signature(path)
    info = path.stat()
    path.write_bytes(path.read_bytes().replace(b'"aaaa"', b'"bbbb"'))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    assert file_signature(path) != before


def test_signatures_are_of_the_bytes_read_and_written(tmp_path: Path) -> None:
    path = tmp_path / "plan.tunewise"
    written = save_project(OLD, path)
    assert written == files.digest(project_to_bytes(OLD)) == file_signature(path)
    _, read = read_project(path)
    assert read == written


# ---- 16: names near the 255-byte limit --------------------------------------------------------

@pytest.mark.parametrize("length", [242, 250, 255])
def test_long_names_save_and_load(tmp_path: Path, length: int) -> None:
    name = "p" * (length - len(".tunewise")) + ".tunewise"
    path = tmp_path / name
    save_project(OLD, path)
    save_project(NEW, path)
    assert load_project(path).metadata.name == "new"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_sidecar_names_fit_and_differ(tmp_path: Path) -> None:
    a = "é" * 120 + "a.tunewise"  # 250 bytes in UTF-8
    b = "é" * 120 + "b.tunewise"
    for name in (a, b):
        side = files.sidecar_name(name, ".lock", 16)
        assert len(os.fsencode(side)) <= 255 - 16
    assert files.sidecar_name(a, ".lock") != files.sidecar_name(b, ".lock")
    assert files.sidecar_name("plan.tunewise", ".lock") == ".plan.tunewise.lock"


# ---- 17: temporaries are per save; a save cleans up only after dead saves --------------------

def _temporary_of(path: Path, pid: int) -> Path:
    prefix = files.sidecar_name(path.name, ".", room=23)
    return path.parent / f"{prefix}{pid}-0123abcd.tmp"


def test_a_running_save_keeps_its_temporary(tmp_path: Path) -> None:
    path = tmp_path / "plan.tunewise"
    save_project(OLD, path)
    # Another process's save in progress: its process is alive and it holds its lock.
    import fcntl

    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        temp = _temporary_of(path, os.getpid())
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        time.sleep(30)
        os._exit(0)
    try:
        temp = _temporary_of(path, pid)
        deadline = time.monotonic() + 10
        while not temp.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)
        save_project(NEW, path)
        assert temp.exists()
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    # Once that process is gone, the next save sweeps its leftover away.
    save_project(OLD, path)
    assert not temp.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["plan.tunewise"]


def test_saving_a_file_named_star_leaves_other_files_temporaries(tmp_path: Path) -> None:
    other = tmp_path / "other.tunewise"
    dead = _temporary_of(other, 2**22 + 12345)  # a process number no system hands out here
    dead.write_bytes(b"half a save")
    save_project(NEW, tmp_path / "*")
    assert dead.exists()
    save_project(NEW, tmp_path / "*.tunewise")
    assert dead.exists()


def test_two_saves_at_once_both_finish(tmp_path: Path) -> None:
    path = tmp_path / "plan.tunewise"
    big = Project(metadata=Metadata(name="big"), notes="x" * 9000)
    errors: list[BaseException] = []

    def keep_saving(project: Project) -> None:
        try:
            for _ in range(40):
                save_project(project, path)
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=keep_saving, args=(p,)) for p in (big, NEW)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert load_project(path) in (big, NEW)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.tunewise"]


def test_failed_write_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.tunewise"
    save_project(OLD, path)

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "write", full)
    with pytest.raises(ProjectFileError, match="disk is full"):
        save_project(NEW, path)
    monkeypatch.undo()
    assert load_project(path).metadata.name == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.tunewise"]


def test_a_failed_write_to_a_hard_linked_file_keeps_its_old_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.tunewise"
    save_project(OLD, path)
    os.link(path, tmp_path / "twin.tunewise")
    before = path.read_bytes()
    real_truncate = os.ftruncate
    calls: list[int] = []

    def fail_first(fd: int, length: int) -> None:
        calls.append(length)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_truncate(fd, length)

    monkeypatch.setattr(files.os, "ftruncate", fail_first)
    with pytest.raises(ProjectFileError, match="disk is full"):
        save_project(Project(metadata=Metadata(name="new"), notes="n" * 5000), path)
    monkeypatch.setattr(files.os, "ftruncate", real_truncate)
    assert path.read_bytes() == before == (tmp_path / "twin.tunewise").read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
