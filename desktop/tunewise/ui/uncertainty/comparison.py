"""The "Scenarios" tab: the plan and each of its scenarios side by side (core/scenarios.py).

One row per scenario, the plan first: what it recommends, how sure, which approach is cheapest
and every approach's total at the horizon. Each row is `scenarios.compare`'s, as it is; the
tooltip of a scenario's name lists what it changes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from tunewise.core import scenarios, texts
from tunewise.core.project import APPROACHES
from tunewise.core.scenarios import ScenarioComparison
from tunewise.core.texts import money
from tunewise.ui.fields import plain_label
from tunewise.ui.results.tables import FittedTable, TextTable, scroll_into

NAME, RECOMMENDATION, CONFIDENCE, CHEAPEST = range(4)
FIRST_TOTAL = 4
HEADERS = ("Scenario", "Recommendation", "Confidence", "Cheapest",
           *(texts.APPROACH_LABELS[a] for a in APPROACHES))


def comparison_rows(comparison: ScenarioComparison) -> list[list[str]]:
    rows = []
    for r in comparison.rows:
        totals = [money(r.totals[a]) if a in r.totals else
                  ("Not costed" if a in r.errors else "") for a in APPROACHES]
        rows.append([r.name, r.headline, texts.CONFIDENCE_LABELS.get(r.confidence, r.confidence),
                     scenarios.cheapest_words(r), *totals])
    return rows


class ComparisonView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison: ScenarioComparison | None = None
        body = QWidget()
        layout = QVBoxLayout(body)
        self.caption = plain_label()
        self.caption.setWordWrap(True)
        self.model = TextTable(HEADERS, right=range(FIRST_TOTAL, len(HEADERS)))
        self.table = FittedTable(self.model, "Scenarios compared",
                                 wrap=(NAME, RECOMMENDATION))
        self.table.setWordWrap(True)
        layout.addWidget(self.caption)
        layout.addWidget(self.table)
        layout.addStretch(1)
        scroll_into(self, body)

    def show_comparison(self, comparison: ScenarioComparison) -> None:
        self.comparison = comparison
        self.caption.setText(
            f"The plan and each scenario, evaluated the same way. Totals at the horizon "
            f"({comparison.horizon_days:,} days); the recommended approach's total is in bold. "
            "Point at a scenario to read what it changes.")
        bold: list[tuple[int, int]] = []
        tips: dict[int, str] = {}
        for i, r in enumerate(comparison.rows):
            if r.recommended_row in APPROACHES:
                bold.append((i, FIRST_TOTAL + APPROACHES.index(r.recommended_row)))
            lines = ([r.note] if r.note else []) + r.changes
            if lines:
                tips[i] = "\n".join(lines)
        self.model.set_rows(comparison_rows(comparison), bold, tips)

    def text(self) -> list[list[str]]:
        return self.model.text()
