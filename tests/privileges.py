"""Running part of a test as an ordinary user, and folders that nobody may write.

Tests run as root in CI, and root ignores permission bits; what a normal user meets (a file
without write permission, a folder they cannot write) is tested by dropping privileges in a
forked child. The child keeps the interpreter it was forked from, so it may only use modules
already imported: the interpreter's own files may be unreadable to the unprivileged user.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import pwd
import shutil
import stat
import subprocess
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

T = TypeVar("T")
UNPRIVILEGED = "nobody"


def _nobody() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(UNPRIVILEGED)
    except KeyError:
        pytest.skip(f"running as root and there is no '{UNPRIVILEGED}' user to drop to")


def as_root() -> bool:
    return os.geteuid() == 0


def run_unprivileged(func: Callable[..., T], *args: Any) -> T:
    """func(*args) run as an unprivileged user; its result or exception comes back here.

    As root the call runs in a forked child that first drops to 'nobody'; as anyone else it
    runs in this process, which is unprivileged already.
    """
    if not as_root():
        return func(*args)
    user = _nobody()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            try:
                outcome: tuple[str, Any] = ("returned", func(*args))
            except BaseException as error:
                outcome = ("raised", (error, traceback.format_exc()))
            try:
                data = pickle.dumps(outcome)
            except Exception as error:
                data = pickle.dumps(("failed", f"result not picklable: {error}"))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    if not data:
        raise AssertionError("the unprivileged child died without an answer")
    kind, value = pickle.loads(data)
    if kind == "raised":
        error, text = value
        if isinstance(error, AssertionError):
            raise AssertionError(f"in the unprivileged child:\n{text}")
        raise error
    if kind == "failed":
        raise AssertionError(value)
    return value  # type: ignore[no-any-return]


@contextlib.contextmanager
def shared_folder() -> Iterator[Path]:
    """A fresh folder the unprivileged user owns (and can reach), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="tunewise-user-", dir="/tmp"))
    try:
        if as_root():
            user = _nobody()
            os.chown(folder, user.pw_uid, user.pw_gid)
        folder.chmod(0o755)
        yield folder
    finally:
        _writable_again(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _writable_again(folder: Path) -> None:
    chattr = shutil.which("chattr")
    for path in [folder, *folder.rglob("*")] if folder.exists() else []:
        if chattr and as_root() and path.is_dir() and not path.is_symlink():
            subprocess.run([chattr, "-i", str(path)], capture_output=True, check=False)
        if path.is_dir() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.chmod(path.stat().st_mode | stat.S_IWUSR | stat.S_IXUSR | stat.S_IRUSR)


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[Path]:
    """Make `folder` unwritable even for root (immutable), or skip saying why not.

    Nothing can be created in it or deleted from it until the block ends.
    """
    if not as_root():
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(stat.S_IMODE(mode))
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root without chattr: no way to make a folder unwritable")
    done = subprocess.run([chattr, "+i", str(folder)], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip(f"running as root and this file system cannot make a folder immutable "
                    f"({done.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run([chattr, "-i", str(folder)], capture_output=True, check=False)
