"""Read-only tables of words for the result tabs (GPU feasibility, uncertainty, scenarios):
a model with per-column alignment and bold cells, a view as tall as its rows, and the
frameless scroll area the tabs put them in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TextTable(QAbstractTableModel):
    """Rows of words under headers; read-only, one alignment a column, some cells bold."""

    def __init__(self, headers: Sequence[str], right: Sequence[int] = (),
                 header_tips: dict[int, str] | None = None) -> None:
        super().__init__()
        self.headers = list(headers)
        self.header_tips = dict(header_tips or {})
        self.right = set(right)
        self.rows: list[list[str]] = []
        self.bold: set[tuple[int, int]] = set()
        self.tips: dict[int, str] = {}

    def set_rows(self, rows: Sequence[Sequence[str]], bold: Sequence[tuple[int, int]] = (),
                 tips: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self.rows = [list(r) for r in rows]
        self.bold = set(bold)
        self.tips = dict(tips or {})
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if section in self.right else LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tips.get(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[row][column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in self.right else LEFT
        if role == Qt.ItemDataRole.FontRole and (row, column) in self.bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and row in self.tips:
            return self.tips[row]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled if index.isValid() else Qt.ItemFlag.NoItemFlags

    def text(self) -> list[list[str]]:
        """The table as shown, headers first (for tests and copying)."""
        return [list(self.headers), *[list(r) for r in self.rows]]


class FittedTable(QTableView):
    """A read-only table as tall as its rows, so the panel scrolls and the table never does.

    Columns in `wrap` share the width left by the others and wrap their words, so the table
    fits the dashboard's narrow column without a scroll bar of its own."""

    def __init__(self, model: TextTable, name: str, wrap: Sequence[int] = ()) -> None:
        super().__init__()
        self.setModel(model)
        self.setAccessibleName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.verticalHeader().setVisible(False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in wrap:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.setMinimumWidth(120)
        model.modelReset.connect(self.fit)

    def fit(self) -> None:
        self.resizeRowsToContents()
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.model().rowCount()))
        bar = self.horizontalScrollBar()
        if bar.maximum() > 0:
            height += bar.sizeHint().height()
        self.setFixedHeight(height)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.fit()


def scroll_into(owner: QWidget, body: QWidget, *, horizontal: bool = True) -> QScrollArea:
    """Fill `owner` with a frameless scroll area holding `body`: a result tab in the
    dashboard's column scrolls as a whole, its tables never on their own."""
    scroll = QScrollArea()
    scroll.setWidget(body)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    if not horizontal:
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    return scroll
