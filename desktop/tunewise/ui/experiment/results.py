"""The few-shot test's results table: every held-out example as asked, expected and answered.

A `QAbstractTableModel` over the run's `ExampleResult`s with a filter (all / passed / failed /
errors) applied in the model itself: rows are appended as answers arrive and the view asks only
for the rows on screen. Texts are the dataset's and the model's, shown as plain text on one
line each; the whole text is the tooltip.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tunewise.core.experiment.model import ExampleResult
from tunewise.ui.fields import plain_label

INPUT, EXPECTED, OUTPUT, PASS = range(4)
HEADERS = ("Input", "Expected", "Output", "Pass")
Shown = Literal["all", "passed", "failed", "errors"]
FILTERS: tuple[tuple[Shown, str], ...] = (("all", "All"), ("passed", "Passed"),
                                          ("failed", "Failed"), ("errors", "Errors"))
CELL_CHARS = 300  # a cell shows one line of this much; the tooltip holds up to TIP_CHARS
TIP_CHARS = 2000

Index = QModelIndex | QPersistentModelIndex


def outcome(example: ExampleResult) -> Shown:
    if example.passed is None:
        return "errors"
    return "passed" if example.passed else "failed"


def _one_line(text: str, limit: int = CELL_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + "…"


class ResultsModel(QAbstractTableModel):
    """The examples answered so far, in held-out order, filtered by outcome."""

    def __init__(self) -> None:
        super().__init__()
        self._all: dict[int, ExampleResult] = {}
        self._rows: list[ExampleResult] = []
        self.shown: Shown = "all"

    def set_examples(self, examples: Iterable[ExampleResult]) -> None:
        self._all = {e.index: e for e in examples}
        self._refilter()

    def add(self, examples: Iterable[ExampleResult]) -> None:
        for e in examples:
            self._all[e.index] = e
        self._refilter()

    def show_only(self, shown: Shown) -> None:
        self.shown = shown
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = [e for _, e in sorted(self._all.items())
                      if self.shown == "all" or outcome(e) == self.shown]
        self.endResetModel()

    def counts(self) -> dict[Shown, int]:
        found: dict[Shown, int] = {"all": len(self._all), "passed": 0, "failed": 0, "errors": 0}
        for e in self._all.values():
            found[outcome(e)] += 1
        return found

    def example(self, row: int) -> ExampleResult:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def _text(self, e: ExampleResult, column: int) -> str:
        if column == INPUT:
            return e.input
        if column == EXPECTED:
            return e.expected
        if column == OUTPUT:
            return e.output if e.output is not None else (e.error or "No answer")
        return {"passed": "Yes", "failed": "No", "errors": "Error"}[outcome(e)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        text = self._text(e, index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _one_line(text)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() != PASS:
            return text[:TIP_CHARS]
        return None


class ResultsView(QWidget):
    """The table with its filter above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ResultsModel()
        self.filter_combo = QComboBox()
        self.filter_combo.setAccessibleName("Show results")
        for shown, words in FILTERS:
            self.filter_combo.addItem(words, shown)
        self.filter_combo.currentIndexChanged.connect(
            lambda _i: self.model.show_only(self.filter_combo.currentData()))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Results")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in (INPUT, EXPECTED, OUTPUT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PASS, QHeaderView.ResizeMode.ResizeToContents)
        label = plain_label("Sho&w:")
        label.setTextFormat(Qt.TextFormat.AutoText)  # our own word, with an Alt letter
        label.setBuddy(self.filter_combo)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.filter_combo)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def show_only(self, shown: Shown) -> None:
        self.filter_combo.setCurrentIndex(next(i for i, (s, _) in enumerate(FILTERS)
                                               if s == shown))

    def rows(self) -> list[tuple[str, str, str, str]]:
        """What the table shows, row by row (for tests and screen readers)."""
        m = self.model
        return [tuple(str(m.data(m.index(r, c))) for c in range(4))  # type: ignore[misc]
                for r in range(m.rowCount())]
