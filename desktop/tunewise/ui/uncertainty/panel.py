"""The "Uncertainty" tab: what the Monte Carlo over the plan's ranges says, laid out to read.

The chance of each approach's total at the horizon (P10, P50, P90) and of it being the
cheapest; core/uncertainty.py's conclusions in words (the break-even day, the few-shot odds,
the inputs that could flip the verdict); and the tornado of the inputs that move the
recommendation's gap to its runner-up most. Every figure and sentence is the result's; this
panel only lays them out. Tables are read-only models; all text is plain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QVBoxLayout, QWidget

from tunewise.core import inputs, texts
from tunewise.core.project import APPROACHES
from tunewise.ui.fields import heading_label, wrapped_label
from tunewise.ui.results.tables import FittedTable, TextTable, scroll_into
from tunewise.ui.uncertainty.tornado import Bar, Tornado

if TYPE_CHECKING:
    from tunewise.core.evaluation import Evaluation
    from tunewise.core.uncertainty import UncertaintyResult

APPROACH, P10, P50, P90, CHEAPEST = range(5)
DISTRIBUTION_WORDS = {"pert": "PERT", "triangular": "triangular"}


def percent(share: float) -> str:
    return QLocale().toString(100 * share, "f", 0) + "%"


def dollars(value: float) -> str:
    """A spread of draws to the dollar: cents would claim a precision the ranges lack, and
    whole dollars keep the table inside the dashboard's narrow column."""
    return "$" + QLocale().toString(round(value))


def probability_rows(result: UncertaintyResult) -> list[list[str]]:
    """The table as shown: each approach the draws cost, in the app's order."""
    rows = []
    for approach in APPROACHES:
        q = result.total_at_horizon.get(approach)
        if q is None:
            continue
        rows.append([texts.APPROACH_LABELS[approach], dollars(q.p10), dollars(q.p50),
                     dollars(q.p90),
                     percent(result.cheapest_probability.get(approach, 0.0))])
    return rows


def tornado_bars(result: UncertaintyResult) -> list[Bar]:
    return [Bar(s.label or inputs.label(s.input), s.diff_low, s.diff_high,
                f"{s.label}: from {s.low:,.4g} to {s.high:,.4g}") for s in result.sensitivity]


class Panel(QWidget):
    """The Monte Carlo's result, in a scroll area (the tab sits in a narrow column)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: UncertaintyResult | None = None
        body = QWidget()
        layout = QVBoxLayout(body)
        self.summary = wrapped_label()
        self.summary.setAccessibleName("Draws")
        self.status = wrapped_label()
        self.status.setAccessibleName("Uncertainty status")
        self.table_heading = heading_label("")
        self.probabilities = TextTable(("Approach", "P10", "P50", "P90", "Cheapest"),
                                       right=(P10, P50, P90, CHEAPEST),
                                       header_tips={P10: "One draw in ten costs less than this",
                                                    P50: "The middle draw",
                                                    P90: "One draw in ten costs more than this",
                                                    CHEAPEST: "Share of draws in which this "
                                                              "approach costs least"})
        self.table = FittedTable(self.probabilities, "Chances at the horizon",
                                 wrap=(APPROACH,))
        self.sentences = wrapped_label()
        self.sentences.setAccessibleName("What the ranges say")
        self.flip_heading = heading_label("Could change the verdict")
        self.flips = wrapped_label()
        self.flips.setAccessibleName("Could change the verdict")
        self.tornado_heading = heading_label("What moves the gap most")
        self.tornado = Tornado()
        for widget in (self.summary, self.status, self.table_heading, self.table,
                       self.sentences, self.flip_heading, self.flips, self.tornado_heading,
                       self.tornado):
            layout.addWidget(widget)
        layout.addStretch(1)
        scroll_into(self, body)
        self.show_status("Working out the ranges…")

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def show_result(self, result: UncertaintyResult | None, evaluation: Evaluation) -> None:
        self.result = result
        for widget in (self.table_heading, self.table, self.sentences, self.flip_heading,
                       self.flips, self.tornado_heading, self.tornado, self.summary):
            widget.setVisible(result is not None)
        if result is None:
            return
        self.show_status("")
        self.summary.setText(
            f"{result.draws:,} draws ({DISTRIBUTION_WORDS.get(result.distribution, '')}, seed "
            f"{result.seed}) over ranges on {len(result.inputs)} input"
            f"{'' if len(result.inputs) == 1 else 's'}.")
        self.table_heading.setText(f"Total at the horizon ({result.horizon_days:,} days)")
        self.probabilities.set_rows(probability_rows(result))
        said = list(result.sentences)
        if result.few_shot is not None and result.few_shot.sentence not in said:
            said.append(result.few_shot.sentence)
        self.sentences.setText("\n\n".join(said))
        self.sentences.setVisible(bool(said))
        flips = [f for f in result.could_flip if f not in said]
        self.flips.setText("\n".join(f"• {f}" for f in flips))
        self.flip_heading.setVisible(bool(flips))
        self.flips.setVisible(bool(flips))
        bars = tornado_bars(result)
        self.tornado.set_bars(bars, result.gap or 0.0)
        self.tornado_heading.setVisible(bool(bars))
        self.tornado.setVisible(bool(bars))
