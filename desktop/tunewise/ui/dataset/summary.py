"""The summary of one inspection: counts, tokens, personal data and labels, as measured.

Every figure is the report's own, formatted in the user's locale; nothing is worked out here.
Each value is a plain-text label with a key (`value(key)`), so what the user reads can be
checked against the core's report.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from tunewise.core.dataset.model import FORMAT_LABELS, DatasetReport
from tunewise.ui.fields import ErrorLabel, plain_label

PII_NAMES: dict[str, tuple[str, str]] = {  # one, many
    "email": ("e-mail address", "e-mail addresses"),
    "phone": ("phone number", "phone numbers"),
    "card": ("card number", "card numbers"),
    "iban": ("IBAN", "IBANs"),
}


def number(value: float, decimals: int = 1) -> str:
    """A count or a mean as the locale writes it: whole numbers without decimals."""
    loc = QLocale()
    if float(value).is_integer():
        return loc.toString(int(value))
    return loc.toString(float(value), "f", decimals)


def pii_text(kinds: Mapping[str, int]) -> str:
    parts = []
    for kind, count in kinds.items():
        if count:
            one, many = PII_NAMES.get(kind, (kind, kind))
            parts.append(f"{number(count)} {one if count == 1 else many}")
    return ", ".join(parts)


class SummaryView(QWidget):
    """Two groups side by side: the examples, and their tokens; notes below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: dict[str, QLabel] = {}
        self._names: dict[str, QLabel] = {}
        examples = QGroupBox("Examples")
        self.examples_grid = QGridLayout(examples)
        tokens = QGroupBox("Tokens")
        self.tokens_grid = QGridLayout(tokens)
        for key, name in (("format", "Format"), ("records", "Records read"),
                          ("valid", "Valid"), ("problems", "With problems"),
                          ("duplicates", "Exact duplicates"),
                          ("near_duplicates", "Near duplicates"),
                          ("good_examples", "Good examples"), ("labels", "Labels")):
            self._row(self.examples_grid, key, name)
        for key, name in (("encoding", "Counted with"), ("tokens_mean", "Per example, mean"),
                          ("tokens_p50", "Median"), ("tokens_p95", "95th percentile"),
                          ("tokens_max", "Longest"), ("training_tokens", "Training set"),
                          ("input_tokens", "Input, mean"), ("output_tokens", "Output, mean"),
                          ("over_context", "Over the context limit")):
            self._row(self.tokens_grid, key, name)
        bold = self._values["good_examples"].font()
        bold.setBold(True)
        self._values["good_examples"].setFont(bold)
        self._names["good_examples"].setFont(bold)
        self.approximate = plain_label()
        self.approximate.setWordWrap(True)
        self.approximate.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.pii = ErrorLabel()  # a caution: in the colour that reads as one, light or dark
        self.pii.setAccessibleName("Personal data")
        self.good_note = plain_label("Good examples are the valid ones less exact and near "
                                     "duplicates; they are what “Use in Plan” counts.")
        self.good_note.setWordWrap(True)
        self.good_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        row = QHBoxLayout()
        row.addWidget(examples, 1)
        row.addWidget(tokens, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.good_note)
        layout.addWidget(self.approximate)
        layout.addWidget(self.pii)
        layout.addStretch(1)

    def _row(self, grid: QGridLayout, key: str, name: str) -> None:
        row = grid.rowCount()
        label = plain_label(name + ":")
        value = plain_label()
        value.setWordWrap(True)
        value.setAccessibleName(name)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        self._names[key], self._values[key] = label, value

    def _set(self, key: str, text: str | None) -> None:
        shown = text is not None
        self._values[key].setText(text or "")
        self._values[key].setVisible(shown)
        self._names[key].setVisible(shown)

    def value(self, key: str) -> str:
        """The text shown for one figure ('' when the row is hidden)."""
        label = self._values[key]
        return label.text() if not label.isHidden() else ""

    def show_report(self, report: DatasetReport) -> None:
        t = report.tokens
        self._set("format", FORMAT_LABELS.get(report.format, report.format))
        self._set("records", number(report.records))
        self._set("valid", number(report.valid))
        self._set("problems", number(report.invalid_count))
        self._set("duplicates", number(report.duplicates))
        self._set("near_duplicates", number(report.near_duplicates))
        self._set("good_examples", number(report.good_examples))
        labels = report.labels
        self._set("labels", None if not labels else
                  ", ".join(f"{name} {number(count)}" for name, count in labels.items()))
        self._set("encoding", t.encoding)
        self._set("tokens_mean", number(t.mean))
        self._set("tokens_p50", number(t.p50))
        self._set("tokens_p95", number(t.p95))
        self._set("tokens_max", number(t.max))
        self._set("training_tokens", number(report.training_tokens))
        self._set("input_tokens", number(report.mean_input_tokens))
        self._set("output_tokens", number(report.mean_output_tokens))
        self._set("over_context", None if report.context_limit is None else
                  f"{number(report.over_context)} (limit {number(report.context_limit)})")
        self.approximate.setText(
            f"Token counts are an approximation with {t.encoding}: the model is not one of "
            "OpenAI's, and its own tokenizer counts differently." if t.approximate else "")
        self.approximate.setVisible(t.approximate)
        found = pii_text({str(k): v for k, v in report.pii.kinds.items()})
        self.pii.setText(
            f"Personal data in {number(report.pii.count)} "
            f"{'example' if report.pii.count == 1 else 'examples'}: {found}. Remove or mask "
            "it before the file goes to a provider for training." if report.pii.count else "")
        self.pii.setVisible(bool(report.pii.count))
