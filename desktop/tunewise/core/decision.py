"""The decision engine: from a project's answers to one explainable Assessment.

The four questions are asked in order (can few-shot prompting do it, is the gap knowledge, is it
behaviour, is there data), the signs for and against fine-tuning are weighed, vetoes turn a
fine-tuning outcome into a fallback, and a combination is proposed where the later answers call
for one. Every conclusion carries its reasons; the GUI, the report and the CLI only render this.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from tunewise.core import cost_findings, explain, texts
from tunewise.core.costs import CostReport
from tunewise.core.flowchart import FLOWCHART, UNANSWERED, Flowchart, Thresholds
from tunewise.core.gpu import analysis as gpu_analysis
from tunewise.core.project import (
    SIGNS_AGAINST,
    SIGNS_FOR,
    Answers,
    ApproachId,
    Project,
    SignAgainstId,
    SignForId,
)
from tunewise.core.results import (
    Assessment,
    Counterfactual,
    Diagram,
    DiagramEdge,
    DiagramQuestion,
    FewShotCheck,
    Issue,
    PathStep,
    Signal,
)
from tunewise.core.stats import wilson

__all__ = ["Assessment", "assess", "few_shot_check", "signals", "walk"]

Combination = Literal["fine_tuning+rag", "fine_tuning+prompt_engineering", "all_three"]
VETOES: tuple[SignAgainstId, ...] = ("changing_requirements", "no_eval_criteria", "no_gpu_budget")
# Signs for fine-tuning that the cost inputs can suggest when the user leaves them unanswered.
SUGGESTIBLE: tuple[SignForId, ...] = ("latency", "cost_at_scale")
# Signs against that are worked out from other answers rather than asked.
DERIVED: tuple[SignAgainstId, ...] = ("small_dataset", "no_gpu_budget")
# Which combination the later answers call for (each also needs a behaviour gap); the first
# whose conditions all hold wins. The help texts describe these same rules.
COMBINATION_RULES: tuple[tuple[Combination, tuple[str, ...]], ...] = (
    ("all_three", ("needs_knowledge", "per_request_context", "edge_case_rules")),
    ("fine_tuning+rag", ("needs_knowledge",)),
    ("fine_tuning+prompt_engineering", ("per_request_context",)),
)


def few_shot_check(answers: Answers, t: Thresholds | None = None) -> FewShotCheck | None:
    """The 90% rule, when the experiment's score and the target are known. A score Tunewise
    measured itself beats a typed one, and brings its interval: a line inside it is a close
    call, with the held-out count that would settle it."""
    t = t or FLOWCHART.thresholds
    measured = answers.few_shot_measured
    typed = answers.few_shot_score
    if answers.quality_target is None or (measured is None and typed is None):
        return None
    target = answers.quality_target
    score = measured.score if measured is not None else typed
    assert score is not None
    ratio = score / target
    # Rounded so that 72% of an 80% target counts as the 90% it is, not 0.8999999999999999.
    passes = round(ratio, 9) >= t.few_shot_ratio
    if measured is None:
        return FewShotCheck(
            score=score, target=target, ratio=ratio, line=t.few_shot_ratio, passes=passes,
            explanation=explain.few_shot_arithmetic(score, target, ratio, passes,
                                                    t.few_shot_ratio))
    bar = t.few_shot_ratio * target  # the score the line asks for
    close = measured.low <= bar <= measured.high
    settle = examples_to_settle(score, bar, measured.n) if close else None
    return FewShotCheck(
        score=score, target=target, ratio=ratio, line=t.few_shot_ratio, passes=passes,
        measured=True, n=measured.n, low=measured.low, high=measured.high, close_call=close,
        settle_n=settle,
        explanation=explain.measured_few_shot(measured, target, ratio, passes, t.few_shot_ratio,
                                              close, settle))


def examples_to_settle(score: float, bar: float, n: int, limit: int = 100_000) -> int | None:
    """How many held-out examples a test scoring `score` needs before its 95% interval leaves
    `bar` on one side; None if even `limit` would not (the score sits on the bar)."""

    def settled(size: int) -> bool:
        low, high = wilson(score * size, size)
        return not low <= bar <= high

    if not settled(limit):
        return None
    low_n, high_n = n, limit
    while low_n < high_n:  # the interval narrows as the sample grows
        mid = (low_n + high_n) // 2
        if settled(mid):
            high_n = mid
        else:
            low_n = mid + 1
    return low_n


def suggested_signs(project: Project, t: Thresholds,
                    costs: CostReport | None = None) -> dict[SignForId, bool]:
    """What the numbers suggest about latency (prompt length) and cost at scale (the cost
    model: fine-tuning cheaper per request and paying back within the horizon)."""
    prompt = project.costs.approach("prompt_engineering")
    fixed_prompt = prompt.system_prompt_tokens + prompt.few_shot_tokens
    long_prompt = fixed_prompt >= t.long_prompt_tokens
    at_scale = cost_findings.cost_at_scale(costs) if costs is not None else False
    return {"latency": long_prompt, "cost_at_scale": at_scale}


def signals(project: Project, t: Thresholds | None = None, costs: CostReport | None = None
            ) -> tuple[list[Signal], list[Signal]]:
    t = t or FLOWCHART.thresholds
    a = project.answers
    suggested = suggested_signs(project, t, costs)
    notes = a.sign_notes
    signs_for = []
    for sign in SIGNS_FOR:
        user: bool | None = getattr(a, sign)
        suggestible = sign in SUGGESTIBLE
        hint = suggested.get(sign, False)
        present = user if user is not None else hint
        signs_for.append(Signal(
            id=sign, present=present, suggested=hint, suggestible=suggestible, user_answer=user,
            counted_as=explain.counted_as(present, user, suggestible, hint),
            note=notes.get(sign, "")))
    gpu = gpu_analysis.gpu_sign(project)
    derived: dict[SignAgainstId, bool] = {
        # Unknown until the data question is answered.
        "small_dataset": a.example_count is not None and (
            a.example_count < t.examples_minimum or a.examples_high_quality is False),
        "changing_requirements": a.changing_requirements,
        "general_knowledge": a.general_knowledge,
        "no_eval_criteria": a.no_eval_criteria,
        "no_gpu_budget": gpu.present,
    }
    details = {"no_gpu_budget": (gpu.detail, gpu.lift)}
    signs_against = [
        Signal(id=sign, present=derived[sign], derived=sign in DERIVED, note=notes.get(sign, ""),
               detail=details.get(sign, ("", ""))[0], lift=details.get(sign, ("", ""))[1])
        for sign in SIGNS_AGAINST
    ]
    return signs_for, signs_against


class Walk(NamedTuple):
    outcome: str
    stopped_at: str
    path: list[PathStep]
    answers: dict[str, str]  # question id -> the answer that routed it
    unanswered: list[str]  # where the walk stopped for want of an answer, and those after it


def walk(chart: Flowchart, a: Answers, check: FewShotCheck | None) -> Walk:
    """Follow the flowchart from its first question until an answer leads to an outcome, or
    until a question has no answer yet (outcome UNANSWERED)."""
    path: list[PathStep] = []
    answers: dict[str, str] = {}
    node = chart.questions[0].id
    order = chart.order()
    while node in order:
        question = chart.question(node)
        answer = question.rule(a, check, chart.thresholds)
        if answer is None:
            rest = chart.questions[order.index(node):]
            missing = [q.id for q in rest if q.rule(a, check, chart.thresholds) is None]
            return Walk(UNANSWERED, node, path, answers, missing)
        answers[node] = answer
        path.append(PathStep(question=node, answer=answer, detail=explain.step_detail(
            node, answer, a, check, chart.thresholds)))
        node = chart.next_after(question, answer)
    return Walk(node, path[-1].question, path, answers, [])


def diagram(chart: Flowchart, w: Walk, approach: str) -> Diagram:
    questions: list[DiagramQuestion] = []
    edges: list[DiagramEdge] = []
    for q in chart.questions:
        given = w.answers.get(q.id)
        onward = chart.continue_to(q)
        taken_to = chart.next_after(q, given) if given is not None else None  # type: ignore[arg-type]
        state = ("answered" if given is not None
                 else "unanswered" if q.id in w.unanswered else "not_reached")
        shown = {"yes": "yes", "no": "no", "untested": "not tried"}.get(given or "", "?")
        questions.append(DiagramQuestion(
            id=q.id, short=chart.short(q), label=chart.label(q), answer=given, state=state,
            shown=shown if state != "not_reached" else "", exit_on=q.exit_on,
            exit_to=q.exit_to, continue_to=onward))
        spine_answer = "no" if q.exit_on == "yes" else "yes"
        tentative = given == "untested"  # not tried: carried on as if no, drawn as a guess
        edges.append(DiagramEdge(source=q.id, target=q.exit_to, answer=q.exit_on, side=True,
                                 taken=taken_to == q.exit_to, tentative=tentative))
        edges.append(DiagramEdge(source=q.id, target=onward, answer=spine_answer, side=False,
                                 taken=taken_to == onward, tentative=tentative))
    outcomes = (*chart.outcomes(), UNANSWERED)
    return Diagram(
        questions=questions, final_outcome=chart.final_outcome, edges=edges, outcome=w.outcome,
        approach=approach,
        outcome_labels={o: texts.APPROACH_LABELS[o] for o in outcomes},
        outcome_short={o: texts.OUTCOME_SHORT[o] for o in outcomes},
    )


def _fallback(a: Answers) -> str:
    return "rag" if (a.knowledge_gap or a.general_knowledge) else "prompt_engineering"


def _vetoes(against: list[Signal]) -> list[SignAgainstId]:
    present = {s.id for s in against if s.present}
    return [v for v in VETOES if v in present]


def _conditions(a: Answers) -> dict[str, bool]:
    return {
        "needs_knowledge": a.knowledge_gap or a.general_knowledge,
        "per_request_context": a.per_request_context,
        "edge_case_rules": a.edge_case_rules,
    }


def _combination_candidate(a: Answers) -> Combination | None:
    if not a.behavior_gap:
        return None
    holds = _conditions(a)
    for combination, needs in COMBINATION_RULES:
        if all(holds[n] for n in needs):
            return combination
    return None


def combination_help(combination: Combination) -> str:
    """The rule for one combination in words, for help texts: the same rule the engine uses."""
    needs = next(n for c, n in COMBINATION_RULES if c == combination)
    return explain.combination_rule(combination, needs)


def _warnings(project: Project, check: FewShotCheck | None) -> list[Issue]:
    a = project.answers
    found: list[Issue] = []
    if a.general_knowledge and a.knowledge_gap is False:
        found.append(Issue(id="knowledge_contradiction", message=explain.WARN_KNOWLEDGE))
    if check is not None and a.few_shot_adequate in ("yes", "no"):
        said_yes = a.few_shot_adequate == "yes"
        if said_yes != check.passes:
            found.append(Issue(id="few_shot_contradiction",
                               message=explain.warn_few_shot(str(a.few_shot_adequate), check)))
    has_score = a.few_shot_score is not None or a.few_shot_measured is not None
    if has_score != (a.quality_target is not None):
        found.append(Issue(id="few_shot_incomplete", message=explain.WARN_FEW_SHOT_INCOMPLETE))
    if check is not None and a.no_eval_criteria:
        found.append(Issue(id="eval_criteria_contradiction",
                           message=explain.warn_eval_criteria(check)))
    behaviour_signs = [s for s in ("style_voice", "domain_jargon", "output_format",
                                   "task_reasoning") if getattr(a, s)]
    if behaviour_signs and a.behavior_gap is False:
        found.append(Issue(id="behavior_contradiction",
                           message=explain.warn_behaviour(behaviour_signs)))
    return [w.model_copy(update={"lift": explain.WARNING_LIFT[w.id]}) for w in found]


def fine_tuning_considered(outcome: str, candidate: str | None) -> bool:
    """Whether fine-tuning is on the table at all, so that its blockers matter."""
    return outcome in ("fine_tuning", "collect_data") or candidate is not None


def _veto_words(v: SignAgainstId, against: list[Signal]) -> tuple[str, str]:
    """A veto's message and lift: a derived sign's own numbers where it has them."""
    sign = next((s for s in against if s.id == v), None)
    if sign is not None and sign.detail:
        return sign.detail, sign.lift or explain.BLOCKER_LIFT[v]
    return explain.BLOCKER_MESSAGE[v], explain.BLOCKER_LIFT[v]


def _blockers(a: Answers, vetoes: list[SignAgainstId], outcome: str,
              t: Thresholds, against: list[Signal]) -> list[Issue]:
    blockers = []
    for v in vetoes:
        message, lift = _veto_words(v, against)
        blockers.append(Issue(id=v, message=message, lift=lift))
    if outcome == "collect_data":
        blockers.append(
            Issue(id="small_dataset", message=explain.small_dataset_message(a, t),
                  lift=explain.small_dataset_lift(a, t))
        )
    return blockers


def _confidence(
    project: Project, v: _Verdict, warnings: list[Issue], t: Thresholds,
    cost_doubts: list[str] | None = None,
) -> tuple[str, list[str]]:
    a, check, outcome, approach = project.answers, v.check, v.walk.outcome, v.approach
    doubts: list[str] = list(cost_doubts or [])
    if check is None and a.few_shot_adequate == "untested":
        doubts.append(explain.DOUBT_UNTESTED)
    if check is not None and check.measured:
        if check.close_call:
            doubts.append(explain.doubt_measured_close_call(check))
    elif check is not None and abs(check.ratio - t.few_shot_ratio) < t.few_shot_close_call:
        doubts.append(explain.doubt_close_call(check.ratio, t.few_shot_ratio))
    answer_warnings = [w for w in warnings if w.id in explain.ANSWER_WARNINGS]
    if answer_warnings:
        doubts.append(explain.doubt_warnings(len(answer_warnings)))
    if outcome == "fine_tuning" and not any(s.present for s in v.signs_for):
        doubts.append(explain.DOUBT_NO_SIGNS)
    borderline = t.examples_to_fine_tune * t.borderline_data_factor
    if outcome == "fine_tuning" and a.examples < borderline:
        doubts.append(explain.doubt_borderline_data(a.examples, t))
    if approach != outcome:
        doubts.append(explain.DOUBT_VETOED)
    if outcome == UNANSWERED:
        return "low", [explain.doubt_unanswered(v.walk.unanswered)]
    if outcome == "revisit_problem":
        return "low", [explain.DOUBT_REVISIT, *doubts]
    if not doubts:
        return "high", [explain.NO_DOUBTS]
    level = "medium" if len(doubts) == 1 else "low"
    return level, doubts


class _Verdict(NamedTuple):
    check: FewShotCheck | None
    walk: Walk
    signs_for: list[Signal]
    signs_against: list[Signal]
    vetoes: list[SignAgainstId]
    approach: str
    candidate: Combination | None
    gaps: list[str]
    combination: Combination | None


def _verdict(project: Project, chart: Flowchart, costs: CostReport | None = None) -> _Verdict:
    """The bare verdict, without the prose; used again for the what-if analysis."""
    a = project.answers
    t = chart.thresholds
    check = few_shot_check(a, t)
    w = walk(chart, a, check)
    signs_for, signs_against = signals(project, t, costs)
    candidate = _combination_candidate(a)
    vetoes = _vetoes(signs_against) if fine_tuning_considered(w.outcome, candidate) else []
    approach = _fallback(a) if (w.outcome == "fine_tuning" and vetoes) else w.outcome
    gaps = _combination_gaps(a, w, vetoes, t, signs_against) if candidate else []
    combination = candidate if (candidate and not gaps) else None
    return _Verdict(check, w, signs_for, signs_against, vetoes, approach, candidate, gaps,
                    combination)


def _combination_gaps(a: Answers, w: Walk, vetoes: list[SignAgainstId],
                      t: Thresholds, against: list[Signal]) -> list[str]:
    gaps: list[str] = []
    if w.outcome == "prompt_engineering":
        gaps.append(explain.GAP_PROMPTING_ENOUGH)
    if a.examples < t.examples_to_fine_tune or not a.examples_high_quality:
        gaps.append(explain.gap_examples(a.examples, bool(a.examples_high_quality), t))
    gaps += [_veto_words(v, against)[0] for v in vetoes]
    return gaps


def _priced_gaps(v: _Verdict, costs: CostReport | None) -> list[str]:
    """The combination's gaps, with what the costs say where prompting already does the job."""
    if costs is None or v.candidate is None:
        return v.gaps
    combined = costs.approaches.get(v.candidate)
    prompting = costs.approaches.get("prompt_engineering")
    if combined is None or prompting is None:
        return v.gaps
    priced = explain.gap_prompting_enough(
        v.candidate, combined.total_at_horizon, prompting.total_at_horizon, costs.horizon_days,
        texts.money(combined.total_at_horizon), texts.money(prompting.total_at_horizon))
    return [priced if g == explain.GAP_PROMPTING_ENOUGH else g for g in v.gaps]


def _what_if(project: Project, chart: Flowchart, current: tuple[str, Combination | None],
             costs: CostReport | None = None) -> list[Counterfactual]:
    """Flip one answer at a time and report the flips that change the recommendation."""
    a = project.answers
    t = chart.thresholds
    trials: list[tuple[str, dict[str, object]]] = []
    q1 = chart.questions[0].rule(a, few_shot_check(a, t), t)
    no_experiment = {"few_shot_score": None, "quality_target": None}
    if q1 != "yes":
        trials.append((explain.WHATIF_FEW_SHOT_YES, {"few_shot_adequate": "yes", **no_experiment}))
    else:
        trials.append((explain.WHATIF_FEW_SHOT_NO, {"few_shot_adequate": "no", **no_experiment}))
    trials.append((explain.whatif_flag("knowledge_gap", bool(a.knowledge_gap)),
                   {"knowledge_gap": not a.knowledge_gap}))
    trials.append((explain.whatif_flag("behavior_gap", bool(a.behavior_gap)),
                   {"behavior_gap": not a.behavior_gap}))
    if a.examples < t.examples_to_fine_tune or not a.examples_high_quality:
        trials.append((explain.whatif_data(t),
                       {"example_count": max(a.examples, t.examples_to_fine_tune),
                        "examples_high_quality": True}))
    for veto in ("changing_requirements", "no_eval_criteria"):
        if getattr(a, veto):
            trials.append((explain.whatif_flag(veto, True), {veto: False}))
    trials.append((explain.whatif_flag("per_request_context", a.per_request_context),
                   {"per_request_context": not a.per_request_context}))

    found: list[Counterfactual] = []
    if current[0] == UNANSWERED:
        return found  # nothing to flip until the questions are answered
    changes = [(change, project.model_copy(update={"answers": a.model_copy(update=update)}))
               for change, update in trials]
    if gpu_analysis.gpu_sign(project).present:
        # What a hosted tuning service would do: the one GPU change every plan can make.
        service = project.costs.gpu.model_copy(update={"access": "service"})
        changes.append((explain.WHATIF_GPU, project.model_copy(
            update={"costs": project.costs.model_copy(update={"gpu": service})})))
    for change, changed in changes:
        v = _verdict(changed, chart, costs)
        if (v.approach, v.combination) != current:
            found.append(Counterfactual(
                change=change, approach=v.approach, combination=v.combination,
                sentence=explain.whatif_sentence(change, v.approach, v.combination)))
    return found


def _stands(project: Project, v: _Verdict, row: ApproachId, cheaper: ApproachId
            ) -> tuple[bool, str]:
    """Whether the recommendation still stands against a cheaper approach, and why."""
    a = project.answers
    q1 = v.walk.answers.get(FLOWCHART.questions[0].id)
    if cheaper == "prompt_engineering":
        if q1 == "untested" or (q1 is None and a.few_shot_adequate is None):
            return False, explain.STANDS_UNTESTED
        if row == "rag" or (a.knowledge_gap and row in cost_findings.FINE_TUNED):
            return True, explain.STANDS_NEEDS_FACTS
        return True, explain.stands_prompting_short(v.check)
    if cheaper == "rag" and row in cost_findings.FINE_TUNED:
        return True, explain.STANDS_BEHAVIOUR
    if cheaper in cost_findings.FINE_TUNED and row in cost_findings.FINE_TUNED:
        return True, explain.STANDS_COMBINATION
    if cheaper in cost_findings.FINE_TUNED:
        return True, explain.stands_simpler(cheaper)
    return True, explain.STANDS_QUALITY


def _cost_issues(project: Project, v: _Verdict, row: ApproachId | None, costs: CostReport,
                 considered: bool) -> tuple[list[Issue], list[Issue]]:
    """What the costs say against the plan: a cheaper approach, closing offerings, old prices."""
    blockers: list[Issue] = []
    warnings: list[Issue] = []
    cheaper = cost_findings.cheaper_than(row, costs)
    if row is not None and cheaper is not None:
        stands, why = _stands(project, v, row, cheaper)
        mine, theirs = costs.approaches[row], costs.approaches[cheaper]
        warnings.append(Issue(
            id="cheaper_alternative",
            message=explain.cheaper_alternative(row, cheaper, mine.total_at_horizon,
                                                theirs.total_at_horizon, costs.horizon_days,
                                                stands, why),
            lift=explain.cheaper_alternative_lift(stands)))
    watched: list[ApproachId] = [r for r in (row, "prompt_engineering") if r is not None]
    for approach in dict.fromkeys(watched):
        cost = costs.approaches.get(approach)
        for finding in (cost.lifecycle if cost is not None else ()):
            tuned = approach in cost_findings.FINE_TUNED
            warnings.append(Issue(
                id=f"offering_{finding.kind}" if tuned else "model_retires",
                message=explain.lifecycle_message(finding),
                lift=explain.lifecycle_lift(finding)))
    if row is not None and considered and row in costs.closed:
        blockers.append(Issue(id="offering_closed", message=costs.errors[row],
                              lift=explain.LIFT_OFFERING_CLOSED))
    tuned_row = costs.approaches.get(row) if row in cost_findings.FINE_TUNED else None
    if considered and row is not None and tuned_row is not None:
        spec = project.costs.approach(row)
        offering = costs.catalog.market.find(spec.model, spec.provider, spec.deployment) \
            if costs.catalog is not None else None
        unused = gpu_analysis.unused_gpu(project, tuned_row.runs_on, offering)
        if unused is not None:
            warnings.append(Issue(id="gpu_not_in_costs", message=unused.detail,
                                  lift=unused.lift))
    if costs.stale_prices:
        warnings.append(Issue(id="prices_stale", message=explain.stale_prices(costs.stale_prices),
                              lift=explain.LIFT_STALE))
    spec_model = project.costs.approach("prompt_engineering").model
    tested = project.answers.few_shot_model
    if tested is not None and tested.strip().lower() != spec_model.strip().lower():
        warnings.append(Issue(id="few_shot_model_mismatch",
                              message=explain.few_shot_model_mismatch(tested, spec_model),
                              lift=explain.LIFT_FEW_SHOT_MODEL))
    return blockers, warnings


def _cost_doubts(project: Project, v: _Verdict, row: ApproachId | None, costs: CostReport
                 ) -> tuple[list[str], list[Counterfactual]]:
    """Doubts and what-ifs that come from the costs: a recommendation that never pays back,
    and the volume at which the sums would turn."""
    doubts: list[str] = []
    changes: list[Counterfactual] = []
    if row is None or row == "prompt_engineering" or v.walk.outcome == UNANSWERED:
        return doubts, changes
    volume = project.costs.requests_per_day
    never = cost_findings.never_pays_back(row, costs)
    if never:
        doubts.append(explain.doubt_never_pays_back(row, volume, costs.horizon_days))
    turn = cost_findings.break_even_volume(row, costs)
    if not never and turn is not None and volume > 0 and \
            abs(volume / turn - 1) <= cost_findings.CLOSE_VOLUME:
        doubts.append(explain.doubt_close_on_cost(row, volume, turn, costs.horizon_days))
    if turn is not None:
        sentence = explain.whatif_volume(row, volume, turn, costs.horizon_days)
        changes.append(Counterfactual(change=f"requests_per_day={turn:.0f}",
                                      approach=v.approach, combination=v.combination,
                                      sentence=sentence))
    return doubts, changes


def recommended_row(approach: str, combination: str | None) -> tuple[ApproachId | None, str]:
    """The cost row the recommendation commits to, and what that row stands for."""
    if combination is not None:
        return combination, "The highlighted row is the recommended combination."  # type: ignore[return-value]
    if approach == "collect_data":
        return "prompt_engineering", (
            "The highlighted row is prompt engineering, which carries the load while examples "
            "are collected.")
    if approach == "revisit_problem":
        return None, "No row is highlighted: the problem needs defining before any is built."
    if approach == UNANSWERED:
        return None, "No row is highlighted until the questions are answered."
    return approach, "The highlighted row is the recommendation."  # type: ignore[return-value]


def assess(project: Project, costs: CostReport | None = None,
           chart: Flowchart | None = None) -> Assessment:
    """The whole verdict for a project, with its reasons; with costs, what they say of it."""
    chart = chart or FLOWCHART  # looked up per call, so a test double can stand in for it
    t = chart.thresholds
    v = _verdict(project, chart, costs)
    warnings = _warnings(project, v.check)
    outcome = v.walk.outcome
    blockers = _blockers(project.answers, v.vetoes, outcome, t, v.signs_against)
    considered = fine_tuning_considered(outcome, v.candidate)
    row, row_note = recommended_row(v.approach, v.combination)
    found = cost_findings.crossings(row, costs) if costs is not None else []
    cost_doubts: list[str] = []
    cost_changes: list[Counterfactual] = []
    if costs is not None:
        cost_blockers, cost_warnings = _cost_issues(project, v, row, costs, considered)
        blockers += cost_blockers
        warnings += cost_warnings
        cost_doubts, cost_changes = _cost_doubts(project, v, row, costs)
    confidence, confidence_reasons = _confidence(project, v, warnings, t, cost_doubts)
    return Assessment(
        flowchart_outcome=outcome,
        approach=v.approach,
        combination=v.combination,
        combination_candidate=v.candidate,
        combination_missing=_priced_gaps(v, costs),
        stopped_at=v.walk.stopped_at,
        path=v.walk.path,
        diagram=diagram(chart, v.walk, v.approach),
        few_shot_check=v.check,
        signals_for=v.signs_for,
        signals_against=v.signs_against,
        reasons_for=explain.reasons_for(project, outcome, v.approach, v.check, v.signs_for,
                                        v.combination),
        reasons_against=explain.reasons_against(v.signs_against, v.approach),
        blockers=blockers,
        warnings=warnings,
        fine_tuning_considered=considered,
        constraints_summary=explain.constraints_summary(
            [s.id for s in v.signs_against if s.present], len(blockers), considered),
        confidence=confidence,
        confidence_label=texts.CONFIDENCE_LABELS[confidence],
        confidence_reasons=confidence_reasons,
        next_steps=explain.next_steps(project, outcome, v.approach, v.check, v.vetoes,
                                      v.combination, v.candidate, t),
        what_would_change=_what_if(project, chart, (v.approach, v.combination), costs)
        + cost_changes,
        headline=(explain.unanswered_headline(v.walk.unanswered) if outcome == UNANSWERED
                  else texts.headline(v.approach, v.combination)),
        recommended_row=row,
        recommended_row_note=row_note,
        combination_parts=explain.combination_parts(
            v.combination or v.candidate or "", v.signs_for, project.answers, SUGGESTIBLE)
        if (v.combination or v.candidate) else [],
        combination_note=("" if (v.combination or v.candidate)
                          else explain.no_combination_reason(outcome, project.answers)),
        combination_cost_note=(cost_findings.combination_extra(v.combination, costs)
                               if costs is not None else ""),
        payback=cost_findings.payback(row, costs) if costs is not None else None,
        crossings=found,
        crossings_sentence=(cost_findings.crossings_sentence(found, costs)
                            if costs is not None else ""),
    )
