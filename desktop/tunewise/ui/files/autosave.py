"""Autosave of unsaved work into recovery copies, and the lock that marks a copy as live.

While the project has unsaved changes, a recovery copy is written at most `DELAY_MS` after the
first change since the last copy (later changes do not postpone it). Saving the project, or
discarding its changes, deletes the copy. Each window holds a QLockFile beside its copy so that
another running instance does not offer it for recovery; a crashed process leaves a stale lock
that is recognised (see doclock.try_lock).

Autosave never stops the app: a recovery folder that cannot be made or written turns autosave
off (`off_reason` says why), and a copy that cannot be written is reported through
`copyFailed`, once until a copy succeeds again, so the window can tell the user the truth.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal
from shiboken6 import Shiboken

from tunewise.core.recovery import RecoveryEntry, RecoveryScan, RecoveryStore
from tunewise.ui.controller import ProjectController
from tunewise.ui.files.doclock import held_by_someone_alive, try_lock

DELAY_MS = 15_000  # well inside the promise of "at most 60 s after a change"
log = logging.getLogger("tunewise")


class CopyStatus(Enum):
    NOTHING_UNSAVED = "nothing unsaved"
    WRITTEN = "written"
    FAILED = "failed"


@dataclass(frozen=True)
class CopyResult:
    status: CopyStatus
    reason: str = ""  # why it failed, in words


def _lock_path(store: RecoveryStore, key: str) -> str:
    return str(store.folder / f"{key}.lock")


def orphaned_entries(store: RecoveryStore, scan: RecoveryScan | None = None
                     ) -> list[RecoveryEntry]:
    """Recovery copies whose window is gone (crashed or killed), newest first."""
    orphans = []
    for entry in (scan or store.scan()).entries:
        path = _lock_path(store, entry.key)
        lock = QLockFile(path)
        lock.setStaleLockTime(0)
        if try_lock(lock, path):  # nobody alive holds it: the window that wrote it is gone
            lock.unlock()
            orphans.append(entry)
        elif (lock.error() != QLockFile.LockError.LockFailedError
              and not held_by_someone_alive(path)):  # a folder where no lock can be taken
            orphans.append(entry)
    return orphans


def discard_entry(store: RecoveryStore, entry: RecoveryEntry) -> None:
    store.discard(entry.key)


def _reason(error: OSError) -> str:
    return str(error.strerror or error).lower()


class Autosaver(QObject):
    copyFailed = Signal(str)  # the reason; sent once until a copy is written again

    def __init__(self, controller: ProjectController, store: RecoveryStore,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store = store
        self.key = store.new_key()
        self.off_reason: str | None = None
        self.last_written: datetime | None = None
        self._failing = False
        self._lock = QLockFile(_lock_path(store, self.key))
        self._lock.setStaleLockTime(0)
        try:
            self.store.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.off_reason = f"its folder {store.folder} cannot be created ({_reason(error)})"
        else:
            if not self._lock.tryLock(0):
                self.off_reason = f"its folder {store.folder} cannot be written"
        if self.off_reason is not None:
            log.warning("Autosave is off: %s", self.off_reason)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self.write_now)
        controller.undo_stack.indexChanged.connect(self._changed)
        controller.modifiedChanged.connect(self._modified_changed)

    @property
    def enabled(self) -> bool:
        return self.off_reason is None

    def _window_alive(self) -> bool:
        # A dying window's undo stack empties itself and signals "clean"; that is no reason to
        # delete the recovery copy (in a crash, nothing would run at all).
        return bool(Shiboken.isValid(self.controller.undo_stack))

    def _changed(self, _index: int) -> None:
        if (self.enabled and self._window_alive() and self.controller.modified
                and not self.timer.isActive()):
            self.timer.start()

    def _modified_changed(self, modified: bool) -> None:
        if not modified and self._window_alive():  # saved, undone to clean, or a new document
            self.timer.stop()
            self._drop_copy()

    def write_now(self) -> CopyResult:
        """Write the recovery copy now if there is anything unsaved (also used on a crash)."""
        self.timer.stop()
        if not self.controller.modified:
            return CopyResult(CopyStatus.NOTHING_UNSAVED)
        if self.off_reason is not None:
            return CopyResult(CopyStatus.FAILED, f"autosave is off: {self.off_reason}")
        try:
            self.store.write(self.key, self.controller.project, self.controller.path)
        except OSError as error:
            log.exception("Could not write the recovery copy")
            reason = f"the recovery copy in {self.store.folder} could not be written " \
                     f"({_reason(error)})"
            if not self._failing:
                self._failing = True
                self.copyFailed.emit(reason)
            return CopyResult(CopyStatus.FAILED, reason)
        self._failing = False
        self.last_written = datetime.now(UTC)
        return CopyResult(CopyStatus.WRITTEN)

    def adopt(self, entry: RecoveryEntry) -> bool:
        """Take over a crashed window's copy as this window's own, keeping it on disk.

        The copy then stays until this window writes a newer one over it, saves, or discards
        its changes. False if its lock cannot be taken (another window has it).
        """
        key = entry.key
        path = _lock_path(self.store, key)
        lock = QLockFile(path)
        lock.setStaleLockTime(0)
        if not try_lock(lock, path):
            return False
        self._drop_copy()
        self._lock.unlock()
        self.key, self._lock = key, lock
        self.last_written = entry.saved_at
        return True

    def _drop_copy(self) -> None:
        if self.store.discard(self.key):
            self.last_written = None

    def discard(self) -> None:
        """The user chose to throw the changes away: the copy goes too (if it can)."""
        self.timer.stop()
        self._drop_copy()

    def close(self) -> None:
        """The window closes normally: drop the copy and release the lock."""
        try:
            self.discard()
        finally:
            self._lock.unlock()
