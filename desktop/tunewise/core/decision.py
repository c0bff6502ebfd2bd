"""The decision engine: from a project's answers to one explainable Assessment.

The four questions are asked in order (can few-shot prompting do it, is the gap knowledge, is it
behaviour, is there data), the signs for and against fine-tuning are weighed, vetoes turn a
fine-tuning outcome into a fallback, and a combination is proposed where the later answers call
for one. Every conclusion carries its reasons; the GUI, the report and the CLI only render this.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from tunewise.core import explain, texts
from tunewise.core.project import (
    SIGNS_AGAINST,
    SIGNS_FOR,
    Answers,
    Project,
    SignAgainstId,
    SignForId,
)

Outcome = Literal["prompt_engineering", "rag", "revisit_problem", "fine_tuning", "collect_data"]
Combination = Literal["fine_tuning+rag", "fine_tuning+prompt_engineering", "all_three"]
Question = Literal["q1", "q2", "q3", "q4"]
Confidence = Literal["high", "medium", "low"]
QUESTIONS: tuple[Question, ...] = ("q1", "q2", "q3", "q4")

# The rule of thumb: few-shot prompting that reaches 90% of the quality target may be enough.
FEW_SHOT_SUFFICIENT_RATIO = 0.90
# Within this distance of the 90% line the experiment's verdict is treated as a close call.
FEW_SHOT_CLOSE_CALL = 0.05
# Fine-tuning wants this many good examples; below the lower figure it is likely to overfit.
EXAMPLES_TO_FINE_TUNE = 200
EXAMPLES_MINIMUM = 100
# "A long system prompt": the prompt-engineering approach's fixed prompt, in tokens.
LONG_PROMPT_TOKENS = 1500
# "Thousands of requests a day".
MANY_REQUESTS_PER_DAY = 1000
VETOES: tuple[SignAgainstId, ...] = ("changing_requirements", "no_eval_criteria", "no_gpu_budget")


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PathStep(_Result):
    question: Question
    answer: str  # "yes", "no" or "untested"
    detail: str  # the answer in words, with the arithmetic where there is any


class Signal(_Result):
    id: str
    present: bool
    suggested: bool = False  # what the numbers suggest (latency, cost_at_scale only)
    user_answer: bool | None = None
    note: str = ""


class Reason(_Result):
    id: str
    message: str
    weight: int = 1  # higher is stronger; the report quotes the strongest


class Issue(_Result):
    """A blocker or a warning: what is wrong and, for blockers, how to lift it."""

    id: str
    message: str
    lift: str = ""


class FewShotCheck(_Result):
    score: float
    target: float
    ratio: float
    passes: bool
    explanation: str


class Counterfactual(_Result):
    change: str
    approach: str
    combination: str | None


class Assessment(_Result):
    flowchart_outcome: Outcome
    approach: Outcome
    combination: Combination | None
    combination_candidate: Combination | None
    combination_missing: list[str]
    stopped_at: Question
    path: list[PathStep]
    few_shot_check: FewShotCheck | None
    signals_for: list[Signal]
    signals_against: list[Signal]
    reasons_for: list[Reason]
    reasons_against: list[Reason]
    blockers: list[Issue]
    warnings: list[Issue]
    confidence: Confidence
    confidence_reasons: list[str]
    next_steps: list[Reason]
    what_would_change: list[Counterfactual]
    headline: str

    def present_signals_for(self) -> list[str]:
        return [s.id for s in self.signals_for if s.present]

    def present_signals_against(self) -> list[str]:
        return [s.id for s in self.signals_against if s.present]

    def strongest_reasons(self, count: int = 3) -> list[Reason]:
        ranked = sorted(self.reasons_for, key=lambda r: -r.weight)
        return ranked[:count]


def few_shot_check(answers: Answers) -> FewShotCheck | None:
    """The 90% rule, when both the experiment's score and the target are known."""
    if answers.few_shot_score is None or answers.quality_target is None:
        return None
    score, target = answers.few_shot_score, answers.quality_target
    ratio = score / target
    # Rounded so that 72% of an 80% target counts as the 90% it is, not 0.8999999999999999.
    passes = round(ratio, 9) >= FEW_SHOT_SUFFICIENT_RATIO
    return FewShotCheck(
        score=score,
        target=target,
        ratio=ratio,
        passes=passes,
        explanation=explain.few_shot_arithmetic(score, target, ratio, passes),
    )


def suggested_signs(project: Project) -> dict[SignForId, bool]:
    """What the cost inputs suggest about latency and cost at scale."""
    prompt = project.costs.approach("prompt_engineering")
    fixed_prompt = prompt.system_prompt_tokens + prompt.few_shot_tokens
    long_prompt = fixed_prompt >= LONG_PROMPT_TOKENS
    many = project.costs.requests_per_day >= MANY_REQUESTS_PER_DAY
    return {"latency": long_prompt, "cost_at_scale": long_prompt and many}


def signals(project: Project) -> tuple[list[Signal], list[Signal]]:
    a = project.answers
    suggested = suggested_signs(project)
    notes = a.sign_notes
    signs_for = []
    for sign in SIGNS_FOR:
        user: bool | None = getattr(a, sign)
        hint = suggested.get(sign, False)
        present = user if user is not None else hint
        signs_for.append(
            Signal(id=sign, present=present, suggested=hint, user_answer=user,
                   note=notes.get(sign, ""))
        )
    derived: dict[SignAgainstId, bool] = {
        "small_dataset": a.example_count < EXAMPLES_MINIMUM or not a.examples_high_quality,
        "changing_requirements": a.changing_requirements,
        "general_knowledge": a.general_knowledge,
        "no_eval_criteria": a.no_eval_criteria,
        "no_gpu_budget": a.gpu_access == "none",
    }
    signs_against = [
        Signal(id=sign, present=derived[sign], note=notes.get(sign, "")) for sign in SIGNS_AGAINST
    ]
    return signs_for, signs_against


def _q1(a: Answers, check: FewShotCheck | None) -> str:
    if check is not None:
        return "yes" if check.passes else "no"
    return a.few_shot_adequate


def _q4_passes(a: Answers) -> bool:
    return a.example_count >= EXAMPLES_TO_FINE_TUNE and a.examples_high_quality


def flowchart(a: Answers, check: FewShotCheck | None) -> tuple[Outcome, Question, list[PathStep]]:
    """Walk the four questions; stop where the flowchart stops."""
    path: list[PathStep] = []
    q1 = _q1(a, check)
    path.append(PathStep(question="q1", answer=q1, detail=explain.q1_detail(q1, check)))
    if q1 == "yes":
        return "prompt_engineering", "q1", path
    q2 = "yes" if a.knowledge_gap else "no"
    path.append(PathStep(question="q2", answer=q2, detail=explain.q2_detail(a.knowledge_gap)))
    if a.knowledge_gap:
        return "rag", "q2", path
    q3 = "yes" if a.behavior_gap else "no"
    path.append(PathStep(question="q3", answer=q3, detail=explain.q3_detail(a.behavior_gap)))
    if not a.behavior_gap:
        return "revisit_problem", "q3", path
    passes = _q4_passes(a)
    path.append(
        PathStep(
            question="q4",
            answer="yes" if passes else "no",
            detail=explain.q4_detail(a.example_count, a.examples_high_quality, passes),
        )
    )
    return ("fine_tuning" if passes else "collect_data"), "q4", path


def _fallback(a: Answers) -> Outcome:
    return "rag" if (a.knowledge_gap or a.general_knowledge) else "prompt_engineering"


def _vetoes(against: list[Signal]) -> list[SignAgainstId]:
    present = {s.id for s in against if s.present}
    return [v for v in VETOES if v in present]


def _combination_candidate(a: Answers) -> Combination | None:
    needs_knowledge = a.knowledge_gap or a.general_knowledge
    if not a.behavior_gap:
        return None
    if needs_knowledge and a.per_request_context and a.edge_case_rules:
        return "all_three"
    if needs_knowledge:
        return "fine_tuning+rag"
    if a.per_request_context:
        return "fine_tuning+prompt_engineering"
    return None


def _warnings(project: Project, check: FewShotCheck | None) -> list[Issue]:
    a = project.answers
    found: list[Issue] = []
    if a.examples_high_quality and a.example_count < EXAMPLES_TO_FINE_TUNE:
        found.append(Issue(id="examples_count_mismatch",
                           message=explain.warn_examples_mismatch(a.example_count)))
    if a.general_knowledge and not a.knowledge_gap:
        found.append(Issue(id="knowledge_contradiction", message=explain.WARN_KNOWLEDGE))
    if check is not None and a.few_shot_adequate != "untested":
        said_yes = a.few_shot_adequate == "yes"
        if said_yes != check.passes:
            found.append(Issue(id="few_shot_contradiction",
                               message=explain.warn_few_shot(a.few_shot_adequate, check.passes)))
    if (a.few_shot_score is None) != (a.quality_target is None):
        found.append(Issue(id="few_shot_incomplete", message=explain.WARN_FEW_SHOT_INCOMPLETE))
    behaviour_signs = [s for s in ("style_voice", "domain_jargon", "output_format",
                                   "task_reasoning") if getattr(a, s)]
    if behaviour_signs and not a.behavior_gap:
        found.append(Issue(id="behavior_contradiction",
                           message=explain.warn_behaviour(behaviour_signs)))
    return [w.model_copy(update={"lift": explain.WARNING_LIFT[w.id]}) for w in found]


def fine_tuning_considered(outcome: Outcome, candidate: Combination | None) -> bool:
    """Whether fine-tuning is on the table at all, so that its blockers matter."""
    return outcome in ("fine_tuning", "collect_data") or candidate is not None


def _blockers(a: Answers, vetoes: list[SignAgainstId], outcome: Outcome) -> list[Issue]:
    blockers = [
        Issue(id=v, message=explain.BLOCKER_MESSAGE[v], lift=explain.BLOCKER_LIFT[v])
        for v in vetoes
    ]
    if outcome == "collect_data":
        blockers.append(
            Issue(id="small_dataset", message=explain.small_dataset_message(a),
                  lift=explain.small_dataset_lift(a))
        )
    return blockers


def _confidence(
    project: Project, v: _Verdict, warnings: list[Issue]
) -> tuple[Confidence, list[str]]:
    a, check, outcome, approach = project.answers, v.check, v.outcome, v.approach
    doubts: list[str] = []
    if check is None and a.few_shot_adequate == "untested":
        doubts.append(explain.DOUBT_UNTESTED)
    if check is not None and abs(check.ratio - FEW_SHOT_SUFFICIENT_RATIO) < FEW_SHOT_CLOSE_CALL:
        doubts.append(explain.doubt_close_call(check.ratio))
    if warnings:
        doubts.append(explain.doubt_warnings(len(warnings)))
    if outcome == "fine_tuning" and not any(s.present for s in v.signs_for):
        doubts.append(explain.DOUBT_NO_SIGNS)
    if outcome == "fine_tuning" and a.example_count < EXAMPLES_TO_FINE_TUNE * 1.25:
        doubts.append(explain.doubt_borderline_data(a.example_count))
    if approach != outcome:
        doubts.append(explain.DOUBT_VETOED)
    if outcome == "revisit_problem":
        return "low", [explain.DOUBT_REVISIT, *doubts]
    if not doubts:
        return "high", [explain.NO_DOUBTS]
    level: Confidence = "medium" if len(doubts) == 1 else "low"
    return level, doubts


class _Verdict(NamedTuple):
    check: FewShotCheck | None
    outcome: Outcome
    stopped_at: Question
    path: list[PathStep]
    signs_for: list[Signal]
    signs_against: list[Signal]
    vetoes: list[SignAgainstId]
    approach: Outcome
    candidate: Combination | None
    gaps: list[str]
    combination: Combination | None


def _verdict(project: Project) -> _Verdict:
    """The bare verdict, without the prose; used again for the what-if analysis."""
    a = project.answers
    check = few_shot_check(a)
    outcome, stopped_at, path = flowchart(a, check)
    signs_for, signs_against = signals(project)
    candidate = _combination_candidate(a)
    vetoes = _vetoes(signs_against) if fine_tuning_considered(outcome, candidate) else []
    approach = _fallback(a) if (outcome == "fine_tuning" and vetoes) else outcome
    gaps = _combination_gaps(a, check, vetoes) if candidate else []
    combination = candidate if (candidate and not gaps) else None
    return _Verdict(check, outcome, stopped_at, path, signs_for, signs_against, vetoes,
                    approach, candidate, gaps, combination)


def _combination_gaps(
    a: Answers, check: FewShotCheck | None, vetoes: list[SignAgainstId]
) -> list[str]:
    gaps: list[str] = []
    if _q1(a, check) == "yes":
        gaps.append(explain.GAP_PROMPTING_ENOUGH)
    if not _q4_passes(a):
        gaps.append(explain.gap_examples(a.example_count, a.examples_high_quality))
    gaps += [explain.BLOCKER_MESSAGE[v] for v in vetoes]
    return gaps


def _what_if(project: Project, current: tuple[Outcome, Combination | None]) -> list[Counterfactual]:
    """Flip one answer at a time and report the flips that change the recommendation."""
    a = project.answers
    trials: list[tuple[str, dict[str, object]]] = []
    q1 = _q1(a, few_shot_check(a))
    no_experiment = {"few_shot_score": None, "quality_target": None}
    if q1 != "yes":
        trials.append((explain.WHATIF_FEW_SHOT_YES, {"few_shot_adequate": "yes", **no_experiment}))
    else:
        trials.append((explain.WHATIF_FEW_SHOT_NO, {"few_shot_adequate": "no", **no_experiment}))
    trials.append((explain.whatif_flag("knowledge_gap", a.knowledge_gap),
                   {"knowledge_gap": not a.knowledge_gap}))
    trials.append((explain.whatif_flag("behavior_gap", a.behavior_gap),
                   {"behavior_gap": not a.behavior_gap}))
    if not _q4_passes(a):
        trials.append((explain.WHATIF_DATA,
                       {"example_count": max(a.example_count, EXAMPLES_TO_FINE_TUNE),
                        "examples_high_quality": True}))
    for veto in ("changing_requirements", "no_eval_criteria"):
        if getattr(a, veto):
            trials.append((explain.whatif_flag(veto, True), {veto: False}))
    if a.gpu_access == "none":
        trials.append((explain.WHATIF_GPU, {"gpu_access": "hosted"}))
    trials.append((explain.whatif_flag("per_request_context", a.per_request_context),
                   {"per_request_context": not a.per_request_context}))

    found: list[Counterfactual] = []
    for change, update in trials:
        changed = project.model_copy(update={"answers": a.model_copy(update=update)})
        v = _verdict(changed)
        if (v.approach, v.combination) != current:
            found.append(Counterfactual(change=change, approach=v.approach,
                                        combination=v.combination))
    return found


def assess(project: Project) -> Assessment:
    """The whole verdict for a project, with its reasons."""
    v = _verdict(project)
    warnings = _warnings(project, v.check)
    confidence, confidence_reasons = _confidence(project, v, warnings)
    return Assessment(
        flowchart_outcome=v.outcome,
        approach=v.approach,
        combination=v.combination,
        combination_candidate=v.candidate,
        combination_missing=v.gaps,
        stopped_at=v.stopped_at,
        path=v.path,
        few_shot_check=v.check,
        signals_for=v.signs_for,
        signals_against=v.signs_against,
        reasons_for=explain.reasons_for(project, v.outcome, v.approach, v.check, v.signs_for,
                                      v.combination),
        reasons_against=explain.reasons_against(v.signs_against, v.approach),
        blockers=_blockers(project.answers, v.vetoes, v.outcome),
        warnings=warnings,
        confidence=confidence,
        confidence_reasons=confidence_reasons,
        next_steps=explain.next_steps(project, v.outcome, v.approach, v.check, v.vetoes,
                                    v.combination, v.candidate),
        what_would_change=_what_if(project, (v.approach, v.combination)),
        headline=texts.headline(v.approach, v.combination),
    )
