"""The problems table: every problem the check found, by line, sortable and filtered by kind.

A `QAbstractTableModel` over the report's list (up to 10,000 rows) behind a sort-and-filter
proxy: the view asks only for the rows on screen, so a long list costs nothing to show.
Sorting by line sorts numbers, not text. The text is the core's own, shown as plain text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tunewise.core.dataset.model import PROBLEM_LABELS, Problem
from tunewise.ui.fields import plain_label

LINE, KIND, PROBLEM = range(3)
HEADERS = ("Line", "Kind", "Problem")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # numbers sort as numbers
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # the kind's id, what the filter matches

Index = QModelIndex | QPersistentModelIndex


def kind_label(kind: str) -> str:
    return PROBLEM_LABELS.get(kind, kind.replace("_", " ").capitalize())


class ProblemsModel(QAbstractTableModel):
    """Rows of (line, kind, problem), read straight from the report's list."""

    def __init__(self, problems: Sequence[Problem] = ()) -> None:
        super().__init__()
        self._rows: list[Problem] = list(problems)

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.beginResetModel()
        self._rows = list(problems)
        self.endResetModel()

    def problem(self, row: int) -> Problem:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        problem = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == LINE:
                return QLocale().toString(problem.line)
            if column == KIND:
                return kind_label(problem.kind)
            return problem.problem
        if role == SORT_ROLE:
            return problem.line if column == LINE else self.data(index)
        if role == KIND_ROLE:
            return problem.kind
        if role == Qt.ItemDataRole.TextAlignmentRole and column == LINE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ProblemsView(QWidget):
    """The table with a filter by kind above it."""

    ALL = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProblemsModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterRole(KIND_ROLE)
        self.proxy.setFilterKeyColumn(KIND)
        self.kinds = QComboBox()
        self.kinds.setAccessibleName("Show problems of kind")
        self.kinds.currentIndexChanged.connect(self._filter)
        self.kinds_label = plain_label("Show:")
        self.kinds_label.setBuddy(self.kinds)
        self.shown = plain_label()
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName("Problems")
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        # Fixed row heights and column widths from the font: nothing measures 10,000 rows.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        digits = self.fontMetrics().horizontalAdvance("Line 00,000,000")
        header.resizeSection(LINE, digits)
        header.resizeSection(KIND, max(self.fontMetrics().horizontalAdvance(label)
                                       for label in PROBLEM_LABELS.values()) + 24)
        self.table.sortByColumn(LINE, Qt.SortOrder.AscendingOrder)
        top = QHBoxLayout()
        top.addWidget(self.kinds_label)
        top.addWidget(self.kinds)
        top.addStretch(1)
        top.addWidget(self.shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.model.set_problems(problems)
        counts = Counter(p.kind for p in problems)
        self.kinds.blockSignals(True)
        self.kinds.clear()
        self.kinds.addItem(f"All kinds ({QLocale().toString(len(problems))})", self.ALL)
        for kind, count in sorted(counts.items(), key=lambda kc: kind_label(kc[0])):
            self.kinds.addItem(f"{kind_label(kind)} ({QLocale().toString(count)})", kind)
        self.kinds.setCurrentIndex(0)
        self.kinds.blockSignals(False)
        self._filter()

    def show_kind(self, kind: str) -> None:
        """Show only problems of one kind ('' for all)."""
        found = self.kinds.findData(kind)
        if found >= 0:
            self.kinds.setCurrentIndex(found)

    def _filter(self) -> None:
        kind = self.kinds.currentData()
        pattern = "" if not kind else f"^{QRegularExpression.escape(str(kind))}$"
        self.proxy.setFilterRegularExpression(pattern)
        self.shown.setText(f"{QLocale().toString(self.proxy.rowCount())} shown")

    def rows(self) -> list[tuple[int, str, str]]:
        """The rows as shown, in order: (line, kind, problem) — what a user reads."""
        out: list[tuple[int, str, str]] = []
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            problem = self.model.problem(source.row())
            out.append((problem.line, problem.kind, problem.problem))
        return out
