"""The six wrong conclusions the first release showed users, each with its corrected output."""

from __future__ import annotations

from tests.core.helpers import bare_approach, fine_tuning_answers, project_with
from tunewise.core.decision import assess, combination_help
from tunewise.core.evaluation import evaluate, to_json
from tunewise.core.prices import default_catalog
from tunewise.core.project import CostInputs, PriceOverride, Project


def test_150_reviewed_examples_is_not_a_contradiction() -> None:
    # "Reviewed as high quality? Yes" with 150 examples: true answers, no warning, no false fix.
    a = assess(project_with(**fine_tuning_answers(example_count=150)))
    assert a.warnings == []
    assert a.approach == "collect_data"
    assert a.confidence == "high"  # nothing contradicts, nothing is a close call
    blocker = next(b for b in a.blockers if b.id == "small_dataset")
    assert blocker.message == "Only 150 good examples; fine-tuning wants 200 or more."
    assert blocker.lift == "Collect 50 more examples of the behaviour you want."
    assert all("untick" not in (i.lift + i.message).lower() for i in a.blockers + a.warnings)


def test_no_way_to_measure_quality_next_to_a_measured_score_is_a_warning() -> None:
    a = assess(project_with(**fine_tuning_answers(no_eval_criteria=True, few_shot_score=0.6,
                                                  quality_target=0.8)))
    warning = next(w for w in a.warnings if w.id == "eval_criteria_contradiction")
    assert "60%" in warning.message and "80%" in warning.message
    assert "Untick 'No way to measure quality yet'" in warning.lift
    assert a.confidence != "high"


def _cheap_fine_tuning_costs() -> CostInputs:
    # Prompting: 10,000 requests a day of 3,000 input tokens at $2.50/1M = $0.0075 a request.
    # All three combined: 100 tokens at the fine-tuned rate $0.30/1M = $0.00003 a request, no
    # upfront work. Over 30 days prompting is 300,000 requests x $0.0075 = $2,250.
    return CostInputs(
        requests_per_day=10_000, horizon_days=30,
        approaches={
            "prompt_engineering": bare_approach("gpt-4o", system_prompt_tokens=3000),
            "all_three": bare_approach("gpt-4o-mini", system_prompt_tokens=100),
        },
        training={"training_tokens": 0, "evaluation_cost": 0, "retrain_every_months": 0},
        retrieval={"corpus_tokens": 0, "reindex_every_months": 0},
    )


def test_prompting_enough_does_not_claim_training_adds_cost_when_it_saves_money() -> None:
    project = project_with(
        costs=_cheap_fine_tuning_costs(), few_shot_adequate="yes", behavior_gap=True,
        knowledge_gap=True, per_request_context=True, edge_case_rules=True, example_count=500,
        examples_high_quality=True)
    evaluation = evaluate(project, strict=False)
    a = evaluation.assessment
    assert a.combination_candidate == "all_three" and a.combination is None
    pe = evaluation.costs.approaches["prompt_engineering"].total_at_horizon
    combo = evaluation.costs.approaches["all_three"].total_at_horizon
    assert pe == 2_250.0
    assert combo < pe
    gap = a.combination_missing[0]
    assert "would add cost" not in gap
    assert "would still cost less over 30 days" in gap
    assert "$2,250.00 for prompting" in gap


def test_help_text_for_combinations_states_the_engines_rule() -> None:
    # Both gaps and edge-case rules, but no per-request context: the engine says FT + RAG ...
    a = assess(project_with(**fine_tuning_answers(knowledge_gap=False, general_knowledge=True,
                                                  edge_case_rules=True)))
    assert a.combination_candidate == "fine_tuning+rag"
    # ... and the help text says all three also needs each request's own context.
    text = combination_help("all_three")
    assert text == ("All three combined fits when behaviour is the gap, facts are needed (a "
                    "knowledge gap, or broad or current facts), each request brings its own "
                    "context and edge-case rules change often.")


def test_payback_is_the_recommended_combinations_not_plain_fine_tunings(
        support_bot: Project) -> None:
    evaluation = evaluate(support_bot)
    a = evaluation.assessment
    assert a.recommended_row == "fine_tuning+prompt_engineering"
    assert a.payback is not None and a.payback.approach == "fine_tuning+prompt_engineering"
    plain = evaluation.costs.payback_days("fine_tuning")
    combined = evaluation.costs.payback_days("fine_tuning+prompt_engineering")
    assert plain is not None and combined is not None and round(plain) != round(combined)
    assert a.payback.day == combined
    assert a.payback.sentence.startswith(
        f"Fine-tuning + prompting earns back its extra upfront cost against prompt engineering "
        f"on day {combined:,.0f}")
    assert to_json(evaluation)["payback"]["approach"] == "fine_tuning+prompt_engineering"


def test_constraints_summary_never_says_nothing_stands_against_above_a_blocker() -> None:
    a = assess(project_with(**fine_tuning_answers(example_count=150)))
    assert a.present_signals_against() == []
    assert [b.id for b in a.blockers] == ["small_dataset"]
    assert a.constraints_summary == ("None of the signs against fine-tuning is present; what "
                                     "holds it back for now is listed under Blockers.")
    clear = assess(project_with(**fine_tuning_answers()))
    assert clear.constraints_summary == "Nothing here stands against fine-tuning."


def test_collect_data_highlights_prompting_and_revisit_highlights_nothing() -> None:
    collect = assess(project_with(**fine_tuning_answers(example_count=10)))
    assert collect.recommended_row == "prompt_engineering"
    assert "carries the load" in collect.recommended_row_note
    revisit = assess(project_with(few_shot_adequate="no", knowledge_gap=False,
                                  behavior_gap=False))
    assert revisit.approach == "revisit_problem"
    assert revisit.recommended_row is None


def test_price_override_does_not_change_which_row_is_recommended() -> None:
    costs = CostInputs(price_overrides={"gpt-4o": PriceOverride(input=0.0, output=0.0)})
    a = evaluate(project_with(costs=costs, **fine_tuning_answers()),
                 default_catalog(), strict=False).assessment
    assert a.recommended_row == "fine_tuning"
