"""Field help and the few-shot arithmetic follow a palette change made while the app runs."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from tunewise.core.fieldpath import Attr
from tunewise.ui.theme import contrast, dark_palette


def test_help_text_stays_readable_after_switching_to_dark(ui: Any, qtbot: Any) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    try:
        app.setPalette(dark_palette())
        qtbot.wait(10)
        field = ui.field(Attr("costs", "requests_per_day"))
        field.help.resize(field.help.sizeHint())
        image = field.help.grab().toImage()
        window = field.help.palette().color(QPalette.ColorRole.Window)
        assert window.lightness() < 100  # the dark palette reached the label
        # The text as painted: its strongest pixel against the window.
        best = max(contrast(image.pixelColor(x, y), window)
                   for x in range(image.width()) for y in range(image.height()))
        assert best >= 3.0
    finally:
        app.setPalette(before)
