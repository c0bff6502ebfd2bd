"""A lock on an open project file, so a second Tunewise opening it is warned.

The lock is a hidden `.NAME.lock` file (QLockFile) beside the file the project really is: links
are followed, so a link and the file it points to share one lock, and a name too long for the
file system to take the suffix is shortened with a hash. A lock left by a crashed process is
stale and taken over, including when the crashed process's number has since gone to another
program: a process that started after the lock was written cannot be the one that wrote it.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QLockFile, QSysInfo

from tunewise.core.files import sidecar_name

_QT_ROOM = 16  # QLockFile adds ".rmlock" and the like when it removes a stale lock
_CLOCK_SLACK_S = 1.0  # the boot time the kernel reports is rounded to whole seconds


def real_path(path: Path) -> Path:
    """The file a path stands for: links followed as far as they lead."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def process_start_time(pid: int) -> float | None:
    """When a process started, in seconds since the epoch; None where this cannot be told."""
    try:
        stat_text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        boot = next(float(line.split()[1])
                    for line in Path("/proc/stat").read_text(encoding="ascii").splitlines()
                    if line.startswith("btime "))
        ticks = int(stat_text[stat_text.rindex(")") + 2:].split()[19])  # field 22, starttime
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, StopIteration, ValueError, IndexError):
        return None


def _holder_is_gone(lock: QLockFile, lock_path: str) -> bool:
    """The lock's process number now belongs to a process started after the lock was made."""
    info = lock.getLockInfo()  # PySide6: (pid, hostname, appname), pid 0 if unreadable
    if not isinstance(info, tuple) or len(info) < 2 or not info[0]:
        return False
    pid, host = int(info[0]), str(info[1])
    if host and host != QSysInfo.machineHostName():
        return False  # another machine's process; nothing here can tell
    started = process_start_time(pid)
    try:
        written = os.stat(lock_path).st_mtime
    except OSError:
        return False
    return started is not None and started > written + _CLOCK_SLACK_S


def held_by_someone_alive(lock_path: str) -> bool:
    """Whether a live process holds the lock file, read without taking it (for folders where
    no lock can be taken)."""
    lock = QLockFile(lock_path)
    info = lock.getLockInfo()
    if not isinstance(info, tuple) or len(info) < 2 or not info[0]:
        return False
    pid, host = int(info[0]), str(info[1])
    if host and host != QSysInfo.machineHostName():
        return True  # another machine's process; assume it lives
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass
    return not _holder_is_gone(lock, lock_path)


def try_lock(lock: QLockFile, lock_path: str) -> bool:
    """Take a lock that nobody alive holds; False if a live process has it (or it failed)."""
    if lock.tryLock(0):
        return True
    if lock.error() != QLockFile.LockError.LockFailedError:
        return False
    if not _holder_is_gone(lock, lock_path):
        return False
    lock.removeStaleLockFile()
    return bool(lock.tryLock(0))


class DocumentLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.real = real_path(path)
        self.lock_path = self.real.parent / sidecar_name(self.real.name, ".lock", _QT_ROOM)
        self._lock = QLockFile(str(self.lock_path))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone

    def covers(self, path: Path) -> bool:
        """Whether this lock is the one for `path` (the same file, however it is named)."""
        return real_path(path) == self.real

    def acquire(self) -> bool:
        """True if this window may treat the file as its own; False if another instance has it.

        Only a lock held by a live process says "in use". Where no lock file can be written at
        all (read-only media, a name the file system refuses) nobody else can have locked it
        either, and saving there fails with its own clear message.
        """
        if try_lock(self._lock, str(self.lock_path)):
            return True
        return self._lock.error() != QLockFile.LockError.LockFailedError

    def holder(self) -> str:
        """Who holds the lock, in words, e.g. "process 4242 on host 'lab-3'"."""
        info = self._lock.getLockInfo()  # PySide6: (pid, hostname, appname), pid 0 if unknown
        pid, host = (info[0], info[1]) if isinstance(info, tuple) and len(info) >= 2 else (0, "")
        if not pid:
            return "another program"
        return f"another Tunewise (process {pid} on '{host}')" if host else f"process {pid}"

    def release(self) -> None:
        self._lock.unlock()
