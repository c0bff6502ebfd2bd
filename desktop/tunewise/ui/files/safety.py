"""Per-window document safety: the file lock, the on-disk signature, and the recovery copy.

The main window asks this object before opening and saving, and tells it after; it never
decides anything about the project itself. Together with autosave.py and crash.py this is what
keeps a user's plan safe from crashes, other programs and a second Tunewise.

The signature is the digest of the bytes this window read or wrote, not of what is on disk a
moment later, so an outside write between reading and recording is still noticed. A Save As
target's lock is taken before the save and kept, never released and taken again.
"""

from __future__ import annotations

import errno
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from tunewise.core import files
from tunewise.core.project import Project
from tunewise.core.recovery import RecoveryStore
from tunewise.core.storage import (
    ProjectFileError,
    file_signature,
    project_to_bytes,
    read_project,
)
from tunewise.paths import resources_dir
from tunewise.ui import dialogs
from tunewise.ui.controller import ProjectController
from tunewise.ui.files.autosave import Autosaver, CopyResult, CopyStatus, orphaned_entries
from tunewise.ui.files.doclock import DocumentLock, real_path


def is_bundled_example(path: Path) -> bool:
    """The examples shipped with Tunewise open like any file but are never saved over."""
    return real_path(path).parent == (resources_dir() / "examples").resolve()


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
        self.signature: str | None = None  # digest of the bytes last read or written here
        self.read_only = False
        self._pending: DocumentLock | None = None  # a Save As target's lock, held over the save
        if self.autosaver is not None:
            self.autosaver.copyFailed.connect(self._copy_failed)
            if self.autosaver.off_reason is not None:
                QTimer.singleShot(0, self, self._tell_autosave_off)

    # ---- telling the truth about autosave -------------------------------------------------

    def _tell_autosave_off(self) -> None:
        reason = self.autosaver.off_reason if self.autosaver is not None else None
        if reason:
            dialogs.notice(self.window, "Autosave is off",
                           f"Tunewise cannot keep recovery copies of unsaved work: {reason}. "
                           "Everything else works; save your plan often.")

    def _copy_failed(self, reason: str) -> None:
        saver = self.autosaver
        since = saver.last_written if saver is not None else None
        if since is None:
            state = "Your unsaved changes have no recovery copy"
        else:
            state = ("The last recovery copy holds your changes as of "
                     f"{since.astimezone():%H:%M}; later ones have none")
        dialogs.notice(self.window, "No recovery copy",
                       f"{state}: {reason}. Save your plan to keep it.")

    # ---- opening ------------------------------------------------------------------------

    def claim(self, path: Path) -> tuple[DocumentLock | None, bool] | None:
        """Lock a file about to be opened: (lock, read_only), or None if the user backed out."""
        if self.lock is not None and self.lock.covers(path):
            return self.lock, self.read_only  # reopening our own file
        lock = DocumentLock(path)
        if lock.acquire():
            return lock, False
        if dialogs.ask_open_read_only(self.window, path.name, lock.holder()):
            return None, True
        return None

    @staticmethod
    def read(path: Path) -> tuple[Project, str]:
        """The project in a file and the signature of the very bytes it came from."""
        return read_project(path)

    def opened(self, path: Path | None, lock: DocumentLock | None, read_only: bool,
               signature: str | None = None) -> None:
        """A file (or a new document, path None) is now the open document.

        `signature` is the digest of the bytes the project was read from; without it the
        file is read again now.
        """
        if self.lock is not None and self.lock is not lock:
            self.lock.release()
        self.lock = lock
        self.read_only = read_only
        if path is None:
            self.signature = None
        else:
            self.signature = signature if signature is not None else file_signature(path)

    # ---- saving -------------------------------------------------------------------------

    def _is_current(self, path: Path) -> bool:
        current = self.controller.path
        return current is not None and (path == current or real_path(path) == real_path(current))

    def _refused(self, path: Path) -> SaveCheck | None:
        """A target no save may write: write-protected, a pipe or device, a link to nothing."""
        try:
            files.write_target(path)
        except files.FileRefused as error:
            if error.errno == errno.EACCES:
                dialogs.information(self.window, "File is write-protected",
                                    f"“{path.name}” is write-protected, so Tunewise leaves it "
                                    "as it is. Save your plan under another name.")
            else:
                dialogs.error(self.window, "Cannot save there",
                              f"“{path.name}” {error.strerror}; Tunewise saves plans only to "
                              "files. Choose another name.")
            return SaveCheck.SAVE_AS
        return None

    def check_save(self, path: Path) -> SaveCheck:
        """Before writing `path`: refuse what must not be written, ask if someone else changed it.

        On GO for a file other than the open one, its lock is held until `saved` or
        `save_failed`.
        """
        self.save_failed()
        if is_bundled_example(path):
            dialogs.information(self.window, "Examples are kept as shipped",
                                f"“{path.name}” is one of Tunewise's examples. Save your plan "
                                "under a name of your own.")
            return SaveCheck.SAVE_AS
        current = self._is_current(path)
        if current and self.read_only:
            dialogs.information(self.window, "Opened read-only",
                                f"“{path.name}” is open in another Tunewise, so this window "
                                "saves a copy under another name.")
            return SaveCheck.SAVE_AS
        refused = self._refused(path)
        if refused is not None:
            return refused
        if not current or self.lock is None or not self.lock.covers(path):
            other = DocumentLock(path)
            if not other.acquire():
                dialogs.error(self.window, "File in use",
                              f"“{path.name}” is open in {other.holder()}; choose another name.")
                return SaveCheck.CANCEL
            self._pending = other
        if not current:
            return SaveCheck.GO
        on_disk = file_signature(path)
        if on_disk is not None and self.signature is not None and on_disk != self.signature:
            choice = dialogs.ask_external_change(self.window, path.name)
            if choice is not dialogs.ExternalChoice.OVERWRITE:
                self.save_failed()
                if choice is dialogs.ExternalChoice.SAVE_AS:
                    return SaveCheck.SAVE_AS
                return SaveCheck.CANCEL
        return SaveCheck.GO

    def saved(self, path: Path) -> None:
        """The project was written to `path`: it holds exactly what the controller holds now."""
        signature = files.digest(project_to_bytes(self.controller.project))
        pending, self._pending = self._pending, None
        if pending is not None:
            self.opened(path, pending, False, signature)
        else:
            self.signature = signature

    def save_failed(self) -> None:
        """The save did not happen: a Save As target's lock is let go."""
        if self._pending is not None:
            self._pending.release()
            self._pending = None

    # ---- leaving ------------------------------------------------------------------------

    def discarded(self) -> None:
        """The user threw the unsaved changes away: the recovery copy goes with them."""
        if self.autosaver is not None:
            self.autosaver.discard()

    def closed(self) -> None:
        try:
            self.save_failed()
            if self.autosaver is not None:
                self.autosaver.close()
        finally:
            if self.lock is not None:
                self.lock.release()
                self.lock = None

    def write_recovery_copy(self) -> CopyResult:
        if self.autosaver is not None:
            return self.autosaver.write_now()
        return CopyResult(CopyStatus.NOTHING_UNSAVED)


def offer_recovery(window: QWidget, controller: ProjectController, guard: DocumentGuard,
                   store: RecoveryStore) -> bool:
    """At start-up: offer to restore work a crashed Tunewise left behind. True if restored.

    The restored copy stays on disk until this window has written its own copy over it, saved
    or discarded the changes. Copies from a newer Tunewise are kept and mentioned, not offered.
    """
    scan = store.scan()
    if scan.newer:
        count = len(scan.newer)
        dialogs.notice(window, "Recovery copies from a newer Tunewise",
                       f"{count} recovery cop{'ies were' if count != 1 else 'y was'} written by "
                       "a newer version of Tunewise and cannot be restored by this one. "
                       f"{'They are' if count != 1 else 'It is'} kept in {store.folder}; open "
                       "the newer Tunewise to restore them.")
    entries = orphaned_entries(store, scan)
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
    signature = None
    lock = None
    read_only = False
    if entry.source is not None and entry.source.exists():
        try:
            on_disk, signature = read_project(entry.source)
        except ProjectFileError:
            on_disk = None
        claimed = guard.claim(entry.source)
        lock, read_only = claimed if claimed is not None else (None, True)
    source = entry.source if on_disk is not None else None
    controller.restore(entry.project, source, on_disk)
    guard.opened(source, lock, read_only, signature)
    saver = guard.autosaver
    if saver is not None and saver.adopt(entry):
        saver.write_now()  # replaces the adopted copy only once the new one is complete
        return True
    if saver is not None:
        saver.last_written = entry.saved_at  # until a new copy is written, the old one holds it
    if guard.write_recovery_copy().status is CopyStatus.WRITTEN:
        store.discard(entry.key)
    return True

