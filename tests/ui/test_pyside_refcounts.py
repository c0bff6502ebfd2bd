"""PySide6 6.12 on Python 3.11 drops references to None/True/False; the app must survive it."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

HAMMER = """
import tunewise.ui  # the guard runs on import, before any Qt call
from PySide6.QtWidgets import QApplication, QCheckBox
app = QApplication([])
box = QCheckBox()
for _ in range(20_000):
    box.setText("x")          # returns None
    box.setChecked(not box.isChecked())
    box.blockSignals(False)   # returns a bool
print("survived")
"""


def test_many_qt_calls_and_a_clean_exit() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop"), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", HAMMER], env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "survived"
