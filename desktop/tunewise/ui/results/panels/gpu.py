"""The "gpu" analysis tab: what `GpuResult` (core/gpu/analysis.py) says, laid out to read.

Whether the no-GPU-budget sign stands and why; the peak memory of every method with and
without gradient checkpointing, and whether each fits the plan's card; the plan's own set-up
as the stacked bar the Constraints page draws; how many cards, the largest model and the
longest sequence; one training run on the card beside the hosted offerings; and, for a
self-hosted tuned model, the serving GPUs as traffic grows. Every figure and every "fits" is
the analysis's; this panel only words and lays them out. Tables are read-only
`QAbstractTableModel`s with column constants; all text is plain.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from tunewise.core import texts
from tunewise.core.evaluation import Evaluation
from tunewise.core.gpu import catalogue
from tunewise.core.gpu.analysis import GpuResult, MemoryRow
from tunewise.ui.fields import heading_label, wrapped_label
from tunewise.ui.gpu.memory_bar import MemoryBar, from_row, gb
from tunewise.ui.numbers import format_number
from tunewise.ui.results.tables import FittedTable, TextTable, scroll_into

# The feasibility table's columns: each method with gradient checkpointing and without.
METHOD, WITH, WITHOUT = range(3)
# The training options' columns.
WHERE, HOURS, COST, NOTE = range(4)
# The serving steps' columns.
DAY, DATE, GPUS, REQUESTS = range(4)


def hours(value: float | None) -> str:
    return "" if value is None else QLocale().toString(value, "f", 1)


def _same_set_up(row: MemoryRow, chosen: MemoryRow | None) -> bool:
    return (chosen is not None and row.method == chosen.method
            and row.checkpointing == chosen.checkpointing)


class Panel(QWidget):
    """The GPU analysis, in a scroll area (the tab sits in the dashboard's narrow column)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown: GpuResult | None = None
        body = QWidget()
        layout = QVBoxLayout(body)
        self.title = heading_label("")
        self.sign = wrapped_label()
        self.sign.setAccessibleName(texts.SIGN_LABELS["no_gpu_budget"])
        self.bar_heading = heading_label("The plan's set-up, on each GPU")
        self.bar = MemoryBar()
        self.bar_words = wrapped_label()
        self.methods = TextTable(("Method", "With", "Without"), right=(WITH, WITHOUT),
                                 header_tips={WITH: "With gradient checkpointing",
                                              WITHOUT: "Without gradient checkpointing"})
        self.methods_view = FittedTable(self.methods, "Memory by method",
                                        wrap=(METHOD, WITH, WITHOUT))
        self.methods_words = wrapped_label()
        self.sizing = wrapped_label()
        self.training = TextTable(("Where", "Hours", "Cost", "Note"), right=(HOURS, COST))
        self.training_view = FittedTable(self.training, "One training run", wrap=(WHERE, NOTE))
        self.serving = TextTable(("Day", "Date", "Serving GPUs", "Requests a day"),
                                 right=(DAY, GPUS, REQUESTS))
        self.serving_view = FittedTable(self.serving, "Serving GPUs")
        self.serving_words = wrapped_label()
        self.serving_heading = heading_label("Serving the tuned model yourself")
        for widget in (self.title, self.sign, self.bar_heading, self.bar, self.bar_words,
                       heading_label("Memory by method"), self.methods_words, self.methods_view,
                       heading_label("How many cards, and what else fits"), self.sizing,
                       heading_label("One training run"), self.training_view,
                       self.serving_heading, self.serving_words, self.serving_view):
            layout.addWidget(widget)
        layout.addStretch(1)
        scroll_into(self, body, horizontal=False)

    def show_result(self, result: GpuResult, evaluation: Evaluation) -> None:
        if result == self._shown:
            return  # most edits leave the GPU answers as they were: no tables to rebuild
        self._shown = result
        card = (f"{result.gpu_name} ({format_number(result.gpu_memory_gib)} GB)"
                if result.gpu_name is not None and result.gpu_memory_gib is not None else None)
        name = result.model_name or result.model
        self.title.setText(f"{name} on {card}" if card else name)
        # As the Constraints page words it: the sign's name only when it stands.
        lead = f"{texts.SIGN_LABELS['no_gpu_budget']}: " if result.sign_present else ""
        self.sign.setText(lead + result.sign_detail)
        sized = result.model_name is not None
        for widget in (self.bar_heading, self.bar, self.bar_words, self.methods_view,
                       self.methods_words, self.sizing, self.training_view):
            widget.setVisible(sized)
        if not sized:
            self.methods_words.setVisible(True)
            self.methods_words.setText(
                f"{result.model} is not an open-weights model Tunewise knows, so its training "
                "memory cannot be estimated.")
            self._show_serving(result)
            return
        self._show_bar(result, card)
        self._show_methods(result, card)
        self._show_sizing(result)
        self._show_training(result)
        self._show_serving(result)

    def _show_bar(self, result: GpuResult, card: str | None) -> None:
        chosen = result.chosen
        if chosen is None:
            self.bar.set_breakdown(None)
            self.bar.setVisible(False)
            self.bar_words.setText("")
            return
        breakdown = from_row(chosen, result.gpu_memory_gib, result.gpu_name or "",
                             result.count)
        self.bar.set_breakdown(breakdown)
        run = f"{chosen.method_label} at {chosen.seq_len:,} tokens"
        if chosen.batch > 1:
            run += f", batch {chosen.batch}"
        if not chosen.checkpointing:
            run += " without gradient checkpointing"
        words = f"{run}: {breakdown.summary()}"
        if card is None:
            words += " (the plan names no card of its own to compare with)"
        self.bar_words.setText(words + ".")

    def _show_methods(self, result: GpuResult, card: str | None) -> None:
        by_method: dict[str, list[str]] = {}
        bold: list[tuple[int, int]] = []
        for row in result.table:
            cells = by_method.setdefault(row.method, [row.method_label, "", ""])
            column = WITH if row.checkpointing else WITHOUT
            fits = "" if row.fits is None else (", fits" if row.fits else ", too big")
            cells[column] = gb(row.total_gib) + fits
            if _same_set_up(row, result.chosen):
                bold.append((len(by_method) - 1, column))
        self.methods.set_rows(list(by_method.values()), bold)
        chosen = result.chosen
        at = f" at {chosen.seq_len:,} tokens" if chosen is not None else ""
        against = (f", and whether it fits one {card}" if card
                   else "; the plan names no card of its own to compare with")
        self.methods_words.setText(
            f"Peak memory on each GPU for training {result.model_name}{at}, by method, with "
            f"and without gradient checkpointing{against}. The plan's own set-up is in bold.")

    def _show_sizing(self, result: GpuResult) -> None:
        sized_on = result.gpu_name or catalogue.gpus().default_training.name
        sentences = [s.rstrip(".") + "." for s in (result.gpus_needed, result.largest_model)
                     if s]
        if result.longest_sequence is not None:
            sentences.append(f"The longest sequence that fits one {sized_on} is "
                             f"{QLocale().toString(result.longest_sequence)} tokens.")
        else:
            sentences.append(f"Not even the shortest sequence fits one {sized_on}.")
        self.sizing.setText(" ".join(sentences))

    def _show_training(self, result: GpuResult) -> None:
        rows, tips = [], {}
        for i, option in enumerate(result.training):
            cost = "" if option.cost is None else texts.money(option.cost)
            rows.append([option.where, hours(option.hours), cost, option.note])
            if option.note:
                tips[i] = option.note
        self.training.set_rows(rows, tips=tips)

    def _show_serving(self, result: GpuResult) -> None:
        shown = bool(result.serving)
        for widget in (self.serving_heading, self.serving_words, self.serving_view):
            widget.setVisible(shown)
        locale = QLocale()
        self.serving.set_rows([
            [locale.toString(step.day), step.date.isoformat(), locale.toString(step.gpus),
             locale.toString(step.requests_per_day, "f", 0)] for step in result.serving])
        self.serving_words.setText(result.serving_note.rstrip(".") + "." if shown else "")
