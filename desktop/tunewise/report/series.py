"""How each approach's cost line looks, in the report's chart and (by import) in the app's.

Colours are the Okabe-Ito palette, which stays distinguishable for the common forms of colour
blindness; line styles differ too so a black-and-white printout still tells the lines apart.
This module is plain data with no reportlab or Qt import, so either side can read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tunewise.core.project import ApproachId

LineStyle = Literal["solid", "dashed", "dash-dot", "dotted", "long-dash"]


@dataclass(frozen=True)
class SeriesStyle:
    colour: str  # "#RRGGBB"
    line: LineStyle
    width: float  # points in the PDF; the app may scale it to pixels
    dash: tuple[float, ...]  # on/off lengths in points; () is a solid line


# The memory estimate's parts (core.gpu.memory.PART_LABELS), stacked in the app's bar and the
# report's: Okabe-Ito hues, with grey for the overhead.
MEMORY_PART_COLOURS: dict[str, str] = {
    "weights": "#0072B2",
    "trainable_state": "#E69F00",
    "gradients": "#009E73",
    "activations": "#CC79A7",
    "overhead": "#8C8C8C",
}

SERIES_STYLE: dict[ApproachId, SeriesStyle] = {
    "prompt_engineering": SeriesStyle("#E69F00", "solid", 1.6, ()),
    "rag": SeriesStyle("#56B4E9", "dashed", 1.6, (6.0, 3.0)),
    "fine_tuning": SeriesStyle("#009E73", "solid", 3.0, ()),
    "fine_tuning+rag": SeriesStyle("#0072B2", "dash-dot", 1.6, (7.0, 2.5, 1.5, 2.5)),
    "fine_tuning+prompt_engineering": SeriesStyle("#D55E00", "dotted", 1.8, (1.2, 2.4)),
    "all_three": SeriesStyle("#CC79A7", "long-dash", 1.6, (12.0, 4.0)),
}
