"""Per-window document safety: the file lock, the on-disk signature, and the recovery copy.

The main window asks this object before opening and saving, and tells it after; it never
decides anything about the project itself. Together with ui/autosave.py and ui/crash.py this is
what keeps a user's plan safe from crashes, other programs and a second Tunewise.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from tunewise.core.recovery import RecoveryStore
from tunewise.core.storage import ProjectFileError, file_signature, load_project
from tunewise.paths import resources_dir
from tunewise.ui import dialogs
from tunewise.ui.controller import ProjectController
from tunewise.ui.files.autosave import Autosaver, orphaned_entries
from tunewise.ui.files.doclock import DocumentLock


def is_bundled_example(path: Path) -> bool:
    """The examples shipped with Tunewise open like any file but are never saved over."""
    return path.resolve().parent == (resources_dir() / "examples").resolve()


class SaveCheck(Enum):
    GO = "go"
    SAVE_AS = "save_as"
    CANCEL = "cancel"


class DocumentGuard(QObject):
    def __init__(self, window: QWidget, controller: ProjectController,
                 store: RecoveryStore | None) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.autosaver = Autosaver(controller, store, self) if store is not None else None
        self.lock: DocumentLock | None = None
        self.signature: tuple[int, int] | None = None
        self.read_only = False

    # ---- opening ------------------------------------------------------------------------

    def claim(self, path: Path) -> tuple[DocumentLock | None, bool] | None:
        """Lock a file about to be opened: (lock, read_only), or None if the user backed out."""
        if self.lock is not None and self.lock.path == path:
            return self.lock, self.read_only  # reopening our own file
        lock = DocumentLock(path)
        if lock.acquire():
            return lock, False
        if dialogs.ask_open_read_only(self.window, path.name, lock.holder()):
            return None, True
        return None

    def opened(self, path: Path | None, lock: DocumentLock | None, read_only: bool) -> None:
        """A file (or a new document, path None) is now the open document."""
        if self.lock is not None and self.lock is not lock:
            self.lock.release()
        self.lock = lock
        self.read_only = read_only
        self.signature = file_signature(path) if path is not None else None

    # ---- saving -------------------------------------------------------------------------

    def check_save(self, path: Path) -> SaveCheck:
        """Before writing `path`: refuse read-only files, and ask if someone else changed it."""
        current = self.controller.path
        if is_bundled_example(path):
            dialogs.information(self.window, "Examples are kept as shipped",
                                f"“{path.name}” is one of Tunewise's examples. Save your plan "
                                "under a name of your own.")
            return SaveCheck.SAVE_AS
        if path == current and self.read_only:
            dialogs.information(self.window, "Opened read-only",
                                f"“{path.name}” is open in another Tunewise, so this window "
                                "saves a copy under another name.")
            return SaveCheck.SAVE_AS
        if path != current:
            other = DocumentLock(path)
            if not other.acquire():
                dialogs.error(self.window, "File in use",
                              f"“{path.name}” is open in {other.holder()}; choose another name.")
                return SaveCheck.CANCEL
            other.release()
            return SaveCheck.GO
        on_disk = file_signature(path)
        if on_disk is not None and self.signature is not None and on_disk != self.signature:
            choice = dialogs.ask_external_change(self.window, path.name)
            if choice is dialogs.ExternalChoice.SAVE_AS:
                return SaveCheck.SAVE_AS
            if choice is dialogs.ExternalChoice.CANCEL:
                return SaveCheck.CANCEL
        return SaveCheck.GO

    def saved(self, path: Path) -> None:
        if self.lock is None or self.lock.path != path:
            lock = DocumentLock(path)
            lock.acquire()
            self.opened(path, lock, False)
        else:
            self.signature = file_signature(path)

    # ---- leaving ------------------------------------------------------------------------

    def discarded(self) -> None:
        """The user threw the unsaved changes away: the recovery copy goes with them."""
        if self.autosaver is not None:
            self.autosaver.discard()

    def closed(self) -> None:
        if self.autosaver is not None:
            self.autosaver.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def write_recovery_copy(self) -> None:
        if self.autosaver is not None:
            self.autosaver.write_now()


def offer_recovery(window: QWidget, controller: ProjectController, guard: DocumentGuard,
                   store: RecoveryStore) -> bool:
    """At start-up: offer to restore work a crashed Tunewise left behind. True if restored."""
    entries = orphaned_entries(store)
    if not entries:
        return False
    choice, entry = dialogs.ask_restore(window, entries)
    if choice is dialogs.RestoreChoice.DISCARD:
        for each in entries:
            store.discard(each.key)
        return False
    if choice is not dialogs.RestoreChoice.RESTORE or entry is None:
        return False
    on_disk = None
    lock: DocumentLock | None = None
    read_only = False
    if entry.source is not None and entry.source.exists():
        try:
            on_disk = load_project(entry.source)
        except ProjectFileError:
            on_disk = None
        claimed = guard.claim(entry.source)
        lock, read_only = claimed if claimed is not None else (None, True)
    source = entry.source if on_disk is not None else None
    controller.restore(entry.project, source, on_disk)
    guard.opened(source, lock, read_only)
    guard.write_recovery_copy()  # this window's own copy now protects the work
    store.discard(entry.key)
    return True
