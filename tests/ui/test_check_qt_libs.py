"""packaging/check_qt_libs.py: silent when Qt can start, one clear message when it cannot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "check_qt_libs.py"


def run(env_changes: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_offscreen_is_fine_and_silent() -> None:
    result = run({"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""


@pytest.mark.skipif(sys.platform != "linux", reason="xcb is the Linux platform")
def test_xcb_without_a_display_says_so() -> None:
    result = run({"QT_QPA_PLATFORM": "xcb", "DISPLAY": None, "WAYLAND_DISPLAY": None})
    assert result.returncode == 1
    assert "There is no X display" in result.stderr
    assert "QT_QPA_PLATFORM=offscreen" in result.stderr and "xvfb-run" in result.stderr
    if "missing" in result.stderr:  # on a machine without Qt's xcb libraries
        assert "sudo apt-get install" in result.stderr
