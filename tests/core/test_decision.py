"""The decision engine: every flowchart branch, veto, combination and the 90% rule."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.helpers import fine_tuning_answers, project_with
from tunewise.core import explain
from tunewise.core.costs import compute_costs
from tunewise.core.decision import assess
from tunewise.core.gpu import catalogue, memory
from tunewise.core.project import ApproachInputs, CostInputs, GpuPlan


def test_few_shot_yes_stops_at_q1_with_prompt_engineering() -> None:
    a = assess(project_with(few_shot_adequate="yes", behavior_gap=True, example_count=900,
                            examples_high_quality=True))
    assert (a.flowchart_outcome, a.approach, a.stopped_at) == ("prompt_engineering",
                                                              "prompt_engineering", "q1")
    assert [s.question for s in a.path] == ["q1"]
    assert a.combination is None


def test_knowledge_gap_stops_at_q2_with_rag() -> None:
    a = assess(project_with(few_shot_adequate="no", knowledge_gap=True))
    assert (a.flowchart_outcome, a.approach, a.stopped_at) == ("rag", "rag", "q2")
    assert [(s.question, s.answer) for s in a.path] == [("q1", "no"), ("q2", "yes")]


def test_no_behaviour_gap_means_revisit_the_problem_with_low_confidence() -> None:
    a = assess(project_with(few_shot_adequate="no", knowledge_gap=False, behavior_gap=False))
    assert (a.flowchart_outcome, a.stopped_at) == ("revisit_problem", "q3")
    assert a.confidence == "low"
    assert any(step.id == "revisit" for step in a.next_steps)


def test_enough_good_examples_means_fine_tuning() -> None:
    a = assess(project_with(**fine_tuning_answers()))
    assert (a.flowchart_outcome, a.approach, a.stopped_at) == ("fine_tuning", "fine_tuning", "q4")
    assert a.path[-1].answer == "yes"
    assert a.blockers == []


@pytest.mark.parametrize(("count", "quality"), [(199, True), (5000, False), (0, False)])
def test_too_few_or_unvetted_examples_means_collect_data(count: int, quality: bool) -> None:
    a = assess(project_with(**fine_tuning_answers(example_count=count,
                                                  examples_high_quality=quality)))
    assert (a.flowchart_outcome, a.approach) == ("collect_data", "collect_data")
    assert "small_dataset" in [b.id for b in a.blockers]
    assert any(step.id == "collect_examples" for step in a.next_steps)


def test_exactly_200_good_examples_is_enough() -> None:
    a = assess(project_with(**fine_tuning_answers(example_count=200)))
    assert a.flowchart_outcome == "fine_tuning"


def test_collect_data_step_names_how_many_more_examples() -> None:
    a = assess(project_with(**fine_tuning_answers(example_count=120)))
    step = next(s for s in a.next_steps if s.id == "collect_examples")
    assert "80 more" in step.message


@pytest.mark.parametrize(
    ("veto", "answers"),
    [
        ("changing_requirements", {"changing_requirements": True}),
        ("no_eval_criteria", {"no_eval_criteria": True}),
        ("no_gpu_budget", {}),
    ],
)
def test_each_veto_turns_fine_tuning_into_prompting_and_says_how_to_lift_it(
    veto: str, answers: dict[str, object]
) -> None:
    costs = CostInputs(gpu=GpuPlan(access="none")) if veto == "no_gpu_budget" else None
    a = assess(project_with(costs, **fine_tuning_answers(**answers)))
    assert a.flowchart_outcome == "fine_tuning"
    assert a.approach == "prompt_engineering"
    blocker = next(b for b in a.blockers if b.id == veto)
    assert blocker.message and blocker.lift
    assert veto in a.present_signals_against()
    assert a.confidence != "high"


def test_veto_with_knowledge_needs_falls_back_to_rag() -> None:
    a = assess(project_with(**fine_tuning_answers(no_eval_criteria=True, general_knowledge=True)))
    assert a.approach == "rag"


def test_a_hosted_service_is_no_veto_and_says_where_training_runs() -> None:
    a = assess(project_with(**fine_tuning_answers()))  # the default plan: Fireworks' service
    assert a.approach == "fine_tuning"
    assert "no_gpu_budget" not in a.present_signals_against()
    sign = next(s for s in a.signals_against if s.id == "no_gpu_budget")
    assert sign.detail == ("Training runs on the Fireworks AI tuning service, so no GPU of "
                           "your own is needed.")


def _own_gpu(**plan: object) -> CostInputs:
    return CostInputs(gpu=GpuPlan(**{"access": "own", **plan}))  # type: ignore[arg-type]


def test_an_own_gpu_that_holds_the_run_is_no_veto_and_gives_the_numbers() -> None:
    # QLoRA of llama-3.1-8b at 2,048 tokens, batch 1, checkpointing: the example.
    costs = _own_gpu(gpu="rtx-4080", model="llama-3.1-8b", method="qlora", seq_len=2048)
    need = memory.estimate(catalogue.models().get("llama-3.1-8b"), "qlora", 2048).total_gib
    a = assess(project_with(costs, **fine_tuning_answers()))
    assert a.approach == "fine_tuning"
    sign = next(s for s in a.signals_against if s.id == "no_gpu_budget")
    assert not sign.present
    assert sign.detail == (f"QLoRA of Llama 3.1 8B at 2,048 tokens needs about {need:,.1f} GB "
                           "on each GPU; your NVIDIA GeForce RTX 4080 has 16 GB.")


def test_a_card_too_small_for_the_run_vetoes_with_the_numbers_and_a_card_that_holds_it() -> None:
    costs = _own_gpu(gpu="rtx-4080", model="llama-3.1-8b", method="lora", seq_len=2048,
                     checkpointing=False)
    need = memory.estimate(catalogue.models().get("llama-3.1-8b"), "lora", 2048,
                           checkpointing=False).total_gib
    assert need > 16
    a = assess(project_with(costs, **fine_tuning_answers()))
    assert a.approach == "prompt_engineering"
    blocker = next(b for b in a.blockers if b.id == "no_gpu_budget")
    assert blocker.message == (
        f"LoRA of Llama 3.1 8B at 2,048 tokens without gradient checkpointing needs about "
        f"{need:,.1f} GB on each GPU; your NVIDIA GeForce RTX 4080 has only 16 GB.")
    assert "QLoRA or LoRA, gradient checkpointing or shorter sequences" in blocker.lift
    assert "holds it" in blocker.lift
    assert any(r.message == blocker.message for r in a.reasons_against)
    # What would change it: a hosted tuning service.
    assert any(w.change == explain.WHATIF_GPU and w.approach == "fine_tuning"
               for w in a.what_would_change)


def test_an_own_gpu_cannot_train_a_closed_model_but_the_hosted_plan_stands() -> None:
    # The old answer "a 16 GB GPU of our own" with a hosted-only model changed nothing silently.
    costs = _own_gpu(gpu="rtx-4080")
    costs.approaches = {**costs.approaches, "fine_tuning": costs.approach(
        "fine_tuning").model_copy(update={"model": "gpt-4.1-mini", "provider": "openai",
                                          "deployment": None})}
    a = assess(project_with(costs, **fine_tuning_answers()))
    sign = next(s for s in a.signals_against if s.id == "no_gpu_budget")
    assert not sign.present
    assert sign.detail == ("gpt-4.1-mini's weights are not published, so your NVIDIA GeForce "
                           "RTX 4080 cannot train it; the plan trains it on the OpenAI service.")


def _assess_with_costs(inputs: CostInputs) -> Any:
    project = project_with(inputs, **fine_tuning_answers())
    return assess(project, compute_costs(inputs, strict=False))


def test_a_card_the_costs_do_not_use_is_a_warning_with_the_way_to_count_it() -> None:
    # An RTX 4090 of our own while the costs train on Fireworks' service.
    a = _assess_with_costs(_own_gpu(gpu="rtx-4090"))
    warning = next(w for w in a.warnings if w.id == "gpu_not_in_costs")
    assert warning.message == ("The costs train on Fireworks AI llama-3.1-8b (serverless); "
                               "your NVIDIA GeForce RTX 4090 plays no part in them.")
    assert "self-hosted offering" in warning.lift


def test_a_closed_model_beside_an_own_card_is_a_warning_naming_the_service() -> None:
    inputs = _own_gpu(gpu="rtx-4080")
    for row in ("fine_tuning", "fine_tuning+prompt_engineering"):
        inputs.approaches = {**inputs.approaches, row: inputs.approach(row).model_copy(
            update={"model": "gpt-4.1-mini", "provider": "azure-openai", "deployment": None})}
    a = _assess_with_costs(inputs)
    warning = next(w for w in a.warnings if w.id == "gpu_not_in_costs")
    assert warning.message.startswith("Your NVIDIA GeForce RTX 4080 cannot train gpt-4.1-mini: "
                                      "its weights are not published, so the costs are those "
                                      "of Azure OpenAI gpt-4.1-mini")


def test_a_self_hosted_plan_on_the_teams_card_has_no_such_warning() -> None:
    inputs = _own_gpu(gpu="rtx-4090")
    for row in ("fine_tuning", "fine_tuning+prompt_engineering"):
        inputs.approaches = {**inputs.approaches, row: inputs.approach(row).model_copy(
            update={"provider": "self-hosted", "deployment": None})}
    a = _assess_with_costs(inputs)
    assert all(w.id != "gpu_not_in_costs" for w in a.warnings)


def test_own_gpus_without_a_card_named_veto_until_one_is_chosen() -> None:
    a = assess(project_with(_own_gpu(), **fine_tuning_answers()))
    blocker = next(b for b in a.blockers if b.id == "no_gpu_budget")
    assert blocker.message == "The plan trains on GPUs of your own but does not say which card."


def test_an_unknown_card_names_the_closest_known_ones() -> None:
    a = assess(project_with(_own_gpu(gpu="rtx-4070"), **fine_tuning_answers()))
    blocker = next(b for b in a.blockers if b.id == "no_gpu_budget")
    assert blocker.message.startswith("Tunewise's GPU list has no card 'rtx-4070' (closest: ")


def test_two_cards_in_data_parallel_still_each_hold_the_whole_model() -> None:
    one = _own_gpu(gpu="rtx-4080", model="qwen2.5-14b", method="lora", seq_len=2048)
    two = _own_gpu(gpu="rtx-4080", model="qwen2.5-14b", method="lora", seq_len=2048, count=2)
    for costs in (one, two):
        a = assess(project_with(costs, **fine_tuning_answers()))
        assert "no_gpu_budget" in a.present_signals_against()


def test_fine_tuning_plus_rag_when_both_gaps_hold() -> None:
    a = assess(project_with(**fine_tuning_answers(knowledge_gap=True)))
    assert a.approach == "rag"  # the flowchart stops at q2
    assert a.combination == "fine_tuning+rag"


def test_fine_tuning_plus_prompting_with_per_request_context() -> None:
    a = assess(project_with(**fine_tuning_answers(per_request_context=True)))
    assert (a.approach, a.combination) == ("fine_tuning", "fine_tuning+prompt_engineering")


def test_all_three_with_knowledge_context_and_edge_case_rules() -> None:
    a = assess(project_with(**fine_tuning_answers(knowledge_gap=True, per_request_context=True,
                                                  edge_case_rules=True)))
    assert a.combination == "all_three"


def test_combination_needs_data_and_says_what_is_missing() -> None:
    a = assess(project_with(**fine_tuning_answers(knowledge_gap=True, example_count=150)))
    assert a.combination is None
    assert a.combination_candidate == "fine_tuning+rag"
    assert any("50 more" in gap for gap in a.combination_missing)


def test_combination_is_withheld_while_a_veto_holds() -> None:
    a = assess(project_with(**fine_tuning_answers(per_request_context=True,
                                                  changing_requirements=True)))
    assert a.combination is None
    assert a.combination_candidate == "fine_tuning+prompt_engineering"
    assert any("moving" in gap for gap in a.combination_missing)


def test_questions_after_the_stop_still_feed_the_combination() -> None:
    # q1 says prompting is not enough, q2 stops at RAG; q3/q4 answers still count.
    a = assess(project_with(few_shot_adequate="no", knowledge_gap=True, behavior_gap=True,
                            example_count=300, examples_high_quality=True))
    assert a.stopped_at == "q2"
    assert a.combination == "fine_tuning+rag"


# ---- the 90% rule -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("score", "target", "expected"),
    [
        (0.72, 0.80, "prompt_engineering"),  # 0.72 / 0.80 = 0.90 exactly: at the line
        (0.7199, 0.80, "fine_tuning"),  # 0.899875: just below
        (0.81, 0.90, "prompt_engineering"),  # 0.90
        (0.80, 0.90, "fine_tuning"),  # 0.8889
        (0.95, 0.90, "prompt_engineering"),  # above the target itself
    ],
)
def test_few_shot_experiment_decides_q1_at_ninety_percent(
    score: float, target: float, expected: str
) -> None:
    a = assess(project_with(**fine_tuning_answers(few_shot_adequate="untested",
                                                  few_shot_score=score, quality_target=target)))
    assert a.approach == expected
    assert a.few_shot_check is not None
    assert a.few_shot_check.ratio == pytest.approx(score / target)


def test_the_arithmetic_is_shown() -> None:
    a = assess(project_with(**fine_tuning_answers(few_shot_score=0.6, quality_target=0.8)))
    assert a.path[0].detail == a.few_shot_check.explanation  # type: ignore[union-attr]
    assert "60%" in a.path[0].detail and "80%" in a.path[0].detail and "75%" in a.path[0].detail


def test_untested_continues_lowers_confidence_and_asks_for_the_experiment() -> None:
    tested = assess(project_with(**fine_tuning_answers()))
    untested = assess(project_with(**fine_tuning_answers(few_shot_adequate="untested")))
    assert untested.approach == tested.approach == "fine_tuning"
    assert tested.confidence == "high"
    assert untested.confidence == "medium"
    step = next(s for s in untested.next_steps if s.id == "run_experiment")
    assert "20" in step.message and "50" in step.message


# ---- signs, contradictions, explanations ----------------------------------------------------

def test_long_prompt_suggests_latency_and_only_the_costs_suggest_cost_at_scale() -> None:
    # gpt-5.4 has no announced retirement, so prompting keeps its price all year.
    costs = CostInputs(requests_per_day=10_000, approaches={
        "prompt_engineering": ApproachInputs(model="gpt-5.4", system_prompt_tokens=2000)})
    project = project_with(costs=costs, **fine_tuning_answers())
    suggested = {s.id: s for s in assess(project).signals_for}
    assert suggested["latency"].suggested and suggested["latency"].present
    # Without the cost model there is nothing to read cost at scale from.
    assert not suggested["cost_at_scale"].suggested
    with_costs = {s.id: s for s in assess(project, compute_costs(costs)).signals_for}
    assert with_costs["cost_at_scale"].suggested and with_costs["cost_at_scale"].present


def test_user_tick_wins_over_the_suggestion() -> None:
    costs = CostInputs(requests_per_day=10_000, approaches={
        "prompt_engineering": ApproachInputs(model="gpt-4o", system_prompt_tokens=2000)})
    a = assess(project_with(costs=costs, **fine_tuning_answers(latency=False)))
    latency = next(s for s in a.signals_for if s.id == "latency")
    assert latency.suggested and not latency.present


def test_short_prompt_suggests_nothing() -> None:
    costs = CostInputs(requests_per_day=50, approaches={
        "prompt_engineering": ApproachInputs(model="gpt-4o", system_prompt_tokens=300)})
    a = assess(project_with(costs=costs, **fine_tuning_answers()))
    assert not any(s.suggested for s in a.signals_for)


def test_small_dataset_is_derived_from_count_and_quality() -> None:
    assert "small_dataset" in assess(project_with(example_count=99, examples_high_quality=True)
                                     ).present_signals_against()
    assert "small_dataset" in assess(project_with(
        example_count=999, examples_high_quality=False)).present_signals_against()
    # Not answered yet is not a sign against.
    assert "small_dataset" not in assess(project_with()).present_signals_against()
    assert "small_dataset" not in assess(
        project_with(example_count=100, examples_high_quality=True)).present_signals_against()


def test_forty_examples_marked_high_quality_collect_data_without_a_false_warning() -> None:
    a = assess(project_with(**fine_tuning_answers(example_count=40)))
    assert a.warnings == []
    assert a.approach == "collect_data"
    assert "Only 40 good examples" in a.blockers[-1].message


def test_general_knowledge_without_knowledge_gap_is_a_warning() -> None:
    a = assess(project_with(**fine_tuning_answers(general_knowledge=True)))
    assert "knowledge_contradiction" in [w.id for w in a.warnings]
    assert a.confidence != "high"


def test_experiment_contradicting_the_stated_answer_is_a_warning_and_evidence_wins() -> None:
    a = assess(project_with(**fine_tuning_answers(few_shot_adequate="yes", few_shot_score=0.5,
                                                  quality_target=0.9)))
    assert a.approach == "fine_tuning"
    assert "few_shot_contradiction" in [w.id for w in a.warnings]


def test_half_an_experiment_is_a_warning() -> None:
    a = assess(project_with(**fine_tuning_answers(few_shot_score=0.5)))
    assert "few_shot_incomplete" in [w.id for w in a.warnings]


def test_every_conclusion_has_reasons_and_a_headline() -> None:
    a = assess(project_with(**fine_tuning_answers(output_format=True)))
    assert a.reasons_for[0].id == "outcome_fine_tuning"
    assert "sign_output_format" in [r.id for r in a.reasons_for]
    assert len(a.strongest_reasons()) == 3
    assert a.headline == "Fine-tuning"
    assert a.confidence_reasons


def test_what_would_change_it_is_computed_by_flipping_answers() -> None:
    a = assess(project_with(**fine_tuning_answers()))
    changes = {c.change: c.approach for c in a.what_would_change}
    assert changes["If few-shot prompting were shown to reach the target"] == "prompt_engineering"
    assert changes["If missing knowledge were the main gap"] == "rag"


def test_blockers_only_matter_when_fine_tuning_is_on_the_table() -> None:
    a = assess(project_with(few_shot_adequate="no", knowledge_gap=True,
                            changing_requirements=True))
    assert a.approach == "rag"
    assert a.blockers == []
    assert "changing_requirements" in a.present_signals_against()


def test_support_bot_example(support_bot) -> None:  # type: ignore[no-untyped-def]
    a = assess(support_bot)
    assert (a.approach, a.combination) == ("fine_tuning", "fine_tuning+prompt_engineering")
    assert a.confidence == "high"


def test_policy_assistant_example_is_rag(policy_assistant) -> None:  # type: ignore[no-untyped-def]
    assert assess(policy_assistant).approach == "rag"
