"""Run the few-shot test: choose the examples, the endpoint, the model and the scorer, see the
estimated cost, run it off the GUI thread, look at every answer, and use the score in Q1.

The dialog is not modal. The run is core/experiment's `runner.run` on a `Job` (the dataset
import's worker); each answer is kept in a results file in the app's data folder as it arrives
(never next to the plan), so Cancel, a crash or a closed window lose nothing paid for, and the
next Run with the same settings resumes where it stopped. Cancel takes effect here at once; the
worker stops at its next poll and anything it still reports is dropped.

The API key is typed here, found in the environment or the keyring (core/experiment/keys.py),
and handed to the client; it is never put in the plan, a message or a log. "Use This Score"
records `runner.measured(result, today)` in Q1 as one undo step. Scoring, the interval and the
cost are core's; this module presents them.
"""

from __future__ import annotations

import hashlib
import json
import queue
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tunewise import paths
from tunewise.core import texts
from tunewise.core.dataset import plan
from tunewise.core.dataset.formats import DatasetError
from tunewise.core.experiment import client as chat
from tunewise.core.experiment.model import SCORER_LABELS, SCORERS, ExperimentResult
from tunewise.core.experiment.scorers import DEFAULT_RUBRIC
from tunewise.core.fieldpath import Attr
from tunewise.core.prices import default_catalog
from tunewise.ui import dialogs, places
from tunewise.ui.controller import ProjectController
from tunewise.ui.dataset import DATASET_SUFFIXES
from tunewise.ui.dataset.worker import Job
from tunewise.ui.experiment.results import ResultsView
from tunewise.ui.fields import ErrorLabel, plain_label
from tunewise.ui.numbers import NumberKind, ParseError, parse_number

DATASET_FILTER = ("Examples (" + " ".join(f"*{s}" for s in DATASET_SUFFIXES) + ");;"
                  "All files (*)")
SCHEMA_FILTER = "JSON Schema (*.json);;All files (*)"
CUSTOM = ""  # the preset entry for a URL of the user's own
PROGRESS_STEPS = 1000
POLL_MS = 100  # answers reach the table ten times a second
ESTIMATE_DELAY_MS = 300
MEASURED = Attr("answers", "few_shot_measured")


def results_folder() -> Path:
    """Where runs keep their answers: the app's data folder, never the plan's."""
    return paths.user_data_dir() / "experiments"


def results_digest(settings: dict[str, Any], dataset_sha256: str) -> str:
    """Names the results file of one run: the same examples and settings find it again, and
    other settings get a file of their own (the core refuses to mix runs in one file)."""
    same = {k: v for k, v in settings.items()
            if k not in ("dataset_path", "concurrency", "max_cost")}
    text = json.dumps({**same, "dataset_sha256": dataset_sha256}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


PROMPT_LIMIT = 200 * 1024  # bytes of a system prompt file


class ExperimentDialog(QDialog):
    """The few-shot test for one window's plan (see `open_experiment`)."""

    finished_run = Signal(object)  # the ExperimentResult shown
    applied = Signal()  # the measured score is now in the plan

    def __init__(self, controller: ProjectController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Run the Few-Shot Test")
        self.setModal(False)
        self.job: Job | None = None
        self.stopping: Job | None = None  # a cancelled run whose thread has not ended yet
        self.run_result: ExperimentResult | None = None
        self.results_path: Path | None = None
        self._arrived: queue.SimpleQueue[Any] = queue.SimpleQueue()  # runner's Ticks
        self._found_key: str | None = None  # from the environment or keyring; never shown
        self._estimating: Job | None = None
        self._looking: Job | None = None  # the key lookup
        self._settings: dict[str, Any] = {}
        self.answered = 0
        self._build()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._drain)
        self._estimate_timer = QTimer(self)
        self._estimate_timer.setSingleShot(True)
        self._estimate_timer.setInterval(ESTIMATE_DELAY_MS)
        self._estimate_timer.timeout.connect(self.update_estimate)
        self._defaults()
        self.resize(960, 760)

    # ---- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        self.file_edit = QLineEdit()
        self.file_edit.setAccessibleName("Examples file")
        self.file_edit.setPlaceholderText("The .jsonl, .csv or .tsv file of your examples")
        self.choose_button = QPushButton("C&hoose…")
        self.choose_button.clicked.connect(self.choose_file)
        self.prompt_edit = QLineEdit()
        self.prompt_edit.setAccessibleName("System prompt file")
        self.prompt_edit.setPlaceholderText("Optional: a text file with the system prompt")
        self.prompt_edit.editingFinished.connect(self._schedule_estimate)
        self.prompt_button = QPushButton("Choose…")
        self.prompt_button.setAccessibleName("Choose the system prompt file")
        self.prompt_button.clicked.connect(self.choose_prompt)
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName("Endpoint preset")
        for name, preset in chat.PRESETS.items():
            self.preset_combo.addItem(name, name)
            del preset
        self.preset_combo.addItem("Other (your own URL)", CUSTOM)
        self.preset_combo.currentIndexChanged.connect(self._preset_changed)
        self.url_edit = QLineEdit()
        self.url_edit.setAccessibleName("Base URL")
        self.url_edit.setPlaceholderText("https://…/v1")
        self.url_edit.editingFinished.connect(self._endpoint_changed)
        self.model_combo = QComboBox()
        self.model_combo.setEditable(True)
        self.model_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_combo.setMinimumWidth(240)
        self.model_combo.addItems([m.id for m in default_catalog().catalog_models()])
        self.key_edit = QLineEdit()
        self.key_edit.setAccessibleName("API key")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText
                                          | Qt.InputMethodHint.ImhSensitiveData
                                          | Qt.InputMethodHint.ImhNoPredictiveText)
        self.remember_box = QCheckBox("Remember in keyrin&g")
        self.remember_box.setToolTip("Keep the key in the system's keyring for this endpoint; "
                                     "it is never written to the plan.")
        key_row = QHBoxLayout()
        key_row.setContentsMargins(0, 0, 0, 0)
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.remember_box)
        key_box = QWidget()
        key_box.setLayout(key_row)

        self.scorer_combo = QComboBox()
        self.scorer_combo.setAccessibleName("Scorer")
        for scorer in SCORERS:
            self.scorer_combo.addItem(SCORER_LABELS[scorer], scorer)
        self.scorer_combo.currentIndexChanged.connect(self._scorer_changed)
        self.pattern_edit = QLineEdit()
        self.pattern_edit.setPlaceholderText(r"e.g. ^(yes|no)\b")
        self.tolerance_edit = QLineEdit("0")
        self.tolerance_edit.setMaximumWidth(160)
        self.schema_edit = QLineEdit()
        self.schema_edit.setPlaceholderText("A JSON Schema file the answers must follow")
        self.schema_button = QPushButton("Choose…")
        self.schema_button.clicked.connect(self.choose_schema)
        schema_row = QHBoxLayout()
        schema_row.setContentsMargins(0, 0, 0, 0)
        schema_row.addWidget(self.schema_edit, 1)
        schema_row.addWidget(self.schema_button)
        schema_box = QWidget()
        schema_box.setLayout(schema_row)
        self.rubric_edit = QPlainTextEdit()
        self.rubric_edit.setAccessibleName("Judge rubric")
        self.rubric_edit.setPlainText(DEFAULT_RUBRIC)
        self.rubric_edit.setTabChangesFocus(True)
        self.rubric_edit.setFixedHeight(64)

        self.few_shot_spin = self._spin(0, 200, 20, "Few-shot examples")
        self.held_out_spin = self._spin(1, 100_000, 50, "Held-out examples")
        self.seed_spin = self._spin(0, 2_147_483_647, 0, "Seed")
        self.concurrency_spin = self._spin(1, 32, 4, "Concurrency")
        counts = QHBoxLayout()
        counts.setContentsMargins(0, 0, 0, 0)
        for text, spin in (("&Few-shot:", self.few_shot_spin), ("Held &out:", self.held_out_spin),
                           ("S&eed:", self.seed_spin), ("Concurrenc&y:", self.concurrency_spin)):
            label = plain_label(text)
            label.setTextFormat(Qt.TextFormat.AutoText)
            label.setBuddy(spin)
            counts.addWidget(label)
            counts.addWidget(spin)
            counts.addSpacing(8)
        counts.addStretch(1)
        counts_box = QWidget()
        counts_box.setLayout(counts)
        self.max_cost_edit = QLineEdit()
        self.max_cost_edit.setAccessibleName("Maximum cost")
        self.max_cost_edit.setPlaceholderText("No cap")
        self.max_cost_edit.setMaximumWidth(160)
        self.estimate_label = plain_label()
        self.estimate_label.setAccessibleName("Estimated cost")
        self.estimate_label.setWordWrap(True)

        grid = QGridLayout()
        rows: list[tuple[str, QWidget, QWidget | None]] = [
            ("E&xamples:", self.file_edit, self.choose_button),
            ("S&ystem prompt:", self.prompt_edit, self.prompt_button),
            ("End&point:", self.preset_combo, None),
            ("&Base URL:", self.url_edit, None),
            ("&Model:", self.model_combo, None),
            ("API &key:", key_box, None),
            ("&Scorer:", self.scorer_combo, None),
            ("Pa&ttern:", self.pattern_edit, None),
            ("Tolera&nce:", self.tolerance_edit, None),
            ("&JSON Schema:", schema_box, None),
            ("Rubr&ic:", self.rubric_edit, None),
            ("Examples used:", counts_box, None),
            ("Cost &limit (US$):", self.max_cost_edit, None),
        ]
        self.row_labels: dict[QWidget, QLabel] = {}
        for row, (text, editor, extra) in enumerate(rows):
            label = plain_label(text)
            label.setTextFormat(Qt.TextFormat.AutoText)  # our own words, with an Alt letter
            label.setBuddy(editor)
            self.row_labels[editor] = label
            grid.addWidget(label, row, 0)
            grid.addWidget(editor, row, 1)
            if extra is not None:
                grid.addWidget(extra, row, 2)
        self.key_note = self._muted()
        grid.addWidget(self.key_note, 4, 2)
        grid.addWidget(self.estimate_label, 11, 2)
        grid.setColumnStretch(1, 1)
        self.option_rows = {"regex": self.pattern_edit, "numeric": self.tolerance_edit,
                            "json_schema": schema_box, "judge": self.rubric_edit}

        self.run_button = QPushButton("&Run")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start)
        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setAccessibleName("Test progress")
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setVisible(False)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.cancel_button)
        run_row.addStretch(0)
        self.status = plain_label()
        self.status.setAccessibleName("Pass rate")
        self.status.setWordWrap(True)
        bold = self.status.font()
        bold.setBold(True)
        self.status.setFont(bold)
        self.error = ErrorLabel()
        self.error.setAccessibleName("Test error")
        self.error.setVisible(False)
        self.results = ResultsView()

        self.use_button = QPushButton("&Use This Score")
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self.use_score)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.results, 1)
        layout.addLayout(buttons)

        for edit in (self.file_edit, self.pattern_edit, self.tolerance_edit, self.schema_edit):
            edit.editingFinished.connect(self._schedule_estimate)
        self.model_combo.currentTextChanged.connect(lambda _t: self._schedule_estimate())
        for spin in (self.few_shot_spin, self.held_out_spin, self.seed_spin):
            spin.valueChanged.connect(lambda _v: self._schedule_estimate())

    @staticmethod
    def _spin(low: int, high: int, value: int, name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setAccessibleName(name)
        spin.setGroupSeparatorShown(True)
        return spin

    @staticmethod
    def _muted(text: str = "") -> QLabel:
        label = plain_label(text)
        label.setWordWrap(True)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label

    def _defaults(self) -> None:
        """Start from the plan: its examples file, split seed and tested (or prompting's) model."""
        project = self.controller.project
        ref = project.dataset
        if ref is not None:
            self.file_edit.setText(str(plan.dataset_location(ref, self.controller.path)))
            if ref.split is not None:
                self.seed_spin.setValue(ref.split.seed)
        model = (project.answers.few_shot_model
                 or project.costs.approach("prompt_engineering").model)
        self.model_combo.setCurrentText(model)
        self.preset_combo.setCurrentIndex(0)
        self._preset_changed()
        self._scorer_changed()

    # ---- options ------------------------------------------------------------------------

    def choose_file(self) -> None:
        current = self.file_edit.text().strip()
        folder = (str(Path(current).parent) if current
                  else str(places.start_folder(self.controller.path)))
        path = dialogs.open_file_name(self, "Examples to test with", folder, DATASET_FILTER)
        if path is not None:
            self.file_edit.setText(str(path))
            self._schedule_estimate()

    def choose_prompt(self) -> None:
        folder = str(places.start_folder(self.controller.path))
        path = dialogs.open_file_name(self, "System prompt", folder,
                                      "Text files (*.txt *.md);;All files (*)")
        if path is not None:
            self.prompt_edit.setText(str(path))
            self._schedule_estimate()

    def system_prompt(self) -> str | None:
        """The system prompt file's text, None when no file is named; raises ValueError with a
        plain message when it cannot be read."""
        text = self.prompt_edit.text().strip()
        if not text:
            return None
        path = Path(text)
        try:
            if path.stat().st_size > PROMPT_LIMIT:
                raise ValueError(f"{path.name} is over {PROMPT_LIMIT // 1024} KB; a system "
                                 "prompt that long is not what the test is for")
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"{path.name} is not UTF-8 text") from None
        except OSError as error:
            raise ValueError(f"cannot read {path.name}: {error.strerror or error}") from None

    def choose_schema(self) -> None:
        folder = str(places.start_folder(self.controller.path))
        path = dialogs.open_file_name(self, "JSON Schema for the answers", folder, SCHEMA_FILTER)
        if path is not None:
            self.schema_edit.setText(str(path))

    def _preset_changed(self) -> None:
        name = str(self.preset_combo.currentData())
        preset = chat.PRESETS.get(name)
        if preset is not None and preset.base_url:
            self.url_edit.setText(preset.base_url)
        elif preset is not None:
            self.url_edit.clear()
            self.url_edit.setPlaceholderText(preset.note or "https://…/v1")
        self._endpoint_changed()

    def preset(self) -> chat.Preset | None:
        return chat.PRESETS.get(str(self.preset_combo.currentData()))

    def host(self) -> str:
        return chat.endpoint_host(self.url_edit.text().strip())

    def _endpoint_changed(self) -> None:
        """Look for a stored key for this endpoint on a worker thread (a keyring may take its
        time, or ask the user to unlock it); say where one was found, never what it is."""
        host, preset = self.host(), self.preset()
        self._found_key = None
        self.key_note.setText("")
        self.key_edit.setPlaceholderText("Not needed for local servers")
        if self._looking is not None:
            self._looking.cancel()

        def work(_progress: Any, _cancel: threading.Event) -> object:
            from tunewise.core.experiment import keys

            return host, keys.find_key(host, preset)

        self._looking = Job(work)
        self._looking.done.connect(self._key_found)
        self._looking.start()

    def _key_found(self, found: Any) -> None:
        host, key = found
        self._looking = None
        if host != self.host() or key.key is None:
            return
        self._found_key = key.key
        self.key_note.setText(f"Found in {key.source}; type one to use another.")
        self.key_edit.setPlaceholderText("Using the stored key")

    def _scorer_changed(self) -> None:
        scorer = self.scorer_combo.currentData()
        for key, widget in self.option_rows.items():
            shown = key == scorer
            widget.setVisible(shown)
            self.row_labels[widget].setVisible(shown)

    def scorer_options(self) -> dict[str, Any] | None:
        """The chosen scorer's options, or None after saying what is missing."""
        scorer = str(self.scorer_combo.currentData())
        if scorer == "regex":
            if not self.pattern_edit.text():
                self._show_error("Type the regular expression the answers must match.")
                return None
            return {"pattern": self.pattern_edit.text()}
        if scorer == "numeric":
            try:
                tolerance = parse_number(self.tolerance_edit.text(), NumberKind(), "Tolerance")
            except ParseError as error:
                self._show_error(str(error))
                return None
            return {"tolerance": float(tolerance or 0.0)}
        if scorer == "json_schema":
            text = self.schema_edit.text().strip()
            if not text:
                self._show_error("Choose the JSON Schema file the answers must follow.")
                return None
            return {"schema": text}
        if scorer == "judge":
            rubric = self.rubric_edit.toPlainText().strip()
            if not rubric:
                self._show_error("Write the rubric the judge model scores the answers by.")
                return None
            return {"rubric": rubric}
        return {}

    def settings(self) -> dict[str, Any] | None:
        """Everything a run needs but the key and the client, or None after saying why not."""
        text = self.file_edit.text().strip()
        if not text:
            self._show_error("Choose the file of examples to test with first.")
            return None
        try:
            base_url = chat.check_base_url(self.url_edit.text())
        except ValueError as error:
            self._show_error(f"The base URL is not usable: {error}.")
            return None
        model = self.model_combo.currentText().strip()
        if not model:
            self._show_error("Name the model to test.")
            return None
        try:
            cap = parse_number(self.max_cost_edit.text(), NumberKind(optional=True, money=True),
                               "Max cost")
        except ParseError as error:
            self._show_error(str(error))
            return None
        options = self.scorer_options()
        if options is None:
            return None
        try:
            prompt = self.system_prompt()
        except ValueError as error:
            self._show_error(f"The system prompt: {error}.")
            return None
        return {
            "system_prompt": prompt,
            "dataset_path": Path(text), "base_url": base_url, "model": model,
            "scorer": str(self.scorer_combo.currentData()), "scorer_options": options,
            "few_shot": self.few_shot_spin.value(), "held_out": self.held_out_spin.value(),
            "seed": self.seed_spin.value(), "concurrency": self.concurrency_spin.value(),
            "max_cost": float(cap) if cap is not None else None,
        }

    # ---- the estimate -------------------------------------------------------------------

    def _schedule_estimate(self) -> None:
        self._estimate_timer.start()

    def _draw(self, settings: dict[str, Any]) -> Callable[[Any, threading.Event], object]:
        """Work for a thread: the examples drawn and the prompts built, with their estimate."""
        def work(_progress: Any, cancel: threading.Event) -> object:
            from tunewise.core.experiment import runner

            prepared = runner.prepare(settings["dataset_path"], few_shot=settings["few_shot"],
                                      held_out=settings["held_out"], seed=settings["seed"],
                                      system_prompt=settings["system_prompt"], cancel=cancel)
            judge = settings["model"] if settings["scorer"] == "judge" else None
            return prepared, runner.estimate_prepared(prepared, settings["model"],
                                                      scorer=settings["scorer"],
                                                      judge_model=judge)
        return work

    def update_estimate(self) -> None:
        """Work out the run's estimated tokens and cost on a worker thread, then show them."""
        text = self.file_edit.text().strip()
        model = self.model_combo.currentText().strip()
        if self._estimating is not None:
            self._estimating.cancel()  # its answer is for settings no longer shown
            self._estimating = None
        if not text or not model or self.job is not None:
            return
        try:
            prompt = self.system_prompt()
        except ValueError:
            prompt = None  # said when the run is asked for; the estimate goes without it
        settings = {"dataset_path": Path(text), "model": model, "system_prompt": prompt,
                    "scorer": str(self.scorer_combo.currentData()),
                    "few_shot": self.few_shot_spin.value(),
                    "held_out": self.held_out_spin.value(), "seed": self.seed_spin.value()}
        job = self._estimating = Job(self._draw(settings))
        # Bound methods, not lambdas: Qt drops them with the dialog if it goes first.
        job.done.connect(self._show_estimate)
        job.failed.connect(self._no_estimate)
        self.estimate_label.setText("Estimating…")
        job.start()

    def _show_estimate(self, found: Any) -> None:
        self._estimating = None
        self.estimate_label.setText(self.estimate_words(found[1]))

    def _no_estimate(self, error: object) -> None:
        self._estimating = None
        self.estimate_label.setText(f"No estimate: {error}" if isinstance(error, Exception)
                                    else "")

    @staticmethod
    def estimate_words(estimate: Any) -> str:
        tokens = QLocale().toString(estimate.input_tokens + estimate.output_tokens)
        if estimate.cost_usd is None:
            return (f"{estimate.requests:,} requests, about {tokens} tokens; the cost is not "
                    "known (no price for this model).")
        return (f"{estimate.requests:,} requests, about {tokens} tokens: about "
                f"{texts.money(estimate.cost_usd)}.")

    # ---- running ------------------------------------------------------------------------

    def running(self) -> bool:
        return self.job is not None

    def key(self) -> str | None:
        return self.key_edit.text().strip() or self._found_key

    def start(self) -> None:
        """Draw the examples and estimate the cost off the GUI thread, then ask and run."""
        if self.job is not None:
            return
        if self.stopping is not None and self.stopping.running():
            # The cancelled run still closes its results file: never two writers on it.
            self.stopping.runner.wait(5000)
        self.stopping = None
        self._show_error("")
        settings = self.settings()
        if settings is None:
            return
        if self._estimating is not None:
            self._estimating.cancel()
            self._estimating = None
        self._settings = settings
        self.job = Job(self._draw(settings))
        self.job.done.connect(self._drawn)
        self.job.failed.connect(self._failed)
        self._busy(True)
        self.progress.setRange(0, 0)  # busy: drawing the examples
        self.status.setText("Drawing the examples and estimating the cost…")
        self.job.start()

    def _drawn(self, found: Any) -> None:
        self._confirm_and_run(self._settings, *found)

    def _confirm_and_run(self, settings: dict[str, Any], prepared: Any, estimate: Any) -> None:
        """Ask before spending money; then run the test on a worker thread."""
        from tunewise.core.experiment import runner

        self.job = None
        self.estimate_label.setText(self.estimate_words(estimate))
        cap = settings["max_cost"]
        if estimate.cost_usd is not None and estimate.cost_usd > 0:
            informative = (f"{self.estimate_words(estimate)} On {settings['model']} at "
                           f"{self.host()}. Answers kept from an earlier run with the same "
                           "settings are not asked (or paid for) again.")
            if cap is not None:
                informative += f" The run stops before spending more than {texts.money(cap)}."
            if not dialogs.confirm(self, "Run the Few-Shot Test",
                                   f"This run will cost about {texts.money(estimate.cost_usd)}.",
                                   informative, "Run"):
                self._busy(False)
                self.status.setText("Not run.")
                return
        key = self.key()
        host = self.host()
        preset = self.preset()
        digest = results_digest(settings, prepared.dataset_sha256)
        folder = results_folder()
        folder.mkdir(parents=True, exist_ok=True)
        stem = places.safe_stem(settings["model"]).replace(" ", "-")[:40]
        path = self.results_path = folder / f"{stem}-{digest[:16]}.jsonl"
        remember = self.remember_box.isChecked() and bool(self.key_edit.text().strip())
        arrived = self._arrived = queue.SimpleQueue()

        def work(progress: Any, cancel: threading.Event) -> object:
            from tunewise.core.experiment import keys

            def reported(tick: Any) -> None:
                arrived.put(tick)
                progress(tick.done, tick.total)

            # The key typed, else one found for this endpoint (looked up here if the lookup
            # started with the dialog has not answered yet).
            use = key or keys.find_key(host, preset).key
            client = chat.ChatClient(settings["base_url"], api_key=use)
            try:
                result = runner.run(
                    settings["dataset_path"], client=client, model=settings["model"],
                    scorer=settings["scorer"], scorer_options=settings["scorer_options"],
                    few_shot=settings["few_shot"], held_out=settings["held_out"],
                    seed=settings["seed"], concurrency=settings["concurrency"],
                    max_cost=cap, results_path=path, progress=reported, cancel=cancel,
                    prepared=prepared)
            finally:
                client.close()
            if remember and key:
                try:
                    keys.remember(host, key)
                except keys.KeyStoreError as error:
                    return result, str(error)
            return result, ""

        self.run_result = None
        self.use_button.setEnabled(False)
        self.results.model.set_examples([])
        self.job = Job(work)
        self.job.progressed.connect(self._progressed)
        self.job.done.connect(self._ran)
        self.job.failed.connect(self._failed)
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setValue(0)
        self.status.setText(f"Asking {settings['model']} at {host}…")
        self.job.start()
        self._poll.start()

    def cancel(self) -> None:
        """Stop now; the answers kept so far stay in the results file for the next Run."""
        if self.job is None:
            return
        self.job.cancel()
        self.stopping = self.job
        self.job = None
        self._poll.stop()
        self._drain()
        self._busy(False)
        self.status.setText(f"Cancelled after {self.answered:,} answers; they are kept, and "
                            "Run carries on from there.")

    def _busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setValue(0)
            self.cancel_button.setFocus()

    def _progressed(self, share: float) -> None:
        self.progress.setValue(round(share * PROGRESS_STEPS))

    def _drain(self) -> None:
        """Put the answers that arrived into the table and the running pass rate."""
        ticks: list[Any] = []
        while True:
            try:
                ticks.append(self._arrived.get_nowait())
            except queue.Empty:
                break
        if not ticks:
            return
        self.results.model.add(t.example for t in ticks)
        last = ticks[-1]
        self.answered = last.done
        if self.job is not None:
            self.status.setText(self.running_words(last))

    @staticmethod
    def running_words(tick: Any) -> str:
        rate = texts.percent(tick.passed / tick.answered) if tick.answered else "—"
        errors = f", {tick.errors:,} errors" if tick.errors else ""
        return (f"Pass rate so far {rate}: {tick.passed:,} of {tick.answered:,} passed"
                f"{errors} ({tick.done:,} of {tick.total:,} asked).")

    def _ran(self, found: Any) -> None:
        self._finished(*found)

    def _finished(self, result: ExperimentResult, key_note: str) -> None:
        self.job = None
        self._poll.stop()
        self._drain()
        self._busy(False)
        self.run_result = result
        self.results.model.set_examples(result.examples)
        cost = texts.money(result.cost_usd) if result.cost_usd is not None else "unknown cost"
        words = (f"Score {texts.percent(result.score)} (95% interval "
                 f"{texts.percent(result.ci95[0])} to {texts.percent(result.ci95[1])}): "
                 f"{result.passed:,} of {result.n:,} passed, {result.errors:,} errors, {cost}."
                 if result.n else f"No example was answered ({result.errors:,} errors).")
        if result.cancelled:
            words += " The run stopped early; Run carries on from there."
        if key_note:
            words += f" The key was not remembered: {key_note}."
        self.status.setText(words)
        self.use_button.setEnabled(result.n > 0)
        self.finished_run.emit(result)

    def _failed(self, error: object) -> None:
        self.job = None
        self._poll.stop()
        self._drain()
        self._busy(False)
        self.status.setText("")
        self.progress.setRange(0, PROGRESS_STEPS)
        if isinstance(error, chat.AuthError):
            message = (f"{self.host()} refused the API key. Check the key for this endpoint; "
                       "the answers kept so far stay for the next run.")
            self._show_error(message)
            dialogs.error(self, "Key refused", message)
            return
        if isinstance(error, chat.ChatError | DatasetError | OSError | ValueError):
            self._show_error(f"The test stopped: {error}")
            return
        self._show_error("The test stopped because of an unexpected error.")
        if isinstance(error, BaseException):
            raise error

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # ---- into the plan ------------------------------------------------------------------

    def use_score(self, today: date | None = None) -> bool:
        """Record the score in Q1 (with the model it ran on) as one undo step."""
        from tunewise.core.experiment import runner

        if self.run_result is None:
            return False
        measured = runner.measured(self.run_result, today or date.today())
        from tunewise.ui.wizard.few_shot import tested_model_changes

        changes = tested_model_changes(self.controller.project, self.run_result.model)
        message = self.controller.set_values([(MEASURED, measured), *changes],
                                             "Use the few-shot test's score")
        if message:
            self._show_error(message)
            return False
        self.applied.emit()
        return True

    # ---- closing ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._estimating is not None:
            self._estimating.cancel()
            self._estimating = None
        self.cancel()
        super().closeEvent(event)
