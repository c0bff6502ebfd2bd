"""Import examples: choose a file and how to read it, inspect it off the GUI thread, look at
what was found, then put the measured figures in the plan or write the split.

The dialog is not modal: the window stays usable while a big file is read. The inspection runs
on a `Job` with a progress bar and Cancel; Cancel takes effect at once here (the core stops at
its next poll and its late result is dropped), and neither an error nor a cancel changes the
plan. "Use in Plan" applies `plan.measured_updates` as one undo step, after asking when it
would replace figures the user typed over the last measurement. Everything measured or
concluded comes from core/dataset; this module shows it.
"""

from __future__ import annotations

import csv
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QCloseEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tunewise.core.dataset import formats, plan, tokens
from tunewise.core.dataset import inspect as inspect_module
from tunewise.core.dataset.model import DATASET_FORMATS, FORMAT_LABELS, DatasetReport
from tunewise.core.fieldpath import Attr
from tunewise.core.prices import default_catalog
from tunewise.core.project import ApproachId, DatasetRef, DatasetSplit
from tunewise.ui import dialogs, places
from tunewise.ui.controller import ProjectController
from tunewise.ui.dataset import DATASET_SUFFIXES
from tunewise.ui.dataset.histogram import TokenHistogram
from tunewise.ui.dataset.problems import ProblemsView
from tunewise.ui.dataset.split_dialog import (
    SplitOptions,
    describe_split,
    existing_files,
    run_split,
)
from tunewise.ui.dataset.summary import SummaryView
from tunewise.ui.dataset.worker import Job, Progress
from tunewise.ui.fields import ErrorLabel, plain_label
from tunewise.ui.numbers import NumberKind, ParseError, parse_number

DATASET_FILTER = ("Examples (" + " ".join(f"*{s}" for s in DATASET_SUFFIXES) + ");;"
                  "All files (*)")
HEADER_BYTES = 64 * 1024  # enough for any header row; a longer first line is not a header
PROGRESS_STEPS = 1000
TUNED: ApproachId = "fine_tuning"


def header_row(path: Path, fmt: str) -> list[str]:
    """The column names in the first row of a CSV/TSV file ([] if it cannot be read).

    Bounded: at most HEADER_BYTES are read, through the core's opener, which refuses anything
    but a regular file (a pipe would otherwise wait for ever on the GUI thread).
    """
    try:
        handle, _size = formats.open_dataset(path)
    except (formats.DatasetError, OSError, ValueError):
        return []
    with handle:
        first = handle.readline(HEADER_BYTES)
    text = first.decode("utf-8-sig", errors="replace").rstrip("\r\n")
    try:
        return next(csv.reader([text], delimiter=formats.DELIMITERS[fmt]), [])
    except csv.Error:
        return []


class ImportDialog(QDialog):
    """Import examples into the plan; one per window (see `open_import`)."""

    inspected = Signal(object)  # the DatasetReport shown
    applied = Signal()  # the measured figures are now in the plan

    def __init__(self, controller: ProjectController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Import Examples")
        self.setModal(False)
        self.job: Job | None = None
        self.report: DatasetReport | None = None
        self.options: dict[str, Any] = {}  # how the report shown was read
        self.path: Path | None = None  # the file the report shown was read from
        self.pending_split: DatasetSplit | None = None
        self._warming: Job | None = None
        self._build()
        self.resize(900, 680)
        self.encoding_combo.currentIndexChanged.connect(lambda _i: self._warm_tokenizer())
        self._warm_tokenizer()

    # ---- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        self.file_edit = QLineEdit()
        self.file_edit.setAccessibleName("Examples file")
        self.file_edit.setPlaceholderText("A .jsonl, .csv or .tsv file of your examples")
        self.file_edit.editingFinished.connect(self._file_changed)
        self.choose_button = QPushButton("C&hoose…")
        self.choose_button.clicked.connect(self.choose_file)
        self.format_combo = QComboBox()
        self.format_combo.addItem("Detect automatically", None)
        for fmt in DATASET_FORMATS:
            self.format_combo.addItem(FORMAT_LABELS[fmt], fmt)
        self.format_combo.currentIndexChanged.connect(self._file_changed)
        self.input_combo = QComboBox()
        self.output_combo = QComboBox()
        self.encoding_combo = QComboBox()
        for name in tokens.ENCODINGS:
            self.encoding_combo.addItem(name, name)
        self.model_combo = QComboBox()
        self.model_combo.setEditable(True)
        self.model_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_combo.setMinimumWidth(240)
        tuned = self.controller.project.costs.approach(TUNED).model
        models = [tuned, *(m.id for m in default_catalog().catalog_models() if m.id != tuned)]
        self.model_combo.addItems(models)
        self.model_combo.setCurrentText(tuned)
        self.model_combo.currentTextChanged.connect(self._model_changed)
        self.approximate_note = self._muted()
        self.context_edit = QLineEdit()
        self.context_edit.setPlaceholderText("Optional")
        self.context_edit.setMaximumWidth(160)

        grid = QGridLayout()
        rows: list[tuple[str, QWidget, QWidget | None]] = [
            ("&File:", self.file_edit, self.choose_button),
            ("Fo&rmat:", self.format_combo, None),
            ("&Input column:", self.input_combo, None),
            ("O&utput column:", self.output_combo, None),
            ("&Tokenizer:", self.encoding_combo, None),
            ("&Model it is for:", self.model_combo, None),
            ("Conte&xt limit:", self.context_edit, None),
        ]
        self.option_labels = {}
        for row, (text, editor, extra) in enumerate(rows):
            label = plain_label(text)
            label.setTextFormat(Qt.TextFormat.AutoText)  # our own words, with an Alt letter
            label.setBuddy(editor)
            self.option_labels[editor] = label
            grid.addWidget(label, row, 0)
            grid.addWidget(editor, row, 1)
            if extra is not None:
                grid.addWidget(extra, row, 2)
        grid.addWidget(self.approximate_note, 5, 2)
        grid.addWidget(self._muted("Tokens. Longer examples are counted and listed as "
                                   "problems."), 6, 2)
        grid.setColumnStretch(1, 1)

        self.inspect_button = QPushButton("I&nspect")
        self.inspect_button.setDefault(True)
        self.inspect_button.clicked.connect(self.start)
        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setAccessibleName("Inspection progress")
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setVisible(False)
        run_row = QHBoxLayout()
        run_row.addWidget(self.inspect_button)
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.cancel_button)
        run_row.addStretch(0)
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.error = ErrorLabel()
        self.error.setAccessibleName("Import error")
        self.error.setVisible(False)

        self.summary = SummaryView()
        self.problems = ProblemsView()
        self.histogram = TokenHistogram()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.summary, "Summary")
        self.tabs.addTab(self.problems, "Problems")
        self.tabs.addTab(self.histogram, "Token Lengths")
        self.tabs.setVisible(False)

        # What to do with the result on the left, Close on the right, on every platform.
        self.use_button = QPushButton("&Use in Plan")
        self.split_button = QPushButton("&Export Split…")
        self.close_button = QPushButton("Close")
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.use_button)
        self.buttons.addWidget(self.split_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.close_button)
        self.use_button.clicked.connect(self.use_in_plan)
        self.split_button.clicked.connect(self.export_split)
        self.close_button.clicked.connect(self.close)
        self.use_button.setEnabled(False)
        self.split_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self.buttons)
        self._file_changed()
        self._model_changed(self.model_combo.currentText())

    @staticmethod
    def _muted(text: str = "") -> Any:
        label = plain_label(text)
        label.setWordWrap(True)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label

    # ---- options ------------------------------------------------------------------------

    def set_file(self, path: Path, ref: DatasetRef | None = None) -> None:
        """Start from this file; a reference's format and columns are chosen again."""
        self.file_edit.setText(str(path))
        if ref is not None:
            self.format_combo.setCurrentIndex(max(self.format_combo.findData(ref.format), 0))
            self.encoding_combo.setCurrentIndex(
                max(self.encoding_combo.findData(ref.figures.encoding), 0))
        self._file_changed()
        if ref is not None:
            for combo, column in ((self.input_combo, ref.input_column),
                                  (self.output_combo, ref.output_column)):
                if column is not None and combo.findText(column) >= 0:
                    combo.setCurrentText(column)

    def choose_file(self) -> None:
        current = self.file_edit.text().strip()
        folder = (str(Path(current).parent) if current
                  else str(places.start_folder(self.controller.path)))
        path = dialogs.open_file_name(self, "Import examples", folder, DATASET_FILTER)
        if path is not None:
            self.set_file(path)

    def chosen_format(self) -> str | None:
        data = self.format_combo.currentData()
        return str(data) if data else None

    def table_format(self) -> str | None:
        """'csv' or 'tsv' when the file is read as a table (chosen, or by its extension)."""
        fmt = self.chosen_format()
        if fmt is None:
            text = self.file_edit.text().strip()
            fmt = formats.CSV_EXTENSIONS.get(Path(text).suffix.lower()) if text else None
        return fmt if fmt in formats.DELIMITERS else None

    def _file_changed(self) -> None:
        fmt = self.table_format()
        text = self.file_edit.text().strip()
        columns = header_row(Path(text), fmt) if fmt and text else []
        for combo, preferred in ((self.input_combo, formats.INPUT_COLUMNS),
                                 (self.output_combo, formats.OUTPUT_COLUMNS)):
            keep = combo.currentText()
            combo.clear()
            combo.addItems(columns)
            lowered = [c.strip().lower() for c in columns]
            pick = next((lowered.index(p) for p in preferred if p in lowered), -1)
            if keep in columns:
                combo.setCurrentText(keep)
            elif pick >= 0:
                combo.setCurrentIndex(pick)
            combo.setEnabled(bool(columns))
            self.option_labels[combo].setEnabled(bool(columns))

    def _model_changed(self, model: str) -> None:
        approximate = tokens.is_approximate(model.strip() or None)
        self.approximate_note.setText(
            "Not an OpenAI model: its token counts will be an approximation with o200k_base."
            if approximate else "")
        self.approximate_note.setVisible(approximate)

    def _read_options(self) -> dict[str, Any] | None:
        """The inspection's arguments, or None after saying what is wrong."""
        try:
            limit = parse_number(self.context_edit.text(), NumberKind(integer=True,
                                 optional=True, suffixes=True), "Context limit")
        except ParseError as error:
            self._show_error(str(error))
            return None
        table = self.table_format()
        model = self.model_combo.currentText().strip() or None
        return {
            "format": self.chosen_format(),
            "input_column": (self.input_combo.currentText() or None) if table else None,
            "output_column": (self.output_combo.currentText() or None) if table else None,
            "encoding": self.encoding_combo.currentData(),
            "context_limit": int(limit) if limit is not None else None,
            "model": model,
        }

    # ---- inspecting ---------------------------------------------------------------------

    def _warm_tokenizer(self) -> None:
        """Build the chosen tokenizer now, on a worker thread, while the user sets options:
        tiktoken holds Python's lock for ~0.15 s while it builds one, which would otherwise
        freeze the window at the start of the import."""
        name = str(self.encoding_combo.currentData())
        if tokens.is_loaded(name) or (self._warming is not None and self._warming.running()):
            return
        self._warming = Job(lambda _progress, _cancel: tokens.encoding(name))  # type: ignore[arg-type]
        self._warming.start()

    def running(self) -> bool:
        return self.job is not None

    def start(self) -> None:
        """Inspect the chosen file on a worker thread."""
        if self.job is not None:
            return
        text = self.file_edit.text().strip()
        if not text:
            self._show_error("Choose the file of examples to import first.")
            return
        options = self._read_options()
        if options is None:
            return
        path = Path(text)

        def work(progress: Progress, cancel: threading.Event) -> object:
            # Looked up when it runs, so a test can slow the core down.
            return inspect_module.inspect(path, progress=progress, cancel=cancel, **options)

        self._show_error("")
        self.job = Job(work)
        self.job.progressed.connect(self._progressed)
        self.job.done.connect(lambda report: self._inspected(report, path, options))
        self.job.failed.connect(self._failed)
        self._busy(True)
        self.status.setText(f"Reading {path.name}…")
        self.job.start()

    def cancel(self) -> None:
        """Stop the inspection now; the plan is as it was."""
        if self.job is None:
            return
        self.job.cancel()
        self.job = None
        self._busy(False)
        self.status.setText("Cancelled. Nothing in the plan changed.")

    def _busy(self, busy: bool) -> None:
        self.progress.setValue(0)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.inspect_button.setEnabled(not busy)
        has_report = self.report is not None and not busy
        self.use_button.setEnabled(has_report)
        self.split_button.setEnabled(has_report)
        if busy:
            self.cancel_button.setFocus()

    def _progressed(self, share: float) -> None:
        self.progress.setValue(round(share * PROGRESS_STEPS))

    def _inspected(self, report: object, path: Path, options: dict[str, Any]) -> None:
        assert isinstance(report, DatasetReport)
        self.job = None
        if report.cancelled:  # stopped before our cancel reached us: shown as a cancel
            self._busy(False)
            self.status.setText("Import cancelled. Nothing in the plan changed.")
            return
        self.report, self.path, self.options = report, path, options
        self.pending_split = None
        self._busy(False)
        self.summary.show_report(report)
        self.problems.set_problems(report.invalid)
        self.tabs.setTabText(1, f"Problems ({QLocale().toString(len(report.invalid))})")
        self.histogram.set_histogram(report.histogram.edges, report.histogram.counts)
        self.tabs.setVisible(True)
        self.status.setText(
            f"Read {report.file.name} ({FORMAT_LABELS.get(report.format, report.format)}) "
            f"on {report.measured_on.isoformat()}. “Use in Plan” puts its figures in the plan.")
        self.inspected.emit(report)

    def _failed(self, error: object) -> None:
        self.job = None
        self._busy(False)
        self.status.setText("")
        if isinstance(error, formats.DatasetError | ValueError | OSError):
            self._show_error(f"{error} Nothing in the plan changed.")
            return
        self._show_error("The file could not be inspected because of an unexpected error. "
                         "Nothing in the plan changed.")
        if isinstance(error, BaseException):
            raise error  # to the crash guard, with its details

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # ---- into the plan ------------------------------------------------------------------

    def reference(self) -> DatasetRef:
        assert self.report is not None and self.path is not None
        ref = plan.reference(self.report, self.path, self.controller.path,
                             self.options.get("input_column"), self.options.get("output_column"))
        if self.pending_split is not None:
            ref = ref.model_copy(update={"split": self.pending_split})
        return ref

    def use_in_plan(self) -> bool:
        """Put the measured figures in the plan as one undo step; False if nothing changed."""
        if self.report is None:
            return False
        overridden = [p for p in plan.provenance(self.controller.project) if p.overridden]
        if overridden and not dialogs.confirm(
                self, "Import Examples", "Replace figures you changed?",
                "You typed your own figure for: "
                + "; ".join(f"{p.label} ({p.sentence})" for p in overridden)
                + ". Replace puts the new measurements in use instead; Cancel changes nothing.",
                "&Replace"):
            return False
        message = self.controller.set_values(plan.measured_updates(self.reference()),
                                             "Use measured examples")
        if message:
            self._show_error(message)
            return False
        self.controller.seal()
        self.status.setText("The plan now uses the figures measured in "
                            f"{self.report.file.name}. Undo (Ctrl+Z) takes them back.")
        self.applied.emit()
        return True

    # ---- the split ----------------------------------------------------------------------

    def export_split(self) -> SplitOptions | None:
        """Ask where and how to split; the split runs when the options are accepted."""
        if self.report is None or self.path is None:
            return None
        ref = self.controller.project.dataset
        previous = ref.split if ref is not None else None
        options = SplitOptions(self.path, previous, self)
        options.accepted.connect(lambda: self._split(options))
        options.open()
        return options

    def _split(self, options: SplitOptions) -> None:
        assert self.path is not None and self.report is not None
        values = options.values()
        existing = existing_files(values, self.report.format)
        if existing and not dialogs.confirm(
                self, "Export Split", "Replace the split files in this folder?",
                f"{', '.join(p.name for p in existing)} already "
                f"{'exists' if len(existing) == 1 else 'exist'} in {values.folder}.",
                "&Replace"):
            return
        read = {k: self.options.get(k) for k in ("format", "input_column", "output_column")}
        read["format"] = self.report.format  # as inspected, even when it was detected
        self._show_error("")
        self.status.setText(f"Writing the split to {values.folder}…")
        self.job = run_split(self.path, values, read, bool(existing), self._split_done,
                             self._split_failed)
        self.job.progressed.connect(self._progressed)
        self._busy(True)

    def _split_done(self, result: object, recorded: DatasetSplit) -> None:
        self.job = None
        self._busy(False)
        self.status.setText(describe_split(result))
        ref = self.controller.project.dataset
        if (ref is not None and self.report is not None
                and ref.sha256 == self.report.file.sha256):
            # The plan measured this very file: the split joins its reference, one undo step.
            self.controller.set_value(Attr("dataset"), ref.model_copy(update={"split": recorded}),
                                      "Record the split")
            self.controller.seal()
        else:  # recorded with the figures when they are put in the plan
            self.pending_split = recorded

    def _split_failed(self, error: object) -> None:
        self.job = None
        self._busy(False)
        self.status.setText("")
        if isinstance(error, formats.DatasetError | ValueError | OSError):
            self._show_error(f"The split was not written: {error}")
            return
        self._show_error("The split was not written because of an unexpected error.")
        if isinstance(error, BaseException):
            raise error

    # ---- closing ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel()
        super().closeEvent(event)
