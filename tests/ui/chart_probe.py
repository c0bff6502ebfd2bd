"""Run by test_palette_and_scale in a subprocess (QT_SCALE_FACTOR set by the test): open the
support-bot example on the results page and print, as JSON, how many device pixels thick the
fine-tuning line and the left axis line are drawn, and how tall the axis text is."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from tests.ui.pixels import background, rgb
from tunewise.paths import example_project
from tunewise.report.series import SERIES_STYLE


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from tunewise.ui.mainwindow import MainWindow

    with tempfile.TemporaryDirectory() as folder:
        window = MainWindow(QSettings(str(Path(folder) / "p.ini"), QSettings.Format.IniFormat))
        window.load(example_project("support-bot"))
        window.resize(1280, 800)
        window.show()
        window.wizard.show_page("results")
        for _ in range(3):
            app.processEvents()
        chart = window.wizard.dashboard.chart
        ratio = chart.devicePixelRatioF()
        pixels = rgb(chart.grab().toImage())  # device pixels
        vb = chart.getPlotItem().vb
        _days, costs = chart.series("fine_tuning")
        green = QColor(SERIES_STYLE["fine_tuning"].colour)
        line_rgb = np.array([green.red(), green.green(), green.blue()], dtype=float)
        bg = background(pixels).astype(float)
        widths = []
        for day in range(250, 351, 10):  # eleven columns: sub-pixel positions average out
            at = chart.mapFromScene(vb.mapViewToScene(QPointF(day, float(costs[day]))))
            x, y = round(at.x() * ratio), round(at.y() * ratio)
            reach = round(12 * ratio)
            column = pixels[y - reach:y + reach, x].astype(float)
            # How much of each pixel the line covers (antialiased edges count in part).
            toward = line_rgb - bg
            cover = np.clip((column - bg) @ toward / (toward @ toward), 0, 1)
            widths.append(float(cover.sum()))
        line = float(np.median(widths))
        # The left axis line: a run of axis-coloured pixels across rows near mid-height. The
        # thinnest of a few rows is the line itself; a row that meets a tick mark reads wider.
        left = chart.mapFromScene(vb.sceneBoundingRect().topLeft())
        middle = round((left.y() + vb.height() / 2) * ratio)
        axis = min(
            int((np.abs(pixels[y, round(left.x() * ratio) - round(6 * ratio):
                               round(left.x() * ratio) + 2] - bg).sum(axis=1) > 200).sum())
            for y in range(middle - round(12 * ratio), middle + round(12 * ratio), 3))
        # The tallest run of ink where the tick labels are (right of the rotated axis title):
        # the height of one line of text.
        axis_item = chart.getPlotItem().getAxis("left")
        box = chart.mapFromScene(axis_item.sceneBoundingRect()).boundingRect()
        text = pixels[round(box.top() * ratio):round(box.bottom() * ratio),
                      round((box.right() - 40) * ratio):round((box.right() - 8) * ratio)]
        inked = (np.abs(text - bg).sum(axis=2) > 200).any(axis=1)
        runs, run = [], 0
        for ink in inked:
            run = run + 1 if ink else 0
            runs.append(run)
        window.controller.undo_stack.setClean()
        window.close()
    print(json.dumps({"ratio": ratio, "line": line, "axis": axis,
                      "text_height": max(runs) if runs else 0}))


if __name__ == "__main__":
    main()
