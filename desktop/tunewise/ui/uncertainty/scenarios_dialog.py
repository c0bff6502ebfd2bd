"""Scenarios…: named variants of the plan, each setting a few inputs otherwise.

The list on the left holds the scenarios (Add, Remove; the name and a note below it); the
table on the right what the selected one changes: an input from `inputs.OVERRIDABLE` (in a
searchable list) and its value, a number in the user's locale or, for a model, provider or
deployment, its name. OK sets the plan's scenarios through the controller as one undo step; a
refused value is named in the dialog and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tunewise.core import inputs
from tunewise.core.fieldpath import Attr
from tunewise.core.project import Scenario
from tunewise.ui.controller import ProjectController
from tunewise.ui.fields import ErrorLabel, plain_label
from tunewise.ui.numbers import NumberKind, format_number, parse_number
from tunewise.ui.uncertainty.editing import PlanEditDialog
from tunewise.ui.uncertainty.ranges_dialog import searchable

INPUT, VALUE, PLAN = range(3)
HEADERS = ("Input", "Value", "Plan now")
NAMED = ("model", "provider", "deployment")  # overrides that take a name, not a number


def takes_name(path: str) -> bool:
    return path.rsplit(".", 1)[-1] in NAMED


def shown(path: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not takes_name(path):
        return format_number(value, inputs.is_whole(path))
    return str(value)


@dataclass
class Draft:
    """One scenario as the dialog holds it until OK: values as typed."""

    name: str
    note: str = ""
    overrides: dict[str, str] = field(default_factory=dict)


class ScenariosDialog(PlanEditDialog):
    def __init__(self, controller: ProjectController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Scenarios")
        self.drafts: list[Draft] = []
        self._current = -1
        intro = plain_label("A scenario sets a few of the plan's inputs otherwise (three times "
                            "the traffic, another model). The results can show any scenario, "
                            "and the Scenarios tab compares them all; the plan itself keeps "
                            "its own figures.")
        intro.setWordWrap(True)

        self.list = QListWidget()
        self.list.setAccessibleName("Scenarios")
        self.list.currentRowChanged.connect(self._select)
        self.add_scenario_button = QPushButton("&New")
        self.add_scenario_button.clicked.connect(lambda: self.add_scenario())
        self.remove_scenario_button = QPushButton("De&lete")
        self.remove_scenario_button.clicked.connect(self.remove_scenario)
        self.name = QLineEdit()
        self.name.setAccessibleName("Scenario name")
        self.name.textEdited.connect(self._renamed)
        self.note = QLineEdit()
        self.note.setAccessibleName("Scenario note")
        self.note.textEdited.connect(self._noted)
        left = QWidget()
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        left_col.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_scenario_button)
        buttons.addWidget(self.remove_scenario_button)
        left_col.addLayout(buttons)
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("N&ote:", self.note)
        left_col.addLayout(form)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName("What the scenario changes")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(INPUT, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._value_edited)
        self.choice = QComboBox()
        self.choice.setAccessibleName("Input to change")
        searchable(self.choice)
        self.choice.setMinimumContentsLength(24)
        for path, words in inputs.OVERRIDABLE.items():
            self.choice.addItem(words, path)
        self.choice.setCurrentIndex(-1)
        self.add_input_button = QPushButton("&Add")
        self.add_input_button.clicked.connect(lambda: self.add_override())
        self.remove_input_button = QPushButton("&Remove")
        self.remove_input_button.clicked.connect(self.remove_override)
        right = QWidget()
        right_col = QVBoxLayout(right)
        right_col.setContentsMargins(0, 0, 0, 0)
        right_col.addWidget(self.table, 1)
        add_row = QHBoxLayout()
        add_row.addWidget(self.choice, 1)
        add_row.addWidget(self.add_input_button)
        add_row.addWidget(self.remove_input_button)
        right_col.addLayout(add_row)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([260, 540])
        self.error = ErrorLabel()
        self.error.setAccessibleName("Scenarios not applied")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(820, 460)
        self.load()

    # ---- drafts -------------------------------------------------------------------------

    def load(self) -> None:
        self.drafts = [Draft(s.name, s.note, {p: shown(p, v) for p, v in s.overrides.items()})
                       for s in self.controller.project.scenarios]
        self.list.clear()
        self.list.addItems([d.name for d in self.drafts])
        self._current = -1
        self.list.setCurrentRow(0 if self.drafts else -1)
        self._enable()

    def _enable(self) -> None:
        chosen = self._current >= 0
        for widget in (self.name, self.note, self.table, self.choice, self.add_input_button,
                       self.remove_input_button, self.remove_scenario_button):
            widget.setEnabled(chosen)
        if not chosen:
            self.name.clear()
            self.note.clear()
            self.table.setRowCount(0)

    def _select(self, row: int) -> None:
        self._current = row
        self._enable()
        if row < 0:
            return
        draft = self.drafts[row]
        self.name.setText(draft.name)
        self.note.setText(draft.note)
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for path, text in draft.overrides.items():
            self._append_row(path, text)
        self.table.blockSignals(False)

    def _append_row(self, path: str, text: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        plan = inputs.read(self.controller.project, path)
        for column, value in ((INPUT, inputs.label(path)), (VALUE, text),
                              (PLAN, shown(path, plan) or "default")):
            item = QTableWidgetItem(value)
            if column != VALUE:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            else:
                item.setData(Qt.ItemDataRole.UserRole, path)
            if column == INPUT:
                item.setToolTip(path)
            self.table.setItem(row, column, item)

    def add_scenario(self, name: str | None = None) -> None:
        taken = {d.name.casefold() for d in self.drafts}
        if name is None:
            n = len(self.drafts) + 1
            while f"Scenario {n}".casefold() in taken:
                n += 1
            name = f"Scenario {n}"
        self.drafts.append(Draft(name))
        self.list.addItem(name)
        self.list.setCurrentRow(len(self.drafts) - 1)

    def remove_scenario(self) -> None:
        row = self._current
        if row < 0:
            return
        del self.drafts[row]
        self._current = -1
        self.list.takeItem(row)
        self.list.setCurrentRow(min(row, len(self.drafts) - 1))
        if not self.drafts:
            self._select(-1)

    def rename(self, name: str) -> None:
        self.name.setText(name)
        self._renamed(name)

    def _renamed(self, name: str) -> None:
        if self._current >= 0:
            self.drafts[self._current].name = name
            item = self.list.item(self._current)
            if item is not None:
                item.setText(name)

    def _noted(self, note: str) -> None:
        if self._current >= 0:
            self.drafts[self._current].note = note

    def add_override(self, path: str | None = None, text: str | None = None) -> None:
        """A row for `path` (or the input chosen in the list), at the plan's own figure."""
        if self._current < 0:
            return
        if path is None:
            index = self.choice.findText(self.choice.currentText().strip(),
                                         Qt.MatchFlag.MatchFixedString)
            path = self.choice.itemData(index) if index >= 0 else None
        draft = self.drafts[self._current]
        if path is None or path in draft.overrides:
            return
        if text is None:
            text = shown(path, inputs.read(self.controller.project, path))
        draft.overrides[path] = text
        self.table.blockSignals(True)
        self._append_row(path, text)
        self.table.blockSignals(False)
        self.choice.setCurrentIndex(-1)
        self.choice.setEditText("")

    def remove_override(self) -> None:
        if self._current < 0:
            return
        draft = self.drafts[self._current]
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            item = self.table.item(row, VALUE)
            if item is not None:
                draft.overrides.pop(item.data(Qt.ItemDataRole.UserRole), None)
            self.table.removeRow(row)

    def _value_edited(self, item: QTableWidgetItem) -> None:
        if item.column() == VALUE and self._current >= 0:
            path = item.data(Qt.ItemDataRole.UserRole)
            self.drafts[self._current].overrides[path] = item.text()

    # ---- applying -----------------------------------------------------------------------

    def _build(self) -> list[Scenario]:
        """The drafts as the plan would hold them, or ValueError naming what is refused."""
        built = []
        for draft in self.drafts:
            where = f"Scenario “{draft.name.strip() or '(no name)'}”"
            values: dict[str, float | str | None] = {}
            for path, text in draft.overrides.items():
                name = f"{where}, {inputs.label(path)}"
                value: float | int | str | None
                if takes_name(path):
                    value = text.strip() or None
                else:
                    kind = NumberKind(integer=inputs.is_whole(path), suffixes=True)
                    value = parse_number(text, kind, name)
                try:
                    inputs.check_value(path, value, rangeable=False)
                except inputs.InputError as error:
                    raise ValueError(f"{where}: {error}.") from None
                values[path] = float(value) if isinstance(value, int) else value
            try:
                built.append(Scenario(name=draft.name, note=draft.note, overrides=values))
            except ValidationError as error:
                problem = error.errors()[0]
                part = ".".join(str(p) for p in problem["loc"])
                raise ValueError(f"{where}: {part} {problem['msg']}.") from None
        return built

    def apply(self) -> bool:
        try:
            built = self._build()
        except ValueError as error:  # ParseError too
            return self._refused(f"Not applied: {error} The plan is unchanged.")
        message = self.controller.set_value(Attr("scenarios"), built, "Edit scenarios")
        if message is not None:
            return self._refused(f"Not applied: {message} The plan is unchanged.")
        return self._applied()
