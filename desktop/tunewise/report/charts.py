"""Vector drawings for the report: the cumulative cost chart and the decision flowchart.

Both are reportlab.graphics Drawings, so they stay sharp at any zoom and print as lines and text,
never as a raster image.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from tunewise.core import texts
from tunewise.core.costs import CostReport
from tunewise.core.results import Assessment, DiagramQuestion, Payback
from tunewise.core.texts import lower_label, short_money
from tunewise.report.fonts import register_fonts
from tunewise.report.series import SERIES_STYLE
from tunewise.report.styles import ACCENT, ACCENT_LIGHT, BAD, INK, MUTED, RULE, ZEBRA

if TYPE_CHECKING:
    from tunewise.core.project import ApproachId
    from tunewise.core.uncertainty import Band

__all__ = ["SERIES_STYLE", "cost_bands", "cost_chart", "flowchart", "nice_ticks",
           "short_money"]

# How opaque the P10-P90 band under each cost line is: light enough that overlapping bands
# and the grid still show through, dark enough to print.
BAND_OPACITY = 0.18

_BANDS: ContextVar[Mapping[ApproachId, Band] | None] = ContextVar("cost_chart_bands",
                                                                   default=None)


@contextmanager
def cost_bands(bands: Mapping[ApproachId, Band] | None) -> Iterator[None]:
    """Cost charts drawn inside this block show these P10-P90 bands (core/uncertainty), unless
    given their own: pdf._story sets them around the cost section."""
    token = _BANDS.set(bands)
    try:
        yield
    finally:
        _BANDS.reset(token)


def nice_ticks(high: float, target: int = 5, min_step: float = 0.0) -> list[float]:
    """Round tick values from 0 to at least `high`, about `target` of them."""
    if high <= 0 or not math.isfinite(high):
        return [0.0, 1.0]
    raw = max(high / target, min_step)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    count = math.ceil(high / step - 1e-9)
    return [i * step for i in range(count + 1)]


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Cut text with an ellipsis so it fits `width` on one line."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def cost_chart(costs: CostReport, width: float, height: float = 250,
               payback: Payback | None = None,
               bands: Mapping[ApproachId, Band] | None = None) -> Drawing:
    """Cumulative cost of every priced approach over the horizon, with a legend below; with
    `bands` (or inside `cost_bands`), each line's P10-P90 band filled lightly under it."""
    regular, _bold = register_fonts()
    bands = bands if bands is not None else _BANDS.get()
    drawing = Drawing(width, height)
    shown = [a for a in SERIES_STYLE if a in costs.approaches]
    legend_rows = max(1, math.ceil(len(shown) / 3))
    legend_h = 14 * legend_rows + 6
    left, right, top, bottom = 50.0, 12.0, 8.0, 30.0 + legend_h
    plot_w, plot_h = width - left - right, height - top - bottom
    x0, y0 = left, bottom
    drawing.add(Rect(x0, y0, plot_w, plot_h, fillColor=colors.white, strokeColor=RULE,
                     strokeWidth=0.6))
    if not shown:
        drawing.add(String(x0 + plot_w / 2, y0 + plot_h / 2, "No approach could be priced.",
                           fontName=regular, fontSize=10, fillColor=MUTED, textAnchor="middle"))
        return drawing

    horizon = float(costs.horizon_days)
    top_value = max(float(costs.approaches[a].cumulative.max()) for a in shown)
    shaded = [a for a in shown if bands and a in bands and bands[a].days]
    if bands and shaded:
        top_value = max(top_value, *(max(bands[a].p90) for a in shaded))
    y_ticks = nice_ticks(top_value * 1.04)
    x_ticks = [t for t in nice_ticks(horizon, 6, min_step=1) if t <= horizon + 1e-9]
    y_max, x_max = y_ticks[-1] or 1.0, horizon or 1.0

    def px(day: float) -> float:
        return x0 + plot_w * day / x_max

    def py(value: float) -> float:
        return y0 + plot_h * value / y_max

    for tick in y_ticks:
        y = py(tick)
        if 0 < tick < y_max:
            drawing.add(Line(x0, y, x0 + plot_w, y, strokeColor=ZEBRA, strokeWidth=0.8))
        drawing.add(String(x0 - 5, y - 3, short_money(tick), fontName=regular, fontSize=7.5,
                           fillColor=MUTED, textAnchor="end"))
    for tick in x_ticks:
        x = px(tick)
        drawing.add(Line(x, y0, x, y0 - 3, strokeColor=MUTED, strokeWidth=0.6))
        drawing.add(String(x, y0 - 12, f"{tick:,.0f}", fontName=regular, fontSize=7.5,
                           fillColor=MUTED, textAnchor="middle"))
    caption = "Days from the start" + ("; shaded: P10 to P90 of the draws" if shaded else "")
    drawing.add(String(x0 + plot_w / 2, y0 - 24, caption, fontName=regular,
                       fontSize=7.5, fillColor=MUTED, textAnchor="middle"))

    payback_day = payback.day if payback is not None else None
    if payback is not None and payback_day is not None and 0 < payback_day <= horizon:
        x = px(payback_day)
        drawing.add(Line(x, y0, x, y0 + plot_h, strokeColor=MUTED, strokeWidth=0.6,
                         strokeDashArray=[2, 2]))
        label = f"{texts.APPROACH_LABELS[payback.approach]} pays back: day {payback_day:,.0f}"
        anchor = "start" if x + 4 + stringWidth(label, regular, 7.5) < x0 + plot_w else "end"
        drawing.add(String(x + (4 if anchor == "start" else -4), y0 + plot_h - 11, label,
                           fontName=regular, fontSize=7.5, fillColor=INK, textAnchor=anchor))

    for approach in shaded:  # every band first, so no band covers a line
        assert bands is not None
        band = bands[approach]
        outline: list[float] = []
        for day, value in zip(band.days, band.p90, strict=True):
            outline += [round(px(day), 2), round(py(value), 2)]
        for day, value in zip(reversed(band.days), reversed(band.p10), strict=True):
            outline += [round(px(day), 2), round(py(value), 2)]
        drawing.add(Polygon(outline, fillColor=colors.HexColor(SERIES_STYLE[approach].colour),
                            fillOpacity=BAND_OPACITY, strokeColor=None, strokeWidth=0))

    days = costs.days
    for approach in shown:
        style = SERIES_STYLE[approach]
        values = costs.approaches[approach].cumulative
        points: list[float] = []
        for day, value in zip(days.tolist(), values.tolist(), strict=True):
            points += [round(px(day), 2), round(py(value), 2)]
        drawing.add(PolyLine(points, strokeColor=colors.HexColor(style.colour),
                             strokeWidth=style.width, strokeDashArray=list(style.dash) or None,
                             strokeLineJoin=1, strokeLineCap=1 if style.line == "dotted" else 0))

    column_w = plot_w / 3
    for index, approach in enumerate(shown):
        style = SERIES_STYLE[approach]
        row, col = divmod(index, 3)
        lx = x0 + col * column_w
        ly = legend_h - 10 - row * 14
        drawing.add(Line(lx, ly + 3, lx + 26, ly + 3, strokeColor=colors.HexColor(style.colour),
                         strokeWidth=style.width, strokeDashArray=list(style.dash) or None,
                         strokeLineCap=1 if style.line == "dotted" else 0))
        drawing.add(String(lx + 32, ly, _fit(texts.APPROACH_LABELS[approach], regular, 8,
                                             column_w - 36),
                           fontName=regular, fontSize=8, fillColor=INK))
    return drawing


# ---- the decision flowchart ---------------------------------------------------------------


def _arrow(group: Group, points: list[float], colour: colors.Color, width: float,
           dashed: bool = False) -> None:
    group.add(PolyLine(points, strokeColor=colour, strokeWidth=width,
                       strokeDashArray=[4, 3] if dashed else None))
    (xa, ya), (xb, yb) = (points[-4], points[-3]), (points[-2], points[-1])
    angle = math.atan2(yb - ya, xb - xa)
    size = 4.5 + width
    left = (xb - size * math.cos(angle - 0.45), yb - size * math.sin(angle - 0.45))
    right = (xb - size * math.cos(angle + 0.45), yb - size * math.sin(angle + 0.45))
    group.add(Polygon([xb, yb, *left, *right], fillColor=colour, strokeColor=colour,
                      strokeWidth=0.5))


def _box(group: Group, x: float, y: float, w: float, h: float, lines: list[tuple[str, str, float]],
         *, fill: colors.Color, stroke: colors.Color, ink: colors.Color, stroke_width: float,
         ) -> None:
    group.add(Rect(x, y, w, h, rx=5, ry=5, fillColor=fill, strokeColor=stroke,
                   strokeWidth=stroke_width))
    total = sum(size * 1.25 for _, _, size in lines)
    cursor = y + h / 2 + total / 2
    for text, font, size in lines:
        cursor -= size * 1.25
        group.add(String(x + w / 2, cursor + size * 0.28, text, fontName=font, fontSize=size,
                         fillColor=ink, textAnchor="middle"))


def flowchart(assessment: Assessment, width: float) -> Drawing:
    """The questions, their exits, the answers given and the path taken, highlighted."""
    regular, bold = register_fonts()
    chart = assessment.diagram
    taken = {(e.source, e.target) for e in chart.edges if e.taken}
    # "Not tried" carries on as if no; drawn dashed, as the guess it is.
    tentative = {(e.source, e.target) for e in chart.edges if e.tentative}
    row_h, box_h = 66.0, 46.0
    badge_w, q_x, q_w = 58.0, 70.0, 196.0
    out_w = min(160.0, width - q_x - q_w - 60)
    out_x = width - out_w
    rows = len(chart.questions) + 1  # the final outcome sits under the last question
    height = rows * row_h + 4
    drawing = Drawing(width, height)
    grey, light = colors.HexColor("#A7B1BC"), colors.HexColor("#FFFFFF")

    def row_y(index: int) -> float:  # bottom of the box in row `index`
        return height - (index + 1) * row_h + (row_h - box_h) / 2

    def edge_style(source: str, target: str) -> tuple[colors.Color, float, str]:
        on = (source, target) in taken
        return (ACCENT, 2.0, bold) if on else (grey, 0.8, regular)

    for index, question in enumerate(chart.questions):
        y = row_y(index)
        on_path = question.state == "answered"
        _question_box(drawing, question, q_x, y, q_w, box_h, on_path, regular, bold, light, grey)
        # The answer given, beside its question; an open question waits with a "?".
        if question.state == "answered":
            _box(drawing, 0, y + box_h / 2 - 11, badge_w, 22,
                 [(question.shown.upper(), bold, 8.5 if len(question.shown) < 5 else 7.0)],
                 fill=ACCENT, stroke=ACCENT, ink=colors.white, stroke_width=0.8)
        elif question.state == "unanswered":
            _box(drawing, 0, y + box_h / 2 - 11, badge_w, 22, [("? open", bold, 8.5)],
                 fill=colors.white, stroke=ACCENT, ink=ACCENT, stroke_width=0.8)
        else:
            drawing.add(String(badge_w / 2, y + box_h / 2 - 3, "not reached", fontName=regular,
                               fontSize=7.5, fillColor=grey, textAnchor="middle"))
        # Side exit to an outcome on the right.
        colour, stroke, font = edge_style(question.id, question.exit_to)
        mid = y + box_h / 2
        _arrow(drawing, [q_x + q_w, mid, out_x - 2, mid], colour, stroke,
               (question.id, question.exit_to) in tentative)
        drawing.add(String(q_x + q_w + 8, mid + 4, question.exit_on, fontName=font,
                           fontSize=8, fillColor=colour))
        _outcome_box(drawing, out_x, y, out_w, box_h, question.exit_to, assessment, regular, bold)
        # Down the spine to the next question (or to the final outcome under the last one).
        spine_answer = "no" if question.exit_on == "yes" else "yes"
        colour, stroke, font = edge_style(question.id, question.continue_to)
        cx = q_x + q_w / 2
        next_top = row_y(index + 1) + box_h
        _arrow(drawing, [cx, y, cx, next_top + 1], colour, stroke,
               (question.id, question.continue_to) in tentative)
        drawing.add(String(cx + 6, (y + next_top) / 2 - 3, spine_answer, fontName=font,
                           fontSize=8, fillColor=colour))
    _outcome_box(drawing, q_x, row_y(len(chart.questions)), q_w, box_h, chart.final_outcome,
                 assessment, regular, bold)
    return drawing


def _question_box(group: Group, question: DiagramQuestion, x: float, y: float, w: float,
                  h: float, on_path: bool, regular: str, bold: str, light: colors.Color,
                  grey: colors.Color) -> None:
    title = f"{question.id.upper()}  {question.short}"
    detail = simpleSplit(question.label, regular, 7.5, w - 14)[:2]
    lines = [(title, bold, 9.0), *((line, regular, 7.5) for line in detail)]
    _box(group, x, y, w, h, lines, fill=ACCENT_LIGHT if on_path else light,
         stroke=ACCENT if on_path else grey, ink=INK if on_path else MUTED,
         stroke_width=1.4 if on_path else 0.7)


def _outcome_box(group: Group, x: float, y: float, w: float, h: float, outcome_id: str,
                 assessment: Assessment, regular: str, bold: str) -> None:
    chart = assessment.diagram
    reached = outcome_id == chart.outcome
    label_lines = simpleSplit(chart.outcome_labels[outcome_id], bold, 8.5, w - 12)[:2]
    lines = [(line, bold, 8.5) for line in label_lines]
    if reached and chart.blocked:
        lines.append((_fit(f"blocked: {lower_label(texts.APPROACH_LABELS[chart.approach])} "
                           "for now", regular, 7, w - 10), regular, 7.0))
    elif reached:
        lines.append(("where your answers lead", regular, 7.0))
    if reached:
        fill = BAD if chart.blocked else ACCENT
        _box(group, x, y, w, h, lines, fill=fill, stroke=fill, ink=colors.white,
             stroke_width=1.4)
    else:
        _box(group, x, y, w, h, lines, fill=colors.white, stroke=RULE,
             ink=MUTED, stroke_width=0.7)
