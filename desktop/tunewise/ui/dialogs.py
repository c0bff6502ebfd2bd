"""Every blocking dialog Tunewise shows goes through this module.

Tests replace these functions (monkeypatch `tunewise.ui.dialogs.<name>`) so that no test ever
waits on a real modal dialog. Callers must import the module, not the functions
(`from tunewise.ui import dialogs; dialogs.error(...)`), or the replacement would not reach them.

Messages often carry file names and text read from files, so every message box is built by
`message_box`, which shows its text and informative text as plain text: a file never decides
what a dialog renders. Each modal box runs through `run`, which a test can replace to look at
the box without waiting on it.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget

if TYPE_CHECKING:
    from datetime import date

    from tunewise.core.market import Market, Offering
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


def message_box(icon: QMessageBox.Icon, title: str, text: str, parent: QWidget | None,
                buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
                informative: str = "") -> QMessageBox:
    """A message box whose text and informative text are plain text, whatever they contain."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if informative:
        box.setInformativeText(informative)
        # Qt gives the informative text a label of its own that guesses at rich text.
        for label in box.findChildren(QLabel, "qt_msgbox_informativelabel"):
            label.setTextFormat(Qt.TextFormat.PlainText)
    return box


def run(box: QMessageBox) -> int:
    """Show a modal message box and wait for the answer (replaced in tests)."""
    return box.exec()


def error(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    box = message_box(QMessageBox.Icon.Critical, title, message, parent,
                      QMessageBox.StandardButton.Ok)
    if details:
        box.setDetailedText(details)
    run(box)


def information(parent: QWidget | None, title: str, message: str) -> None:
    run(message_box(QMessageBox.Icon.Information, title, message, parent,
                    QMessageBox.StandardButton.Ok))


def confirm(parent: QWidget | None, title: str, question: str, informative: str,
            action: str) -> bool:
    """Ask before doing something that cannot be undone; True if the user chose `action`."""
    box = message_box(QMessageBox.Icon.Question, title, question, parent,
                      informative=informative)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    run(box)
    return box.clickedButton() is go


def choose_offering(parent: QWidget | None, market: Market, on: date, current: str | None,
                    approach_label: str = "") -> Offering | None:
    """Pick a fine-tuning offering from the catalogue; None if cancelled."""
    from tunewise.ui.market.offerings import OfferingChooser

    dialog = OfferingChooser(market, on, current, parent, approach_label)
    try:
        if dialog.exec() == OfferingChooser.DialogCode.Accepted:
            return dialog.chosen()
        return None
    finally:
        dialog.deleteLater()


def show_offerings(parent: QWidget | None, market: Market, on: date) -> None:
    """The whole offerings catalogue, to read."""
    from tunewise.ui.market.offerings import OfferingsWindow

    dialog = OfferingsWindow(market, on, parent)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()


def ask_save_changes(parent: QWidget | None, document_name: str) -> SaveChoice:
    box = message_box(QMessageBox.Icon.Warning, "Unsaved changes",
                      f"Save the changes to “{document_name}” before closing it?", parent,
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel,
                      "If you don't save, your changes since the last save are lost.")
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = run(box)
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
    """Tunewise's own rich text (helptext.py); never file or user text."""
    QMessageBox.about(parent, title, html)


def show_document(parent: QWidget | None, title: str, html: str) -> None:
    """A read-only page of Tunewise's own rich text, e.g. the guide to the method."""
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
    box = message_box(QMessageBox.Icon.Warning, "Project already open",
                      f"“{document_name}” is open in {holder}.", parent,
                      informative="Two windows saving the same file would overwrite each "
                      "other's work. You can open it read-only and save a copy under another "
                      "name.")
    read_only = box.addButton("Open &Read-Only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    run(box)
    return box.clickedButton() is read_only


def ask_external_change(parent: QWidget | None, document_name: str) -> ExternalChoice:
    """The file changed on disk since it was opened or saved here."""
    box = message_box(QMessageBox.Icon.Warning, "File changed on disk",
                      f"“{document_name}” was changed by another program since Tunewise last "
                      "read or saved it.", parent,
                      informative="Overwriting replaces those changes with yours. Saving under "
                      "another name keeps both.")
    overwrite = box.addButton("&Overwrite", QMessageBox.ButtonRole.DestructiveRole)
    save_as = box.addButton("Save &As…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save_as)
    run(box)
    if box.clickedButton() is overwrite:
        return ExternalChoice.OVERWRITE
    if box.clickedButton() is save_as:
        return ExternalChoice.SAVE_AS
    return ExternalChoice.CANCEL


def ask_restore(parent: QWidget | None, entries: list[RecoveryEntry]
                ) -> tuple[RestoreChoice, RecoveryEntry | None]:
    """Unsaved work survived a crash: restore one copy, discard them all, or decide later."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidget, QVBoxLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle("Restore unsaved work")
    label = QLabel("Tunewise closed unexpectedly last time. These plans had changes that were "
                   "not saved; pick one to restore.")
    label.setTextFormat(Qt.TextFormat.PlainText)
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

    box = message_box(QMessageBox.Icon.Critical, "Unexpected error", message, parent)
    box.setDetailedText(details)
    copy = box.addButton("&Copy Details", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    run(box)
    while box.clickedButton() is copy:  # copying does not dismiss the message
        QGuiApplication.clipboard().setText(details)
        run(box)


def export_done(parent: QWidget | None, title: str, path: Path) -> None:
    """End an export: say where the file went, with a button that opens its folder."""
    from PySide6.QtCore import Qt

    box = QMessageBox(QMessageBox.Icon.Information, title,
                      f"Saved “{path.name}” in {path.parent}.", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # a folder name is never markup
    show = box.addButton("Open &Folder", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Ok)
    box.setDefaultButton(QMessageBox.StandardButton.Ok)
    box.exec()
    if box.clickedButton() is show and not open_folder(path.parent):
        error(parent, title, f"Could not open the folder {path.parent} in a file manager.")


def open_folder(folder: Path) -> bool:
    """Show a folder in the system's file manager; False if none could be started."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))


def notice(parent: QWidget | None, title: str, message: str) -> None:
    """Something the user must know that needs no answer (autosave is off, no recovery copy).

    Shown without blocking: it may arrive from a timer while the user works, and the window
    stays usable behind it. Plain text, so a folder name never decides what is rendered.
    """
    from PySide6.QtCore import Qt

    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.show()
