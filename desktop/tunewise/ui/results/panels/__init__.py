"""One module per registered analysis (named by its id), each with a `Panel` class.

`Panel(parent)` is a QWidget; `show_result(result, evaluation)` renders the analysis's result
and is called after every evaluation. See core/analyses.py and docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import importlib

from PySide6.QtWidgets import QWidget

from tunewise.core.analyses import PANEL_PACKAGE


def make_panel(analysis_id: str, parent: QWidget | None = None) -> QWidget:
    """The panel of a registered analysis, found by the analysis's id."""
    module = importlib.import_module(f"{PANEL_PACKAGE}.{analysis_id}")
    panel: QWidget = module.Panel(parent)
    return panel
