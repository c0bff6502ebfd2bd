"""Importing a team's examples in the app: the dialog, its worker, the plan and the Q4 page.

Every dataset here is generated in tmp_path with a composition counted by hand; the figures the
dialog shows are checked against those counts and against the core's own report of the same
file. The real worker thread runs the real core, except where a test slows the core down to
have something to cancel.
"""

from __future__ import annotations

import json
import random
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QPalette
from PySide6.QtWidgets import QApplication

from tunewise.core.dataset import inspect as inspect_module
from tunewise.core.dataset import plan
from tunewise.core.dataset.model import Problem
from tunewise.core.fieldpath import Attr
from tunewise.core.project import DatasetSplit
from tunewise.ui.dataset.dialog import ImportDialog
from tunewise.ui.dataset.problems import ProblemsView
from tunewise.ui.dataset.worker import Job

WORDS = [f"w{i}" for i in range(400)]
TUNED = ("fine_tuning", "fine_tuning+rag", "fine_tuning+prompt_engineering", "all_three")
WAIT_MS = 30_000  # the first count loads the tokenizer


@pytest.fixture(autouse=True)
def no_thread_left() -> Iterator[None]:
    yield
    assert Job.wait_for_all(5000)


def sentence(rng: random.Random, n: int = 30) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def chat(user: str, answer: str) -> str:
    return json.dumps({"messages": [{"role": "user", "content": user},
                                    {"role": "assistant", "content": answer}]})


def as_read(value: float) -> str:
    """A figure as the summary writes it in en_US: whole numbers bare, others to 0.1."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def write_examples(path: Path, distinct: int = 30) -> Path:
    """`distinct` different good examples, then 2 exact copies, 1 near copy (the last word of
    one answer changed: 25 of 27 word-5-grams shared), 1 line that is not JSON and 1 example
    without an answer. Records = distinct + 5; valid = distinct + 3; problems 2."""
    rng = random.Random(7)
    pairs = [(sentence(rng), sentence(rng)) for _ in range(distinct)]
    lines = [chat(u, a) for u, a in pairs]
    lines += [lines[0], lines[1]]
    user, answer = pairs[2]
    lines.append(chat(user, answer.rsplit(" ", 1)[0] + " changed"))
    lines.append("{not json")
    lines.append(json.dumps({"messages": [{"role": "user", "content": "no answer here"}]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return write_examples(folder / "tickets.jsonl")


def open_dialog(ui: Any, path: Path | None = None) -> ImportDialog:
    """Click Import Examples on the Q4 page and choose `path`."""
    ui.window.wizard.show_page("q4")
    page = ui.window.wizard.page_of("q4")
    ui.qtbot.mouseClick(page.dataset.import_button, Qt.MouseButton.LeftButton)
    dialogs = ui.window.findChildren(ImportDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    if path is not None:
        dialogs[0].file_edit.setText(str(path))
        dialogs[0].file_edit.editingFinished.emit()
    return dialogs[0]


def inspect_in(ui: Any, dialog: ImportDialog) -> None:
    ui.qtbot.mouseClick(dialog.inspect_button, Qt.MouseButton.LeftButton)
    assert dialog.running()
    ui.qtbot.waitUntil(lambda: not dialog.running(), timeout=WAIT_MS)


def imported(ui: Any, path: Path) -> ImportDialog:
    dialog = open_dialog(ui, path)
    inspect_in(ui, dialog)
    assert dialog.report is not None, dialog.error.text()
    return dialog


# ---- the summary and the problems ---------------------------------------------------------

def test_summary_shows_the_hand_counted_figures_and_the_cores_report(
        ui: Any, examples: Path) -> None:
    dialog = imported(ui, examples)
    report = inspect_module.inspect(examples, model=ui.window.controller.project.costs
                                    .approach("fine_tuning").model)
    s = dialog.summary
    # Counted by hand (see write_examples).
    assert (s.value("records"), s.value("valid"), s.value("problems")) == ("35", "33", "2")
    assert (s.value("duplicates"), s.value("near_duplicates")) == ("2", "1")
    assert s.value("good_examples") == "30"
    # The tokens are the core's: the same numbers, as an en_US user reads them.
    t = report.tokens
    assert s.value("tokens_mean") == as_read(t.mean)
    assert s.value("tokens_p50") == as_read(t.p50)
    assert s.value("tokens_p95") == as_read(t.p95)
    assert s.value("tokens_max") == f"{t.max:,}"
    assert s.value("training_tokens") == f"{report.training_tokens:,}"
    assert s.value("encoding") == "o200k_base"
    assert s.value("over_context") == ""  # no limit given: no row
    assert s.value("labels") == ""
    # The default model is the tuned approach's, not OpenAI's: the counts say so.
    assert t.approximate and "approximation" in s.approximate.text()
    assert not s.pii.isVisibleTo(dialog)
    assert dialog.histogram.counts == report.histogram.counts
    assert sum(dialog.histogram.counts) == 33  # every valid example


def test_problems_table_lists_each_problem_by_line(ui: Any, examples: Path) -> None:
    dialog = imported(ui, examples)
    dialog.tabs.setCurrentWidget(dialog.problems)
    assert [(line, kind) for line, kind, _ in dialog.problems.rows()] == [
        (34, "not_json"), (35, "no_assistant")]
    assert dialog.tabs.tabText(1) == "Problems (2)"
    dialog.problems.show_kind("no_assistant")
    assert [row[0] for row in dialog.problems.rows()] == [35]
    dialog.problems.show_kind("")
    assert len(dialog.problems.rows()) == 2


def test_personal_data_is_shown_by_kind_with_a_caution(ui: Any, tmp_path: Path) -> None:
    path = tmp_path / "pii.jsonl"
    rng = random.Random(3)
    lines = [chat(sentence(rng), sentence(rng)) for _ in range(5)]
    lines.append(chat("write to jane.doe@example.com please " + sentence(rng), sentence(rng)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dialog = imported(ui, path)
    assert dialog.summary.pii.isVisibleTo(dialog)
    assert "1 example: 1 e-mail address" in dialog.summary.pii.text()


def test_a_table_of_ten_thousand_problems_sorts_and_filters(qtbot: Any) -> None:
    view = ProblemsView()
    qtbot.addWidget(view)
    kinds = ("not_json", "empty_content")
    view.set_problems([Problem(line=i, kind=kinds[i % 2], problem=f"problem {i}")
                       for i in range(1, 10_001)])
    assert len(view.rows()) == 10_000
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert view.rows()[0][0] == 10_000 and view.rows()[-1][0] == 1  # as numbers, not text
    view.show_kind("not_json")
    shown = view.rows()
    assert len(shown) == 5_000 and {kind for _, kind, _ in shown} == {"not_json"}
    assert view.shown.text() == "5,000 shown"


def test_csv_columns_come_from_the_header_row(ui: Any, tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    rng = random.Random(5)
    rows = ["id,question,reply"] + [f"{i},{sentence(rng)},{sentence(rng)}" for i in range(12)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    dialog = open_dialog(ui, path)
    items = [dialog.input_combo.itemText(i) for i in range(dialog.input_combo.count())]
    assert items == ["id", "question", "reply"]
    assert dialog.input_combo.isEnabled()
    assert dialog.input_combo.currentText() == "question"  # the core's preferred names
    dialog.output_combo.setCurrentText("reply")
    inspect_in(ui, dialog)
    assert dialog.report is not None and dialog.report.format == "csv"
    assert dialog.summary.value("valid") == "12"


# ---- into the plan, and back out ---------------------------------------------------------

def plan_figures(ui: Any) -> tuple[Any, ...]:
    p = ui.window.controller.project
    return (p.answers.example_count, p.costs.training.training_tokens,
            *(p.costs.user_input_tokens(a) for a in TUNED),
            *(p.costs.output_tokens(a) for a in TUNED), p.dataset)


def test_use_in_plan_sets_the_figures_and_one_undo_restores_them(
        bot: Any, examples: Path) -> None:
    before = plan_figures(bot)
    steps = bot.window.controller.undo_stack.count()
    dialog = imported(bot, examples)
    report = dialog.report
    bot.qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    p = bot.window.controller.project
    assert p.answers.example_count == 30
    assert p.costs.training.training_tokens == report.training_tokens
    for approach in TUNED:
        assert p.costs.user_input_tokens(approach) == round(report.mean_input_tokens)
        assert p.costs.output_tokens(approach) == round(report.mean_output_tokens)
    assert p.dataset is not None and p.dataset.name == "tickets.jsonl"
    assert plan.dataset_location(p.dataset, bot.window.controller.path).resolve() == examples
    assert bot.window.controller.undo_stack.count() == steps + 1
    bot.window.undo_action.trigger()
    assert plan_figures(bot) == before


def test_an_unreadable_file_says_why_and_changes_nothing(ui: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    before = ui.window.controller.project
    dialog = open_dialog(ui, empty)
    inspect_in(ui, dialog)
    assert dialog.report is None
    assert dialog.error.isVisibleTo(dialog)
    assert "empty.jsonl is empty" in dialog.error.text()
    assert not dialog.use_button.isEnabled()
    assert ui.window.controller.project is before
    assert not ui.window.controller.modified


def test_cancel_stops_the_worker_at_once_and_leaves_the_plan_alone(
        ui: Any, examples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, float] = {}

    def slow(path: Any, *, progress: Any = None, cancel: threading.Event | None = None,
             **options: Any) -> Any:
        """A core that reads for up to 20 s unless cancelled, polling as the real one does."""
        assert cancel is not None and progress is not None
        for step in range(2000):
            if cancel.is_set():
                seen["stopped"] = time.monotonic()
                return None
            progress(step, 2000)
            time.sleep(0.01)
        return None

    monkeypatch.setattr(inspect_module, "inspect", slow)
    before = ui.window.controller.project
    dialog = open_dialog(ui, examples)
    shown: list[int] = []
    dialog.progress.valueChanged.connect(shown.append)
    ui.qtbot.mouseClick(dialog.inspect_button, Qt.MouseButton.LeftButton)
    assert dialog.cancel_button.isVisible() and not dialog.inspect_button.isEnabled()
    ui.qtbot.waitUntil(lambda: len({v for v in shown if v > 0}) >= 2, timeout=5000)
    ui.qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    clicked = time.monotonic()
    # At once, on screen: stopped, nothing measured, nothing in the plan.
    assert not dialog.running()
    assert "Cancelled" in dialog.status.text()
    assert not dialog.progress.isVisible() and dialog.inspect_button.isEnabled()
    assert dialog.report is None and not dialog.use_button.isEnabled()
    # And the worker itself stops at its next poll.
    ui.qtbot.waitUntil(lambda: "stopped" in seen, timeout=2000)
    assert seen["stopped"] - clicked < 0.5
    ui.qtbot.waitUntil(lambda: not Job.alive, timeout=2000)
    assert ui.window.controller.project is before
    assert not ui.window.controller.modified


# ---- the window and the Q4 page ----------------------------------------------------------

def drop(window: Any, path: Path) -> tuple[bool, QDropEvent]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    where = QPointF(window.width() / 2, window.height() / 2)
    actions = Qt.DropAction.CopyAction
    with warnings.catch_warnings():  # PySide6 6.12 flags its only constructor as deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(where.toPoint(), actions, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    event = QDropEvent(where, actions, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    return enter.isAccepted(), event


def test_dropping_examples_on_the_window_opens_the_import(ui: Any, examples: Path) -> None:
    accepted, _ = drop(ui.window, examples)
    assert accepted
    dialogs = ui.window.findChildren(ImportDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    assert dialogs[0].file_edit.text() == str(examples)
    assert not ui.window.controller.modified


def test_dropping_another_file_says_so_and_keeps_the_plan(
        bot: Any, tmp_path: Path, dialog_log: Any) -> None:
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG")
    before = bot.window.controller.project
    drop(bot.window, picture)
    (message,) = dialog_log.of("information")
    assert "photo.png" in message[2] and ".jsonl" in message[2]
    assert "unchanged" in message[2]
    assert bot.window.controller.project is before
    assert not bot.window.findChildren(ImportDialog)


def test_file_menu_opens_the_import(ui: Any) -> None:
    menu = next(a.menu() for a in ui.window.menuBar().actions() if a.text() == "&File")
    next(a for a in menu.actions() if a.text() == "&Import Examples…").trigger()
    assert ui.window.findChildren(ImportDialog)[0].isVisible()


def provenance(ui: Any) -> list[str]:
    return list(ui.window.wizard.page_of("q4").dataset.provenance_lines())


def test_provenance_names_the_file_and_shows_an_override_beside_the_measurement(
        ui: Any, examples: Path, dialog_log: Any) -> None:
    assert provenance(ui) == []
    dialog = imported(ui, examples)
    assert dialog.use_in_plan()
    today = dialog.report.measured_on.isoformat()
    (line,) = provenance(ui)  # every figure measured from the same file: one line
    # (the plan tunes an open model, so the tokens are an o200k approximation)
    assert line == ("Good examples (Q4), Training-set tokens, input and output tokens of the "
                    f"fine-tuned approaches: measured from tickets.jsonl on {today} (an o200k "
                    "approximation)")
    # The Costs page says it too, where the training-set size and the tokens are edited.
    costs = ui.window.wizard.page_of("costs")
    assert costs.training_provenance.text() == (
        f"Training-set size: measured from tickets.jsonl on {today} (an o200k approximation).")
    assert (f"Its tokens: measured from tickets.jsonl on {today} (an o200k approximation)."
            in costs.override_notes["fine_tuning"].text())
    ui.type(Attr("answers", "example_count"), "900")
    typed, others = provenance(ui)  # the typed-over figure now has a line of its own
    assert typed.startswith(
        f"Good examples (Q4): you typed 900; measured 30 in tickets.jsonl on {today}")
    assert others.startswith("Training-set tokens")
    assert f"measured from tickets.jsonl on {today}" in others

    # Using the file again asks before the typed 900 goes; saying no keeps it.
    dialog_log.confirm = False
    assert not dialog.use_in_plan()
    (asked,) = dialog_log.of("confirm")
    assert "Good examples (Q4)" in asked[3]
    assert ui.window.controller.project.answers.example_count == 900
    dialog_log.confirm = True
    assert dialog.use_in_plan()
    assert ui.window.controller.project.answers.example_count == 30


def status_note(ui: Any) -> Any:
    return ui.window.wizard.page_of("q4").dataset


def test_reopening_with_the_file_gone_shows_a_note_with_re_import(
        ui: Any, examples: Path, plan: Path) -> None:
    assert ui.window.load(plan)
    dialog = imported(ui, examples)
    assert dialog.use_in_plan()
    dialog.close()
    assert ui.window.save()
    section = status_note(ui)
    ui.qtbot.waitUntil(lambda: section.status == "ok", timeout=5000)
    assert not section.status_box.isVisibleTo(section)

    examples.unlink()
    assert ui.window.load(plan)
    ui.window.wizard.show_page("q4")
    ui.qtbot.waitUntil(lambda: section.status == "missing", timeout=5000)
    assert section.status_box.isVisible()
    assert "tickets.jsonl is no longer at data/tickets.jsonl" in section.status_note.text()
    # The figures stay in the plan, with their provenance.
    assert ui.window.controller.project.answers.example_count == 30
    assert any("measured from tickets.jsonl" in line for line in provenance(ui))

    write_examples(examples, distinct=31)  # back, with different contents
    assert ui.window.load(plan)
    ui.qtbot.waitUntil(lambda: section.status == "changed", timeout=5000)
    assert "has changed since it was measured" in section.status_note.text()
    ui.qtbot.mouseClick(section.reimport_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and Path(dialog.file_edit.text()) == examples


# ---- the split -----------------------------------------------------------------------------

def export(ui: Any, dialog: ImportDialog, folder: Path) -> None:
    options = dialog.export_split()
    assert options is not None
    assert (options.few_shot.value(), options.held_out.value()) == (20, 50)
    options.folder_edit.setText(str(folder))
    ui.qtbot.mouseClick(options.export_button, Qt.MouseButton.LeftButton)
    ui.qtbot.waitUntil(lambda: not dialog.running(), timeout=WAIT_MS)


def lines_in(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_export_split_writes_three_files_and_records_the_split(
        ui: Any, tmp_path: Path, dialog_log: Any) -> None:
    source = write_examples(tmp_path / "many.jsonl", distinct=100)
    dialog = imported(ui, source)
    assert dialog.use_in_plan()
    steps = ui.window.controller.undo_stack.count()
    folder = tmp_path / "out"
    export(ui, dialog, folder)
    assert dialog.error.text() == ""
    counts = {name: lines_in(folder / f"{name}.jsonl")
              for name in ("few_shot", "held_out", "train")}
    assert counts == {"few_shot": 20, "held_out": 50, "train": 30}  # 100 good examples
    assert str(folder) in dialog.status.text()
    dataset = ui.window.controller.project.dataset
    assert dataset is not None
    assert dataset.split == DatasetSplit(few_shot=20, held_out=50, train=30, seed=42,
                                         folder=str(folder))
    assert ui.window.controller.undo_stack.count() == steps + 1
    ui.window.undo_action.trigger()
    assert ui.window.controller.project.dataset.split is None

    # Again into the same folder: asked first; no leaves the files as they were.
    written = (folder / "train.jsonl").stat().st_mtime_ns
    dialog_log.confirm = False
    export(ui, dialog, folder)
    assert len(dialog_log.of("confirm")) == 1
    assert (folder / "train.jsonl").stat().st_mtime_ns == written


def test_a_split_made_before_use_in_plan_is_recorded_with_the_figures(
        ui: Any, tmp_path: Path) -> None:
    source = write_examples(tmp_path / "many.jsonl", distinct=100)
    dialog = imported(ui, source)
    export(ui, dialog, tmp_path / "out")
    assert ui.window.controller.project.dataset is None  # nothing in the plan yet
    assert dialog.use_in_plan()
    dataset = ui.window.controller.project.dataset
    assert dataset is not None and dataset.split is not None
    assert (dataset.split.few_shot, dataset.split.held_out, dataset.split.train) == (20, 50, 30)


def test_too_few_good_examples_for_the_split_says_why(ui: Any, examples: Path,
                                                      tmp_path: Path) -> None:
    dialog = imported(ui, examples)
    export(ui, dialog, tmp_path / "out")
    assert "30 good examples" in dialog.error.text()
    assert not (tmp_path / "out").exists()


# ---- palettes ------------------------------------------------------------------------------

def test_histogram_follows_a_dark_palette(ui: Any, examples: Path, dark: None) -> None:
    dialog = imported(ui, examples)
    plot = dialog.histogram.plot
    base = dialog.histogram.palette().color(QPalette.ColorRole.Base)
    assert plot.backgroundBrush().color() == base
    assert base == QColor("#242424")
    bars = dialog.histogram.bars.opts["brush"].color()
    from tunewise.ui.theme import contrast

    assert contrast(bars, base) >= 3.0
