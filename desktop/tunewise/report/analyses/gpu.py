"""The report's "GPU feasibility" section: the registered analysis "gpu" (core/gpu/analysis.py).

It prints what `GpuResult` holds: whether the sign "no GPU budget" stands and why; the peak
training memory of every method with and without gradient checkpointing, and whether each fits
the plan's card; the plan's own set-up part by part, drawn as a stacked bar against the card;
how many cards, the largest model and the longest sequence that fit; one training run on the
card beside the hosted offerings; and the self-hosted serving GPUs as traffic grows. Every
figure and conclusion is the analysis's; this module only lays them out.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from tunewise.core import texts
from tunewise.core.analyses import ANALYSES
from tunewise.core.gpu.analysis import GpuResult, MemoryRow, ServingStep, TrainingOption
from tunewise.core.gpu.feasibility import SEQUENCE_STEP
from tunewise.core.gpu.memory import PART_LABELS
from tunewise.report.blocks import Cell, Heading, boxed, gap, para, table
from tunewise.report.charts import _fit, nice_ticks
from tunewise.report.context import Context, long_date
from tunewise.report.fonts import register_fonts
from tunewise.report.series import MEMORY_PART_COLOURS
from tunewise.report.styles import (
    ACCENT_LIGHT,
    BAD,
    BAD_LIGHT,
    GOOD,
    INK,
    MUTED,
    ZEBRA,
)

ANALYSIS_ID = "gpu"
DEFAULT_TITLE = "GPU feasibility"
# The estimate's parts, in the order they stack, with their words and colours (Okabe-Ito, which
# stays distinguishable for the common colour blindnesses; each segment also carries its figure
# when it is wide enough, so a black-and-white printout still reads).
PARTS: tuple[tuple[str, str, str], ...] = tuple(
    (f"{key}_gib", label, MEMORY_PART_COLOURS[key]) for key, label in PART_LABELS.items())
SERVING_ROWS = 24  # more steps than this print the first ones and the last


def title() -> str:
    return next((a.title for a in ANALYSES if a.id == ANALYSIS_ID), DEFAULT_TITLE)


def gib(value: float) -> str:
    """A size in the tables and the bar: GiB with one decimal, as the sentences round it."""
    return f"{value:,.1f}"


def _fits_words(fits: bool | None) -> str:
    return "" if fits is None else ("fits" if fits else "does not fit")


def _card(result: GpuResult) -> str:
    """The plan's card as headings name it: 'NVIDIA GeForce RTX 4080 (16 GiB)'."""
    memory = f" ({result.gpu_memory_gib:g} GiB)" if result.gpu_memory_gib is not None else ""
    return f"{result.gpu_name or result.gpu}{memory}"


def _sized_on(result: GpuResult) -> str:
    """The card the how-many, largest-model and longest-sequence answers are about: the plan's,
    else the catalogue's default training card (as the analysis takes it)."""
    return result.sized_on or result.gpu_name or ""


def _sign(result: GpuResult, width: float) -> Flowable:
    if result.sign_present:
        lead = "The sign \u201cno GPU budget\u201d stands against fine-tuning."
        fill, edge = BAD_LIGHT, BAD
    else:
        lead = "The sign \u201cno GPU budget\u201d does not stand against fine-tuning."
        fill, edge = ACCENT_LIGHT, GOOD
    return boxed([para(lead, "cell_bold"), gap(2), para(result.sign_detail, "cell")], width,
                 fill=fill, edge=edge)


def _is_plan(row: MemoryRow, chosen: MemoryRow | None) -> bool:
    return (chosen is not None and row.method == chosen.method
            and row.checkpointing == chosen.checkpointing)


def _feasibility_table(result: GpuResult, width: float) -> list[Flowable]:
    with_card = result.gpu_name is not None and any(r.fits is not None for r in result.table)
    rows: list[list[Cell]] = []
    for row in result.table:
        cells: list[Cell] = [row.method_label, "on" if row.checkpointing else "off",
                             gib(row.total_gib)]
        if with_card:
            cells.append(_fits_words(row.fits))
        rows.append(cells)
    plan_rows = [i for i, row in enumerate(result.table) if _is_plan(row, result.chosen)]
    header = ["Method", "Gradient checkpointing", "Peak memory (GiB)"]
    shares = [0.3, 0.22, 0.18]
    if with_card:
        header.append(f"On one {_card(result)}")
        shares.append(0.3)
    run = result.chosen
    about = f"{result.model_name}"
    if run is not None:
        about += f" at {run.seq_len:,} tokens" + (f", batch {run.batch}" if run.batch > 1 else "")
    return [KeepTogether([
        Heading("Memory by method", "gpu-methods", level=1, style="h2"),
        para(f"Estimated peak GPU memory for training {about}, for every method, with and "
             "without gradient checkpointing (which recomputes activations in the backward "
             "pass instead of keeping them). The plan's own set-up is the highlighted row."
             + ("" if with_card else " The plan names no card of its own, so the table does "
                "not say what fits.")),
        table(rows, [width * s for s in shares], header=header, right=[2],
              highlight=plan_rows),
    ])]


def _legend_rows(items: list[tuple[str, str]], font: str, width: float) -> list[list[int]]:
    """Legend items (words, colour) flowed into rows that fit `width`, as item indexes."""
    rows: list[list[int]] = [[]]
    used = 0.0
    for index, (words, _colour) in enumerate(items):
        need = 13 + stringWidth(words, font, 7.5) + 14
        if rows[-1] and used + need > width:
            rows.append([])
            used = 0.0
        rows[-1].append(index)
        used += need
    return rows


def breakdown_bar(row: MemoryRow, width: float, card_gib: float | None = None,
                  card_label: str = "") -> Drawing:
    """The chosen set-up's peak memory as one stacked horizontal bar on a GiB axis, with the
    card's memory as a dashed rule and a legend with each part's figure below.

    The parts are what memory holds at the peak, so they add up to the bar's length
    (`total_gib`); a part the peak does not hold (gradients or activations) is left out."""
    regular, bold = register_fonts()
    left, right = 8.0, 14.0
    plot_w = width - left - right
    sizes = {field: float(getattr(row, field)) for field, _label, _colour in PARTS}
    items = [(f"{label} {gib(sizes[field])}", colour) for field, label, colour in PARTS
             if sizes[field] > 0]
    legend = _legend_rows(items, regular, plot_w)
    legend_h = 13.0 * len(legend) + 3
    axis_y = legend_h + 22.0
    bar_h = 22.0
    bar_y = axis_y + 6.0
    height = bar_y + bar_h + 28
    drawing = Drawing(width, height)
    top = max(row.total_gib, card_gib or 0.0) * 1.04
    ticks = nice_ticks(top, 6)
    x_max = ticks[-1] or 1.0

    def px(value: float) -> float:
        return left + plot_w * max(value, 0.0) / x_max

    drawing.add(Line(left, axis_y, left + plot_w, axis_y, strokeColor=MUTED, strokeWidth=0.6))
    for tick in ticks:
        x = px(tick)
        drawing.add(Line(x, axis_y, x, axis_y - 3, strokeColor=MUTED, strokeWidth=0.6))
        drawing.add(String(x, axis_y - 11, f"{tick:,g}", fontName=regular, fontSize=7.5,
                           fillColor=MUTED, textAnchor="middle"))
        if 0 < tick < x_max:
            drawing.add(Line(x, axis_y, x, bar_y + bar_h + 4, strokeColor=ZEBRA,
                             strokeWidth=0.6))
    drawing.add(String(left + plot_w, axis_y - 20, "GiB", fontName=regular, fontSize=7.5,
                       fillColor=MUTED, textAnchor="end"))
    colour_of = {field: colors.HexColor(colour) for field, _label, colour in PARTS}

    start = 0.0
    for field, value in sizes.items():
        x0, x1 = px(start), px(start + value)
        start += value
        if x1 - x0 <= 0.2:
            continue
        drawing.add(Rect(x0, bar_y, x1 - x0, bar_h, fillColor=colour_of[field],
                         strokeColor=colors.white, strokeWidth=0.8))
        figure = gib(value)
        if x1 - x0 > stringWidth(figure, bold, 7.5) + 6:
            drawing.add(String((x0 + x1) / 2, bar_y + bar_h / 2 - 2.7, figure,
                               fontName=bold, fontSize=7.5, fillColor=colors.white,
                               textAnchor="middle"))
    # The peak just above the bar's end; the card's words one line higher, at its rule's top,
    # so the two never run into each other.
    total_x = px(row.total_gib)
    drawing.add(String(total_x, bar_y + bar_h + 4, f"peak {gib(row.total_gib)} GiB",
                       fontName=bold, fontSize=8, fillColor=INK,
                       textAnchor="end" if total_x > left + 70 else "start"))
    if card_gib is not None:
        x = px(card_gib)
        rule_top = bar_y + bar_h + 22
        drawing.add(Line(x, axis_y, x, rule_top, strokeColor=INK, strokeWidth=1.2,
                         strokeDashArray=[3, 2]))
        words = _fit(card_label, regular, 7.5, plot_w * 0.6)
        right_side = x + 4 + stringWidth(words, regular, 7.5) <= left + plot_w
        drawing.add(String(x + (4 if right_side else -4), rule_top - 6, words,
                           fontName=regular, fontSize=7.5, fillColor=INK,
                           textAnchor="start" if right_side else "end"))
    for line, indexes in enumerate(legend):
        ly = legend_h - 13.0 * (line + 1) + 3
        lx = left
        for index in indexes:
            words, colour = items[index]
            drawing.add(Rect(lx, ly, 9, 9, fillColor=colors.HexColor(colour),
                             strokeColor=colors.HexColor(colour), strokeWidth=0.5))
            drawing.add(String(lx + 13, ly + 1.5, words, fontName=regular, fontSize=7.5,
                               fillColor=INK))
            lx += 13 + stringWidth(words, regular, 7.5) + 14
    return drawing


def _breakdown(result: GpuResult, width: float) -> list[Flowable]:
    row = result.chosen
    if row is None:
        return []
    rows: list[list[Cell]] = [[label, gib(float(getattr(row, field)))]
                              for field, label, _colour in PARTS]
    rows.append(["Peak", gib(row.total_gib)])
    verdict = ""
    if row.fits is not None:
        verdict = f" It {_fits_words(row.fits)} on one {_card(result)}."
    card_label = (f"{result.gpu_name}: {result.gpu_memory_gib:g} GiB"
                  if result.gpu_name is not None and result.gpu_memory_gib is not None else "")
    checkpointing = "on" if row.checkpointing else "off"
    return [KeepTogether([
        Heading("The plan's set-up, part by part", "gpu-breakdown", level=1, style="h2"),
        para(f"{row.method_label} of {result.model_name} at {row.seq_len:,} tokens, batch "
             f"{row.batch}, gradient checkpointing {checkpointing}: about "
             f"{gib(row.total_gib)} GiB at its peak.{verdict}"),
        breakdown_bar(row, width, result.gpu_memory_gib, card_label),
        para(_peak_words(row), "small"),
        gap(2),
        table(rows, [width * 0.3, width * 0.16], header=["Part", "GiB"], right=[1],
              highlight=[len(rows) - 1]),
    ])]


def _peak_words(row: MemoryRow) -> str:
    """Why gradients or activations show as 0: the parts are what the peak holds."""
    if row.gradients_gib == 0:
        when = ("starts, with the activations held and no gradients written yet, so the "
                "gradients count 0 here")
    else:
        when = ("ends, with the gradients written and the activations freed, so the "
                "activations count 0 here")
    return ("The parts are what memory holds at its peak, and add up to it. The peak comes as "
            f"the backward pass {when}.")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _answers(result: GpuResult, width: float) -> list[Flowable]:
    card = _sized_on(result)
    run = result.chosen
    lines: list[str] = []
    if result.gpus_needed:
        lines.append(_sentence(result.gpus_needed))
    if result.largest_model:
        lines.append(_sentence(result.largest_model))
    if run is not None:
        if result.longest_sequence is not None:
            lines.append(f"The longest training sequence whose {run.method_label} of "
                         f"{result.model_name} fits one {card} is "
                         f"{result.longest_sequence:,} tokens.")
        else:
            lines.append(f"{run.method_label} of {result.model_name} does not fit one {card} "
                         f"even at {SEQUENCE_STEP:,} tokens.")
    if not lines:
        return []
    return [Heading("How many cards, how big, how long", "gpu-limits", level=1, style="h2"),
            *(para(line) for line in lines)]


def _money_or(value: float | None) -> str:
    return "not known" if value is None else texts.money(value)


def _training(options: list[TrainingOption], width: float) -> list[Flowable]:
    if not options:
        return []
    rows: list[list[Cell]] = [
        [o.where, "" if o.hours is None else f"{o.hours:,.1f}", _money_or(o.cost),
         para(o.note, "cell_muted") if o.note else ""]
        for o in options]
    return [
        Heading("Where one training run could go", "gpu-training", level=1, style="h2"),
        para("One training run of the plan's examples on the card, beside the hosted tuning "
             "services that offer this model. Hours on a card are estimated from its bf16 "
             "throughput; a hosted service's hours are only shown when it bills by the hour."),
        table(rows, [width * 0.3, width * 0.1, width * 0.14, width * 0.46],
              header=["Where", "Hours", "Cost", "How it is worked out"], right=[1, 2]),
    ]


def _step_rows(steps: list[ServingStep]) -> tuple[list[list[Cell]], int]:
    shown = steps if len(steps) <= SERVING_ROWS else [*steps[:SERVING_ROWS - 1], steps[-1]]
    rows: list[list[Cell]] = [
        [long_date(datetime(s.date.year, s.date.month, s.date.day)), f"{s.day:,}",
         f"{s.requests_per_day:,.0f}", f"{s.gpus:,}"] for s in shown]
    return rows, len(steps) - len(shown)


def _serving(result: GpuResult, width: float) -> list[Flowable]:
    if not result.serving:
        return []
    rows, left_out = _step_rows(result.serving)
    out: list[Flowable] = [
        Heading("Serving the tuned model yourself", "gpu-serving", level=1, style="h2"),
        para("The GPUs a self-hosted tuned model needs as the plan's traffic changes: each row "
             "is a day the number steps to a new level."),
        table(rows, [width * 0.3, width * 0.14, width * 0.22, width * 0.14],
              header=["From", "Day", "Requests a day", "GPUs"], right=[1, 2, 3]),
    ]
    if left_out:
        out.append(para(f"{left_out:,} steps between the {SERVING_ROWS - 1}th and the last are "
                        "left out.", "small"))
    if result.serving_note:
        out += [gap(2), para(_sentence(result.serving_note), "small")]
    return out


def section(ctx: Context, result: GpuResult) -> list[Flowable]:
    """The GPU feasibility section for one evaluation's `GpuResult`."""
    w = ctx.width
    out: list[Flowable] = [CondPageBreak(220), Heading(title(), "gpu-feasibility"),
                           _sign(result, w), gap(6)]
    if result.model_name is None:
        out.append(para(f"Tunewise knows no open weights for {result.model}: its weights are "
                        "not published, so only a hosted tuning service can tune it, and there "
                        "is no GPU memory to estimate."))
        return out
    out += _feasibility_table(result, w)
    out += _breakdown(result, w)
    out += _answers(result, w)
    out += _training(result.training, w)
    out += _serving(result, w)
    out += [gap(4), para("Memory is in GiB (1,024\u00b3 bytes), the unit a card's memory is "
                         "reported in; the sentences' \u201cGB\u201d are the same figures. The "
                         "estimates are a planning guide: real peaks vary with the framework, "
                         "its kernels and its settings.", "small")]
    return out
