"""Benchmark: evaluate a project and build all six cost series over a 3-year daily horizon."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "desktop"))

from tunewise.core.evaluation import evaluate
from tunewise.core.prices import default_catalog
from tunewise.core.storage import load_project
from tunewise.paths import example_project

TARGET_MS = 5.0


def main() -> None:
    project = load_project(example_project("support-bot"))
    project.costs.horizon_days = 3 * 365
    evaluate(project, default_catalog())  # warm the price snapshot, as the app does at start
    samples = []
    for i in range(300):
        project.costs.requests_per_day = 10_000 + i  # a fresh input every time
        start = time.perf_counter()
        result = evaluate(project)
        samples.append((time.perf_counter() - start) * 1000)
        assert len(result.costs.approaches) == 6 and len(result.costs.days) == 1096
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[18]
    verdict = "ok" if median < TARGET_MS else "OVER TARGET"
    print(f"core: evaluate + 6 cost series, 1,095 days: median {median:.2f} ms, "
          f"p95 {p95:.2f} ms (target < {TARGET_MS:.0f} ms) {verdict}")


if __name__ == "__main__":
    main()
