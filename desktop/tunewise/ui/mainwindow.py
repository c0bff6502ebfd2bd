"""The main window: flowchart and steps on the left, the wizard on the right, and the menus.

It handles whole documents (new, open, save, close, recent files, drag and drop), asks before
unsaved changes are lost, and keeps window geometry and recent files in QSettings (under
TUNEWISE_HOME when that is set), never in the project file. The title bar names the plan and its
file; F1 explains the page in view.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QLabel,
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
from tunewise.ui import dialogs, helptext, places
from tunewise.ui.controller import ProjectController, not_applied_sentence
from tunewise.ui.files import locations
from tunewise.ui.files.safety import DocumentGuard, SaveCheck
from tunewise.ui.market.prices_menu import PricesMenu
from tunewise.ui.recent import RecentFiles
from tunewise.ui.screens import fit_window
from tunewise.ui.steplist import StepList
from tunewise.ui.wizard import Wizard
from tunewise.ui.wizard.flowchart import FlowchartWidget

DEFAULT_SIZE = (1280, 800)
# Plan names longer than this are cut short in the title bar, which has other things to show.
TITLE_NAME_CHARS = 60


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
        self.settings = settings if settings is not None else locations.app_settings()
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
        self.steps = StepList()
        self.steps.opened.connect(self._step_chosen)
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
        self.controller.notAppliedChanged.connect(self._not_applied_changed)
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
        self.recent = RecentFiles(self.settings, self.recent_menu)
        self.recent.chosen.connect(self.open_recent)
        self.save_action = self._action("&Save", self.save, keys.Save, file_menu)
        self.save_as_action = self._action("Save &As…", self.save_as, keys.SaveAs, file_menu)
        self.close_action = self._action("&Close", self.close_project, keys.Close, file_menu)
        file_menu.addSeparator()
        self._action("&Import Examples…", lambda: self.import_examples(), None, file_menu)
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
        edit_menu.addSeparator()
        view = dashboard.uncertainty
        self._action("Ra&nges…", view.open_ranges, None, edit_menu)
        self._action("&Scenarios…", view.open_scenarios, None, edit_menu)

        go_menu = self.menuBar().addMenu("&Go")
        self._action("&Back", self.wizard.back, "Alt+Left", go_menu)
        self._action("&Next", self.wizard.next, "Alt+Right", go_menu)
        self._action("&Results", lambda: self.wizard.show_page("results"), "Ctrl+R", go_menu)

        self.prices = PricesMenu(self, self.controller)
        self.menuBar().addMenu(self.prices.menu)

        help_menu = self.menuBar().addMenu("&Help")
        self.page_help_action = self._action("Help for This &Page", self.show_page_help, None,
                                             help_menu)
        # F1 everywhere, and the platform's own help key where that is another (Ctrl+? on macOS).
        help_keys = [QKeySequence(Qt.Key.Key_F1)]
        platform_key = QKeySequence(keys.HelpContents)
        if not platform_key.isEmpty() and platform_key != help_keys[0]:
            help_keys.append(platform_key)
        self.page_help_action.setShortcuts(help_keys)
        self._action("&Guide to the Method", self.show_guide, None, help_menu)
        about = self._action("&About Tunewise", self.show_about, None, help_menu)
        about.setMenuRole(QAction.MenuRole.AboutRole)

    # ---- reacting to the project --------------------------------------------------------

    def _evaluated(self, evaluation: Evaluation) -> None:
        self.flowchart.set_assessment(evaluation.assessment)
        a = evaluation.assessment
        refused = not_applied_sentence(self.controller.not_applied())
        self.verdict.setText(f"<b>Now:</b> {escape(a.headline)}<br>Confidence: {a.confidence}"
                             + (f"<br><b>{escape(refused)}</b>" if refused else ""))
        self._update_title()

    def _not_applied_changed(self) -> None:
        self._evaluated(self.controller.evaluation)

    def _project_replaced(self) -> None:
        self._evaluated(self.controller.evaluation)
        self.wizard.show_page("project")

    def _update_title(self) -> None:
        """'Support bot for Acme Cloud — support-bot.tunewise[*] — Tunewise'."""
        plan = " ".join(self.controller.project.metadata.name.split()) or "Untitled plan"
        if len(plan) > TITLE_NAME_CHARS:
            plan = plan[:TITLE_NAME_CHARS - 1].rstrip() + "…"
        parts = [plan.replace("[*]", "[*][*]")]  # a literal "[*]" in a name stays literal
        if self.controller.path is not None:
            parts.append(self.controller.path.name.replace("[*]", "[*][*]"))
        read_only = " (read-only)" if self.guard.read_only else ""
        self.setWindowTitle(f"{' — '.join(parts)}{read_only}[*] — Tunewise")
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
            folder = str(places.start_folder(self.controller.path))
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
            # The signature is of the very bytes read, so a change right after is noticed.
            project, signature = self.guard.read(path)
        except BaseException as error:
            if lock is not None and lock is not self.guard.lock:
                lock.release()
            if not isinstance(error, ProjectFileError):
                raise
            dialogs.error(self, "Could not open the project", str(error))
            return False
        self.controller.replace(project, path)
        self.guard.opened(path, lock, read_only, signature)
        self._remember(path)
        self._update_title()
        return True

    def save(self) -> bool:
        if self.controller.path is None:
            return self.save_as()
        return self._save_to(self.controller.path)

    def save_as(self) -> bool:
        current = self.controller.path
        name = (current.name if current is not None
                else places.safe_stem(self.controller.project.metadata.name) + EXTENSION)
        suggested = places.suggested_path(current, name)
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
        except BaseException as error:
            self.guard.save_failed()  # lets go of a Save As target's lock
            if not isinstance(error, ProjectFileError):
                raise
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
        return self.recent.files()

    def _remember(self, path: Path) -> None:
        self.recent.remember(path)

    def open_recent(self, path: Path) -> bool:
        """Open a file from Open Recent; one that has gone is reported and dropped, before
        anything asks about the open plan's changes."""
        if not path.is_file():
            dialogs.error(self, "Recent file not found",
                          f"“{path.name}” is no longer in {path.parent}. It may have been "
                          "moved, renamed or deleted; it has been removed from Open Recent.")
            self.recent.forget(path)
            return False
        return self.open_project(path)

    # ---- report ---------------------------------------------------------------------------

    def export_report(self) -> None:
        from tunewise.ui.results import report_view  # reportlab loads on first use

        report_view.export_report_pdf(self, self.controller.project, self.controller.path)

    def print_report(self) -> None:
        from tunewise.ui.results import report_view

        report_view.print_report(self, self.controller.project, self.controller.path)

    def preview_report(self) -> None:
        from tunewise.ui.results import report_view

        report_view.preview_report(self, self.controller.project, self.controller.path)

    # ---- help ---------------------------------------------------------------------------

    def show_about(self) -> None:
        dialogs.about(self, "About Tunewise", helptext.about_html())

    def show_guide(self) -> None:
        dialogs.show_document(self, "Guide to the method", helptext.GUIDE_HTML)

    def show_page_help(self) -> None:
        """F1: what the page in view is for and what each of its fields means."""
        page = self.wizard.currentPage() or self.wizard.pages[0]
        html = helptext.page_help(page, self.controller.evaluation.assessment)
        dialogs.show_document(self, f"Help: {page.title()}", html)

    # ---- drag and drop ------------------------------------------------------------------

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        """The file a drop is about: a plan first, then a file of examples, then any file
        (which is then refused with a message)."""
        from tunewise.ui.dataset import is_dataset_file

        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        files = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        for wanted in (lambda p: p.name.endswith(EXTENSION), is_dataset_file, lambda p: True):
            found = next((p for p in files if wanted(p)), None)
            if found is not None:
                return found
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        from tunewise.ui.dataset import DATASET_SUFFIXES, is_dataset_file

        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        if path.name.endswith(EXTENSION):
            self.open_project(path)
        elif is_dataset_file(path):
            self.import_examples(path)
        else:
            dialogs.information(
                self, "Cannot use this file",
                f"“{path.name}” is neither a Tunewise plan ({EXTENSION}) nor a file of "
                f"examples ({', '.join(DATASET_SUFFIXES)}). Nothing was opened and the plan "
                "is unchanged.")

    def import_examples(self, path: Path | None = None) -> QWidget:
        """The import dialog, on the Q4 page's behalf (a drop or File > Import Examples)."""
        from tunewise.ui.dataset import open_import

        return open_import(self, self.controller, path)

    # ---- settings and closing -----------------------------------------------------------

    def _restore_settings(self) -> None:
        # The size and place last used, kept within the screen the window opens on now: a
        # window last used on a bigger monitor fills this one rather than spilling off it.
        rect = self.settings.value("window/rect")
        geometry = self.settings.value("window/geometry")
        if isinstance(rect, QRect) and rect.isValid():
            wanted = rect
        elif isinstance(geometry, QByteArray | bytes):  # written by an earlier release
            self.restoreGeometry(QByteArray(geometry))
            wanted = self.normalGeometry() if self.normalGeometry().isValid() else self.geometry()
        else:
            wanted = QRect(0, 0, *DEFAULT_SIZE)
            wanted.moveCenter(QGuiApplication.primaryScreen().availableGeometry().center())
        fit_window(self, wanted)
        if self.settings.value("window/maximized") in (True, "true"):
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        for key, splitter in (("window/splitter", self.splitter),
                              ("window/dashboardTop", self.wizard.dashboard.top)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray | bytes):
                splitter.restoreState(QByteArray(state))

    def save_settings(self) -> None:
        normal = self.normalGeometry()
        self.settings.setValue("window/rect", normal if normal.isValid() else self.geometry())
        self.settings.setValue("window/maximized", self.isMaximized())
        self.settings.remove("window/geometry")
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/dashboardTop", self.wizard.dashboard.top.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            try:
                self.save_settings()
            finally:  # whatever fails on the way out, the file's lock is let go
                self.guard.closed()
                event.accept()
        else:
            event.ignore()
