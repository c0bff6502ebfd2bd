"""Benchmark: the report and a save/load round trip at the schema's limits.

Issue 11 found a 3 MB plan (100,000 price overrides) that took minutes to report and saved to
a file too big to open. Collections are bounded now; this measures the largest plans that
still load: the most price overrides the schema allows, and every long text at its maximum.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "desktop"))

from tunewise.core.project import (
    MAX_PRICE_OVERRIDES,
    SIGNS_AGAINST,
    SIGNS_FOR,
    PriceOverride,
    Project,
)
from tunewise.core.storage import load_project, save_project
from tunewise.paths import example_project
from tunewise.report.pdf import build_report

RUNS = 3


def _most_overrides() -> Project:
    project = load_project(example_project("support-bot"))
    project.costs.price_overrides = {
        f"model-{i:03d}-" + "x" * 100: PriceOverride(input=1.0, output=2.0)
        for i in range(MAX_PRICE_OVERRIDES)
    }
    return project


def _longest_texts() -> Project:
    project = load_project(example_project("support-bot"))
    text = ("a plan note that goes on " * 400)[:10_000]
    project.answers.sign_notes = dict.fromkeys((*SIGNS_FOR, *SIGNS_AGAINST), text)
    project.notes = text
    project.metadata.use_case = text
    return project


def _median_report_s(project: Project) -> tuple[float, int]:
    build_report(project, paper="a4")
    samples = []
    size = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        size = len(build_report(project, paper="a4"))
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), size


def main() -> None:
    for label, project in (("most price overrides", _most_overrides()),
                           ("every text at its maximum", _longest_texts())):
        seconds, size = _median_report_s(project)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "plan.tunewise"
            start = time.perf_counter()
            save_project(project, path)
            assert load_project(path) == project
            round_trip = time.perf_counter() - start
            saved = path.stat().st_size
        print(f"limits: {label}: report median {seconds * 1000:.0f} ms ({size / 1024:.0f} KiB "
              f"PDF); saved {saved / 1024:.0f} KiB, save and reload {round_trip * 1000:.0f} ms")


if __name__ == "__main__":
    main()
