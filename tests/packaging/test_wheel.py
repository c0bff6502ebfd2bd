"""The wheel: `pip install .` gives working `tunewise` and `tunewise-gui` with resources."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, installed (without dependencies) into a folder."""
    wheels = tmp_path_factory.mktemp("wheels")
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels),
                    str(REPO)], check=True, capture_output=True, timeout=300)
    [wheel] = wheels.glob("tunewise-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return target


def _env(site: Path) -> dict[str, str]:
    # The installed copy comes first, ahead of the editable checkout in the test venv.
    return {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen"}


def test_resources_are_found_inside_the_installed_package(installed: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import tunewise.paths as p; print(p.resources_dir())"],
        env=_env(installed), capture_output=True, text=True, check=True, cwd="/",
    )
    assert Path(result.stdout.strip()) == installed / "tunewise" / "resources"


def test_console_entry_point_evaluates_the_bundled_example(installed: Path) -> None:
    example = installed / "tunewise" / "resources" / "examples" / "support-bot.tunewise"
    result = subprocess.run([str(installed / "bin" / "tunewise"), "evaluate", str(example),
                             "--json"], env=_env(installed), capture_output=True, text=True,
                            check=False, cwd="/", timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["approach"] == "fine_tuning"


def test_gui_entry_point_is_installed(installed: Path) -> None:
    script = installed / "bin" / "tunewise-gui"
    assert script.exists()
    assert "gui_main" in script.read_text()


def test_gui_entry_point_passes_the_smoke_test(installed: Path) -> None:
    """The installed GUI command opens its window on the example it carries, offscreen."""
    env = _env(installed)
    env.pop("TUNEWISE_STARTUP_PROBE", None)
    result = subprocess.run([str(installed / "bin" / "tunewise-gui"), "--smoke-test"],
                            env=env, capture_output=True, text=True, check=False, cwd="/",
                            timeout=180)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    [line] = result.stdout.splitlines()
    assert line.startswith("smoke test passed: support-bot.tunewise -> Fine-tuning")
