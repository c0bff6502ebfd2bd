"""The report's "Uncertainty" section: what the Monte Carlo over the plan's ranges says
(core/uncertainty.py). The chance table at the horizon, the conclusions in core's words, the
few-shot score's odds and the tornado chart of the inputs that move the recommendation's gap to
its runner-up most.

The result is worked out once per evaluation (`result_for`): the report is laid out twice (to
count its pages) and the cost chart's bands come from the same result.
"""

from __future__ import annotations

import math
import threading
import weakref

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from tunewise.core import texts, uncertainty
from tunewise.core.evaluation import Evaluation
from tunewise.core.project import APPROACHES
from tunewise.core.texts import money, percent
from tunewise.core.uncertainty import Sensitivity, UncertaintyResult
from tunewise.report.blocks import Heading, bullets, gap, para, table
from tunewise.report.charts import _fit, nice_ticks
from tunewise.report.context import Context
from tunewise.report.fonts import register_fonts
from tunewise.report.styles import INK, MUTED, RULE, ZEBRA

# Bars of the tornado: Okabe-Ito blue, and vermilion (with a dark edge, so a grey printout
# still tells them apart) for an input that can change the cheapest approach.
BAR = colors.HexColor("#0072B2")
FLIP = colors.HexColor("#D55E00")
MOST_BARS = 12  # more ranged inputs than this are named in a line under the chart
ROW_H = 20.0

_lock = threading.Lock()
_last: tuple[weakref.ref[Evaluation], UncertaintyResult] | None = None


def result_for(evaluation: Evaluation) -> UncertaintyResult:
    """The Monte Carlo for this evaluation, run once however many times the report asks."""
    global _last
    with _lock:
        if _last is not None and _last[0]() is evaluation:
            return _last[1]
    result = uncertainty.run(evaluation)
    with _lock:
        _last = (weakref.ref(evaluation), result)
    return result


def has_ranges(evaluation: Evaluation) -> bool:
    return bool(evaluation.project.uncertainty.ranges)


def uncertainty_section(ctx: Context) -> list[Flowable]:
    evaluation = ctx.evaluation
    result = result_for(evaluation)
    if not has_ranges(evaluation) and result.few_shot is None:
        return []
    w = ctx.width
    out: list[Flowable] = [CondPageBreak(260), Heading("Uncertainty", "uncertainty")]
    if has_ranges(evaluation):
        spec = evaluation.project.uncertainty
        out.append(para(
            f"{result.draws:,} draws ({'PERT' if spec.distribution == 'pert' else 'triangular'}"
            f", seed {result.seed}) of the {len(result.inputs):,} cost inputs given a low, "
            "likely and high value; every other input as the plan sets it. P10 to P90 holds "
            "8 draws in 10; the cost chart shades that band under each line."))
        out += [_chance_table(ctx, result), gap(6)]
    out += bullets(result.sentences)
    if result.few_shot is not None:
        out += [Heading("The few-shot score", "uncertainty-few-shot", level=1, style="h2"),
                para(result.few_shot.sentence)]
    if result.sensitivity:
        out += _tornado_part(ctx, result, w)
    return out


def _chance_table(ctx: Context, result: UncertaintyResult) -> Flowable:
    w = ctx.width
    rows: list[list[str | Flowable]] = []
    highlight: list[int] = []
    for approach in APPROACHES:
        q = result.total_at_horizon.get(approach)
        if q is None:
            continue
        if approach == ctx.evaluation.assessment.recommended_row:
            highlight.append(len(rows))
        rows.append([texts.APPROACH_LABELS[approach], money(q.p10), money(q.p50), money(q.p90),
                     percent(result.cheapest_probability.get(approach, 0.0))])
    return table(rows, [w * 0.32, w * 0.17, w * 0.17, w * 0.17, w * 0.17],
                 header=["Approach", f"P10, day {result.horizon_days:,}", "P50 (median)",
                         "P90", "Cheapest in"],
                 right=(1, 2, 3, 4), highlight=highlight)


def _tornado_part(ctx: Context, result: UncertaintyResult, w: float) -> list[Flowable]:
    if result.recommended is None or result.runner_up is None:
        return []
    mine = texts.APPROACH_LABELS[result.recommended]
    other = texts.lower_label(texts.APPROACH_LABELS[result.runner_up])
    shown = result.sensitivity[:MOST_BARS]
    rest = result.sensitivity[MOST_BARS:]
    intro = (f"How much each input moves the gap between {texts.lower_label(mine)} and "
             f"{other} at day {result.horizon_days:,} (what the first costs more than the "
             "second), from its low to its high value with every other input likely; the "
             "widest first. Where a bar crosses zero the two swap places.")
    parts: list[Flowable] = [Heading("What moves the gap most", "uncertainty-tornado",
                                     level=1, style="h2"), para(intro),
                             tornado(shown, w, f"{mine} minus {other}, USD", result.gap)]
    if rest:
        parts.append(para(f"Smaller swings: {', '.join(s.label for s in rest)}.", "small"))
    return [KeepTogether(parts[:3]), *parts[3:]]


def _value(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3g}"


def _axis(values: list[float]) -> list[float]:
    """Round ticks spanning every value and zero."""
    lo, hi = min([0.0, *values]), max([0.0, *values])
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    ticks = nice_ticks(span, 5)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [i * step + 0.0 for i in range(first, last + 1)]


def tornado(rows: list[Sensitivity], width: float, axis_title: str,
            gap: float | None = None) -> Drawing:
    """Horizontal bars from each input's gap at its low value to its gap at its high value,
    labels on the left, zero (the two cost the same) dashed, today's gap a solid line."""
    regular, _bold = register_fonts()
    label_w = min(190.0, width * 0.38)
    any_flip = any(s.flips for s in rows)
    legend_lines = 1 + (gap is not None) + any_flip
    # Under the bars: tick labels, the axis title, then the legend's lines.
    left, right, top, bottom = label_w + 8, 14.0, 6.0, 36.0 + 12.0 * legend_lines
    height = top + bottom + ROW_H * len(rows)
    drawing = Drawing(width, height)
    plot_w = width - left - right
    ticks = _axis([v for s in rows for v in (s.diff_low, s.diff_high)]
                  + ([gap] if gap is not None else []))
    lo, hi = ticks[0], ticks[-1]
    y_axis = bottom

    inset = 32.0  # room inside the frame for the figures at the bar ends

    def px(value: float) -> float:
        return left + inset + (plot_w - 2 * inset) * (value - lo) / (hi - lo)

    drawing.add(Rect(left, y_axis, plot_w, ROW_H * len(rows), fillColor=colors.white,
                     strokeColor=RULE, strokeWidth=0.6))
    for tick in ticks:
        x = px(tick)
        drawing.add(Line(x, y_axis, x, y_axis + ROW_H * len(rows), strokeColor=ZEBRA,
                         strokeWidth=0.8))
        drawing.add(Line(x, y_axis, x, y_axis - 3, strokeColor=MUTED, strokeWidth=0.6))
        drawing.add(String(x, y_axis - 12, money(tick).removesuffix(".00"), fontName=regular,
                           fontSize=7, fillColor=MUTED, textAnchor="middle"))
    drawing.add(String(left + plot_w / 2, y_axis - 25, axis_title, fontName=regular,
                       fontSize=7.5, fillColor=MUTED, textAnchor="middle"))
    zero = px(0.0)
    drawing.add(Line(zero, y_axis, zero, y_axis + ROW_H * len(rows), strokeColor=INK,
                     strokeWidth=0.8, strokeDashArray=[3, 2]))
    if gap is not None:
        at = px(gap)
        drawing.add(Line(at, y_axis, at, y_axis + ROW_H * len(rows), strokeColor=INK,
                         strokeWidth=1.2))
    for index, s in enumerate(rows):
        y = y_axis + ROW_H * (len(rows) - index - 1)
        a, b = px(s.diff_low), px(s.diff_high)
        x1, x2 = min(a, b), max(a, b)
        fill = FLIP if s.flips else BAR
        drawing.add(Rect(x1, y + 4, max(x2 - x1, 0.8), ROW_H - 8, fillColor=fill,
                         strokeColor=INK if s.flips else fill, strokeWidth=0.6))
        drawing.add(String(left - 8, y + ROW_H / 2 - 3,
                           _fit(s.label, regular, 8, label_w - 4), fontName=regular,
                           fontSize=8, fillColor=INK, textAnchor="end"))
        # Which end is the input's low value and which its high.
        for x, value, at_left in ((a, s.low, a <= b), (b, s.high, b < a)):
            words = _value(value)
            tx = x - 3 if at_left else x + 3
            drawing.add(String(tx, y + ROW_H / 2 - 2.5, words, fontName=regular,
                               fontSize=6.5, fillColor=MUTED,
                               textAnchor="end" if at_left else "start"))
    legend_y = bottom - 42.0
    drawing.add(String(left, legend_y, "Small figures at the bar ends: the input's low and "
                       "high value.", fontName=regular, fontSize=7, fillColor=MUTED))
    if gap is not None:
        legend_y -= 12
        drawing.add(Line(left, legend_y + 2.5, left + 14, legend_y + 2.5, strokeColor=INK,
                         strokeWidth=1.2))
        drawing.add(String(left + 19, legend_y, "the gap today, every input at its likely "
                           "value", fontName=regular, fontSize=7, fillColor=INK))
    if any_flip:
        legend_y -= 13
        drawing.add(Rect(left, legend_y - 1, 14, 7, fillColor=FLIP, strokeColor=INK,
                         strokeWidth=0.6))
        drawing.add(String(left + 19, legend_y, "can change which approach is cheapest",
                           fontName=regular, fontSize=7, fillColor=INK))
    return drawing
