"""Fixtures for the GUI tests: isolated settings, replaced dialogs, a ready main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from tunewise.core.fieldpath import FieldPath
from tunewise.ui import dialogs

UI_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The offscreen platform plugin warns when a window's size constraints change or a popup
    # (the model picker's completion list) grabs the keyboard; real windowing systems support
    # both, so these messages of the test platform alone are not failures.
    offscreen_limits = (r"This plugin does not support "
                        r"(propagateSizeHints|grabbing the keyboard|raise)")
    for item in items:
        if UI_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(offscreen_limits))


class DialogLog:
    """Stands in for ui/dialogs.py: records every call, answers with preset replies."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.save_choice = dialogs.SaveChoice.DISCARD
        self.save_name: Path | None = None
        self.open_name: Path | None = None
        self.confirm = False  # the answer to dialogs.confirm
        self.offering: Any = None  # what dialogs.choose_offering returns

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def of(self, name: str) -> list[tuple[Any, ...]]:
        return [args for n, args in self.calls if n == name]


@pytest.fixture(autouse=True)
def dialog_log(monkeypatch: pytest.MonkeyPatch) -> DialogLog:
    log = DialogLog()

    def record(name: str, reply: Any = None) -> Any:
        def stand_in(*args: Any, **kwargs: Any) -> Any:
            log.calls.append((name, args))
            return reply() if callable(reply) else reply
        return stand_in

    monkeypatch.setattr(dialogs, "error", record("error"))
    monkeypatch.setattr(dialogs, "information", record("information"))
    monkeypatch.setattr(dialogs, "ask_save_changes",
                        record("ask_save_changes", lambda: log.save_choice))
    monkeypatch.setattr(dialogs, "save_file_name", record("save_file_name", lambda: log.save_name))
    monkeypatch.setattr(dialogs, "open_file_name", record("open_file_name", lambda: log.open_name))
    monkeypatch.setattr(dialogs, "about", record("about"))
    monkeypatch.setattr(dialogs, "show_document", record("show_document"))
    monkeypatch.setattr(dialogs, "exec_print_dialog", record("exec_print_dialog", False))
    monkeypatch.setattr(dialogs, "export_done", record("export_done"))
    monkeypatch.setattr(dialogs, "open_folder", record("open_folder", True))
    monkeypatch.setattr(dialogs, "confirm", record("confirm", lambda: log.confirm))
    monkeypatch.setattr(dialogs, "choose_offering",
                        record("choose_offering", lambda: log.offering))
    monkeypatch.setattr(dialogs, "show_offerings", record("show_offerings"))
    return log


@pytest.fixture(autouse=True)
def english_numbers() -> Iterator[None]:
    """Numbers read and written as en_US writes them, whatever the machine's locale is.

    Tests about other locales set theirs on top of this (QLocale.setDefault) and restore it.
    """
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "tunewise.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: Any, settings: QSettings, dialog_log: DialogLog) -> Any:
    from tunewise.ui.mainwindow import MainWindow

    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


class Driver:
    """Finds and drives what a user sees in the main window."""

    def __init__(self, qtbot: Any, window: Any) -> None:
        self.qtbot = qtbot
        self.window = window

    def field(self, path: FieldPath) -> Any:
        for page in self.window.wizard.pages:
            for f in getattr(page, "fields", []):
                if f.path == path:
                    return f
        raise LookupError(path)

    def override(self, model_path: FieldPath, attr: str) -> Any:
        """The price override field that follows the model at `model_path`."""
        for page in self.window.wizard.pages:
            for f in getattr(page, "fields", []):
                if getattr(f, "model_path", None) == model_path and f.attr == attr:
                    return f
        raise LookupError((model_path, attr))

    def page_key(self, f: Any) -> str:
        for page in self.window.wizard.pages:
            if f in getattr(page, "fields", []):
                return str(page.key)
        return "results"

    def choose(self, path: FieldPath, text: str) -> None:
        """Click the radio button labelled `text` in the choice at `path`."""
        from PySide6.QtCore import Qt

        f = self.field(path)
        self.window.wizard.show_page(self.page_key(f))
        button = next(b for b in f.buttons if b.text().replace("&", "") == text)
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert button.isChecked()

    def tick(self, path: FieldPath, on: bool = True) -> None:
        f = self.field(path)
        self.window.wizard.show_page(self.page_key(f))
        if f.box.isChecked() != on:
            from PySide6.QtCore import Qt

            f.box.setFocus()
            self.qtbot.keyClick(f.box, Qt.Key.Key_Space)
        assert f.box.isChecked() == on

    def type_into(self, f: Any, text: str) -> Any:
        """Clear a line edit and type `text` key by key, then leave the field."""
        from PySide6.QtCore import Qt

        self.window.wizard.show_page(self.page_key(f))
        line = f.line if hasattr(f, "line") else f.combo.lineEdit()
        line.setFocus()
        line.selectAll()
        self.qtbot.keyClick(line, Qt.Key.Key_Delete)
        self.qtbot.keyClicks(line, text)
        line.editingFinished.emit()
        return f

    def type(self, path: FieldPath, text: str) -> Any:
        return self.type_into(self.field(path), text)

    def headline(self) -> str:
        return str(self.window.wizard.dashboard.headline.text())


@pytest.fixture
def ui(qtbot: Any, window: Any) -> Driver:
    return Driver(qtbot, window)


@pytest.fixture
def bot(ui: Any) -> Any:
    """The window with the bundled support-bot example open."""
    from tunewise.paths import example_project

    assert ui.window.load(example_project("support-bot"))
    return ui


@pytest.fixture
def dark(qapp: Any) -> Iterator[None]:
    """The system turns dark while the window is open (and light again afterwards)."""
    from tunewise.ui.theme import dark_palette

    light = qapp.palette()
    qapp.setPalette(dark_palette())
    qapp.processEvents()
    yield
    qapp.setPalette(light)
    qapp.processEvents()


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """The support-bot example saved as a plan of the test's own."""
    from tunewise.core.storage import load_project, save_project
    from tunewise.paths import example_project

    path = tmp_path / "plan.tunewise"
    save_project(load_project(example_project("support-bot")), path)
    return path


def make_window(qtbot: Any, tmp_path: Path, store: Any = None) -> Any:
    """A shown main window with settings of its own and, if given, a recovery store."""
    from PySide6.QtCore import QSettings

    from tunewise.ui.mainwindow import MainWindow

    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                     recovery=store)
    qtbot.addWidget(win)
    win.show()
    return win
