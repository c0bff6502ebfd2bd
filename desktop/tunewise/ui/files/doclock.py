"""A lock on an open project file, so a second Tunewise opening it is warned.

The lock is a hidden `.NAME.lock` file beside the project (QLockFile). A lock left by a crashed
process is recognised as stale and taken over.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile


class DocumentLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = QLockFile(str(path.parent / f".{path.name}.lock"))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone

    def acquire(self) -> bool:
        """True if this window may treat the file as its own; False if another instance has it.

        In a folder where no lock file can be written (read-only media) nobody else can have
        locked it either, and saving there will fail with its own clear message.
        """
        if self._lock.tryLock(0):
            return True
        return self._lock.error() == QLockFile.LockError.PermissionError

    def holder(self) -> str:
        """Who holds the lock, in words, e.g. "process 4242 on host 'lab-3'"."""
        info = self._lock.getLockInfo()  # PySide6: (pid, hostname, appname), pid 0 if unknown
        pid, host = (info[0], info[1]) if isinstance(info, tuple) and len(info) >= 2 else (0, "")
        if not pid:
            return "another program"
        return f"another Tunewise (process {pid} on '{host}')" if host else f"process {pid}"

    def release(self) -> None:
        self._lock.unlock()
