"""File > Open Recent: the list of recently used plans, kept in the app's QSettings.

Each entry shows the file's name, with its folder in the tooltip. Choosing an entry whose file
has gone is the window's business (it reports it and calls `forget`); this class only keeps the
list and the menu.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMenu

MAX_RECENT = 8
KEY = "recentFiles"


class RecentFiles(QObject):
    """The recent-files list and the menu showing it; `chosen(Path)` when an entry is picked."""

    chosen = Signal(object)

    def __init__(self, settings: QSettings, menu: QMenu) -> None:
        super().__init__(menu)
        self.settings = settings
        self.menu = menu
        menu.setToolTipsVisible(True)
        self._fill()

    def files(self) -> list[str]:
        value = self.settings.value(KEY, [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def remember(self, path: Path) -> None:
        name = str(path.resolve())
        self._store([name] + [f for f in self.files() if f != name])

    def forget(self, path: Path) -> None:
        gone = {str(path), str(path.resolve())}
        self._store([f for f in self.files() if f not in gone])

    def clear(self) -> None:
        self._store([])

    def _store(self, files: list[str]) -> None:
        self.settings.setValue(KEY, files[:MAX_RECENT])
        self._fill()

    def _fill(self) -> None:
        # The entry being triggered may be the one replaced here: delete it later, not now.
        for action in self.menu.actions():
            self.menu.removeAction(action)
            action.deleteLater()
        files = self.files()
        for i, name in enumerate(files, start=1):
            path = Path(name)
            action = self.menu.addAction(f"&{i} {path.name.replace('&', '&&')}")
            action.setToolTip(str(path.parent))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.chosen.emit(p))
        self.menu.setEnabled(bool(files))
        if files:
            self.menu.addSeparator()
            self.menu.addAction("Clear &Menu", self.clear)
