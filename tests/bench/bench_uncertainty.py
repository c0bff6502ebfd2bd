"""Benchmark: the uncertainty engine on 10,000 draws, six approaches, a three-year daily horizon
and eight ranged inputs (traffic among them): bands, the chance each is cheapest, the payback
spread and the tornado, with the memory it takes."""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "desktop"))

from tunewise.core import uncertainty
from tunewise.core.evaluation import evaluate
from tunewise.core.prices import default_catalog
from tunewise.core.project import Range, Uncertainty
from tunewise.core.storage import load_project
from tunewise.paths import example_project

TARGET_MS = 150.0
TARGET_MB = 200.0


def _ranges(likely_requests: float) -> dict[str, Range]:
    return {
        "costs.requests_per_day": Range(low=likely_requests / 2, likely=likely_requests,
                                        high=likely_requests * 3),
        "costs.monthly_growth": Range(low=0.0, likely=0.02, high=0.08),
        "costs.hourly_rate": Range(low=60, likely=100, high=150),
        "costs.workload.output_tokens": Range(low=150, likely=300, high=600),
        "costs.training.retrain_every_months": Range(low=1, likely=3, high=6),
        "costs.approaches.fine_tuning.engineering_hours": Range(low=20, likely=40, high=200),
        "costs.approaches.fine_tuning.price_multiplier": Range(low=0.8, likely=1, high=1.5),
        "costs.approaches.prompt_engineering.price_multiplier": Range(low=0.7, likely=1,
                                                                      high=1.3),
    }


def main() -> None:
    project = load_project(example_project("support-bot"))
    project.costs.horizon_days = 3 * 365
    project.costs.monthly_growth = 0.02
    project.costs.hourly_rate = 100
    project.costs.workload.output_tokens = 300
    project.costs.training.retrain_every_months = 3
    ranges = _ranges(project.costs.requests_per_day)
    project.uncertainty = Uncertainty(ranges=ranges, draws=10_000)
    project = type(project).model_validate(project.model_dump())
    evaluation = evaluate(project, default_catalog(), strict=False)
    uncertainty.run(evaluation)  # warm up
    samples = []
    for _ in range(7):
        start = time.perf_counter()
        result = uncertainty.run(evaluation)
        samples.append((time.perf_counter() - start) * 1000)
        assert len(result.bands) == 6 and len(result.sensitivity) == 8
    tracemalloc.start()
    uncertainty.run(evaluation)
    peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    median = statistics.median(samples)
    verdict = "ok" if median < TARGET_MS and peak_mb < TARGET_MB else "OVER TARGET"
    print(f"uncertainty: 10,000 draws, 6 approaches, 1,095 days, 8 ranged inputs: median "
          f"{median:.0f} ms (target < {TARGET_MS:.0f} ms), tracemalloc peak {peak_mb:.0f} MB "
          f"of Python and numpy allocations (target < {TARGET_MB:.0f} MB) {verdict}")


if __name__ == "__main__":
    main()
