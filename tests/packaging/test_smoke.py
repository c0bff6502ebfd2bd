"""The hidden `--smoke-test`, run from source: it passes on a working app and fails loudly.

Each run is a subprocess, because the smoke test owns its QApplication and its output streams.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

PASSED = "smoke test passed: support-bot.tunewise -> "


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([str(REPO / "desktop"), str(REPO)])}
    env.pop("TUNEWISE_STARTUP_PROBE", None)
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                          timeout=180, check=False, cwd=str(REPO))


def _patched(setup: str, example: str = "") -> subprocess.CompletedProcess[str]:
    """The smoke test with something broken beforehand, as a failing build would be."""
    call = f"run(Path({example!r}))" if example else "run()"
    script = (f"import sys\nfrom pathlib import Path\n{setup}\n"
              f"from tunewise.ui.smoke import run\nsys.exit({call})\n")
    return _run("-c", script)


def test_passes_with_one_line_naming_the_recommendation_chart_and_report() -> None:
    result = _run("-m", "tunewise", "--smoke-test")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    [line] = result.stdout.splitlines()
    assert line.startswith(PASSED + "Fine-tuning")
    assert "; chart " in line and " pages" in line


def test_is_not_listed_in_help() -> None:
    result = _run("-m", "tunewise", "--help")
    assert result.returncode == 0
    assert "smoke" not in result.stdout


def test_rejects_extra_arguments() -> None:
    result = _run("-m", "tunewise", "--smoke-test", "other.tunewise")
    assert result.returncode == 2
    assert "--smoke-test takes no other arguments" in result.stderr


def test_a_qt_warning_fails_it() -> None:
    result = _patched(
        "from PySide6.QtCore import qWarning\n"
        "import tunewise.ui.results.dashboard as dashboard\n"
        "shown = dashboard.Dashboard.show_evaluation\n"
        "def noisy(self, evaluation):\n"
        "    shown(self, evaluation)\n"
        "    qWarning('chart trouble')\n"
        "dashboard.Dashboard.show_evaluation = noisy\n")
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("smoke test failed: Qt warning: chart trouble")


def test_an_error_while_drawing_fails_it_without_a_blocking_dialog() -> None:
    result = _patched(
        "import tunewise.ui.results.chart as plotting\n"
        "def broken(self, event):\n"
        "    raise RuntimeError('paint broke')\n"
        "plotting.CostChart.paintEvent = broken\n")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("smoke test failed: ")
    assert "paint broke" in line


def test_stray_output_fails_it() -> None:
    result = _patched(
        "import os\n"
        "import tunewise.ui.mainwindow as mainwindow\n"
        "load = mainwindow.MainWindow.load\n"
        "def chatty(self, path):\n"
        "    os.write(2, b'Fontconfig error: cannot load config\\n')\n"
        "    return load(self, path)\n"
        "mainwindow.MainWindow.load = chatty\n")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "smoke test failed: unexpected output: Fontconfig error: cannot load config"]


def test_an_unreadable_example_fails_it(tmp_path: Path) -> None:
    broken = tmp_path / "support-bot.tunewise"
    broken.write_text("{ not json", encoding="utf-8")
    result = _patched("", example=str(broken))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("smoke test failed: unexpected dialog error: Could not open the project")


def test_a_missing_report_fails_it() -> None:
    result = _patched(
        "import tunewise.ui.mainwindow as mainwindow\n"
        "mainwindow.MainWindow.export_report = lambda self: None\n")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "smoke test failed: Export Report as PDF did not ask where to save"]
