"""The wizard's note boxes read in light and dark, and the PNG export looks like the chart on
screen, legend included. Colours are measured on the rendered widgets; contrast is WCAG's ratio
(4.5:1 for text)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtGui import QImage

from tests.ui.pixels import background, grab, luminance, rgb, text_contrast


def test_the_note_box_is_dark_with_readable_text_in_a_dark_palette(bot: Any, dark: None) -> None:
    bot.window.wizard.show_page("q1")
    note = bot.window.wizard.page_of("q1").note
    assert note.isVisible() and "Answer used" in note.text()
    pixels = grab(note)
    assert luminance(background(pixels)) < 0.1  # the box is dark, not the light-blue of before
    assert text_contrast(pixels) >= 4.5


def test_the_note_box_reads_in_the_light_palette_too(bot: Any) -> None:
    bot.window.wizard.show_page("q1")
    pixels = grab(bot.window.wizard.page_of("q1").note)
    assert luminance(background(pixels)) > 0.7
    assert text_contrast(pixels) >= 4.5


def test_the_exported_png_looks_like_the_chart_legend_included(bot: Any, dialog_log: Any,
                                                              tmp_path: Path) -> None:
    """The PNG is the chart scaled up as a whole: its legend keeps its size beside the axis
    labels (pyqtgraph's exporter enlarged everything but the legend)."""
    d = bot.window.wizard.dashboard
    bot.window.wizard.show_page("results")
    dialog_log.save_name = tmp_path / "chart.png"
    assert d.export_png() == tmp_path / "chart.png"
    exported = QImage(str(tmp_path / "chart.png"))
    assert exported.width() == 1600
    shown = d.chart.grab().toImage()
    small = exported.scaled(shown.size())  # back to the size on screen
    legend = d.chart.mapFromScene(d.chart.legend.sceneBoundingRect()).boundingRect()
    a, b = rgb(small)[legend.top():legend.bottom(), legend.left():legend.right()], rgb(shown)[
        legend.top():legend.bottom(), legend.left():legend.right()]
    # Same picture where the legend is: the differences are resampling blur, not a legend of
    # another size.
    assert float(np.abs(a - b).mean()) < 12
    # And where the names are written, the PNG has ink (the text), not an empty box.
    assert text_contrast(a) >= 4.5


def test_the_exported_png_has_no_crosshair(bot: Any) -> None:
    d = bot.window.wizard.dashboard
    bot.window.wizard.show_page("results")
    without = rgb(d.chart.image(d.chart.width()))
    d.chart.show_day(200)
    with_crosshair = rgb(d.chart.image(d.chart.width()))
    assert (with_crosshair == without).all()
    assert d.chart.cursor_line.isVisible()  # still there on screen after the export
