"""Editors bound to one field of the project, each with its help text and its error message.

A field reads its value from the project when the project changes and writes through the
controller when the user edits it. The pydantic model is the only validation: a value it refuses
is not clamped or dropped; its message appears under the editor and the model keeps its last
valid value. Numbers use line edits, not spin boxes, because a spin box would silently clamp.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from tunewise.core.fieldpath import FieldPath
from tunewise.core.project import Project
from tunewise.ui.controller import Changed, ProjectController

ERROR_STYLE = "color: #b00020;"
HELP_STYLE = "color: palette(placeholder-text);"


class ParseError(ValueError):
    """The text is not a number at all; pydantic never gets to see it."""


def parse_number(text: str, integer: bool, optional: bool) -> float | int | None:
    """Text as typed (1,500 / 1_500 / 5% / $90) to a number; '' is None when optional."""
    cleaned = re.sub(r"[,_\s$]", "", text)
    if not cleaned:
        if optional:
            return None
        raise ParseError("A number is needed here.")
    scale = 1.0
    if cleaned.endswith("%"):
        cleaned, scale = cleaned[:-1], 0.01
    try:
        value = float(cleaned) * scale
    except ValueError:
        raise ParseError("Type a number, for example 1,500 or 0.25.") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ParseError("Type a finite number.")
    if integer:
        if value != int(value):
            raise ParseError("Type a whole number.")
        return int(value)
    return value


def format_number(value: float | int | None, integer: bool) -> str:
    if value is None:
        return ""
    if integer:
        return f"{int(value):,}"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text or "0"


class Field:
    """One project field: label, editor, help and error, bound through the controller."""

    def __init__(self, controller: ProjectController, path: FieldPath, label: str,
                 help_text: str = "") -> None:
        self.controller = controller
        self.path = path
        self.label = QLabel(label)
        self.help = QLabel(help_text)
        self.help.setWordWrap(True)
        self.help.setStyleSheet(HELP_STYLE)
        self.help.setVisible(bool(help_text))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setVisible(False)
        self.error.setAccessibleName(f"{label} error")
        self.editor: QWidget = QWidget()
        self._loading = False
        self._external = ""

    # ---- error display ------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self._own_error = message
        text = " ".join(m for m in (message, self._external) if m)
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def set_external_error(self, message: str) -> None:
        """A message from outside the field itself, e.g. an unknown model price."""
        self._external = message
        self.show_error(getattr(self, "_own_error", ""))

    def has_error(self) -> bool:
        return bool(getattr(self, "_own_error", ""))

    # ---- model <-> widget ---------------------------------------------------------------

    def write(self, value: Any) -> None:
        message = self.controller.set_value(self.path, value, f"Edit {self.label_text()}")
        self.show_error(message or "")

    def label_text(self) -> str:
        return self.label.text().replace("&", "").rstrip(":").lower()

    def refresh(self, project: Project, changed: Changed) -> None:
        value = self.path.read(project)
        if self.shows(value):
            return
        if self.has_error() and changed is not None and self.path not in changed:
            return  # keep the user's rejected text and its message in view
        self._loading = True
        try:
            self.load(value)
        finally:
            self._loading = False
        self.show_error("")

    def shows(self, value: Any) -> bool:
        """Whether the editor already shows `value`."""
        raise NotImplementedError

    def load(self, value: Any) -> None:
        raise NotImplementedError

    def finished(self) -> None:
        self.controller.seal()


class NumberField(Field):
    def __init__(self, controller: ProjectController, path: FieldPath, label: str,
                 help_text: str = "", *, integer: bool = False, optional: bool = False,
                 unit: str = "", placeholder: str = "") -> None:
        super().__init__(controller, path, label, help_text)
        self.integer, self.optional = integer, optional
        self.line = QLineEdit()
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.line.setPlaceholderText(placeholder or ("not measured" if optional else ""))
        self.line.setMinimumWidth(110)
        self.line.setAccessibleName(label.replace("&", "").rstrip(":"))
        self.line.textEdited.connect(self._edited)
        self.line.editingFinished.connect(self.finished)
        self.label.setBuddy(self.line)
        if unit:
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(self.line, 1)
            row.addWidget(QLabel(unit))
            self.editor = box
        else:
            self.editor = self.line

    def _edited(self, text: str) -> None:
        try:
            value = parse_number(text, self.integer, self.optional)
        except ParseError as error:
            self.show_error(str(error))
            return
        self.write(value)

    def shows(self, value: Any) -> bool:
        try:
            return bool(parse_number(self.line.text(), self.integer, self.optional) == value)
        except ParseError:
            return False

    def load(self, value: Any) -> None:
        self.line.setText(format_number(value, self.integer))


class TextField(Field):
    def __init__(self, controller: ProjectController, path: FieldPath, label: str,
                 help_text: str = "", *, multiline: bool = False, placeholder: str = "") -> None:
        super().__init__(controller, path, label, help_text)
        self.multiline = multiline
        if multiline:
            self.text_edit = QPlainTextEdit()
            self.text_edit.setTabChangesFocus(True)
            self.text_edit.setPlaceholderText(placeholder)
            self.text_edit.setFixedHeight(72)
            self.text_edit.textChanged.connect(self._edited_multi)
            self.editor = self.text_edit
        else:
            self.line = QLineEdit()
            self.line.setPlaceholderText(placeholder)
            self.line.textEdited.connect(self.write)
            self.line.editingFinished.connect(self.finished)
            self.editor = self.line
        self.editor.setAccessibleName(label.replace("&", "").rstrip(":"))
        self.label.setBuddy(self.editor)

    def _edited_multi(self) -> None:
        if not self._loading:
            self.write(self.text())

    def text(self) -> str:
        return self.text_edit.toPlainText() if self.multiline else self.line.text()

    def shows(self, value: Any) -> bool:
        return self.text().strip() == (value or "").strip()

    def load(self, value: Any) -> None:
        if self.multiline:
            self.text_edit.setPlainText(value or "")
        else:
            self.line.setText(value or "")


class ChoiceField(Field):
    """A closed set of answers as radio buttons in a row."""

    def __init__(self, controller: ProjectController, path: FieldPath, label: str,
                 options: Sequence[tuple[Any, str]], help_text: str = "") -> None:
        super().__init__(controller, path, label, help_text)
        self.options = list(options)
        self.group = QButtonGroup()
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.buttons: list[QRadioButton] = []
        for i, (_, text) in enumerate(self.options):
            button = QRadioButton(text)
            self.group.addButton(button, i)
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)
        self.group.idClicked.connect(self._clicked)
        self.label.setBuddy(self.buttons[0])
        self.editor = box

    def _clicked(self, index: int) -> None:
        self.write(self.options[index][0])
        self.finished()

    def shows(self, value: Any) -> bool:
        checked = self.group.checkedId()
        return checked >= 0 and self.options[checked][0] == value

    def load(self, value: Any) -> None:
        for i, (option, _) in enumerate(self.options):
            if option == value:
                self.buttons[i].setChecked(True)


class CheckField(Field):
    """A yes/no fact as one check box; the label is the box's own text."""

    def __init__(self, controller: ProjectController, path: FieldPath, label: str,
                 help_text: str = "") -> None:
        super().__init__(controller, path, "", help_text)
        self.box = QCheckBox(label)
        self.box.toggled.connect(self._toggled)
        self.editor = self.box

    def label_text(self) -> str:
        return self.box.text().replace("&", "").lower()

    def _toggled(self, on: bool) -> None:
        if not self._loading:
            self.write(on)
            self.finished()

    def shows(self, value: Any) -> bool:
        return self.box.isChecked() == bool(value)

    def load(self, value: Any) -> None:
        self.box.setChecked(bool(value))


TRI_STATE: tuple[tuple[bool | None, str], ...] = (
    (None, "Not answered"),
    (True, "Yes"),
    (False, "No"),
)


class TriStateField(Field):
    """Yes / No / Not answered; 'Not answered' keeps None in the model."""

    def __init__(self, controller: ProjectController, path: FieldPath, label: str,
                 help_text: str = "") -> None:
        super().__init__(controller, path, label, help_text)
        self.combo = QComboBox()
        for _, text in TRI_STATE:
            self.combo.addItem(text)
        self.combo.currentIndexChanged.connect(self._changed)
        self.combo.setAccessibleName(label.replace("&", "").rstrip(":"))
        self.label.setBuddy(self.combo)
        self.editor = self.combo

    def _changed(self, index: int) -> None:
        if not self._loading and index >= 0:
            self.write(TRI_STATE[index][0])
            self.finished()

    def shows(self, value: Any) -> bool:
        return TRI_STATE[self.combo.currentIndex()][0] is value

    def load(self, value: Any) -> None:
        self.combo.setCurrentIndex(next(i for i, (v, _) in enumerate(TRI_STATE) if v is value))


class ModelField(Field):
    """A model id picked from the price catalog, with completion, or typed in freely."""

    def __init__(self, controller: ProjectController, path: FieldPath, label: str,
                 models: Sequence[str], help_text: str = "") -> None:
        super().__init__(controller, path, label, help_text)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMaxVisibleItems(15)
        self.combo.setMinimumWidth(220)
        self.combo.addItems(list(models))
        completer = QCompleter(QStringListModel(list(models), self.combo), self.combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        line = self.combo.lineEdit()
        assert line is not None  # an editable combo box always has one
        line.textEdited.connect(self.write)
        line.editingFinished.connect(self.finished)
        self.combo.activated.connect(lambda _i: self.write(self.combo.currentText()))
        completer.activated.connect(self.write)
        self.combo.setAccessibleName(label.replace("&", "").rstrip(":"))
        self.label.setBuddy(self.combo)
        self.editor = self.combo

    def shows(self, value: Any) -> bool:
        return self.combo.currentText().strip() == (value or "")

    def load(self, value: Any) -> None:
        index = self.combo.findText(value or "")
        if index >= 0:
            self.combo.setCurrentIndex(index)
        self.combo.setEditText(value or "")


def add_rows(grid: QGridLayout, fields: Sequence[Field], start_row: int = 0) -> int:
    """Lay fields out as label | editor | help, with the error under the editor."""
    row = start_row
    for field in fields:
        grid.addWidget(field.label, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(field.editor, row, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(field.help, row, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(field.error, row + 1, 1, 1, 2)
        row += 2
    grid.setColumnStretch(2, 1)
    grid.setColumnMinimumWidth(2, 220)
    return row


def assign_mnemonics(widgets: Sequence[QWidget], reserved: str = "bnfc") -> str:
    """Give each label or button a distinct Alt+letter, skipping ones the wizard uses.

    Returns the letters now taken, to reserve them for a neighbouring group.
    """
    used = set(reserved)
    for widget in widgets:
        text_of: Callable[[], str] = widget.text  # type: ignore[attr-defined]
        text = text_of().replace("&", "")
        if not text:
            continue
        for i, char in enumerate(text):
            if char.isalpha() and char.lower() not in used:
                used.add(char.lower())
                widget.setText(text[:i] + "&" + text[i:])  # type: ignore[attr-defined]
                break
    return "".join(sorted(used))
