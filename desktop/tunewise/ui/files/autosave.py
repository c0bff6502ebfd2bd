"""Autosave of unsaved work into recovery copies, and the lock that marks a copy as live.

While the project has unsaved changes, a recovery copy is written at most `DELAY_MS` after the
first change since the last copy (later changes do not postpone it). Saving the project, or
discarding its changes, deletes the copy. Each window holds a QLockFile beside its copy so that
another running instance does not offer it for recovery; a crashed process leaves a stale lock
that QLockFile recognises.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLockFile, QObject, QTimer
from shiboken6 import Shiboken

from tunewise.core.recovery import RecoveryEntry, RecoveryStore
from tunewise.ui.controller import ProjectController

DELAY_MS = 15_000  # well inside the promise of "at most 60 s after a change"
log = logging.getLogger("tunewise")


def _lock_path(store: RecoveryStore, key: str) -> str:
    return str(store.folder / f"{key}.lock")


def orphaned_entries(store: RecoveryStore) -> list[RecoveryEntry]:
    """Recovery copies whose window is gone (crashed or killed), newest first."""
    orphans = []
    for entry in store.pending():
        lock = QLockFile(_lock_path(store, entry.key))
        lock.setStaleLockTime(0)
        if lock.tryLock(0):  # nobody holds it: the window that wrote it is gone
            lock.unlock()
            orphans.append(entry)
    return orphans


def discard_entry(store: RecoveryStore, entry: RecoveryEntry) -> None:
    store.discard(entry.key)


class Autosaver(QObject):
    def __init__(self, controller: ProjectController, store: RecoveryStore,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store = store
        self.key = store.new_key()
        self.store.folder.mkdir(parents=True, exist_ok=True)
        self._lock = QLockFile(_lock_path(store, self.key))
        self._lock.setStaleLockTime(0)
        self._lock.tryLock(0)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self.write_now)
        controller.undo_stack.indexChanged.connect(self._changed)
        controller.modifiedChanged.connect(self._modified_changed)

    def _window_alive(self) -> bool:
        # A dying window's undo stack empties itself and signals "clean"; that is no reason to
        # delete the recovery copy (in a crash, nothing would run at all).
        return bool(Shiboken.isValid(self.controller.undo_stack))

    def _changed(self, _index: int) -> None:
        if self._window_alive() and self.controller.modified and not self.timer.isActive():
            self.timer.start()

    def _modified_changed(self, modified: bool) -> None:
        if not modified and self._window_alive():  # saved, undone to clean, or a new document
            self.timer.stop()
            self.store.discard(self.key)

    def write_now(self) -> None:
        """Write the recovery copy now if there is anything unsaved (also used on a crash)."""
        self.timer.stop()
        if not self.controller.modified:
            return
        try:
            self.store.write(self.key, self.controller.project, self.controller.path)
        except OSError:
            log.exception("Could not write the recovery copy")
            return

    def discard(self) -> None:
        """The user chose to throw the changes away: the copy goes too."""
        self.timer.stop()
        self.store.discard(self.key)

    def close(self) -> None:
        """The window closes normally: drop the copy and release the lock."""
        self.discard()
        self._lock.unlock()
