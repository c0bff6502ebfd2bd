"""Benchmark: build the whole planning report for the support-bot example (target under 1 s)."""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "desktop"))

from tunewise.core.storage import load_project
from tunewise.paths import example_project
from tunewise.report.pdf import build_report

TARGET_S = 1.0
RUNS = 9


def main() -> None:
    project = load_project(example_project("support-bot"))

    def clock() -> datetime:
        return datetime(2026, 11, 28, tzinfo=UTC)

    start = time.perf_counter()
    first = build_report(project, paper="a4", clock=clock)  # registers fonts, loads prices
    cold = time.perf_counter() - start
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        pdf = build_report(project, paper="a4", clock=clock)
        samples.append(time.perf_counter() - start)
        assert pdf == first
    median = statistics.median(samples)
    verdict = "ok" if median < TARGET_S else "OVER TARGET"
    print(f"report: full support-bot report ({len(first) / 1024:.0f} KiB), median of {RUNS} "
          f"builds {median * 1000:.0f} ms (first build {cold * 1000:.0f} ms); "
          f"target < {TARGET_S * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
