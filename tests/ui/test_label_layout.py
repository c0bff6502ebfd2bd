"""Placing break-even labels, as geometry: clear of lines, markers, the legend and each other."""

from __future__ import annotations

import numpy as np

from tunewise.ui.results.label_layout import Box, Lines, place

AREA = Box(0, 0, 400, 300)
SIZE = (50.0, 18.0)


def rising(*offsets: float) -> Lines:
    """Lines rising to the right (screen y grows downwards), one per offset, 1 px per sample."""
    x = np.arange(0, 401, dtype=float)
    return Lines(0.0, 1.0, np.vstack([300 - 0.5 * x - off for off in offsets]))


def crosses(lines: Lines, box: Box) -> bool:
    start, stop = int(box.left), int(box.right) + 1
    part = lines.y[:, start:stop]
    return bool(((part >= box.top) & (part <= box.bottom)).any())


def test_a_label_moves_off_the_lines_through_its_marker() -> None:
    lines = rising(0, 40)
    anchor = (200.0, 200.0)  # on the first line
    [spot] = place([anchor], [SIZE], [anchor], lines, AREA)
    assert spot is not None
    assert not crosses(lines, spot.box)
    assert spot.box.within(AREA)
    x, y = anchor
    assert not (spot.box.left <= x <= spot.box.right and spot.box.top <= y <= spot.box.bottom)


def test_labels_keep_apart_and_far_ones_get_a_leader_line() -> None:
    lines = rising(0, 12, 24)  # a tight bundle: no room right beside the markers
    anchors = [(150.0, 225.0), (160.0, 220.0), (170.0, 215.0)]
    spots = place(anchors, [SIZE] * 3, anchors, lines, AREA)
    boxes = [s.box for s in spots if s is not None]
    assert len(boxes) == 3
    for i, a in enumerate(boxes):
        assert not any(a.meets(b) for b in boxes[i + 1:])
        assert not crosses(lines, a)
    assert any(s is not None and s.leader for s in spots)


def test_the_legend_is_kept_free() -> None:
    legend = Box(0, 0, 400, 140)
    anchor = (60.0, 150.0)
    [spot] = place([anchor], [SIZE], [anchor], rising(-100), AREA, [legend])
    assert spot is not None and not spot.box.meets(legend)


def test_no_room_means_no_label() -> None:
    lines = Lines(0.0, 1.0, np.vstack([np.full(401, float(y)) for y in range(0, 301, 10)]))
    assert place([(200.0, 150.0)], [SIZE], [(200.0, 150.0)], lines, AREA) == [None]
