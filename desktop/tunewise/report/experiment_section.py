"""The report's "The few-shot test" section: the experiment Tunewise ran for Q1, when it ran one.

It prints what `Answers.few_shot_measured` holds (the model, the endpoint's host, the scorer,
the few-shot count, the held-out examples answered, errors, the date and cost), the score with
its 95% interval drawn against the line the assessment compares it with, and the failing
examples the plan kept. Nothing here decides: the line is the assessment's own
(`FewShotCheck.line` of the target) and any sentence that concludes is the assessment's.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from tunewise.core import texts
from tunewise.core.experiment.model import SCORER_LABELS
from tunewise.core.project import MeasuredFewShot
from tunewise.core.results import FewShotCheck
from tunewise.report.blocks import Heading, gap, key_values, para, table
from tunewise.report.context import Context, long_date
from tunewise.report.fonts import register_fonts
from tunewise.report.styles import ACCENT, ACCENT_LIGHT, BAD, INK, MUTED, ZEBRA

TITLE = "The few-shot test"
FAILING_SHOWN = 5  # the plan keeps at most five
CELL_CHARS = 300  # a failing example's text in the table, cut with an ellipsis beyond this


def interval_words(m: MeasuredFewShot) -> str:
    """'72% (95% interval 58.4% to 82.5%, 36 of 50 passed)'."""
    return (f"{texts.percent(m.score)} (95% interval {texts.percent(m.low)} to "
            f"{texts.percent(m.high)}, {m.passed:,} of {m.n:,} passed)")


def _line_of(check: FewShotCheck | None) -> float | None:
    """Where the assessment draws the line, as a score: its share of the target."""
    return None if check is None else check.line * check.target


def interval_figure(m: MeasuredFewShot, line: float | None, line_label: str, width: float,
                    height: float = 78) -> Drawing:
    """The score as a dot on its 95% interval (a bar) on a 0-100% axis, the line as a rule."""
    regular, bold = register_fonts()
    drawing = Drawing(width, height)
    left, right, bottom = 12.0, 12.0, 26.0
    plot_w = width - left - right
    bar_h = 14.0
    y_bar = bottom + 12

    def px(share: float) -> float:
        return left + plot_w * min(max(share, 0.0), 1.0)

    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=MUTED, strokeWidth=0.6))
    for tick in range(0, 101, 10):
        x = px(tick / 100)
        drawing.add(Line(x, bottom, x, bottom - 3, strokeColor=MUTED, strokeWidth=0.6))
        if tick % 20 == 0:
            drawing.add(String(x, bottom - 12, f"{tick}%", fontName=regular, fontSize=7.5,
                               fillColor=MUTED, textAnchor="middle"))
        if 0 < tick < 100:
            drawing.add(Line(x, bottom, x, y_bar + bar_h + 6, strokeColor=ZEBRA,
                             strokeWidth=0.6))
    drawing.add(String(left + plot_w / 2, bottom - 23, "Share of held-out examples passed",
                       fontName=regular, fontSize=7.5, fillColor=MUTED, textAnchor="middle"))
    x_low, x_high = px(m.low), px(m.high)
    drawing.add(Rect(x_low, y_bar, max(x_high - x_low, 1.0), bar_h, fillColor=ACCENT_LIGHT,
                     strokeColor=ACCENT, strokeWidth=0.8))
    drawing.add(Circle(px(m.score), y_bar + bar_h / 2, 4.2, fillColor=ACCENT,
                       strokeColor=colors.white, strokeWidth=0.8))
    label_y = y_bar + bar_h + 9
    score_text = f"score {texts.percent(m.score)}"
    if line is not None:
        x = px(line)
        drawing.add(Line(x, bottom, x, y_bar + bar_h + 6, strokeColor=BAD, strokeWidth=1.2,
                         strokeDashArray=[3, 2]))
        # The line's words on the side with room, away from the score's.
        on_right = x < left + plot_w / 2
        drawing.add(String(x + (4 if on_right else -4), label_y + 10, line_label,
                           fontName=regular, fontSize=7.5, fillColor=BAD,
                           textAnchor="start" if on_right else "end"))
    anchor = "middle"
    x_score = px(m.score)
    if x_score < left + 30:
        anchor = "start"
    elif x_score > left + plot_w - 30:
        anchor = "end"
    drawing.add(String(x_score, label_y, score_text, fontName=bold, fontSize=8,
                       fillColor=INK, textAnchor=anchor))
    return drawing


def _cut(text: str) -> str:
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS].rstrip() + "…"


def _what_ran(m: MeasuredFewShot) -> list[tuple[str, str]]:
    rows = [
        ("Model", m.model),
        ("Endpoint", m.endpoint_host),
        ("Scorer", SCORER_LABELS.get(m.scorer, m.scorer)),
        ("Few-shot examples", f"{m.few_shot:,} in the prompt, before each held-out question"),
        ("Held-out examples", f"{m.n:,} answered and scored"),
        ("Errors", (f"{m.errors:,} request{'s' if m.errors != 1 else ''} failed (the "
                    "endpoint's fault, not the model's): left out of the score")
         if m.errors else "None"),
        ("Run on", long_date_of(m)),
        ("Cost", texts.money(m.cost_usd) if m.cost_usd is not None
         else "Not known: the model has no price in the catalogue"),
    ]
    return rows


def long_date_of(m: MeasuredFewShot) -> str:
    day = m.measured_on
    return long_date(datetime(day.year, day.month, day.day))


def _failing(m: MeasuredFewShot, width: float) -> list[Flowable]:
    if not m.failing:
        return [para("No failing examples were kept with the plan.", "small")]
    rows: list[list[str | Flowable]] = [[_cut(f.input), _cut(f.expected), _cut(f.output)]
                                        for f in m.failing[:FAILING_SHOWN]]
    return [
        Heading("Examples it got wrong", "few-shot-failing", level=1, style="h2"),
        para(f"{len(rows)} of the {m.n - m.passed:,} held-out examples the model failed, as "
             "asked and answered (long texts cut)."),
        table(rows, [width * 0.34, width * 0.33, width * 0.33],
              header=["Input", "Expected", "Model's answer"]),
    ]


def experiment_section(ctx: Context) -> list[Flowable]:
    """"The few-shot test", when the plan holds a measured score; nothing otherwise."""
    evaluation = ctx.evaluation
    m = evaluation.project.answers.few_shot_measured
    if m is None:
        return []
    w = ctx.width
    check = evaluation.assessment.few_shot_check
    target = evaluation.project.answers.quality_target
    line = _line_of(check)
    if check is not None:
        line_label = (f"{texts.percent(check.line)} of the {texts.percent(check.target)} "
                      f"target: {texts.percent(check.line * check.target)}")
        about_line = check.explanation
    elif target is None:
        line_label = ""
        about_line = ("No quality target is set, so there is no line to compare the score "
                      "with.")
    else:
        line_label = ""
        about_line = (f"The quality target is {texts.percent(target)}; the assessment has not "
                      "compared the measured score with it.")
    figure = interval_figure(m, line, line_label, w)
    out: list[Flowable] = [
        CondPageBreak(260),
        Heading(TITLE, "few-shot-test"),
        para(f"Tunewise asked {m.model} each held-out example with {m.few_shot:,} few-shot "
             f"examples in the prompt. Score: {interval_words(m)}."),
        key_values(_what_ran(m), w, key_share=0.25),
        KeepTogether([
            Heading("Score and its uncertainty", "few-shot-score", level=1, style="h2"),
            para("The bar is the 95% interval (Wilson): with this many held-out examples, the "
                 "model's true pass rate is likely anywhere along it. The dot is the score "
                 "measured." + (" The dashed rule is the line the score is compared with."
                                if line is not None else "")),
            gap(2),
            figure,
            gap(2),
            para(about_line),
        ]),
        *_failing(m, w),
        gap(4),
        para("The API key used is never stored in the plan or printed here.", "small"),
    ]
    return out
