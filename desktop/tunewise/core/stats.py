"""Small statistics the core shares: the Wilson interval of a pass rate, and percentiles.

Written out rather than taken from numpy: np.percentile loads numpy.ma, which the app bundle
leaves out, and the Wilson interval is three lines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Z95 = 1.96  # the normal quantile of a two-sided 95% interval, as usually rounded


def wilson(passed: float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of passed / n; (0, 1) when nothing was answered."""
    if n <= 0:
        return 0.0, 1.0
    p = passed / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile, interpolated between the closest ranks (numpy's default method);
    0 when there are no values."""
    if len(values) == 0:
        return 0.0
    ordered = sorted(float(v) for v in values)
    position = q / 100 * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
