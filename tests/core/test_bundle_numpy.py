"""The packaged app leaves numpy.ma and numpy.random out (packaging/tunewise.spec), so no
headless path may touch them. This runs the evaluation, the Monte Carlo, the GPU sizing and a
report in a fresh interpreter where importing either fails, as it does in the bundle; the
bundle's own tests (tests/packaging) only run where PyInstaller builds it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
sys.modules["numpy.ma"] = None      # what the bundle lacks: importing them raises
sys.modules["numpy.random"] = None
from tunewise.core.evaluation import evaluate
from tunewise.core import scenarios, uncertainty
from tunewise.core.project import Range, Scenario, Uncertainty
from tunewise.core.storage import load_project
from tunewise.paths import example_project
from tunewise.report.pdf import build_report
project = load_project(example_project("support-bot"))
project.uncertainty = Uncertainty(draws=500, ranges={
    "costs.requests_per_day": Range(low=5000, likely=10000, high=30000),
    "costs.monthly_growth": Range(low=0.0, likely=0.0, high=0.05),
    "costs.approaches.rag.engineering_hours": Range(low=40, likely=80, high=160)})
project.scenarios = [Scenario(name="3x", overrides={"costs.requests_per_day": 30000})]
project = type(project).model_validate(project.model_dump())
evaluation = evaluate(project)
result = uncertainty.run(evaluation)
assert abs(sum(result.cheapest_probability.values()) - 1) < 1e-9
scenarios.compare(project, plan=evaluation)
assert build_report(project).startswith(b"%PDF-")
print("ok")
"""


def test_headless_paths_need_neither_numpy_ma_nor_numpy_random() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop")}
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
