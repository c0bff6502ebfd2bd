"""The flowchart and the chart read on a dark palette, follow a palette change while open, and
scale at 2x.

Colours are measured on the rendered widgets; contrast is WCAG's ratio (4.5:1 for text, 3:1 for
lines). The 2x check runs the app in a subprocess with QT_SCALE_FACTOR=2, since one process has
one QApplication and one scale.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from tests.conftest import REPO
from tests.ui.pixels import background, contrast, grab, luminance, text_contrast
from tunewise.ui.theme import dark_palette

PROBE = Path(__file__).with_name("chart_probe.py")


def test_flowchart_labels_and_boxes_read_on_a_dark_palette(bot: Any, dark: None) -> None:
    chart = bot.window.flowchart
    q1, q2, exit1 = (chart.node_rect(k) for k in ("q1", "q2", "prompt_engineering"))
    assert q1 is not None and q2 is not None and exit1 is not None
    # The taken "no" down the spine is labelled right of the arrow, between Q1 and Q2.
    spine = QRect(round(q1.center().x()) + 4, round(q1.bottom()), 44,
                  round(q2.top() - q1.bottom()))
    # The "yes" not taken, above the arrow from Q1 to its exit.
    side = QRect(round(q1.right()) + 1, round(q1.center().y()) - 18,
                 round(exit1.left() - q1.right()) - 2, 16)
    for area in (spine, side):
        pixels = grab(chart, area)
        assert luminance(background(pixels)) < 0.1, area  # the window's dark background
        assert text_contrast(pixels) >= 4.5, area
    for box in (q1, exit1):  # on the path, and an outcome off it
        pixels = grab(chart, box.adjusted(4, 4, -4, -4).toRect())
        assert luminance(background(pixels)) < 0.1
        assert text_contrast(pixels) >= 4.5


def test_the_chart_turns_dark_with_the_palette_and_its_text_reads(bot: Any, dark: None) -> None:
    bot.window.wizard.show_page("results")
    chart = bot.window.wizard.dashboard.chart
    pixels = grab(chart)
    assert luminance(background(pixels)) < 0.05  # the plot's background, not white
    item = chart.getPlotItem()
    legend = chart.mapFromScene(chart.legend.sceneBoundingRect()).boundingRect()
    axis = chart.mapFromScene(item.getAxis("left").sceneBoundingRect()).boundingRect()
    for area in (legend.adjusted(2, 2, -2, -2), axis):
        part = grab(chart, area)
        assert luminance(background(part)) < 0.05
        assert text_contrast(part) >= 4.5
    # Every line stands at least 3:1 off the dark background.
    bg = background(pixels)
    for approach, curve in chart.curves.items():
        colour = curve.opts["pen"].color()
        assert contrast(np.array([colour.red(), colour.green(), colour.blue()]), bg) >= 3, (
            approach)


def test_the_chart_comes_back_light_when_the_palette_does(bot: Any, qapp: QApplication) -> None:
    bot.window.wizard.show_page("results")
    chart = bot.window.wizard.dashboard.chart
    light = qapp.palette()
    qapp.setPalette(dark_palette())
    qapp.processEvents()
    assert luminance(background(grab(chart))) < 0.05
    qapp.setPalette(light)
    qapp.processEvents()
    assert luminance(background(grab(chart))) > 0.9


def _probe(scale: str, tmp_path: Path) -> dict[str, Any]:
    env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM="offscreen",
               TUNEWISE_HOME=str(tmp_path / f"home-{scale}"),
               PYTHONPATH=os.pathsep.join([str(REPO / "desktop"), str(REPO)]))
    done = subprocess.run([sys.executable, str(PROBE)], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_at_2x_the_chart_lines_are_twice_as_thick_in_device_pixels(tmp_path: Path) -> None:
    one, two = _probe("1", tmp_path), _probe("2", tmp_path)
    assert one["ratio"] == 1 and two["ratio"] == 2
    # Text doubles in device pixels at 2x; so must the lines beside it.
    assert two["text_height"] >= 1.8 * one["text_height"]
    assert one["line"] >= 3  # fine-tuning's line: 3 pt x 1.5 = 4.5 px wide at 1x
    assert 1.7 * one["line"] <= two["line"] <= 2.3 * one["line"], (one, two)
    assert 1.7 * one["axis"] <= two["axis"], (one, two)
