"""The main window: flowchart and steps on the left, the wizard on the right, and the menus.

It handles whole documents (new, open, save, close, recent files, drag and drop), asks before
unsaved changes are lost, and keeps window geometry and recent files in QSettings, never in the
project file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tunewise.core.evaluation import Evaluation
from tunewise.core.project import Project
from tunewise.core.recovery import RecoveryStore
from tunewise.core.storage import EXTENSION, ProjectFileError
from tunewise.paths import resource
from tunewise.ui import dialogs, helptext
from tunewise.ui.controller import ProjectController
from tunewise.ui.files.safety import DocumentGuard, SaveCheck
from tunewise.ui.wizard import Wizard
from tunewise.ui.wizard.flowchart import FlowchartWidget

MAX_RECENT = 8


def app_icon() -> QIcon:
    icon = QIcon()
    for name in ("tunewise.svg", "tunewise.png"):
        path = resource("icons", name)
        if path.exists():
            icon.addFile(str(path))
    return icon


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None,
                 controller: ProjectController | None = None,
                 recovery: RecoveryStore | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.controller = controller or ProjectController(Project(), self)
        # Lock on the open file, its signature on disk, and autosave (when given a store).
        self.guard = DocumentGuard(self, self.controller, recovery)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.wizard = Wizard(self.controller)
        self.flowchart = FlowchartWidget()
        self.flowchart.questionClicked.connect(self.wizard.show_page)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName("Current recommendation")
        self.steps = QListWidget()
        self.steps.setAccessibleName("Steps")
        self.steps.currentRowChanged.connect(self._step_chosen)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 6, 0, 6)
        side_layout.addWidget(self.flowchart, 3)
        side_layout.addWidget(self.verdict)
        side_layout.addWidget(self.steps, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(side)
        self.splitter.addWidget(self.wizard)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([280, 1000])
        self.setCentralWidget(self.splitter)

        self._build_menus()
        self.controller.evaluated.connect(self._evaluated)
        self.controller.modifiedChanged.connect(self.setWindowModified)
        self.controller.pathChanged.connect(lambda _p: self._update_title())
        self.controller.projectReplaced.connect(self._project_replaced)
        self.wizard.currentIdChanged.connect(self._page_changed)
        self.wizard.pageMarksChanged.connect(self._fill_steps)
        self._fill_steps()
        self._evaluated(self.controller.evaluation)
        self._restore_settings()

    # ---- menus --------------------------------------------------------------------------

    def _action(self, text: str, slot: object, shortcut: QKeySequence.StandardKey | str | None
                = None, menu: QMenu | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        if menu is not None:
            menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        keys = QKeySequence.StandardKey
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = self._action("&New", self.new_project, keys.New, file_menu)
        self.open_action = self._action("&Open…", lambda: self.open_project(), keys.Open,
                                        file_menu)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.save_action = self._action("&Save", self.save, keys.Save, file_menu)
        self.save_as_action = self._action("Save &As…", self.save_as, keys.SaveAs, file_menu)
        self.close_action = self._action("&Close", self.close_project, keys.Close, file_menu)
        file_menu.addSeparator()
        self._action("&Export Report as PDF…", self.export_report, None, file_menu)
        self._action("&Print…", self.print_report, keys.Print, file_menu)
        self._action("Print Pre&view…", self.preview_report, None, file_menu)
        export_menu = file_menu.addMenu("Export &Chart")
        dashboard = self.wizard.dashboard
        self._action("Chart as &PNG…", dashboard.export_png, None, export_menu)
        self._action("Chart as &SVG…", dashboard.export_svg, None, export_menu)
        self._action("Cost series as &CSV…", dashboard.export_csv, None, export_menu)
        file_menu.addSeparator()
        self.quit_action = self._action("&Quit", self.close, keys.Quit, file_menu)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self.controller.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(keys.Undo))
        self.redo_action = self.controller.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(keys.Redo))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        go_menu = self.menuBar().addMenu("&Go")
        self._action("&Back", self.wizard.back, "Alt+Left", go_menu)
        self._action("&Next", self.wizard.next, "Alt+Right", go_menu)
        self._action("&Results", lambda: self.wizard.show_page("results"), "Ctrl+R", go_menu)

        help_menu = self.menuBar().addMenu("&Help")
        self._action("&Guide to the Method", self.show_guide, keys.HelpContents, help_menu)
        about = self._action("&About Tunewise", self.show_about, None, help_menu)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        self._fill_recent_menu()

    # ---- reacting to the project --------------------------------------------------------

    def _evaluated(self, evaluation: Evaluation) -> None:
        self.flowchart.set_assessment(evaluation.assessment)
        a = evaluation.assessment
        self.verdict.setText(f"<b>Now:</b> {a.headline}<br>Confidence: {a.confidence}")
        self._update_title()

    def _project_replaced(self) -> None:
        self._evaluated(self.controller.evaluation)
        self.wizard.show_page("project")

    def _update_title(self) -> None:
        name = self.controller.document_name()
        read_only = " (read-only)" if self.guard.read_only else ""
        self.setWindowTitle(f"{name}{read_only}[*] — Tunewise")
        self.setWindowModified(self.controller.modified)

    def _fill_steps(self) -> None:
        self.steps.blockSignals(True)
        self.steps.clear()
        for page in self.wizard.pages:
            text = page.title()
            item = QListWidgetItem(text + ("  (optional)" if getattr(page, "optional", False)
                                          else ""))
            if getattr(page, "optional", False):
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
                item.setForeground(Qt.GlobalColor.darkGray)
            self.steps.addItem(item)
        self.steps.setCurrentRow(max(self.wizard.currentId(), 0))
        self.steps.blockSignals(False)

    def _page_changed(self, page_id: int) -> None:
        self.steps.blockSignals(True)
        self.steps.setCurrentRow(page_id)
        self.steps.blockSignals(False)

    def _step_chosen(self, row: int) -> None:
        if 0 <= row < len(self.wizard.pages):
            self.wizard.show_page(getattr(self.wizard.pages[row], "key", ""))

    # ---- documents ----------------------------------------------------------------------

    def maybe_save(self) -> bool:
        """True if it is fine to drop the open project (saved, discarded or unchanged)."""
        if not self.controller.modified:
            return True
        choice = dialogs.ask_save_changes(self, self.controller.document_name())
        if choice is dialogs.SaveChoice.SAVE:
            return self.save()
        if choice is dialogs.SaveChoice.DISCARD:
            self.guard.discarded()
            return True
        return False

    def new_project(self) -> None:
        if self.maybe_save():
            self.controller.new()
            self.guard.opened(None, None, False)
            self._update_title()

    def close_project(self) -> None:
        """Close the document; the window stays with a fresh untitled plan."""
        self.new_project()

    def open_project(self, path: Path | None = None) -> bool:
        if not self.maybe_save():
            return False
        if path is None:
            folder = str(self.controller.path.parent) if self.controller.path else ""
            path = dialogs.open_file_name(self, "Open project", folder)
            if path is None:
                return False
        return self.load(path)

    def load(self, path: Path) -> bool:
        """Open a file without asking; a bad file leaves the open project as it was."""
        claimed = self.guard.claim(path)
        if claimed is None:  # open elsewhere, and the user chose not to open a read-only copy
            return False
        lock, read_only = claimed
        try:
            self.controller.open(path)
        except ProjectFileError as error:
            if lock is not None and lock is not self.guard.lock:
                lock.release()
            dialogs.error(self, "Could not open the project", str(error))
            return False
        self.guard.opened(path, lock, read_only)
        self._remember(path)
        self._update_title()
        return True

    def save(self) -> bool:
        if self.controller.path is None:
            return self.save_as()
        return self._save_to(self.controller.path)

    def save_as(self) -> bool:
        suggested = (str(self.controller.path) if self.controller.path
                     else self.controller.project.metadata.name + EXTENSION)
        path = dialogs.save_file_name(self, "Save project as", suggested)
        if path is None:
            return False
        if path.suffix != EXTENSION:
            path = path.with_name(path.name + EXTENSION)
        return self._save_to(path, chosen_by_user=True)

    def _save_to(self, path: Path, chosen_by_user: bool = False) -> bool:
        check = self.guard.check_save(path)
        if check is SaveCheck.SAVE_AS:
            # Read-only, or changed on disk and the user wants a new name; never loop on it.
            return False if chosen_by_user else self.save_as()
        if check is SaveCheck.CANCEL:
            return False
        try:
            self.controller.save(path)
        except ProjectFileError as error:
            # The old file is untouched and the document stays modified; say what happened.
            dialogs.error(self, "Could not save the project",
                          f"{error} Your changes are still open here; try another folder.")
            return False
        self.guard.saved(path)
        self._remember(path)
        self._update_title()
        return True

    # ---- recent files -------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def _remember(self, path: Path) -> None:
        name = str(path.resolve())
        files = [name] + [f for f in self.recent_files() if f != name]
        self.settings.setValue("recentFiles", files[:MAX_RECENT])
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for i, name in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{i} {Path(name).name}")
            action.setToolTip(name)
            action.triggered.connect(lambda _=False, n=name: self.open_project(Path(n)))
        self.recent_menu.setEnabled(bool(files))
        if files:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("Clear &Menu")
            clear.triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        self.settings.setValue("recentFiles", [])
        self._fill_recent_menu()

    # ---- report ---------------------------------------------------------------------------

    def export_report(self) -> None:
        from tunewise.ui.results import report_view  # reportlab loads on first use

        report_view.export_report_pdf(self, self.controller.project)

    def print_report(self) -> None:
        from tunewise.ui.results import report_view

        report_view.print_report(self, self.controller.project)

    def preview_report(self) -> None:
        from tunewise.ui.results import report_view

        report_view.preview_report(self, self.controller.project)

    # ---- help ---------------------------------------------------------------------------

    def show_about(self) -> None:
        dialogs.about(self, "About Tunewise", helptext.about_html())

    def show_guide(self) -> None:
        dialogs.show_document(self, "Guide to the method", helptext.GUIDE_HTML)

    # ---- drag and drop ------------------------------------------------------------------

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().endswith(EXTENSION):
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_project(path)

    # ---- settings and closing -----------------------------------------------------------

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(1280, 800)
        for key, splitter in (("window/splitter", self.splitter),
                              ("window/dashboardTop", self.wizard.dashboard.top)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray | bytes):
                splitter.restoreState(QByteArray(state))

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/dashboardTop", self.wizard.dashboard.top.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            self.save_settings()
            self.guard.closed()
            event.accept()
        else:
            event.ignore()
