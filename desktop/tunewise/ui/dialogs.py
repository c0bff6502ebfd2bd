"""Every blocking dialog Tunewise shows goes through this module.

Tests replace these functions (monkeypatch `tunewise.ui.dialogs.<name>`) so that no test ever
waits on a real modal dialog. Callers must import the module, not the functions
(`from tunewise.ui import dialogs; dialogs.error(...)`), or the replacement would not reach them.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

if TYPE_CHECKING:
    from tunewise.core.recovery import RecoveryEntry

PROJECT_FILTER = "Tunewise projects (*.tunewise);;All files (*)"


class SaveChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def open_file_name(parent: QWidget | None, title: str, folder: str = "",
                   filter: str = PROJECT_FILTER) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, folder, filter)
    return Path(name) if name else None


def save_file_name(parent: QWidget | None, title: str, suggested: str = "",
                   filter: str = PROJECT_FILTER) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter)
    return Path(name) if name else None


def error(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def information(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.information(parent, title, message)


def ask_save_changes(parent: QWidget | None, document_name: str) -> SaveChoice:
    box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                      f"Save the changes to “{document_name}” before closing it?",
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, parent)
    box.setInformativeText("If you don't save, your changes since the last save are lost.")
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return SaveChoice.SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return SaveChoice.DISCARD
    return SaveChoice.CANCEL


def exec_print_dialog(parent: QWidget | None, printer: QPrinter) -> bool:
    """Let the user pick a printer, page range and copies; True if they chose to print."""
    dialog = QPrintDialog(printer, parent)
    return dialog.exec() == QPrintDialog.DialogCode.Accepted


def about(parent: QWidget | None, title: str, html: str) -> None:
    QMessageBox.about(parent, title, html)


def show_document(parent: QWidget | None, title: str, html: str) -> None:
    """A read-only page of rich text, e.g. the guide to the method."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.resize(640, 560)
    browser = QTextBrowser(dialog)
    browser.setOpenExternalLinks(True)
    browser.setHtml(html)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    layout.addWidget(buttons)
    dialog.exec()


class ExternalChoice(Enum):
    OVERWRITE = "overwrite"
    SAVE_AS = "save_as"
    CANCEL = "cancel"


class RestoreChoice(Enum):
    RESTORE = "restore"
    DISCARD = "discard"
    LATER = "later"


def ask_open_read_only(parent: QWidget | None, document_name: str, holder: str) -> bool:
    """Another instance has the file open; True to open it read-only anyway."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Project already open",
                      f"“{document_name}” is open in {holder}.", parent=parent)
    box.setInformativeText("Two windows saving the same file would overwrite each other's "
                           "work. You can open it read-only and save a copy under another name.")
    read_only = box.addButton("Open &Read-Only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is read_only


def ask_external_change(parent: QWidget | None, document_name: str) -> ExternalChoice:
    """The file changed on disk since it was opened or saved here."""
    box = QMessageBox(QMessageBox.Icon.Warning, "File changed on disk",
                      f"“{document_name}” was changed by another program since Tunewise last "
                      "read or saved it.", parent=parent)
    box.setInformativeText("Overwriting replaces those changes with yours. Saving under another "
                           "name keeps both.")
    overwrite = box.addButton("&Overwrite", QMessageBox.ButtonRole.DestructiveRole)
    save_as = box.addButton("Save &As…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save_as)
    box.exec()
    if box.clickedButton() is overwrite:
        return ExternalChoice.OVERWRITE
    if box.clickedButton() is save_as:
        return ExternalChoice.SAVE_AS
    return ExternalChoice.CANCEL


def ask_restore(parent: QWidget | None, entries: list[RecoveryEntry]
                ) -> tuple[RestoreChoice, RecoveryEntry | None]:
    """Unsaved work survived a crash: restore one copy, discard them all, or decide later."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle("Restore unsaved work")
    label = QLabel("Tunewise closed unexpectedly last time. These plans had changes that were "
                   "not saved; pick one to restore.")
    label.setWordWrap(True)
    choices = QListWidget()
    for entry in entries:
        when = entry.saved_at.astimezone().strftime("%d %b %Y, %H:%M")
        choices.addItem(f"{entry.title} — copy saved {when}")
        where = str(entry.source) if entry.source else "never saved to a file"
        choices.item(choices.count() - 1).setToolTip(where)
    choices.setCurrentRow(0)
    choices.setMinimumWidth(max(460, choices.sizeHintForColumn(0) + 24))
    choices.setMaximumHeight(max(80, choices.sizeHintForRow(0) * min(len(entries), 8) + 12))
    buttons = QDialogButtonBox()
    restore = buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
    discard = buttons.addButton("&Discard All", QDialogButtonBox.ButtonRole.DestructiveRole)
    buttons.addButton("Ask &Later", QDialogButtonBox.ButtonRole.RejectRole)
    clicked: list[object] = []

    def chosen(button: object) -> None:
        clicked.append(button)
        dialog.accept()

    buttons.clicked.connect(chosen)
    layout = QVBoxLayout(dialog)
    layout.addWidget(label)
    layout.addWidget(choices)
    layout.addWidget(buttons)
    dialog.exec()
    if clicked and clicked[0] is restore and choices.currentRow() >= 0:
        return RestoreChoice.RESTORE, entries[choices.currentRow()]
    if clicked and clicked[0] is discard:
        return RestoreChoice.DISCARD, None
    return RestoreChoice.LATER, None


def crash(parent: QWidget | None, message: str, details: str) -> None:
    """An unexpected error: say so plainly, offer the details to copy into a bug report."""
    from PySide6.QtGui import QGuiApplication

    box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error", message, parent=parent)
    box.setDetailedText(details)
    copy = box.addButton("&Copy Details", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    while box.clickedButton() is copy:  # copying does not dismiss the message
        QGuiApplication.clipboard().setText(details)
        box.exec()
