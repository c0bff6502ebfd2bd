"""The cost chart's money axis labels huge totals readably, never with pyqtgraph's "x1e+27"."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tunewise.ui.results.chart_items import MoneyAxis, compact_money


@pytest.mark.parametrize(("value", "text"), [
    (1_250, "$1,250"),
    (125_000, "$125,000"),
    (12_500_000, "$12.5M"),
    (3_200_000_000, "$3.2B"),
    (250e12, "$250T"),
    (2.5e27, "$2.5\N{MULTIPLICATION SIGN}10\N{SUPERSCRIPT TWO}\N{SUPERSCRIPT SEVEN}"),
    (-3.2e9, "-$3.2B"),
])
def test_compact_money(value: float, text: str) -> None:
    assert compact_money(value) == text


def test_huge_ticks_are_readable(qtbot: QtBot) -> None:
    import pyqtgraph as pg

    axis = MoneyAxis("left")
    plot = pg.PlotWidget(axisItems={"left": axis})
    qtbot.addWidget(plot)
    plot.plot([0, 1, 2], [0, 1.5e27, 3e27])
    plot.resize(400, 300)
    plot.show()
    qtbot.waitExposed(plot)
    low, high = axis.range
    assert axis.autoSIPrefixScale == 1.0  # no "x1e+27" beside the axis
    assert "x1e" not in axis.labelString()
    ticks = [v for _, values in axis.tickValues(low, high, 300) for v in values]
    strings = axis.tickStrings(ticks, axis.scale * axis.autoSIPrefixScale, 1e26)
    assert ticks and all(strings)
    assert not any("e+" in s or "x1e" in s for s in strings)
    direct = axis.tickStrings([0.0, 1e27, 2.5e27], 1.0, 5e26)
    assert direct[1:] == ["$1\N{MULTIPLICATION SIGN}10\N{SUPERSCRIPT TWO}\N{SUPERSCRIPT SEVEN}",
                          "$2.5\N{MULTIPLICATION SIGN}10\N{SUPERSCRIPT TWO}\N{SUPERSCRIPT SEVEN}"]
    log_strings = axis.logTickStrings([26.0, 27.0, 400.0], 1.0, 1.0)
    assert not any("e+" in s for s in log_strings)
