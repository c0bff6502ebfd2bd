"""core/ and report/ never import Qt or pyqtgraph: checked on the source and at run time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

PURE = [REPO / "desktop" / "tunewise" / "core", REPO / "desktop" / "tunewise" / "report"]
FORBIDDEN = ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_pure_layers_do_not_import_qt_in_source() -> None:
    offenders = [
        f"{path.relative_to(REPO)} imports {name}"
        for folder in PURE
        for path in folder.rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert offenders == []


def test_pure_layers_do_not_load_qt_at_run_time() -> None:
    modules = [
        f"tunewise.{folder.name}.{path.stem}"
        for folder in PURE
        for path in sorted(folder.glob("*.py"))
        if path.stem != "__init__"
    ]
    code = (
        "import sys, importlib\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "from tunewise.core.evaluation import evaluate\n"
        "from tunewise.core.storage import load_project\n"
        "from tunewise.paths import example_project\n"
        "evaluate(load_project(example_project()))\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, env={"PYTHONPATH": str(REPO / "desktop"), "PATH": ""},
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
