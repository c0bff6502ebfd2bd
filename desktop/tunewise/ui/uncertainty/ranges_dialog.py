"""Ranges…: low, likely and high figures for the cost inputs the team is unsure of.

The table lists the plan's ranges (the input in words, low, likely, high, and the plan's own
figure). Add takes an input from `inputs.RANGEABLE` in a searchable list, with likely at the
plan's figure and low and high a quarter below and above it (as far as the field allows).
Numbers are read in the user's locale (ui/numbers.py). Apply or OK sets the plan's
`uncertainty` through the controller as one undo step; a refused figure is named next to its
row and nothing changes.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tunewise.core import inputs
from tunewise.core.fieldpath import Attr
from tunewise.core.project import DISTRIBUTIONS, Range, Uncertainty
from tunewise.ui.controller import ProjectController
from tunewise.ui.fields import ErrorLabel, plain_label
from tunewise.ui.numbers import NumberKind, ParseError, format_number, parse_number
from tunewise.ui.uncertainty.editing import PlanEditDialog

INPUT, LOW, LIKELY, HIGH, PLAN, PROBLEM = range(6)
HEADERS = ("Input", "Low", "Likely", "High", "Plan now", "Problem")
SPREAD = 0.25  # a new range's low and high: a quarter either side of the plan's figure
DISTRIBUTION_WORDS = {"pert": "PERT (weighted to likely)", "triangular": "Triangular"}
# An approach's own figure left empty follows the plan's workload figure.
FALLBACK = {"user_input_tokens": "costs.workload.user_input_tokens",
            "output_tokens": "costs.workload.output_tokens"}


def plan_value(project: Any, path: str) -> float:
    """The figure the plan uses for an input (an empty approach figure reads its fallback)."""
    value = inputs.read(project, path)
    if value is None:
        fallback = FALLBACK.get(path.rsplit(".", 1)[-1])
        value = inputs.read(project, fallback) if fallback else 0
    return float(value or 0)


def default_range(project: Any, path: str) -> Range:
    """Likely at the plan's figure; low and high a quarter away, kept within the field."""
    likely = plan_value(project, path)
    whole = inputs.is_whole(path)
    ends = []
    for factor in (1 - SPREAD, 1 + SPREAD):
        value: float = likely * factor
        if whole:
            value = round(value)
        try:
            inputs.check_value(path, value)
        except inputs.InputError:
            value = likely
        ends.append(float(value))
    return Range(low=min(ends[0], likely), likely=likely, high=max(ends[1], likely))


def searchable(box: QComboBox) -> None:
    """An editable combo that completes on any part of an entry's words."""
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = box.completer()
    if completer is None:
        return
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


class RangesDialog(PlanEditDialog):
    def __init__(self, controller: ProjectController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Ranges")
        self.paths: list[str] = []
        intro = plain_label("Give a low, likely and high figure for the inputs you are unsure "
                            "of. The results then show where each approach's total could fall, "
                            "how likely each is to be cheapest, and which inputs matter most.")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName("Ranges")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PROBLEM, QHeaderView.ResizeMode.Stretch)

        self.choice = QComboBox()
        self.choice.setAccessibleName("Input to add a range on")
        searchable(self.choice)
        self.choice.setMinimumContentsLength(28)
        self.add_button = QPushButton("&Add")
        self.add_button.clicked.connect(lambda: self.add_range())
        self.remove_button = QPushButton("&Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        add_row = QHBoxLayout()
        add_row.addWidget(self.choice, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)

        self.distribution = QComboBox()
        for name in DISTRIBUTIONS:
            self.distribution.addItem(DISTRIBUTION_WORDS.get(name, name), name)
        self.draws = QLineEdit()
        self.draws.setAccessibleName("Draws")
        self.seed = QLineEdit()
        self.seed.setAccessibleName("Seed")
        form = QFormLayout()
        form.addRow("&Distribution:", self.distribution)
        form.addRow("D&raws:", self.draws)
        form.addRow("&Seed:", self.seed)

        self.error = ErrorLabel()
        self.error.setAccessibleName("Ranges not applied")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Apply
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        apply = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        apply.clicked.connect(self.apply)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(add_row)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(760, 460)
        self.load()

    # ---- the plan's ranges, as rows -----------------------------------------------------

    def load(self) -> None:
        project = self.controller.project
        u = project.uncertainty
        self.table.setRowCount(0)
        self.paths = []
        for path, found in u.ranges.items():
            self._append(path, found)
        self.distribution.setCurrentIndex(max(self.distribution.findData(u.distribution), 0))
        self.draws.setText(format_number(u.draws, integer=True))
        self.seed.setText(str(u.seed))
        self._fill_choice()
        self._show_problems({})

    def _append(self, path: str, found: Range) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.paths.append(path)
        whole = inputs.is_whole(path)
        cells = [inputs.label(path), format_number(found.low, whole),
                 format_number(found.likely, whole), format_number(found.high, whole),
                 format_number(plan_value(self.controller.project, path), whole), ""]
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column in (INPUT, PLAN, PROBLEM):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if column in (LOW, LIKELY, HIGH, PLAN):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == INPUT:
                item.setToolTip(path)
            self.table.setItem(row, column, item)

    def _fill_choice(self) -> None:
        self.choice.clear()
        for path, words in inputs.RANGEABLE.items():
            if path not in self.paths:
                self.choice.addItem(words, path)
        self.choice.setCurrentIndex(-1)
        self.choice.setEditText("")

    def add_range(self, path: str | None = None) -> None:
        """A row for `path` (or the input chosen in the list), at the plan's figure ±25%."""
        if path is None:
            index = self.choice.findText(self.choice.currentText().strip(),
                                         Qt.MatchFlag.MatchFixedString)
            path = self.choice.itemData(index) if index >= 0 else None
        if path is None or path in self.paths:
            return
        self._append(path, default_range(self.controller.project, path))
        self._fill_choice()
        self.table.selectRow(self.table.rowCount() - 1)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
            del self.paths[row]
        self._fill_choice()

    def set_cell(self, path: str, column: int, text: str) -> None:
        """Type `text` into one figure of a row (as a user editing the cell would)."""
        item = self.table.item(self.paths.index(path), column)
        assert item is not None
        item.setText(text)

    def problem(self, path: str) -> str:
        item = self.table.item(self.paths.index(path), PROBLEM)
        return item.text() if item is not None else ""

    # ---- applying -----------------------------------------------------------------------

    def _show_problems(self, problems: dict[int, str]) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, PROBLEM)
            if item is not None:
                item.setText(problems.get(row, ""))
                item.setToolTip(problems.get(row, ""))
                item.setForeground(self.error.palette().color(self.error.foregroundRole()))
        self.table.setColumnHidden(PROBLEM, not problems)

    def _read_rows(self) -> tuple[dict[str, Range], dict[int, str]]:
        ranges: dict[str, Range] = {}
        problems: dict[int, str] = {}
        for row, path in enumerate(self.paths):
            name = inputs.label(path)
            kind = NumberKind(integer=inputs.is_whole(path))
            try:
                figures = []
                for column, end in ((LOW, "low"), (LIKELY, "likely"), (HIGH, "high")):
                    item = self.table.item(row, column)
                    value = parse_number(item.text() if item else "", kind,
                                         f"{name} ({end})")
                    assert value is not None
                    try:
                        inputs.check_value(path, value)
                    except inputs.InputError as error:
                        raise ParseError(f"The {end} figure is refused: {error}.") from None
                    figures.append(float(value))
                ranges[path] = Range(low=figures[0], likely=figures[1], high=figures[2])
            except ParseError as error:
                problems[row] = str(error)
            except ValidationError as error:
                problems[row] = f"{name}: {error.errors()[0]['msg'].removeprefix('Value error, ')}"
        return ranges, problems

    def apply(self) -> bool:
        """Set the plan's ranges as one undo step; False (and the reason shown) if refused."""
        ranges, problems = self._read_rows()
        self._show_problems(problems)
        if problems:
            names = ", ".join(inputs.label(self.paths[r]) for r in sorted(problems))
            return self._refused(f"Not applied: {names}. The plan is unchanged.")
        try:
            draws = parse_number(self.draws.text(), NumberKind(integer=True, suffixes=True),
                                 "Draws")
            seed = parse_number(self.seed.text(), NumberKind(integer=True), "Seed")
            new = Uncertainty(ranges=ranges, distribution=self.distribution.currentData(),
                              draws=draws, seed=seed)
        except ParseError as error:
            return self._refused(f"{error} The plan is unchanged.")
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(p) for p in problem["loc"]) or "ranges"
            return self._refused(f"Not applied: {where.capitalize()}: {problem['msg']}. "
                                 "The plan is unchanged.")
        message = self.controller.set_value(Attr("uncertainty"), new, "Edit ranges")
        if message is not None:
            return self._refused(f"{message} The plan is unchanged.")
        return self._applied()
