"""The offerings catalogue on screen: a sortable table, a detail pane, and the two dialogs.

`OfferingsModel` is the catalogue as a table model with column constants (one row per
offering); `OfferingsBrowser` puts it beside a detail pane with the row's sources, the day each
was checked, its notes and where sources disagree. `OfferingChooser` picks the offering a
fine-tuned approach runs on; `OfferingsWindow` only shows the catalogue (Prices > Show
Offerings). Status comes from core (`offering_status`) on the plan's start date; this module
only words it. Catalogue text is file text: escaped in the detail pane, plain everywhere else.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tunewise.core.market import METHOD_NAMES, Market, Offering, offering_status
from tunewise.ui.screens import fit_dialog

ModelIndex = QModelIndex | QPersistentModelIndex

(STATUS, PROVIDER, MODEL, DEPLOYMENT, METHODS, TRAINING, INPUT, OUTPUT, HOSTING, STORAGE,
 TRAINING_UNTIL, ANSWERS_UNTIL) = range(12)
COLUMNS = ("Status", "Provider", "Base model", "Deployment", "Methods", "Training",
           "Tuned input", "Tuned output", "Hosting / hour", "Storage / month",
           "Last training day", "Last answering day")
STATUS_WORDS = {"open": "Open", "closing": "Closing", "closed": "Closed"}
METHOD_SHORT = {"sft": "SFT", "dpo": "DPO", "rft": "RFT", "lora": "LoRA", "full": "Full"}
SORT_ROLE = Qt.ItemDataRole.UserRole
UNKNOWN = "not listed"
COLUMN_MAX_WIDTH = 190


def label(market: Market, o: Offering) -> str:
    """'OpenAI gpt-4o-mini (serverless)'."""
    return f"{market.provider_name(o.provider)} {o.base_model} ({o.deployment})"


def training_text(o: Offering) -> str:
    """Training price by method: '$3.00 / 1M tokens', '$100.00 / hour', or not listed."""
    parts: dict[str, list[str]] = {}
    for method in o.methods:
        price = o.training_price(method)
        if price is not None and price.per_mtok is not None:
            text = f"{dollars(price.per_mtok)} / 1M tokens"
        elif price is not None and price.per_hour is not None:
            text = f"{dollars(price.per_hour)} / hour"
        else:
            text = UNKNOWN
        parts.setdefault(text, []).append(METHOD_SHORT[method])
    if len(parts) == 1:
        return next(iter(parts))
    return "; ".join(f"{', '.join(methods)}: {text}" for text, methods in parts.items())


def dollars(value: float) -> str:
    """$3.00, $0.20, $0.035: cents always, more digits only where the price has them."""
    whole, _, cents = f"{value:,.4f}".partition(".")
    cents = cents.rstrip("0").ljust(2, "0")
    return f"${whole}.{cents}"


def fee_text(value: float | None) -> str:
    if value is None:
        return "charged, amount " + UNKNOWN
    return "none" if value == 0 else dollars(value)


def price_text(value: float | None) -> str:
    return UNKNOWN if value is None else f"{dollars(value)} / 1M"


def day_text(value: date | None) -> str:
    return value.isoformat() if value is not None else "none announced"


def status_sentence(market: Market, o: Offering, on: date) -> str:
    """The offering's status on the plan's start date, and its dates, in words."""
    status = offering_status(o, on)
    dates = (f"last day for new training jobs: {day_text(o.new_training_until)}; last day it "
             f"answers: {day_text(o.inference_until)}")
    move = market.by_key(o.migrate_to) if o.migrate_to else None
    then = f" The catalogue suggests moving to {label(market, move)}." if move else ""
    if status == "closed":
        return (f"Closed for a plan starting {on.isoformat()} ({dates}). A plan cannot be "
                f"costed on it; choose an open offering.{then}")
    if status == "closing":
        return f"Closing: {dates}.{then}"
    return "Open: no closing date announced."


class OfferingsModel(QAbstractTableModel):
    """The catalogue, one offering a row; the status is as of `on` (the plan's start)."""

    def __init__(self, market: Market, on: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.market = market
        self.on = on
        self.rows: list[Offering] = list(market.offerings)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def status(self, row: int) -> str:
        return offering_status(self.rows[row], self.on)

    def text(self, row: int, column: int) -> str:
        o = self.rows[row]
        values = {
            STATUS: STATUS_WORDS[self.status(row)],
            PROVIDER: self.market.provider_name(o.provider),
            MODEL: o.base_model,
            DEPLOYMENT: o.deployment,
            METHODS: ", ".join(METHOD_SHORT[m] for m in o.methods),
            TRAINING: training_text(o),
            INPUT: price_text(o.inference.input),
            OUTPUT: price_text(o.inference.output),
            HOSTING: fee_text(o.hosting_per_hour),
            STORAGE: fee_text(o.storage_per_month),
            TRAINING_UNTIL: day_text(o.new_training_until),
            ANSWERS_UNTIL: day_text(o.inference_until),
        }
        return values[column]

    def sort_key(self, row: int, column: int) -> Any:
        o = self.rows[row]
        far = float("inf")

        def number(value: float | None) -> float:
            return far if value is None else value

        if column == STATUS:
            return ("open", "closing", "closed").index(self.status(row))
        if column == TRAINING:
            price = o.training_price(o.methods[0])
            return number(None if price is None else price.per_mtok or price.per_hour)
        if column == INPUT:
            return number(o.inference.input)
        if column == OUTPUT:
            return number(o.inference.output)
        if column == HOSTING:
            return number(o.hosting_per_hour)
        if column == STORAGE:
            return number(o.storage_per_month)
        if column in (TRAINING_UNTIL, ANSWERS_UNTIL):
            when = o.new_training_until if column == TRAINING_UNTIL else o.inference_until
            return when.isoformat() if when is not None else "9999"
        return self.text(row, column).lower()

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        closed = self.status(row) == "closed"
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == SORT_ROLE:
            return self.sort_key(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == STATUS:
                return status_sentence(self.market, self.rows[row], self.on)
            return self.text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and closed:
            # Read at paint time, so a palette change reaches it.
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.FontRole and column == STATUS and closed:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (TRAINING, INPUT, OUTPUT,
                                                                    HOSTING, STORAGE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[column]}: {self.text(row, column)}"
        return None


def detail_html(market: Market, o: Offering, on: date) -> str:
    """One offering in full: status and dates, prices, notes, disagreements, sources.

    Every catalogue string is escaped: the file never decides what the pane renders, and
    source addresses are shown as text, not links.
    """
    rows = [
        ("Methods", ", ".join(METHOD_NAMES[m] for m in o.methods)),
        ("Training", training_text(o)),
        ("Tuned input", price_text(o.inference.input)),
        ("Tuned cached input", price_text(o.inference.cached_input)),
        ("Tuned output", price_text(o.inference.output)),
        ("Hosting per hour", fee_text(o.hosting_per_hour)),
        ("Storage per month", fee_text(o.storage_per_month)),
        ("Last day for new training", day_text(o.new_training_until)),
        ("Last day it answers", day_text(o.inference_until)),
    ]
    if o.minimum_training_cost:
        rows.insert(2, ("Minimum per training run", dollars(o.minimum_training_cost)))
    if o.idle_deletion_days is not None:
        rows.append(("Deleted when idle", f"after {o.idle_deletion_days} days"))
    table = "".join(f"<tr><td nowrap><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(v)}</td>"
                    "</tr>" for k, v in rows)
    parts = [f"<h3>{escape(label(market, o))}</h3>",
             f"<p>{escape(status_sentence(market, o, on))}</p>",
             f"<table cellspacing='0' cellpadding='1'>{table}</table>"]
    if o.notes:
        parts.append(f"<h4>Notes</h4><p>{escape(o.notes)}</p>")
    if o.disagreements:
        parts.append(f"<h4>Where sources disagree</h4><p>{escape(o.disagreements)}</p>")
    sources = "".join(
        f"<li>{escape(s.url)}<br><i>checked {s.checked.isoformat()}</i>"
        + (f": {escape(s.says)}" if s.says else "") + "</li>" for s in o.sources)
    parts.append(f"<h4>Sources</h4><ul>{sources}</ul>")
    return "".join(parts)


class OfferingsBrowser(QWidget):
    """Filter box, sortable table and the chosen row's details."""

    currentChanged = Signal(object)  # Offering | None
    chosen = Signal(object)  # Offering: a row was double-clicked or Enter pressed

    def __init__(self, market: Market, on: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.market = market
        self.on = on
        self.model = OfferingsModel(market, on, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by provider, model, method, status…")
        self.filter.setAccessibleName("Filter offerings")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setAccessibleName("Fine-tuning offerings")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(PROVIDER, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        for column in range(len(COLUMNS)):  # long provider names are elided; tooltips have them
            self.table.setColumnWidth(column, min(self.table.columnWidth(column),
                                                  COLUMN_MAX_WIDTH))
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().lineSpacing() + 8)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.details.setAccessibleName("Offering details")
        self.details.document().setDefaultStyleSheet(
            "h3 { margin-top: 0px; } h4 { margin-top: 8px; margin-bottom: 2px; }"
            " ul { margin-left: 0px; } li { margin-bottom: 3px; }")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([700, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(split, 1)
        self._row_changed(QModelIndex(), QModelIndex())

    def offering_at(self, proxy_row: int) -> Offering:
        return self.model.rows[self.proxy.mapToSource(self.proxy.index(proxy_row, 0)).row()]

    def row_of(self, key: str) -> int:
        """The proxy row showing the offering `key`, or -1."""
        for row in range(self.proxy.rowCount()):
            if self.offering_at(row).key == key:
                return row
        return -1

    def select(self, key: str) -> bool:
        row = self.row_of(key)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.proxy.index(row, 0))
        return True

    def current(self) -> Offering | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.offering_at(index.row())

    def _row_changed(self, current: ModelIndex, _previous: ModelIndex) -> None:
        offering = self.offering_at(current.row()) if current.isValid() else None
        if offering is None:
            self.details.setHtml("<p>Pick a row to see its prices, dates, notes and sources."
                                 "</p>")
        else:
            self.details.setHtml(detail_html(self.market, offering, self.on))
        self.currentChanged.emit(offering)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.chosen.emit(self.offering_at(index.row()))


def _caption(market: Market, on: date) -> QLabel:
    origin = "a catalogue you installed" if market.installed else "the catalogue bundled with " \
        "Tunewise"
    text = QLabel(f"Fine-tuning offerings as of {market.as_of.isoformat()}, from {origin}. "
                  f"Status is for a plan starting {on.isoformat()}. Prices in USD; tokens per "
                  "1M. Click a column heading to sort.")
    text.setTextFormat(Qt.TextFormat.PlainText)
    text.setWordWrap(True)
    return text


class OfferingChooser(QDialog):
    """Pick the offering a fine-tuned approach runs on; closed ones cannot be chosen."""

    def __init__(self, market: Market, on: date, current: str | None = None,
                 parent: QWidget | None = None, approach_label: str = "") -> None:
        super().__init__(parent)
        for_whom = f" for {approach_label}" if approach_label else ""
        self.setWindowTitle(f"Choose an offering{for_whom}")
        self.browser = OfferingsBrowser(market, on, self)
        self.why = QLabel()
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.why.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.choose_button: QPushButton = self.buttons.addButton(
            "&Choose", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.browser.currentChanged.connect(self._current_changed)
        self.browser.chosen.connect(self._double_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(_caption(market, on))
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.why)
        layout.addWidget(self.buttons)
        fit_dialog(self, QSize(1180, 660), parent)
        if current is None or not self.browser.select(current):
            self._current_changed(None)

    def _current_changed(self, offering: Offering | None) -> None:
        closed = offering is not None and offering_status(offering, self.browser.on) == "closed"
        self.choose_button.setEnabled(offering is not None and not closed)
        if offering is None:
            self.why.setText("Pick an offering; its provider, base model and deployment become "
                             "this approach's, as one step you can undo.")
        elif closed:
            self.why.setText("This offering is closed for this plan's start date; choose "
                             "another, or move the plan's start date under Shared by every "
                             "approach.")
        else:
            self.why.setText(f"Choose sets the model to {offering.base_model} at "
                             f"{self.browser.market.provider_name(offering.provider)} "
                             f"({offering.deployment}).")

    def _double_clicked(self, offering: Offering) -> None:
        if self.choose_button.isEnabled() and self.browser.current() is offering:
            self.accept()

    def chosen(self) -> Offering | None:
        offering = self.browser.current()
        if offering is None or offering_status(offering, self.browser.on) == "closed":
            return None
        return offering


class OfferingsWindow(QDialog):
    """The whole catalogue, to read (Prices > Show Offerings)."""

    def __init__(self, market: Market, on: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fine-tuning offerings")
        self.browser = OfferingsBrowser(market, on, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_caption(market, on))
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        fit_dialog(self, QSize(1180, 660), parent)
