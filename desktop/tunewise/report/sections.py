"""The report's sections, in reading order, as lists of flowables.

Each function renders one part of the same Evaluation the app and the CLI show; none of them
re-derives a verdict. Wording about the decision comes from `tunewise.core.texts`; the few
sentences here only frame it.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph

from tunewise.core import texts
from tunewise.core.texts import lower_label, money
from tunewise.report.blocks import (
    Heading,
    boxed,
    bullets,
    gap,
    key_values,
    long_text,
    para,
    rich,
    table,
)
from tunewise.report.charts import flowchart
from tunewise.report.context import Context
from tunewise.report.cost_details import price_dates
from tunewise.report.script import project_text, unprintable, unprintable_sentence
from tunewise.report.styles import (
    ACCENT,
    BAD,
    BAD_LIGHT,
    GOOD,
    MUTED,
    WARN,
    WARN_LIGHT,
    markup,
    styles,
)

# A note longer than this would make its table row taller than a page: it prints in full under
# the tables, and its cell points there.
INLINE_NOTE_CHARS = 280

SECTION_TITLES = ("Summary", "Decision path", "Signals", "Blockers and warnings", "Costs",
                  "Combination strategy", "Next steps", "Where the prices come from")


def payback_sentence(ctx: Context) -> str:
    payback = ctx.evaluation.assessment.payback
    return payback.sentence if payback is not None else ""


# ---- 1. title block -----------------------------------------------------------------------

def title_block(ctx: Context) -> list[Flowable]:
    s = styles()
    project, a = ctx.evaluation.project, ctx.evaluation.assessment
    meta = project.metadata
    title = Heading(meta.name, "title", style="title")
    subtitle = meta.use_case.strip() or "How to customise a language model for this feature, " \
                                        "and what each way costs."
    facts = table(
        [[rich("<b>Prepared by</b>", "cell"), para(meta.author.strip() or "—", "cell"),
          rich("<b>Date</b>", "cell"), para(ctx.date, "cell")],
         [rich("<b>Tool</b>", "cell"), para(f"Tunewise {ctx.version}", "cell"),
          rich("<b>Plan last changed</b>", "cell"),
          para(meta.modified.strftime("%Y-%m-%d"), "cell")]],
        [ctx.width * 0.17, ctx.width * 0.33, ctx.width * 0.2, ctx.width * 0.3], zebra=False)
    banner = boxed(
        [Paragraph("RECOMMENDATION", s["banner_label"]), Paragraph(markup(a.headline), s["banner"]),
         Paragraph(markup(f"Confidence: {a.confidence_label.lower()}"),
                   s["banner_label"])],
        ctx.width, fill=ACCENT, edge=ACCENT)
    out: list[Flowable] = [rich("LLM CUSTOMISATION PLANNING REPORT", "small"), title,
                           *long_text(subtitle, "subtitle"), facts, gap(14), banner]
    missing = unprintable_sentence(unprintable(project_text(project)))
    if missing:  # never silent boxes: say which characters the font lacks
        out += [gap(8), boxed([para(missing, "cell")], ctx.width, fill=WARN_LIGHT, edge=WARN)]
    return out


# ---- 2. summary ---------------------------------------------------------------------------

def summary(ctx: Context) -> list[Flowable]:
    a, costs = ctx.evaluation.assessment, ctx.evaluation.costs
    if a.combination:
        combo = texts.APPROACH_LABELS[a.combination]
    elif a.combination_candidate:
        candidate = lower_label(texts.APPROACH_LABELS[a.combination_candidate])
        combo = (f"Not yet: {candidate} would fit once the gaps under Combination strategy "
                 "are closed.")
    else:
        combo = "None needed (see Combination strategy)."
    confidence = Paragraph(
        f"<b>{markup(a.confidence_label)}</b> — "
        + " ".join(markup(r) for r in a.confidence_reasons), styles()["cell"])
    stopped = a.diagram.question(a.stopped_at)
    overview = key_values([
        ("Approach", texts.APPROACH_LABELS[a.approach]),
        ("Combination", combo),
        ("Confidence", confidence),
        ("Where the questions stopped",
         f"{a.stopped_at.upper()}: {stopped.label if stopped else a.stopped_at}"),
    ], ctx.width, key_share=0.27)
    out: list[Flowable] = [Heading("Summary", "summary"), overview,
                           Heading("The three strongest reasons", "summary-why", level=1,
                                   style="h2")]
    out += bullets([r.message for r in a.strongest_reasons(3)])
    out.append(Heading("Headline numbers", "summary-numbers", level=1, style="h2"))
    rows: list[list[str | Flowable]] = []
    highlight: list[int] = []
    for approach, label in texts.APPROACH_LABELS.items():
        if approach in costs.approaches:
            cost = costs.approaches[approach]
            if approach == a.recommended_row:
                highlight.append(len(rows))
            rows.append([label, money(cost.upfront), money(cost.monthly),
                         money(cost.total_at_horizon)])
        elif approach in costs.errors:
            rows.append([label, "no price", "no price", "no price"])
    w = ctx.width
    out.append(table(rows, [w * 0.4, w * 0.2, w * 0.2, w * 0.2],
                     header=["Approach", "Upfront", "First month",
                             f"Total over {costs.horizon_days:,} days"],
                     right=(1, 2, 3), highlight=highlight))
    out.append(gap(4))
    note = " ".join(n for n in (payback_sentence(ctx), a.recommended_row_note) if n)
    out.append(para(note, "small"))
    out.append(para(price_dates(costs)
                    + (" Some of this price data is old: see the warning under Costs."
                       if costs.stale_prices else ""), "small"))
    return out


# ---- 3. decision path ---------------------------------------------------------------------

def decision_path(ctx: Context) -> list[Flowable]:
    a = ctx.evaluation.assessment
    out: list[Flowable] = [
        CondPageBreak(400),
        Heading("Decision path", "decision"),
        para(f"Tunewise asks {len(a.diagram.questions)} questions in order and stops at the "
             "first one that settles the matter. The highlighted route is the one your answers "
             "take; each answer is shown beside its question."),
        flowchart(a, ctx.width),
        gap(8),
    ]
    if a.approach != a.flowchart_outcome:
        out.append(boxed(
            [para(f"The questions lead to "
                  f"{lower_label(texts.APPROACH_LABELS[a.flowchart_outcome])}, "
                  f"but a blocker rules it out for now, so the recommendation is "
                  f"{lower_label(texts.APPROACH_LABELS[a.approach])}. See Blockers and warnings.",
                  "cell")], ctx.width, fill=BAD_LIGHT, edge=BAD))
        out.append(gap(6))
    answered = {step.question: step for step in a.path}
    rows: list[list[str | Flowable]] = []
    for question in a.diagram.questions:
        step = answered.get(question.id)
        label = f"{question.id.upper()}  {question.label}"
        if question.state == "unanswered":
            rows.append([label, rich("<b>?</b>", "cell"),
                         para("Not answered yet; the recommendation waits for it.", "cell")])
        elif step is None:
            rows.append([label, para("not reached", "cell_muted"),
                         para("The questions stopped earlier.", "cell_muted")])
        else:
            rows.append([label, rich(f"<b>{markup(question.shown.upper())}</b>", "cell"),
                         step.detail])
    w = ctx.width
    out += [Heading("Your answers", "decision-answers", level=1, style="h2"),
            table(rows, [w * 0.38, w * 0.12, w * 0.5], header=["Question", "Answer", "In words"])]
    check = a.few_shot_check
    if check is not None:
        verdict = "passes" if check.passes else "falls short"
        out += [
            Heading(f"The {texts.percent(check.line)} check", "decision-check", level=1,
                    style="h2"),
            para("Few-shot prompting counts as good enough when its score reaches at least "
                 f"{texts.percent(check.line)} of the quality the feature needs."),
            table([[texts.percent(check.score), texts.percent(check.target),
                    f"{texts.percent(check.score)} ÷ {texts.percent(check.target)} = "
                    f"{texts.percent(check.ratio)}", texts.percent(check.line), verdict]],
                  [w * 0.17, w * 0.17, w * 0.36, w * 0.12, w * 0.18],
                  header=["Few-shot score", "Quality target", "Score ÷ target", "Line",
                          "Verdict"], right=(0, 1, 2, 3)),
            gap(3),
            para(check.explanation, "small"),
        ]
    if a.what_would_change:
        items = [change.sentence for change in a.what_would_change]
        out.append(KeepTogether([
            Heading("What would change the recommendation", "decision-whatif", level=1,
                    style="h2"),
            *bullets(items)]))
    return out


# ---- 4. signals ---------------------------------------------------------------------------

def _yes_no(value: bool) -> Flowable:
    colour = GOOD.hexval()[2:] if value else MUTED.hexval()[2:]
    word = "<b>Yes</b>" if value else "No"
    return rich(f'<font color="#{colour}">{word}</font>', "cell")


def signals(ctx: Context) -> list[Flowable]:
    a = ctx.evaluation.assessment
    w = ctx.width
    widths = [w * 0.31, w * 0.1, w * 0.13, w * 0.13, w * 0.33]
    header = ["Sign", "Present", "Suggested by the numbers", "Your answer", "Your notes"]

    def sign_cell(sign_id: str) -> Flowable:
        return rich(f"<b>{markup(texts.SIGN_LABELS[sign_id])}</b><br/>"
                    f'<font size="7.5" color="#5F6B7A">{markup(texts.SIGN_HELP[sign_id])}</font>',
                    "cell")

    long_notes: list[tuple[str, str]] = []

    def note_cell(sign_id: str, note: str) -> str:
        if len(note) <= INLINE_NOTE_CHARS:
            return note or "—"
        long_notes.append((texts.SIGN_LABELS[sign_id], note))
        return f"See note {len(long_notes)} under “Your notes in full”."

    rows_for: list[list[str | Flowable]] = []
    for signal in a.signals_for:
        suggested = ("Yes" if signal.suggested else "No") if signal.suggestible else "—"
        answer = ("Not answered" if signal.user_answer is None
                  else "Yes" if signal.user_answer else "No")
        rows_for.append([sign_cell(signal.id), _yes_no(signal.present), suggested, answer,
                         note_cell(signal.id, signal.note)])
    rows_against: list[list[str | Flowable]] = []
    for signal in a.signals_against:
        answer = "Worked out" if signal.derived else ("Yes" if signal.present else "No")
        rows_against.append([sign_cell(signal.id), _yes_no(signal.present), "—", answer,
                             note_cell(signal.id, signal.note)])
    present_for = sum(s.present for s in a.signals_for)
    present_against = sum(s.present for s in a.signals_against)
    in_full: list[Flowable] = []
    if long_notes:
        in_full.append(Heading("Your notes in full", "signals-notes", level=1, style="h2"))
        for number, (label, note) in enumerate(long_notes, start=1):
            in_full += [para(f"{number}. {label}", "h2"), *long_text(note)]
    return [
        CondPageBreak(200),
        Heading("Signals", "signals"),
        para(f"Signs for fine-tuning make training worth its cost; signs against make it risky "
             f"or premature. {present_for} of {len(a.signals_for)} signs for and "
             f"{present_against} of {len(a.signals_against)} signs against are present."),
        Heading("Signs for fine-tuning", "signals-for", level=1, style="h2"),
        table(rows_for, widths, header=header),
        Heading("Signs against fine-tuning", "signals-against", level=1, style="h2"),
        table(rows_against, widths, header=header),
        *in_full,
    ]


# ---- 5. blockers and warnings -------------------------------------------------------------

def blockers_and_warnings(ctx: Context) -> list[Flowable]:
    a, costs = ctx.evaluation.assessment, ctx.evaluation.costs
    w = ctx.width
    out: list[Flowable] = [CondPageBreak(150), Heading("Blockers and warnings", "issues")]
    if a.blockers:
        out.append(para("A blocker rules fine-tuning out until it is lifted."))
        out.append(table([[b.message, b.lift or "—"] for b in a.blockers], [w * 0.45, w * 0.55],
                         header=["Blocker", "How to lift it"], header_colour=BAD))
    else:
        out.append(para("Nothing blocks the recommendation." if a.fine_tuning_considered else
                        "Nothing blocks the recommendation; fine-tuning is not on the table, "
                        "so its blockers do not apply."))
    if a.warnings:
        out.append(gap(6))
        out.append(para("A warning does not rule anything out, but it deserves a look before "
                        "you rely on the recommendation: two answers that disagree, an approach "
                        "that costs less, an offering or model that closes within the plan, or "
                        "prices that have grown old."))
        out.append(table([[i.message, i.lift]
                          for i in a.warnings], [w * 0.55, w * 0.45],
                         header=["Warning", "How to lift it"], header_colour=WARN))
    else:
        out.append(para("No warnings: the answers do not contradict each other, and nothing in "
                        "the costs calls for a second look."))
    if costs.errors:
        names = ", ".join(texts.APPROACH_LABELS[x] for x in costs.errors)
        out.append(gap(6))
        out.append(boxed([para(f"No price is known for: {names}. Their costs are left out; see "
                               "Costs.", "cell")], w, fill=WARN_LIGHT, edge=WARN))
    return out


def _combination_parts(ctx: Context) -> list[list[str | Flowable]]:
    return [[part, role] for part, role in ctx.evaluation.assessment.combination_parts]


# ---- 7. combination strategy --------------------------------------------------------------

def combination(ctx: Context) -> list[Flowable]:
    a = ctx.evaluation.assessment
    w = ctx.width
    out: list[Flowable] = [CondPageBreak(160), Heading("Combination strategy", "combination")]
    if a.combination:
        label = texts.APPROACH_LABELS[a.combination]
        out.append(para(f"Recommended: {label}. Each part carries what it does best for this "
                        "project:"))
        out.append(table(_combination_parts(ctx), [w * 0.22, w * 0.78],
                         header=["Part", "What it carries here"]))
        combo_reason = next((r.message for r in a.reasons_for if r.id == "combo"), "")
        if combo_reason:
            out += [gap(4), para(combo_reason)]
        if a.combination_cost_note:
            out.append(para(a.combination_cost_note))
    elif a.combination_candidate:
        label = texts.APPROACH_LABELS[a.combination_candidate]
        out.append(para(f"{label} would suit this project, but not yet. Until these are in "
                        f"place, go with {lower_label(texts.APPROACH_LABELS[a.approach])}:"))
        out += bullets([gap_text for gap_text in a.combination_missing if gap_text])
        out.append(para("Once they are, the parts would split the work like this:"))
        out.append(table(_combination_parts(ctx), [w * 0.22, w * 0.78],
                         header=["Part", "What it would carry"]))
    else:
        out.append(para(a.combination_note))
    combos = [c for c in a.what_would_change if c.combination and c.combination != a.combination]
    if combos:
        out.append(KeepTogether([
            para("What would bring a combination in", "h2"),
            *bullets([f"{c.change}: {lower_label(texts.APPROACH_LABELS[c.combination or ''])}."
                      for c in combos])]))
    return out


# ---- 8. next steps ------------------------------------------------------------------------

def next_steps(ctx: Context) -> list[Flowable]:
    a = ctx.evaluation.assessment
    project = ctx.evaluation.project
    w = ctx.width
    s = styles()
    rows: list[list[str | Flowable]] = []
    for step in a.next_steps:
        rows.append([Paragraph("☐", s["check"]), step.message, "", ""])
    out: list[Flowable] = [CondPageBreak(150), Heading("Next steps", "next")]
    if rows:
        out.append(para("A checklist for the team; fill in who does what by when."))
        checklist = table(rows, [w * 0.05, w * 0.63, w * 0.17, w * 0.15],
                          header=["", "Step", "Owner", "Due"], zebra=False)
        checklist.setStyle([("LINEBELOW", (2, 1), (3, -1), 0.6, colors.HexColor("#8895A3")),
                            ("TOPPADDING", (0, 1), (-1, -1), 6),
                            ("BOTTOMPADDING", (0, 1), (-1, -1), 7)])
        out.append(checklist)
    else:
        out.append(para("No further steps: build the recommended approach."))
    if project.notes.strip():
        out += [Heading("Notes from the plan", "notes", level=1, style="h2"),
                *long_text(project.notes)]
    return out
