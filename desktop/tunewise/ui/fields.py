"""Editors bound to one field of the project, each with its help text and its error message.

A field reads its value from the project when the project changes and writes through the
controller while the user types. The pydantic model is the only validation: a value it refuses
is not clamped or dropped, and none of it stays in the plan (not even an accepted prefix such as
"500" of "5000"). The field keeps showing the user's text with the message and "Not applied",
and the controller lists it so the results can say so. Numbers are parsed and shown in the
user's locale (ui/numbers.py); line edits, not spin boxes, because a spin box would silently
clamp. User and file text is always shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QStringListModel, Qt
from PySide6.QtGui import QColor, QPalette
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

from tunewise.core import texts
from tunewise.core.fieldpath import ApproachInput, FieldPath, PriceOverride
from tunewise.core.project import Project
from tunewise.ui.controller import Changed, ProjectController
from tunewise.ui.limits import FieldName, limits
from tunewise.ui.numbers import SUFFIXES, NumberKind, ParseError, format_number, parse_number

__all__ = ["ParseError", "format_number", "parse_number"]  # the costs page formats with these

ERROR_COLOURS = ("#b00020", "#ff8a80")
"""Error text on a light window, and on a dark one (both read at 4.5:1 or better)."""

WIZARD_MNEMONICS = "bn"
"""Back and Next."""
MENU_MNEMONICS = "feghp"
"""The menu bar: File, Edit, Go, Prices, Help. A page using one of these letters would make
Alt+letter alternate between the field and the menu."""


def plain_label(text: str = "") -> QLabel:
    """A label that shows its text as typed: never markup, never a link."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def wrapped_label(text: str = "") -> QLabel:
    """A plain-text label that wraps: sentences in the narrow result tabs."""
    label = plain_label(text)
    label.setWordWrap(True)
    return label


def heading_label(text: str) -> QLabel:
    """A bold wrapped label heading a part of a result tab (a font, not a style sheet, so
    palette changes reach it)."""
    label = wrapped_label(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class ErrorLabel(QLabel):
    """Plain-text error words in a red that reads on the window, light or dark."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self._colour()

    def _colour(self) -> None:
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        colour = QColor(ERROR_COLOURS[1] if dark else ERROR_COLOURS[0])
        palette = self.palette()
        if palette.color(QPalette.ColorRole.WindowText) != colour:
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colour()


class Field:
    """One project field: label, editor, help and error, bound through the controller."""

    def __init__(self, controller: ProjectController, path: FieldPath, label: str,
                 help_text: str = "", unit: str = "") -> None:
        self.controller = controller
        self.path = path
        self.unit = unit
        self.label = plain_label(label)
        self.help = plain_label(help_text)
        self.help.setWordWrap(True)
        # A palette role, not a style sheet: it follows a palette change while the app runs.
        self.help.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.help.setVisible(bool(help_text))
        self.error = ErrorLabel()
        self.error.setVisible(False)
        self.error.setAccessibleName(f"{label.replace('&', '').strip().rstrip(':')} error")
        self.editor: QWidget = QWidget()
        self._loading = False
        self._writing = False  # our own edit: the editor already shows what the user typed
        self._own_error = ""
        self._not_applied = ""
        self._external = ""
        controller.notAppliedChanged.connect(self._not_applied_changed)

    # ---- names --------------------------------------------------------------------------

    def title(self) -> str:
        """The label as the user reads it: 'Requests per day'."""
        return self.label.text().replace("&", "").strip().rstrip(":")

    def label_text(self) -> str:
        return self.title().lower()

    def name(self) -> FieldName:
        return FieldName(self.title(), self.unit)

    def list_label(self) -> str:
        """The field among all the plan's inputs: 'System prompt (RAG)'."""
        if isinstance(self.path, ApproachInput):
            return f"{self.title()} ({texts.APPROACH_LABELS[self.path.approach]})"
        if isinstance(self.path, PriceOverride):
            return f"{self.title()} ({self.path.model})"
        return self.title()

    # ---- error display ------------------------------------------------------------------

    def show_error(self, message: str, not_applied: str = "") -> None:
        self._own_error, self._not_applied = message, not_applied
        text = " ".join(m for m in (message, not_applied, self._external) if m)
        self.error.setText(text)
        self.error.setVisible(bool(text))
        typed = self.text_input()
        if typed is not None:
            # Text the plan does not hold is drawn in the error colour, and a screen reader
            # hears why with the field.
            palette = QPalette()
            if not_applied:
                palette.setColor(QPalette.ColorRole.Text, self.error.palette().color(
                    QPalette.ColorRole.WindowText))
            typed.setPalette(palette)
            typed.setAccessibleDescription(text)

    def text_input(self) -> QWidget | None:
        """The widget the user types into, if any."""
        return None

    def set_external_error(self, message: str) -> None:
        """A message from outside the field itself, e.g. an unknown model price."""
        self._external = message
        self.show_error(self._own_error, self._not_applied)

    def has_error(self) -> bool:
        return bool(self._own_error)

    def is_applied(self) -> bool:
        """False while the field shows text the plan does not hold."""
        return not self._not_applied

    def _not_applied_changed(self) -> None:
        # The plan took this field's value from elsewhere (the same field on another page, a
        # preset button): show what it holds now.
        if self._writing or self.is_applied():
            return
        if all(entry.path != self.path for entry in self.controller.not_applied()):
            self.refresh(self.controller.project, None)

    # ---- model <-> widget ---------------------------------------------------------------

    def write(self, value: Any) -> None:
        self._writing = True
        try:
            message = self.controller.set_value(self.path, value, f"Edit {self.label_text()}",
                                                self.name())
        finally:
            self._writing = False
        self._written(message)

    def write_many(self, changes: Sequence[tuple[FieldPath, Any]], merge: bool = False) -> None:
        """Write this field's value with others it brings along, as one undo step."""
        self._writing = True
        try:
            message = self.controller.set_values(changes, f"Edit {self.label_text()}",
                                                 {self.path: self.name()}, merge=merge)
        finally:
            self._writing = False
        self._written(message)

    def _written(self, message: str | None) -> None:
        if message:
            self.refuse(message)
        else:
            self.show_error("")

    def refuse(self, message: str) -> None:
        """The text shown cannot go into the plan: the plan keeps its value, and says so."""
        self._writing = True
        try:
            self.controller.refuse(self.path, self.list_label(), self.shown_text())
        finally:
            self._writing = False
        value = self.path.read(self.controller.project)
        kept = "leaves it empty" if value in (None, "") else f"keeps {self.describe(value)}"
        self.show_error(message, f"Not applied: the plan {kept}.")

    def shown_text(self) -> str:
        """What the editor shows, as the user typed it."""
        return ""

    def describe(self, value: Any) -> str:
        """A value of this field in words, for "the plan keeps …"."""
        return f"“{value}”"

    def refresh(self, project: Project, changed: Changed) -> None:
        if self._writing:
            return
        value = self.path.read(project)
        if self.has_error() and changed is not None and self.path not in changed:
            return  # keep the user's refused text and its message in view
        if not self.shows(value):
            self._loading = True
            try:
                self.load(value)
            finally:
                self._loading = False
        if self._own_error or self._not_applied:  # nothing to clear otherwise (every edit
            self.show_error("")                   # refreshes every field in the window)

    def shows(self, value: Any) -> bool:
        """Whether the editor already shows `value`."""
        raise NotImplementedError

    def load(self, value: Any) -> None:
        raise NotImplementedError

    def finished(self) -> None:
        self.controller.seal()


class LineField(Field):
    """A field typed in a line edit whose text is parsed (`_parse`) before it goes in."""

    line: QLineEdit

    def _parse(self, text: str) -> Any:
        raise NotImplementedError

    def _edited(self, text: str) -> None:
        try:
            value = self._parse(text)
        except ParseError as error:
            self.refuse(str(error))
            return
        self.write(value)

    def text_input(self) -> QWidget | None:
        return self.line

    def shown_text(self) -> str:
        return self.line.text()

    _parsed: tuple[str, Any] | None = None  # the last text parsed and what it gave

    def shows(self, value: Any) -> bool:
        text = self.line.text()
        if self._parsed is None or self._parsed[0] != text:
            try:
                self._parsed = (text, self._parse(text))
            except ParseError:
                return False
        return bool(self._parsed[1] == value)


class NumberField(LineField):
    """A number typed in the user's locale.

    A percent sign is understood on fractions and `k`/`M` on fields that reach a million,
    as the model's bounds say (ui/limits.py), unless `percent` or `suffixes` say otherwise.
    """

    def __init__(self, controller: ProjectController, path: FieldPath, label: str,
                 help_text: str = "", *, integer: bool = False, optional: bool = False,
                 unit: str = "", placeholder: str = "", percent: bool | None = None,
                 suffixes: bool | None = None) -> None:
        super().__init__(controller, path, label, help_text, unit)
        self.integer, self.optional = integer, optional
        bounds = limits(path)
        self.kind = NumberKind(
            integer=integer, optional=optional,
            percent=bounds.fraction if percent is None else percent,
            suffixes=bounds.large if suffixes is None else suffixes,
            money="USD" in unit or "$" in unit)
        self.line = QLineEdit()
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.line.setPlaceholderText(placeholder or ("not measured" if optional else ""))
        self.line.setMinimumWidth(110)
        self.line.setAccessibleName(self.title())
        self.line.textEdited.connect(self._edited)
        self.line.editingFinished.connect(self.finished)
        self.label.setBuddy(self.line)
        if unit:
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(self.line, 1)
            row.addWidget(plain_label(unit))
            self.editor = box
        else:
            self.editor = self.line

    def _parse(self, text: str) -> float | int | None:
        return parse_number(text, self.kind, self.title())

    def finished(self) -> None:
        super().finished()
        text = self.line.text().strip()
        if self.is_applied() and text and text[-1] in SUFFIXES:
            # "50k" was taken as 50,000: show the number the plan now holds.
            self.load(self.path.read(self.controller.project))

    def describe(self, value: Any) -> str:
        return " ".join(p for p in (format_number(value, self.integer), self.unit) if p)

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
        self.editor.setAccessibleName(self.title())
        self.label.setBuddy(self.editor)

    def _edited_multi(self) -> None:
        if not self._loading:
            self.write(self.text())

    def text(self) -> str:
        return self.text_edit.toPlainText() if self.multiline else self.line.text()

    def shown_text(self) -> str:
        return self.text()

    def text_input(self) -> QWidget | None:
        return self.text_edit if self.multiline else self.line

    def shows(self, value: Any) -> bool:
        return self.text().strip() == (value or "").strip()

    def load(self, value: Any) -> None:
        if self.multiline:
            self.text_edit.setPlainText(value or "")
        else:
            self.line.setText(value or "")


class ChoiceField(Field):
    """A closed set of answers as radio buttons in a row.

    The row carries the question as its accessible name and each button names the question in
    its description, so a screen reader says "Yes, radio button, Does it do the job?".
    """

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
            button.setAccessibleDescription(self.title())
        row.addStretch(1)
        box.setAccessibleName(self.title())
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
        if value is None or all(option != value for option, _ in self.options):
            # Not answered: no button is checked (an exclusive group cannot uncheck its last).
            self.group.setExclusive(False)
            for button in self.buttons:
                button.setChecked(False)
            self.group.setExclusive(True)
            return
        for i, (option, _) in enumerate(self.options):
            if option == value:
                self.buttons[i].setChecked(True)
                self.label.setBuddy(self.buttons[i])  # Alt+letter lands on the answer given


class CheckField(Field):
    """A yes/no fact as one check box; the label is the box's own text."""

    def __init__(self, controller: ProjectController, path: FieldPath, label: str,
                 help_text: str = "") -> None:
        super().__init__(controller, path, "", help_text)
        self.box = QCheckBox(label)
        self.box.toggled.connect(self._toggled)
        self.editor = self.box
        self.error.setAccessibleName(f"{self.title()} error")

    def title(self) -> str:
        return self.box.text().replace("&", "").strip()

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
        self.combo.setAccessibleName(self.title())
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
        self.combo.setAccessibleName(self.title())
        self.label.setBuddy(self.combo)
        self.editor = self.combo

    def shown_text(self) -> str:
        return self.combo.currentText()

    def text_input(self) -> QWidget | None:
        return self.combo.lineEdit()

    def shows(self, value: Any) -> bool:
        return self.combo.currentText().strip() == (value or "")

    def load(self, value: Any) -> None:
        index = self.combo.findText(value or "")
        if index >= 0:
            self.combo.setCurrentIndex(index)
        self.combo.setEditText(value or "")


class DateField(LineField):
    """A day typed as 2027-01-31 (ISO, the same in every locale); empty means `empty_means`.

    Text that is not a date is refused like a number out of range: the plan keeps its day.
    """

    def __init__(self, controller: ProjectController, path: FieldPath, label: str,
                 help_text: str = "", *, empty_means: str = "") -> None:
        super().__init__(controller, path, label, help_text)
        self.line = QLineEdit()
        self.line.setPlaceholderText(empty_means)
        self.line.setMinimumWidth(110)
        self.line.setAccessibleName(self.title())
        self.line.textEdited.connect(self._edited)
        self.line.editingFinished.connect(self.finished)
        self.label.setBuddy(self.line)
        self.editor = self.line

    def _parse(self, text: str) -> date | None:
        text = text.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ParseError(f"{self.title()} must be a day written as year-month-day, such as "
                             f"2027-01-31, or left empty.") from None

    def describe(self, value: Any) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)

    def load(self, value: Any) -> None:
        self.line.setText(value.isoformat() if isinstance(value, date) else "")


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


def assign_mnemonics(widgets: Sequence[QWidget],
                     reserved: str = WIZARD_MNEMONICS + MENU_MNEMONICS) -> str:
    """Give each label or button a distinct Alt+letter, skipping the wizard's and the menu bar's.

    A widget left without a free letter gets none rather than a clash. Returns the letters now
    taken, to reserve them for a neighbouring group.
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
