"""The sentences Tunewise says about one assessment, in our own words.

The decision engine picks which apply (the path's details, warnings and blockers, doubts behind
the confidence, what-if phrases, reasons and next steps); labels for ids live in texts.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from tunewise.core.flowchart import Thresholds
from tunewise.core.project import Answers, MeasuredFewShot, Project
from tunewise.core.results import FewShotCheck, Reason, Signal
from tunewise.core.texts import APPROACH_LABELS, SIGN_LABELS, lower_label, money, percent

if TYPE_CHECKING:
    from tunewise.core.costs import Lifecycle

# ---- the path through the questions -------------------------------------------------------

def few_shot_arithmetic(score: float, target: float, ratio: float, passes: bool,
                        line: float) -> str:
    verdict = "at or above" if passes else "below"
    return (
        f"Few-shot score {percent(score)} ÷ target {percent(target)} = {percent(ratio)} "
        f"of the target, {verdict} the {percent(line)} line."
    )


def q1_detail(answer: str, check: FewShotCheck | None) -> str:
    if check is not None:
        return check.explanation
    return {
        "yes": "You found few-shot prompting good enough.",
        "no": "You found few-shot prompting falls short.",
        "untested": "Not tried yet; carrying on as if it falls short.",
    }[answer]


def q2_detail(a: Answers) -> str:
    if a.knowledge_gap:
        return "The model mainly lacks facts or documents it needs."
    return "Missing facts are not the main problem."


def q3_detail(a: Answers) -> str:
    if a.behavior_gap:
        return "The model knows enough but answers in the wrong way."
    return "Neither knowledge nor behaviour is named as the gap."


def q4_detail(a: Answers, passes: bool, t: Thresholds) -> str:
    quality = "high quality" if a.examples_high_quality else "not yet vetted as high quality"
    if passes:
        enough = "enough to train on"
    elif a.examples_high_quality:
        enough = f"fewer than the {t.examples_to_fine_tune:,} needed to train on"
    else:
        enough = "not enough to train on yet"
    return f"{a.examples:,} examples, {quality}: {enough}."


def step_detail(question: str, answer: str, a: Answers, check: FewShotCheck | None,
                t: Thresholds) -> str:
    """The answer to one of the flowchart's questions in words; unknown questions say the answer."""
    if question == "q1":
        return q1_detail(answer, check)
    if question == "q2":
        return q2_detail(a)
    if question == "q3":
        return q3_detail(a)
    if question == "q4":
        return q4_detail(a, answer == "yes", t)
    return f"Answered {answer}."


# ---- warnings, blockers, doubts -----------------------------------------------------------

WARN_KNOWLEDGE = (
    "'Needs broad or current facts' is ticked, yet the knowledge question was answered no. "
    "If facts are part of the gap, answer the knowledge question yes."
)
WARN_FEW_SHOT_INCOMPLETE = (
    "Only one of the few-shot score and the quality target is filled in; the check against "
    "the target needs both, so your plain yes/no/untested answer is used instead."
)




def warn_eval_criteria(check: FewShotCheck) -> str:
    return (
        "'No way to measure quality yet' is ticked, yet the few-shot test was scored "
        f"({percent(check.score)} against a target of {percent(check.target)}). A score and a "
        "target are a way to measure quality."
    )


WARNING_LIFT: dict[str, str] = {
    "eval_criteria_contradiction": (
        "Untick 'No way to measure quality yet' if that score measures what matters; otherwise "
        "clear the score and target until there is an agreed measure."
    ),
    "knowledge_contradiction": (
        "Answer the knowledge question yes, or untick 'Needs broad or current facts'."
    ),
    "few_shot_contradiction": (
        "Change the yes/no answer to match the experiment, or run the experiment again."
    ),
    "few_shot_incomplete": "Fill in both the few-shot score and the quality target, or clear both.",
    "behavior_contradiction": (
        "Answer the behaviour question yes, or untick the behaviour signs that do not apply."
    ),
}


def warn_few_shot(said: str, check: FewShotCheck) -> str:
    measured = "reached" if check.passes else "missed"
    return (
        f"You answered '{said}' to the few-shot question, but the experiment {measured} "
        f"{percent(check.line)} of the target. The measured result is used."
    )


def warn_behaviour(signs: list[str]) -> str:
    names = ", ".join(SIGN_LABELS[s].lower() for s in signs)
    return (
        f"Behaviour signs are ticked ({names}) while the behaviour question was answered no. "
        "One of the two answers is probably off."
    )


BLOCKER_MESSAGE: dict[str, str] = {
    "changing_requirements": "Requirements are still moving, so a trained model would go stale.",
    "no_eval_criteria": "There is no agreed way to tell a good answer from a bad one.",
    "no_gpu_budget": "There is no GPU that holds the training run, and no hosted service.",
}
BLOCKER_LIFT: dict[str, str] = {
    "changing_requirements": (
        "Freeze the target behaviour for a few months; keep iterating in the prompt until then."
    ),
    "no_eval_criteria": (
        "Write down the success metrics and a scored test set before anything is trained."
    ),
    "no_gpu_budget": (
        "Budget a hosted tuning service, or a GPU that holds the training run (the GPU panel "
        "on the Constraints page sizes it)."
    ),
}


def small_dataset_message(a: Answers, t: Thresholds) -> str:
    if not a.examples_high_quality:
        return f"The {a.examples:,} examples are not yet vetted as high quality."
    return (f"Only {a.examples:,} good examples; fine-tuning wants "
            f"{t.examples_to_fine_tune:,} or more.")


def small_dataset_lift(a: Answers, t: Thresholds) -> str:
    missing = max(0, t.examples_to_fine_tune - a.examples)
    if missing and not a.examples_high_quality:
        return f"Collect {missing:,} more examples and review all of them for quality."
    if missing:
        return f"Collect {missing:,} more examples of the behaviour you want."
    return "Review the examples and drop or fix the weak ones."


def gap_examples(count: int, high_quality: bool, t: Thresholds) -> str:
    need = t.examples_to_fine_tune
    if count < need:
        return f"{need - count:,} more high-quality examples (have {count:,}, need {need:,})."
    if not high_quality:
        return "A quality review of the examples."
    return ""


GAP_PROMPTING_ENOUGH = (
    "Few-shot prompting already meets the target, so training has no quality gap to close."
)


def gap_prompting_enough(combination: str, combined_total: float, prompting_total: float,
                         horizon_days: int, money: str, prompting_money: str) -> str:
    """The same gap, with what the costs say about it."""
    label = lower_label(APPROACH_LABELS[combination])
    if combined_total < prompting_total:
        return (f"{GAP_PROMPTING_ENOUGH[:-1]}; {label} would still cost less over "
                f"{horizon_days:,} days ({money} against {prompting_money} for prompting), so "
                "weigh it for cost alone.")
    return (f"{GAP_PROMPTING_ENOUGH[:-1]}, and {label} would cost more over {horizon_days:,} "
            f"days ({money} against {prompting_money} for prompting).")


# What each combination needs besides a behaviour gap; the engine checks them in this order.
CONDITION_WORDS: dict[str, str] = {
    "needs_knowledge": "facts are needed (a knowledge gap, or broad or current facts)",
    "per_request_context": "each request brings its own context",
    "edge_case_rules": "edge-case rules change often",
}


def combination_rule(combination: str, conditions: Sequence[str]) -> str:
    """'All three combined fits when behaviour is the gap, facts are needed and ...'."""
    needs = ["behaviour is the gap", *(CONDITION_WORDS[c] for c in conditions)]
    listed = ", ".join(needs[:-1]) + f" and {needs[-1]}"
    return f"{APPROACH_LABELS[combination]} fits when {listed}."

def question_list(ids: Sequence[str]) -> str:
    """'Q2', 'Q2 and Q3', 'Q2-Q4' with an en dash (a run of three or more), 'Q1, Q3 and Q4'."""
    names = [i.upper() for i in ids]
    if len(names) >= 3 and ids == _run(ids):
        return f"{names[0]}\N{EN DASH}{names[-1]}"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def _run(ids: Sequence[str]) -> list[str]:
    digits = [i[1:] for i in ids]
    if not all(i[:1] == "q" and d.isdigit() for i, d in zip(ids, digits, strict=True)):
        return []
    first = int(digits[0])
    return [f"q{first + k}" for k in range(len(ids))]


def unanswered_headline(ids: Sequence[str]) -> str:
    return f"None yet — answer {question_list(ids)} to get a recommendation"


def doubt_unanswered(ids: Sequence[str]) -> str:
    verb = "is" if len(ids) == 1 else "are"
    return f"{question_list(ids)} {verb} not answered yet, so there is no verdict to be sure of."


DOUBT_UNTESTED = "The few-shot experiment has not been run, so the first question is a guess."
DOUBT_NO_SIGNS = "None of the six signs for fine-tuning is present."
DOUBT_VETOED = "The flowchart pointed to fine-tuning, but a blocker rules it out for now."
DOUBT_REVISIT = "The answers do not name a gap Tunewise can act on."
NO_DOUBTS = "The answers agree with one another and nothing is a close call."


def doubt_close_call(ratio: float, line: float) -> str:
    return (f"The experiment landed at {percent(ratio)} of target, close to the "
            f"{percent(line)} line.")


def doubt_warnings(count: int) -> str:
    if count == 1:
        return "One answer contradicts another."
    return f"{count} pairs of answers contradict each other."


def doubt_borderline_data(count: int, t: Thresholds) -> str:
    return f"{count:,} examples is only just past the {t.examples_to_fine_tune:,} mark."


# ---- what-if ------------------------------------------------------------------------------

WHATIF_FEW_SHOT_YES = "If few-shot prompting were shown to reach the target"
WHATIF_FEW_SHOT_NO = "If few-shot prompting fell short of the target"
def whatif_data(t: Thresholds) -> str:
    return f"With {t.examples_to_fine_tune:,} or more high-quality examples"


WHATIF_GPU = "With a hosted tuning service instead of the GPU plan"

_FLAG_PHRASES: dict[str, tuple[str, str]] = {
    "knowledge_gap": ("If missing knowledge were the main gap", "If knowledge were not the gap"),
    "behavior_gap": ("If behaviour were the main gap", "If behaviour were not the gap"),
    "changing_requirements": ("If requirements started moving", "Once requirements settle"),
    "no_eval_criteria": ("Without success metrics", "Once success metrics exist"),
    "per_request_context": (
        "If each request carried its own context",
        "If requests carried no context of their own",
    ),
}


def whatif_flag(flag: str, current: bool) -> str:
    on, off = _FLAG_PHRASES[flag]
    return off if current else on


def whatif_sentence(change: str, approach: str, combination: str | None) -> str:
    result = APPROACH_LABELS[approach]
    if combination:
        result += f", combined as {lower_label(APPROACH_LABELS[combination])}"
    return f"{change}: {result}."


def counted_as(signal_present: bool, user_answer: bool | None, suggestible: bool,
               suggested: bool) -> str:
    """How a sign for fine-tuning was counted, next to the user's answer."""
    counted = "present" if signal_present else "absent"
    if user_answer is None and suggestible:
        return f"{counted} (suggested by your numbers: {'yes' if suggested else 'no'})"
    if user_answer is None:
        return f"{counted} (not answered)"
    if suggested and not user_answer:
        return f"{counted} (your numbers suggest yes)"
    return counted


# ---- combinations -------------------------------------------------------------------------

def combination_parts(combination: str, signs_for: Sequence[Signal], a: Answers,
                      efficiency_signs: Sequence[str]) -> list[tuple[str, str]]:
    """What each part of a combination carries for this project: (part, role)."""
    present = [s.id for s in signs_for if s.present]
    behaviour = [lower_label(SIGN_LABELS[s]) for s in present if s not in efficiency_signs]
    efficiency = [lower_label(SIGN_LABELS[s]) for s in present if s in efficiency_signs]
    role = "The steady behaviour every answer shares"
    if behaviour:
        role += ": " + ", ".join(behaviour)
    role += "."
    if efficiency:
        role += (" Because that behaviour no longer has to be spelled out in the prompt, the "
                 "prompt stays short, which answers the " + " and the ".join(efficiency) + ".")
    parts = [("Fine-tuning", role)]
    if combination in ("fine_tuning+rag", "all_three"):
        why = ("the knowledge question was answered yes" if a.knowledge_gap
               else "answers need broad or current facts")
        parts.append(("Retrieval (RAG)", f"The facts, fetched from your documents for each "
                                         f"question, because {why}. Facts change without "
                                         "retraining."))
    if combination in ("fine_tuning+prompt_engineering", "all_three"):
        prompt = "Each request's own details (who is asking, their account, the case at hand)"
        if a.edge_case_rules:
            prompt += ", plus the edge-case rules, kept short so they are easy to change"
        parts.append(("Prompt", prompt + "."))
    return parts


def no_combination_reason(outcome: str, a: Answers) -> str:
    if outcome == "prompt_engineering":
        why = ("Few-shot prompting already reaches the target, so there is nothing for "
               "training or retrieval to add; one approach is enough.")
    elif not a.behavior_gap:
        why = ("No behaviour gap is named, so fine-tuning has no part to play and there is "
               "nothing to combine with it.")
    else:
        why = ("Fine-tuning alone covers the gap: no missing knowledge calls for retrieval, "
               "and requests carry no details of their own that need a prompt.")
    return f"No combination is recommended. {why}"


# ---- the constraints in one sentence ------------------------------------------------------

def constraints_summary(present_against: Sequence[str], blockers: int, considered: bool) -> str:
    if not considered:
        return ("Fine-tuning is not on the table with these answers, so nothing here changes "
                "the recommendation.")
    if present_against:
        names = ", ".join(lower_label(SIGN_LABELS[s]) for s in present_against)
        return f"Signs against fine-tuning present: {names}."
    if blockers:
        return ("None of the signs against fine-tuning is present; what holds it back for now "
                "is listed under Blockers.")
    return "Nothing here stands against fine-tuning."


# ---- reasons and next steps ---------------------------------------------------------------

_OUTCOME_REASON: dict[str, str] = {
    "answer_questions": "Some questions on the way are not answered yet.",
    "prompt_engineering": "Few-shot prompting already does the job, so nothing needs training.",
    "rag": "The gap is knowledge: retrieval feeds the model the facts at question time.",
    "revisit_problem": (
        "Neither missing knowledge nor behaviour is the gap; the problem needs a sharper "
        "definition before any tool is picked."
    ),
    "fine_tuning": (
        "Prompting falls short on behaviour, and there are enough good examples to teach it."
    ),
    "collect_data": (
        "Behaviour is the gap, but there is not yet enough good data to train on; prompting "
        "carries the load while examples are gathered."
    ),
}

_SIGN_FOR_REASON: dict[str, str] = {
    "style_voice": "A fixed voice is easier to bake into weights than to restate in every prompt.",
    "domain_jargon": "Training on your own texts makes the vocabulary come naturally.",
    "output_format": "A trained model follows the format without pages of instructions.",
    "latency": "Dropping a long prompt makes every response faster.",
    "cost_at_scale": ("At this volume the tuned model costs less per request and earns back "
                      "its upfront cost within the horizon."),
    "task_reasoning": "A fixed method of reasoning can be learned from worked examples.",
}

_SIGN_AGAINST_REASON: dict[str, str] = {
    "small_dataset": "Too few good examples: training would likely overfit or change little.",
    "changing_requirements": "Moving requirements mean retraining again and again.",
    "general_knowledge": "Training shapes behaviour, not facts; facts belong in retrieval.",
    "no_eval_criteria": "Without a measure of quality, nobody can tell if training helped.",
    "no_gpu_budget": "Without GPU time, training cannot happen.",
}


def reasons_for(
    project: Project,
    outcome: str,
    approach: str,
    check: FewShotCheck | None,
    signs_for: list[Signal],
    combination: str | None,
) -> list[Reason]:
    reasons = [Reason(id=f"outcome_{outcome}", message=_OUTCOME_REASON[outcome], weight=5)]
    if check is not None:
        reasons.append(Reason(id="few_shot_check", message=check.explanation, weight=4))
    if approach != outcome:
        reasons.append(
            Reason(
                id=f"fallback_{approach}",
                message=f"Until the blockers are lifted, {lower_label(APPROACH_LABELS[approach])} "
                "is the safe way to ship.",
                weight=4,
            )
        )
    if approach in ("fine_tuning", "collect_data") or combination:
        for sign in signs_for:
            if sign.present:
                why = _SIGN_FOR_REASON[sign.id]
                if sign.user_answer is None and sign.suggested:
                    why += (" (shown by the cost model)" if sign.id == "cost_at_scale"
                            else " (suggested by your prompt size)")
                reasons.append(Reason(id=f"sign_{sign.id}", message=why, weight=3))
    if combination == "fine_tuning+rag":
        reasons.append(Reason(id="combo", weight=3, message=(
            "Both gaps are real: train for the way answers are written, retrieve for the facts."
        )))
    elif combination == "fine_tuning+prompt_engineering":
        reasons.append(Reason(id="combo", weight=3, message=(
            "Train the steady behaviour once; pass each request's own details in the prompt."
        )))
    elif combination == "all_three":
        reasons.append(Reason(id="combo", weight=3, message=(
            "Train the behaviour, retrieve the facts, and keep edge-case rules in a short "
            "system prompt where they are easy to change."
        )))
    a = project.answers
    if approach == "rag" and a.general_knowledge:
        reasons.append(Reason(id="general_knowledge", weight=2,
                              message=_SIGN_AGAINST_REASON["general_knowledge"]))
    return reasons


def reasons_against(signs_against: list[Signal], approach: str) -> list[Reason]:
    return [
        Reason(id=f"against_{s.id}", message=s.detail or _SIGN_AGAINST_REASON[s.id], weight=3)
        for s in signs_against
        if s.present
    ]


def next_steps(
    project: Project,
    outcome: str,
    approach: str,
    check: FewShotCheck | None,
    vetoes: Sequence[str],
    combination: str | None,
    candidate: str | None,
    t: Thresholds,
) -> list[Reason]:
    a = project.answers
    steps: list[Reason] = []
    if check is None and a.few_shot_adequate == "untested":
        steps.append(Reason(id="run_experiment", message=(
            "Run the few-shot test: put your 20 best examples in the prompt, score it on 50 "
            "examples it has not seen, and compare with your quality target (Run the Few-Shot "
            "Test on the Q1 page does exactly that against your model)."
        )))
    if check is not None and check.close_call:
        more = (f"score about {check.settle_n:,} held-out examples in all"
                if check.settle_n is not None else "decide on other grounds")
        steps.append(Reason(id="settle_few_shot", message=(
            f"The few-shot test is a close call: {more} before building on its answer; "
            "at this sample size the score could land on either side of the line."
        )))
    if "no_eval_criteria" in vetoes or a.no_eval_criteria:
        steps.append(Reason(id="define_metrics", message=BLOCKER_LIFT["no_eval_criteria"]))
    if outcome == "revisit_problem":
        steps.append(Reason(id="revisit", message=(
            "Collect twenty failing outputs and label each: missing fact, wrong behaviour, or "
            "something else. The label that dominates is the real gap."
        )))
    need = t.examples_to_fine_tune
    if outcome == "collect_data" or (candidate and a.examples < need):
        missing = max(0, need - a.examples)
        steps.append(Reason(id="collect_examples", message=(
            f"Collect {missing:,} more reviewed examples (target {need:,}+); log good "
            "production answers as you go so the set grows by itself."
            if missing else "Review every example for quality before training on it."
        )))
    if approach in ("prompt_engineering", "collect_data"):
        steps.append(Reason(id="tighten_prompt", message=(
            "Keep the prompt under version control with a small regression test set."
        )))
    if approach == "rag" or combination in ("fine_tuning+rag", "all_three"):
        steps.append(Reason(id="retrieval", message=(
            "Build a retrieval test set: questions paired with the passages that answer them; "
            "measure retrieval hit rate before tuning generation."
        )))
    if approach == "fine_tuning" or combination:
        steps.append(Reason(id="train_baseline", message=(
            "Split the examples into train and held-out sets, fine-tune a small model, and "
            "compare it with the prompted baseline on the held-out set."
        )))
        steps.append(Reason(id="fallback", message=(
            "Keep the prompted version running as a fallback until the tuned model wins on "
            "the held-out set and in a small live trial."
        )))
        steps.append(Reason(id="retrain_plan", message=(
            "Schedule retraining and log production outputs that reviewers correct; they "
            "become the next round's training data."
        )))
    if combination in ("fine_tuning+prompt_engineering", "all_three"):
        steps.append(Reason(id="prompt_split", message=(
            "List what travels in each request's prompt (customer, account, case) and what the "
            "model should simply know; keep the first short."
        )))
    for veto in vetoes:
        if veto != "no_eval_criteria":
            steps.append(Reason(id=f"lift_{veto}", message=BLOCKER_LIFT[veto]))
    return steps


# Warnings about the answers themselves; only these make the verdict less certain. Warnings
# from the costs (a cheaper approach, closing offerings, old prices) carry their own doubts.
ANSWER_WARNINGS = frozenset({"knowledge_contradiction", "few_shot_contradiction",
                             "few_shot_incomplete", "eval_criteria_contradiction",
                             "behavior_contradiction", "few_shot_model_mismatch"})

STANDS_UNTESTED = (
    "It does not stand yet: few-shot prompting has not been tested. If a test reaches the "
    "quality line, prompting is both good enough and cheaper.")
STANDS_NEEDS_FACTS = (
    "It still stands: prompting alone cannot bring in the facts your answers say are missing.")
STANDS_BEHAVIOUR = (
    "It still stands: retrieval adds facts but does not change how answers are written, which "
    "is the gap you named.")
STANDS_COMBINATION = (
    "It still stands if the extra part is needed: it carries what your answers call for. "
    "Drop it only if those needs turn out smaller than you said.")
STANDS_QUALITY = (
    "It still stands on quality: the cheaper approach does not cover what your answers call "
    "for.")


def stands_prompting_short(check: FewShotCheck | None) -> str:
    if check is not None:
        return (f"It still stands: few-shot prompting reached {percent(check.ratio)} of the "
                f"target, short of the {percent(check.line)} line, so the cheaper approach "
                "is not good enough.")
    return ("It still stands: you found few-shot prompting not good enough, so the cheaper "
            "approach does not do the job.")


def stands_simpler(cheaper: str) -> str:
    return (f"It still stands as the simpler path, since it already does the job; "
            f"{lower_label(APPROACH_LABELS[cheaper])} is worth a look for cost once traffic is "
            "steady, as it adds training, evaluation and retraining.")


def cheaper_alternative(row: str, cheaper: str, mine: float, theirs: float, horizon: int,
                        stands: bool, why: str) -> str:
    return (f"{APPROACH_LABELS[cheaper]} costs less over {horizon:,} days: {money(theirs)}, "
            f"against {money(mine)} for {lower_label(APPROACH_LABELS[row])}, the "
            f"recommendation. {why}")


def cheaper_alternative_lift(stands: bool) -> str:
    if not stands:
        return "Run the few-shot test before building anything else."
    return "Nothing to do if the reason holds; revisit it if your answers change."


def lifecycle_message(finding: Lifecycle) -> str:
    if finding.kind == "training_closes":
        what = f"{finding.subject} takes no new training jobs after {finding.date.isoformat()}"
    else:
        what = f"{finding.subject} stops answering after {finding.date.isoformat()}"
    return f"{what}, within this plan: {finding.breaks}."


def lifecycle_lift(finding: Lifecycle) -> str:
    if finding.alternative:
        return (f"Plan on {finding.alternative} from the start, or keep this choice and budget "
                "for the move.")
    return "Choose an offering or model that stays open over the plan's horizon."


LIFT_OFFERING_CLOSED = "Choose an open offering for fine-tuning on the Costs page."
LIFT_STALE = ("Update the prices (Prices menu, or `tunewise prices update`), or install a newer "
              "offerings catalogue.")


def stale_prices(stale: Sequence[tuple[str, date, int]]) -> str:
    parts = [f"{what} are from {when.isoformat()} ({age:,} days old)" for what, when, age in stale]
    return ("Prices may be out of date: " + "; ".join(parts)
            + ". Providers change prices and retire models often.")


def few_shot_model_mismatch(tested: str, costed: str) -> str:
    return (f"The few-shot test ran on {tested}, but prompt engineering is costed on {costed}; "
            "the score says little about another model.")


LIFT_FEW_SHOT_MODEL = ("Cost prompt engineering on the model you tested, or run the few-shot "
                       "test on the model you mean to use.")


def doubt_never_pays_back(row: str, volume: float, horizon: int) -> str:
    return (f"At {volume:,.0f} requests a day {lower_label(APPROACH_LABELS[row])} never pays "
            f"back against prompt engineering within {horizon:,} days.")


def whatif_volume(row: str, volume: float, turn: float, horizon: int) -> str:
    name = lower_label(APPROACH_LABELS[row])
    if turn > volume:
        return (f"From about {turn:,.0f} requests a day, {name} would cost less than prompt "
                f"engineering over {horizon:,} days; at {volume:,.0f} it costs more.")
    return (f"Below about {turn:,.0f} requests a day, {name} would cost more than prompt "
            f"engineering over {horizon:,} days.")


def doubt_close_on_cost(row: str, volume: float, turn: float, horizon: int) -> str:
    side = "more" if turn > volume else "less"
    return (f"The cost case is close: at about {turn:,.0f} requests a day (against "
            f"{volume:,.0f} planned) {lower_label(APPROACH_LABELS[row])} and prompt engineering "
            f"cost the same over {horizon:,} days; a little {side} traffic turns the sums.")


def measured_few_shot(measured: MeasuredFewShot, target: float, ratio: float, passes: bool,
                      line: float, close: bool, settle: int | None) -> str:
    verdict = "at or above" if passes else "below"
    text = (f"Measured few-shot score {percent(measured.score)} ({measured.passed:,} of "
            f"{measured.n:,} held-out examples on {measured.model}; 95% interval "
            f"{percent(measured.low)} to {percent(measured.high)}) ÷ target {percent(target)} = "
            f"{percent(ratio)} of the target, {verdict} the {percent(line)} line.")
    if close:
        text += (f" The line, {percent(line * target)}, lies inside the interval: a close call"
                 + (f"; about {settle:,} held-out examples would settle it."
                    if settle is not None else ", and more examples would not settle it."))
    return text


def doubt_measured_close_call(check: FewShotCheck) -> str:
    assert check.n is not None and check.low is not None and check.high is not None
    bar = check.line * check.target
    settle = (f"; about {check.settle_n:,} held-out examples would settle it"
              if check.settle_n is not None else "")
    return (f"The few-shot test's 95% interval ({percent(check.low)} to {percent(check.high)} "
            f"from {check.n:,} examples) contains the {percent(bar)} the line asks for: it "
            f"could land on either side{settle}.")
