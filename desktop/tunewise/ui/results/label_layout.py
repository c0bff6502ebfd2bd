"""Where the chart's break-even labels go: clear of the lines, the markers, the legend and one
another, joined to their markers by a leader line when they had to move away.

Pure geometry in screen pixels (y grows downwards) with numpy, so it is tested without Qt and
costs well under a millisecond for a handful of labels over six lines of 3,650 days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Unit directions, best first: a cost line rises to the right, so at a crossing the space
# below-right and above-left lies across the lines, while above-right and below-left lie along
# them.
_S = 0.7071
DIRECTIONS = ((_S, _S), (-_S, -_S), (0.0, 1.0), (0.0, -1.0), (1.0, 0.0), (-1.0, 0.0),
              (_S, -_S), (-_S, _S))
DISTANCES = (12.0, 24.0, 40.0, 62.0, 90.0)  # pixels from the marker to the label's near side
LEADER_FROM = 20.0  # labels at least this far away get a leader line
MARKER_RADIUS = 5.0
CLEARANCE = 3.0  # pixels kept free between a label and a line, marker or other label


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def grown(self, by: float) -> Box:
        return Box(self.left - by, self.top - by, self.right + by, self.bottom + by)

    def meets(self, other: Box) -> bool:
        return not (self.right <= other.left or other.right <= self.left
                    or self.bottom <= other.top or other.bottom <= self.top)

    def within(self, other: Box) -> bool:
        return (other.left <= self.left and self.right <= other.right
                and other.top <= self.top and self.bottom <= other.bottom)

    def nearest(self, x: float, y: float) -> tuple[float, float]:
        """The point of the box nearest to (x, y): where a leader line meets it."""
        return (min(max(x, self.left), self.right), min(max(y, self.top), self.bottom))


@dataclass(frozen=True)
class Placed:
    box: Box
    leader: bool  # draw lines from the label to its markers


@dataclass(frozen=True)
class Lines:
    """The drawn lines in pixels: sample i of every line is at x = first + i * step (one sample a
    day), and y[line, i] is where that line is there."""

    first: float
    step: float
    y: np.ndarray  # shape (lines, samples)

    def cross(self, box: Box) -> bool:
        count = self.y.shape[1] if self.y.ndim == 2 else 0
        if count == 0 or self.step <= 0:
            return False
        # The samples inside the box plus one either side: a line is straight between samples,
        # so it stays within the span of those values across the box.
        start = max(math.floor((box.left - self.first) / self.step), 0)
        stop = min(math.ceil((box.right - self.first) / self.step) + 1, count)
        if start >= stop:
            return False
        part = self.y[:, start:stop]
        return bool(((part.min(axis=1) <= box.bottom) & (part.max(axis=1) >= box.top)).any())


def place(anchors: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]],
          markers: Sequence[tuple[float, float]], lines: Lines, area: Box,
          obstacles: Sequence[Box] = ()) -> list[Placed | None]:
    """A place for each label (anchor and size in pixels), or None where there is no room.

    Every placed label lies inside `area`, crosses no line, covers no marker or obstacle and
    overlaps no other label; earlier labels choose first.
    """
    # Plain tuples in the loop: it runs for every edit that moves a crossing.
    c, r = CLEARANCE, MARKER_RADIUS
    taken = [(b.left - c, b.top - c, b.right + c, b.bottom + c) for b in obstacles]
    taken += [(x - r - c, y - r - c, x + r + c, y + r + c) for x, y in markers]
    result: list[Placed | None] = []
    for (x, y), (w, h) in zip(anchors, sizes, strict=True):
        found: Placed | None = None
        for distance in DISTANCES:
            for dx, dy in DIRECTIONS:
                left = x + dx * (distance + w / 2) - w / 2
                top = y + dy * (distance + h / 2) - h / 2
                right, bottom = left + w, top + h
                if (left < area.left or top < area.top or right > area.right
                        or bottom > area.bottom):
                    continue
                if any(left < t[2] and t[0] < right and top < t[3] and t[1] < bottom
                       for t in taken):
                    continue
                box = Box(left, top, right, bottom)
                if not lines.cross(box.grown(c)):
                    found = Placed(box, leader=distance >= LEADER_FROM)
                    break
            if found is not None:
                break
        if found is not None:
            b = found.box
            taken.append((b.left - c, b.top - c, b.right + c, b.bottom + c))
        result.append(found)
    return result
