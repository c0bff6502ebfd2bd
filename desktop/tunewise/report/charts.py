"""Vector drawings for the report: the cumulative cost chart and the decision flowchart.

Both are reportlab.graphics Drawings, so they stay sharp at any zoom and print as lines and text,
never as a raster image.
"""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from tunewise.core import texts
from tunewise.core.costs import CostReport
from tunewise.core.decision import Assessment
from tunewise.core.texts import lower_label
from tunewise.report.fonts import register_fonts
from tunewise.report.series import SERIES_STYLE
from tunewise.report.styles import ACCENT, ACCENT_LIGHT, BAD, INK, MUTED, RULE, ZEBRA

__all__ = ["SERIES_STYLE", "cost_chart", "flowchart", "nice_ticks", "short_money"]


def nice_ticks(high: float, target: int = 5, min_step: float = 0.0) -> list[float]:
    """Round tick values from 0 to at least `high`, about `target` of them."""
    if high <= 0 or not math.isfinite(high):
        return [0.0, 1.0]
    raw = max(high / target, min_step)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    count = math.ceil(high / step - 1e-9)
    return [i * step for i in range(count + 1)]


def short_money(value: float) -> str:
    """Axis labels: $0, $750, $12k, $1.5M, $3B; absurd sizes in scientific notation."""
    if value >= 1e15:
        return f"${value:.1e}"
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            text = f"{value / size:.2f}".rstrip("0").rstrip(".")
            return f"${text}{suffix}"
    return f"${value:,.0f}"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Cut text with an ellipsis so it fits `width` on one line."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def cost_chart(costs: CostReport, width: float, height: float = 250,
               payback_day: float | None = None) -> Drawing:
    """Cumulative cost of every priced approach over the horizon, with a legend below."""
    regular, _bold = register_fonts()
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
    drawing.add(String(x0 + plot_w / 2, y0 - 24, "Days from the start", fontName=regular,
                       fontSize=7.5, fillColor=MUTED, textAnchor="middle"))

    if payback_day is not None and 0 < payback_day <= horizon:
        x = px(payback_day)
        drawing.add(Line(x, y0, x, y0 + plot_h, strokeColor=MUTED, strokeWidth=0.6,
                         strokeDashArray=[2, 2]))
        label = f"Fine-tuning pays back: day {payback_day:,.0f}"
        anchor = "start" if x + 4 + stringWidth(label, regular, 7.5) < x0 + plot_w else "end"
        drawing.add(String(x + (4 if anchor == "start" else -4), y0 + plot_h - 11, label,
                           fontName=regular, fontSize=7.5, fillColor=INK, textAnchor=anchor))

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

# Where each answer leads: (question, answer) -> next question or an outcome id.
_EXITS: dict[tuple[str, str], str] = {
    ("q1", "yes"): "prompt_engineering",
    ("q1", "no"): "q2",
    ("q2", "yes"): "rag",
    ("q2", "no"): "q3",
    ("q3", "yes"): "q4",
    ("q3", "no"): "revisit_problem",
    ("q4", "yes"): "fine_tuning",
    ("q4", "no"): "collect_data",
}
# The outcome each question's side exit leads to, and the answer that takes it.
_SIDE_EXIT = {"q1": ("yes", "prompt_engineering"), "q2": ("yes", "rag"),
              "q3": ("no", "revisit_problem"), "q4": ("yes", "fine_tuning")}
_SPINE = {"q1": "no", "q2": "no", "q3": "yes", "q4": "no"}


def taken_edges(assessment: Assessment) -> set[tuple[str, str]]:
    """The (from, to) edges the answers walked; "untested" on q1 carries on as "no"."""
    edges: set[tuple[str, str]] = set()
    for step in assessment.path:
        answer = "yes" if step.answer == "yes" else "no"
        edges.add((step.question, _EXITS[(step.question, answer)]))
    return edges


def _arrow(group: Group, points: list[float], colour: colors.Color, width: float) -> None:
    group.add(PolyLine(points, strokeColor=colour, strokeWidth=width))
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
    """The four questions, their exits, the answers given and the path taken, highlighted."""
    regular, bold = register_fonts()
    edges = taken_edges(assessment)
    answers: dict[str, str] = {step.question: step.answer for step in assessment.path}
    row_h, box_h = 66.0, 46.0
    badge_w, q_x, q_w = 58.0, 70.0, 196.0
    out_w = min(160.0, width - q_x - q_w - 60)
    out_x = width - out_w
    height = 5 * row_h + 4
    drawing = Drawing(width, height)
    grey, light = colors.HexColor("#A7B1BC"), colors.HexColor("#FFFFFF")
    questions = ("q1", "q2", "q3", "q4")

    def row_y(index: int) -> float:  # bottom of the box in row `index`
        return height - (index + 1) * row_h + (row_h - box_h) / 2

    for index, question in enumerate(questions):
        y = row_y(index)
        reached = on_path = question in answers
        title = f"{question.upper()}  {texts.QUESTION_SHORT[question]}"
        detail = simpleSplit(texts.QUESTION_LABELS[question], regular, 7.5, q_w - 14)[:2]
        lines = [(title, bold, 9.0), *((line, regular, 7.5) for line in detail)]
        _box(drawing, q_x, y, q_w, box_h, lines,
             fill=ACCENT_LIGHT if on_path else light, stroke=ACCENT if on_path else grey,
             ink=INK if on_path else MUTED, stroke_width=1.4 if on_path else 0.7)
        # The answer given, beside its question.
        if reached:
            answer = answers[question]
            _box(drawing, 0, y + box_h / 2 - 11, badge_w, 22, [(answer.upper(), bold, 8.5)],
                 fill=ACCENT, stroke=ACCENT, ink=colors.white, stroke_width=0.8)
        else:
            drawing.add(String(badge_w / 2, y + box_h / 2 - 3, "not reached", fontName=regular,
                               fontSize=7.5, fillColor=grey, textAnchor="middle"))
        # Side exit to an outcome on the right.
        side_answer, side_outcome = _SIDE_EXIT[question]
        taken = (question, side_outcome) in edges
        colour, stroke = (ACCENT, 2.0) if taken else (grey, 0.8)
        mid = y + box_h / 2
        _arrow(drawing, [q_x + q_w, mid, out_x - 2, mid], colour, stroke)
        drawing.add(String(q_x + q_w + 8, mid + 4, side_answer, fontName=bold if taken else regular,
                           fontSize=8, fillColor=colour))
        _outcome_box(drawing, out_x, y, out_w, box_h, side_outcome, assessment, regular, bold)
        # Down the spine to the next question (or to "collect data" under q4).
        spine_answer = _SPINE[question]
        target = _EXITS[(question, spine_answer)]
        taken = (question, target) in edges
        colour, stroke = (ACCENT, 2.0) if taken else (grey, 0.8)
        cx = q_x + q_w / 2
        next_top = row_y(index + 1) + box_h
        _arrow(drawing, [cx, y, cx, next_top + 1], colour, stroke)
        drawing.add(String(cx + 6, (y + next_top) / 2 - 3, spine_answer,
                           fontName=bold if taken else regular, fontSize=8, fillColor=colour))
    _outcome_box(drawing, q_x, row_y(4), q_w, box_h, "collect_data", assessment, regular, bold)
    return drawing


def _outcome_box(group: Group, x: float, y: float, w: float, h: float, outcome_id: str,
                 assessment: Assessment, regular: str, bold: str) -> None:
    reached = outcome_id == assessment.flowchart_outcome
    label_lines = simpleSplit(texts.APPROACH_LABELS[outcome_id], bold, 8.5, w - 12)[:2]
    lines = [(line, bold, 8.5) for line in label_lines]
    if reached and assessment.approach != assessment.flowchart_outcome:
        lines.append((_fit(f"blocked: {lower_label(texts.APPROACH_LABELS[assessment.approach])} "
                           "for now", regular, 7, w - 10), regular, 7.0))
    elif reached:
        lines.append(("where your answers lead", regular, 7.0))
    if reached:
        blocked = assessment.approach != assessment.flowchart_outcome
        fill = BAD if blocked else ACCENT
        _box(group, x, y, w, h, lines, fill=fill, stroke=fill, ink=colors.white,
             stroke_width=1.4)
    else:
        _box(group, x, y, w, h, lines, fill=colors.white, stroke=RULE,
             ink=MUTED, stroke_width=0.7)
