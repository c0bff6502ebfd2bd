"""Bytes on disk, read and written without surprises.

Reading takes regular files only: a pipe, a device or a socket is refused before anything waits
on it. Writing is atomic: the bytes go to a temporary file beside the target, are flushed, and
replace the target in one step, so a crash leaves the old file or the new one, never a mix.
Writing also respects what the target is: a link is followed and the file it points to is
written (the link stays a link); a write-protected file is refused; mode, owner (where the
system allows it) and extended attributes are kept; a file with several hard links is written
in place so every link sees the new bytes.

Temporary files are named per save (`.NAME.PID-TOKEN.tmp`, shortened with a hash when the name
is long) and held under an advisory lock while written, so a save only ever sweeps away the
temporaries of saves that died, never those of a save still running elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import stat
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no sweeping of other saves' temporaries
    fcntl = None  # type: ignore[assignment]

MAX_NAME_BYTES = 255
_TEMP_ROOM = 24  # ".PID-TOKEN.tmp": a dot, up to 10 digits, a dash, 8 hex digits, ".tmp"
_TEMP_TAIL = re.compile(r"(\d{1,10})-[0-9a-f]{8}\.tmp")
_KINDS = ((stat.S_ISFIFO, "a pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


class FileRefused(OSError):
    """Tunewise will not read or write this path; `strerror` says why, in plain words."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(code, reason)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words ("a pipe", "a folder")."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def digest(data: bytes) -> str:
    """The identity of some bytes, to tell whether a file still holds what was read or written."""
    return hashlib.sha256(data).hexdigest()


# ---- names ----------------------------------------------------------------------------------

def sidecar_name(name: str, suffix: str, room: int = 0) -> str:
    """A hidden name beside `name` (`.NAME` + suffix) that fits the file system's 255 bytes.

    `room` is kept free for whatever the caller appends. A name too long for that is shortened
    and a hash of the whole name added, so two long names never share a sidecar.
    """
    raw = os.fsencode(name)
    tail = os.fsencode(suffix)
    if 1 + len(raw) + len(tail) + room <= MAX_NAME_BYTES:
        return f".{name}{suffix}"
    mark = "~" + hashlib.sha256(raw).hexdigest()[:12]
    budget = MAX_NAME_BYTES - room - len(tail) - 1 - len(mark)
    cut = raw[:max(budget, 1)].decode("utf-8", "ignore") or "x"
    return f".{cut}{mark}{suffix}"


def _temp_prefix(target: Path) -> str:
    return sidecar_name(target.name, ".", room=_TEMP_ROOM - 1)


# ---- reading --------------------------------------------------------------------------------

def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file, at most `limit` + 1 of them (so a caller sees "too big").

    Anything else is refused before it is opened for reading, and the file is opened without
    blocking and checked again, so a pipe swapped in meanwhile cannot hang the caller.
    Raises FileNotFoundError, IsADirectoryError, PermissionError, FileRefused or OSError.
    """
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(errno.EINVAL, f"is {kind_of(info.st_mode)}, not a file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(errno.EINVAL, f"is {kind_of(info.st_mode)}, not a file")
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


# ---- where a write goes ---------------------------------------------------------------------

def write_target(path: str | os.PathLike[str]) -> Path:
    """The file a save to `path` really writes: links followed, refused if unsuitable.

    A dangling link, a link loop, a pipe, a device, a folder or a write-protected file raise
    FileRefused. A path that does not exist yet is fine (its folder is checked by the write).
    """
    path = Path(path)
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            raise FileRefused(errno.ENOENT, "is a link to a file that does not exist") from None
        except (OSError, RuntimeError):
            raise FileRefused(errno.ELOOP, "is a link that leads nowhere (a loop)") from None
    else:
        target = path.parent.resolve() / path.name
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(errno.EINVAL, f"is {kind_of(info.st_mode)}, not a file")
    if info.st_mode & 0o222 == 0 or not os.access(target, os.W_OK):
        raise FileRefused(errno.EACCES, "is write-protected")
    return target


# ---- writing --------------------------------------------------------------------------------

def new_file_mode() -> int:
    """The permissions any program's new file gets here (0666 less the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _open_temporary(folder: Path, prefix: str) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        temp = folder / f"{prefix}{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            return os.open(temp, flags, 0o600), temp
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue


def _keep_identity(fd: int, old: os.stat_result, source: Path) -> None:
    """Give the new file the old one's owner (where allowed), mode and extended attributes."""
    with contextlib.suppress(OSError):
        os.fchown(fd, old.st_uid, old.st_gid)
    if (os.fstat(fd).st_gid != old.st_gid):
        with contextlib.suppress(OSError):
            os.fchown(fd, -1, old.st_gid)
    os.fchmod(fd, stat.S_IMODE(old.st_mode))
    if not hasattr(os, "listxattr"):  # pragma: no cover - not Linux
        return
    try:
        names = os.listxattr(source)
    except OSError:
        return
    for name in names:
        with contextlib.suppress(OSError):
            os.setxattr(fd, name, os.getxattr(source, name))


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # persist the rename; not every platform allows this
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def atomic_write(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write bytes so that the file at `path` ends up holding its old bytes or all of `data`.

    Returns the file really written (links followed). Raises FileRefused for targets Tunewise
    will not write, and OSError when the system refuses; the old file is then untouched and
    no temporary file is left behind.
    """
    target = write_target(path)
    folder = target.parent
    try:
        old: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        old = None
    fd, temp = _open_temporary(folder, _temp_prefix(target))
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _write_all(fd, data)
        os.fsync(fd)
        if old is not None and old.st_nlink > 1:
            # Replacing would split the hard links; write in place once a whole copy is safe
            # on disk beside it (the temporary, removed when done).
            _write_in_place(target, data)
            os.unlink(temp)
        else:
            if old is not None:
                _keep_identity(fd, old, target)
            else:
                os.fchmod(fd, new_file_mode())
            os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    finally:
        os.close(fd)
    _fsync_folder(folder)
    remove_dead_temporaries(target)
    return target


def _write_in_place(target: Path, data: bytes) -> None:
    """Overwrite a hard-linked file's bytes; if that fails midway, put the old bytes back."""
    fd = os.open(target, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
    try:
        old = os.read(fd, max(os.fstat(fd).st_size, 0) + 1)
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            _write_all(fd, data)
            os.ftruncate(fd, len(data))
            os.fsync(fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.lseek(fd, 0, os.SEEK_SET)
                _write_all(fd, old)
                os.ftruncate(fd, len(old))
                os.fsync(fd)
            raise
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_dead_temporaries(target: Path) -> list[Path]:
    """Remove temporaries that saves of `target` left when they were killed; return them.

    A temporary is removed only when its process is gone and nobody holds its lock, so a save
    running in another process (or on another machine sharing the folder) keeps its own.
    """
    if fcntl is None:  # pragma: no cover - Windows
        return []
    prefix = _temp_prefix(target)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        match = _TEMP_TAIL.fullmatch(entry.name[len(prefix):])
        if match is None or _alive(int(match.group(1))):
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a save on another machine is still writing it
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        finally:
            os.close(fd)
    return removed
