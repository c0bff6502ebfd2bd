"""The report's "Your data" section: the examples file a plan's figures were measured from.

It prints what `Project.dataset` holds (the file, the counts, problems by kind, the token
distribution with its histogram, personal data, labels, the split) and, from
`core/dataset/plan.py`, whether the file is still there unchanged and where each figure in use
came from. Nothing here decides: the figures were measured in core, the provenance sentences
are core's, and the plan reads the figures in use from its usual fields.
"""

from __future__ import annotations

import math
from datetime import date

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from tunewise.core import texts
from tunewise.core.dataset import plan
from tunewise.core.dataset.model import FORMAT_LABELS, PII_LABELS, PROBLEM_DESCRIPTIONS
from tunewise.core.project import DatasetRef, MeasuredFigures
from tunewise.report.blocks import Cell, Heading, boxed, gap, key_values, para, rich, table
from tunewise.report.charts import nice_ticks
from tunewise.report.context import MONTHS, Context
from tunewise.report.fonts import register_fonts
from tunewise.report.styles import (
    ACCENT,
    ACCENT_LIGHT,
    BAD,
    BAD_LIGHT,
    INK,
    MUTED,
    RULE,
    WARN,
    WARN_LIGHT,
    ZEBRA,
)

TITLE = "Your data"

SHORT_HASH = 12


def _day(when: date) -> str:
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def _size(size: int) -> str:
    """'2.4 MB (2,412,003 bytes)': decimal units, as file managers show them."""
    for unit, step in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= step:
            return f"{size / step:.1f} {unit} ({size:,} bytes)"
    return f"{size:,} byte{'s' if size != 1 else ''}"


def _tokens(value: float) -> str:
    return f"{value:,.0f}"


def _share(part: int, whole: int) -> str:
    return texts.percent(part / whole) if whole else "—"


# ---- the file ---------------------------------------------------------------------------------

def _file_rows(ref: DatasetRef, status: tuple[plan.FileStatus, str] | None
               ) -> list[tuple[str, str | Flowable]]:
    fmt = FORMAT_LABELS.get(ref.format, ref.format)
    if ref.input_column or ref.output_column:
        fmt += (f": input from “{ref.input_column or '—'}”, "
                f"output from “{ref.output_column or '—'}”")
    rows: list[tuple[str, str | Flowable]] = [
        ("File", ref.name),
        ("Where", ref.path),
        ("Size", _size(ref.size)),
        ("Format", fmt),
        ("SHA-256", f"{ref.sha256[:SHORT_HASH]}… (first {SHORT_HASH} of 64 digits)"),
        ("Measured on", _day(ref.measured_on)),
    ]
    if status is None:
        rows.append(("File now", "Not checked: this report was made without the plan's "
                                 "location, so the file was not looked for."))
    elif status[0] == "missing":
        rows.append(("File now", "Missing: see the note below."))
    elif status[0] == "changed":
        rows.append(("File now", "Changed since it was measured: see the note below."))
    else:
        rows.append(("File now", status[1]))
    return rows


def _status_box(status: tuple[plan.FileStatus, str] | None, width: float) -> list[Flowable]:
    if status is None or status[0] not in ("missing", "changed"):
        return []
    kind, message = status
    if kind == "missing":
        lead, fill, edge = "The examples file is missing. ", BAD_LIGHT, BAD
    else:
        lead, fill, edge = "The examples file has changed. ", WARN_LIGHT, WARN
    return [gap(4), boxed([para(lead + message, "cell")], width, fill=fill, edge=edge)]


# ---- counts and problems ----------------------------------------------------------------------

def _counts(f: MeasuredFigures, width: float) -> Flowable:
    rows: list[list[str | Flowable]] = [
        ["Records read", f"{f.records:,}", "Every non-blank line or data row."],
        ["Valid examples", f"{f.valid:,}", _share(f.valid, f.records) + " of the records."],
        ["Records with problems", f"{f.invalid:,}", "Left out; see Problems by kind."],
        ["Exact duplicates", f"{f.duplicates:,}", "Copies beyond the first, among valid "
                                                   "examples."],
        ["Near duplicates", f"{f.near_duplicates:,}",
         "Beyond exact copies: nearly the same words as an earlier example."],
        ["Good examples", f"{f.good_examples:,}",
         "Valid, without exact or near duplicates: the examples worth training on."],
        ["Training tokens", f"{f.training_tokens:,}", "Over the good examples, one epoch."],
        ["Mean input tokens", _tokens(f.mean_input_tokens),
         "Per good example: everything before the final answer."],
        ["Mean output tokens", _tokens(f.mean_output_tokens),
         "Per good example: the final answer."],
    ]
    return table(rows, [width * 0.27, width * 0.16, width * 0.57],
                 header=["Count", "Examples", "What it counts"], right=(1,), highlight=(5,))


def _problems(f: MeasuredFigures, width: float) -> list[Flowable]:
    out: list[Flowable] = [Heading("Problems by kind", "data-problems", level=1, style="h2")]
    found = {kind: count for kind, count in f.problems_by_kind.items() if count}
    if not found:
        out.append(para("No problems: every record reads as a valid example."))
        return out
    rows: list[list[str | Flowable]] = []
    for kind, count in sorted(found.items(), key=lambda item: (-item[1], item[0])):
        rows.append([PROBLEM_DESCRIPTIONS.get(kind, kind), f"{count:,}"])
    out += [para("Records with problems are left out of every count that follows; the app "
                 "lists each problem with its line."),
            table(rows, [width * 0.75, width * 0.25], header=["Problem", "Found"],
                  right=(1,))]
    return out


# ---- tokens -----------------------------------------------------------------------------------

def histogram(edges: list[float], counts: list[int], width: float, height: float = 150,
              marks: tuple[tuple[str, float], ...] = ()) -> Drawing:
    """Examples per token-length bin as bars, with dashed lines at `marks` (p50, p95)."""
    regular, _bold = register_fonts()
    drawing = Drawing(width, height)
    left, right, top, bottom = 50.0, 12.0, 14.0, 30.0
    plot_w, plot_h = width - left - right, height - top - bottom
    x0, y0 = left, bottom
    drawing.add(Rect(x0, y0, plot_w, plot_h, fillColor=colors.white, strokeColor=RULE,
                     strokeWidth=0.6))
    if not counts or len(edges) != len(counts) + 1:
        drawing.add(String(x0 + plot_w / 2, y0 + plot_h / 2, "No token counts to draw.",
                           fontName=regular, fontSize=10, fillColor=MUTED, textAnchor="middle"))
        return drawing
    low, high = edges[0], edges[-1]
    x_ticks = [t for t in nice_ticks(high, 6, min_step=1) if low - 1e-9 <= t <= high + 1e-9]
    y_ticks = nice_ticks(max(counts) * 1.04, 4, min_step=1)
    span, y_max = (high - low) or 1.0, y_ticks[-1] or 1.0

    def px(tokens: float) -> float:
        return x0 + plot_w * (tokens - low) / span

    def py(count: float) -> float:
        return y0 + plot_h * count / y_max

    for tick in y_ticks:
        y = py(tick)
        if 0 < tick < y_max:
            drawing.add(Line(x0, y, x0 + plot_w, y, strokeColor=ZEBRA, strokeWidth=0.8))
        drawing.add(String(x0 - 5, y - 3, f"{tick:,.0f}", fontName=regular, fontSize=7.5,
                           fillColor=MUTED, textAnchor="end"))
    for left_edge, right_edge, count in zip(edges, edges[1:], counts, strict=False):
        if count:
            xa, xb = px(left_edge), px(right_edge)
            drawing.add(Rect(xa + 0.4, y0, max(xb - xa - 0.8, 0.6), py(count) - y0,
                             fillColor=ACCENT_LIGHT, strokeColor=ACCENT, strokeWidth=0.6))
    for tick in x_ticks:
        x = px(tick)
        drawing.add(Line(x, y0, x, y0 - 3, strokeColor=MUTED, strokeWidth=0.6))
        drawing.add(String(x, y0 - 12, f"{tick:,.0f}", fontName=regular, fontSize=7.5,
                           fillColor=MUTED, textAnchor="middle"))
    drawing.add(String(x0 + plot_w / 2, y0 - 24, "Tokens per example", fontName=regular,
                       fontSize=7.5, fillColor=MUTED, textAnchor="middle"))
    # The count axis's title, turned to read upwards beside the tick labels.
    drawing.add(Group(String(0, 0, "Examples", fontName=regular, fontSize=7.5, fillColor=MUTED,
                             textAnchor="middle"),
                      transform=(0, 1, -1, 0, 10, y0 + plot_h / 2)))
    for label, value in marks:
        if not (math.isfinite(value) and low <= value <= high):
            continue
        x = px(value)
        drawing.add(Line(x, y0, x, y0 + plot_h, strokeColor=INK, strokeWidth=0.6,
                         strokeDashArray=[2, 2]))
        text = f"{label} {value:,.0f}"
        fits_right = x + 3 + stringWidth(text, regular, 7.5) < x0 + plot_w
        drawing.add(String(x + (3 if fits_right else -3), y0 + plot_h + 4, text,
                           fontName=regular, fontSize=7.5, fillColor=INK,
                           textAnchor="start" if fits_right else "end"))
    return drawing


def _tokens_part(f: MeasuredFigures, width: float) -> list[Flowable]:
    counted = (f"Counted with {f.encoding}, as OpenAI counts a chat fine-tuning example "
               "(message overheads included).")
    if f.approximate:
        counted = (f"An o200k approximation: counted with {f.encoding} because the chosen "
                   "model is not OpenAI's; its own tokenizer may count somewhat differently.")
    rows: list[list[str | Flowable]] = [[_tokens(f.tokens_mean), _tokens(f.tokens_p50),
                                         _tokens(f.tokens_p95), f"{f.tokens_max:,}",
                                         f.encoding + (" (approximation)" if f.approximate
                                                       else "")]]
    out: list[Flowable] = [
        Heading("Tokens per example", "data-tokens", level=1, style="h2"),
        table(rows, [width * 0.15, width * 0.15, width * 0.15, width * 0.15, width * 0.4],
              header=["Mean", "Median (p50)", "p95", "Longest", "Encoding"],
              right=(0, 1, 2, 3)),
        gap(3),
        para(counted, "small"),
    ]
    if f.histogram_counts:
        chart = histogram(f.histogram_edges, f.histogram_counts, width, 150,
                          marks=(("p50", f.tokens_p50), ("p95", f.tokens_p95)))
        out += [gap(4), chart]
    if f.over_context:
        many = f.over_context != 1
        out += [gap(4), para(f"{f.over_context:,} example{'s are' if many else ' is'} longer "
                             "than the chosen model's context window and cannot be trained on "
                             f"as {'they are' if many else 'it is'}.")]
    return out


# ---- personal data, labels, split ---------------------------------------------------------

def _personal_data(f: MeasuredFigures, width: float) -> list[Flowable]:
    out: list[Flowable] = [Heading("Personal data", "data-pii", level=1, style="h2")]
    found = {kind: count for kind, count in f.pii_kinds.items() if count}
    if not f.pii_examples and not found:
        out.append(para("None found: no e-mail addresses, phone numbers, card numbers or "
                         "IBANs. Names, addresses and other personal details are not looked "
                         "for; read a sample before training."))
        return out
    rows: list[list[str | Flowable]] = [[PII_LABELS.get(kind, kind), f"{count:,}"]
                                        for kind, count in found.items()]
    caution = (f"{f.pii_examples:,} example{'s hold' if f.pii_examples != 1 else ' holds'} "
               "what looks like personal data. A model can repeat what it was trained on, and "
               "the file goes to whoever runs the training: remove or mask it, and check you "
               "may use it for training, before the file leaves your hands.")
    out += [boxed([para(caution, "cell")], width, fill=WARN_LIGHT, edge=WARN), gap(4),
            table(rows, [width * 0.75, width * 0.25], header=["Kind", "Found"], right=(1,)),
            gap(3),
            para("Counts are occurrences. Only these four kinds are looked for; names and "
                 "postal addresses are not.", "small")]
    return out


def _labels(f: MeasuredFigures, width: float) -> list[Flowable]:
    if not f.labels:
        return []
    total = sum(f.labels.values())
    rows: list[list[str | Flowable]] = [
        [label, f"{count:,}", _share(count, total)]
        for label, count in sorted(f.labels.items(), key=lambda item: (-item[1], item[0]))]
    return [KeepTogether([
        Heading("Label balance", "data-labels", level=1, style="h2"),
        para(f"The answers are a small set of {len(f.labels)} classes; this is how often each "
             "one occurs among the good examples."),
        table(rows, [width * 0.6, width * 0.2, width * 0.2],
              header=["Label", "Examples", "Share"], right=(1, 2))])]


def _split(ref: DatasetRef, width: float) -> list[Flowable]:
    split = ref.split
    if split is None:
        return []
    total = split.few_shot + split.held_out + split.train
    rows: list[list[str | Flowable]] = [
        ["Few-shot examples", f"{split.few_shot:,}", "Shown in the prompt when testing "
                                                       "few-shot prompting."],
        ["Held out", f"{split.held_out:,}", "Kept back to score every approach on the same "
                                             "unseen examples."],
        ["Training", f"{split.train:,}", "The rest, for fine-tuning."],
    ]
    part: list[Flowable] = [
        Heading("The split", "data-split", level=1, style="h2"),
        para(f"{total:,} good examples, split with seed {split.seed} so the same file gives "
             "the same split again. No example, and no near duplicate of one, is in two "
             "parts."),
        table(rows, [width * 0.25, width * 0.15, width * 0.6],
              header=["Part", "Examples", "For"], right=(1,)),
    ]
    if split.folder:
        part += [gap(3), para(f"Written to {split.folder}", "small")]
    return [KeepTogether(part)]


# ---- provenance -------------------------------------------------------------------------------

def _provenance(ctx: Context, width: float) -> list[Flowable]:
    found = plan.provenance(ctx.evaluation.project)
    if not found:
        return []
    rows: list[list[str | Flowable]] = []
    for item in found:
        in_use = "not set" if item.in_use is None else f"{item.in_use:,}"
        # The user's own number is the one in use: stressed, beside the measured one.
        shown: Cell = rich(f"<b>{in_use}</b>", "cell_right") if item.overridden else in_use
        rows.append([item.label, f"{item.measured:,}", shown, item.sentence])
    return [
        Heading("Where the plan's figures come from", "data-provenance", level=1, style="h2"),
        para("The plan uses these figures from the file. Where you typed your own number, "
             "both are shown and yours, in bold, is the one in use."),
        table(rows, [width * 0.27, width * 0.13, width * 0.13, width * 0.47],
              header=["Figure", "Measured", "In use", "Where it comes from"], right=(1, 2)),
    ]


# ---- the section ------------------------------------------------------------------------------

def dataset_section(ctx: Context) -> list[Flowable]:
    """"Your data", when the plan has an examples file; nothing otherwise.

    Whether the file is still there unchanged comes from `ctx.dataset_status`, worked out once
    per report from the plan's own path; without one a relative path is "not checked" rather
    than looked for in the wrong place.
    """
    project = ctx.evaluation.project
    ref = project.dataset
    if ref is None:
        return []
    w = ctx.width
    status = ctx.dataset_status
    f = ref.figures
    out: list[Flowable] = [
        CondPageBreak(300),
        Heading(TITLE, "data"),
        para(f"The plan's data figures were measured from the team's own examples file on "
             f"{_day(ref.measured_on)}: {f.good_examples:,} good examples out of "
             f"{f.records:,} records."),
        key_values(_file_rows(ref, status), w, key_share=0.22),
        *_status_box(status, w),
        Heading("Counts", "data-counts", level=1, style="h2"),
        _counts(f, w),
        *_problems(f, w),
        KeepTogether(_tokens_part(f, w)),
        *_personal_data(f, w),
        *_labels(f, w),
        *_split(ref, w),
        *_provenance(ctx, w),
    ]
    return out
