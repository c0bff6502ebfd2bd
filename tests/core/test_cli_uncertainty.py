"""`tunewise evaluate` with ranges and scenarios: the uncertainty, sensitivity and scenario
parts of --json, the text blocks, --scenario, --draws and --seed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tunewise.__main__ import main
from tunewise.core import scenarios, uncertainty
from tunewise.core.evaluation import evaluate
from tunewise.core.project import Project, Range, Scenario, Uncertainty
from tunewise.core.storage import load_project, save_project
from tunewise.paths import example_project

HOURS = "costs.approaches.fine_tuning+prompt_engineering.engineering_hours"
REQUESTS = "costs.requests_per_day"
DRAWS = ["--draws", "2000"]


def ranged_plan() -> Project:
    """The support-bot example with two ranges and two scenarios."""
    project = load_project(example_project("support-bot"))
    data = project.model_dump()
    data["uncertainty"] = Uncertainty(ranges={
        REQUESTS: Range(low=4_000, likely=10_000, high=30_000),
        HOURS: Range(low=20, likely=32, high=80)}).model_dump()
    data["scenarios"] = [
        Scenario(name="3x traffic", note="If the launch goes well",
                 overrides={REQUESTS: 30_000}).model_dump(),
        Scenario(name="Quiet year", overrides={REQUESTS: 2_000}).model_dump()]
    return Project.model_validate(data)


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "ranged.tunewise"
    save_project(ranged_plan(), path)
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["evaluate", *args, "--json"]) == 0
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return doc


def money(value: float) -> float:
    return round(value, 2) + 0.0


def test_json_uncertainty_is_the_monte_carlo_rounded(plan_file: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, str(plan_file), *DRAWS, "--seed", "7")
    expected = uncertainty.run(evaluate(load_project(plan_file)), draws=2000, seed=7)
    u = doc["uncertainty"]
    assert doc["scenario"] is None
    assert (u["draws"], u["seed"], u["distribution"]) == (2000, 7, "pert")
    assert set(u) >= {"total_at_horizon", "cheapest_probability", "break_even_day",
                      "break_even_never", "few_shot", "could_flip"}
    assert u["total_at_horizon"] == {
        a: {"p10": money(q.p10), "p50": money(q.p50), "p90": money(q.p90)}
        for a, q in expected.total_at_horizon.items()}
    assert u["cheapest_probability"] == {a: round(p, 4)
                                         for a, p in expected.cheapest_probability.items()}
    assert sum(u["cheapest_probability"].values()) == pytest.approx(1.0, abs=1e-9)
    assert expected.break_even_day is not None
    assert u["break_even_day"] == {"p10": round(expected.break_even_day.p10, 1),
                                   "p50": round(expected.break_even_day.p50, 1),
                                   "p90": round(expected.break_even_day.p90, 1)}
    assert u["break_even_never"] == round(expected.break_even_never, 4)
    assert 0 < u["break_even_never"] < 1
    assert u["could_flip"] == expected.could_flip and u["could_flip"]
    assert u["few_shot"] is None  # the example's Q1 has no measured score behind it
    # Ranges widen the totals the ranges touch: prompting's spread brackets its plan total.
    prompting = u["total_at_horizon"]["prompt_engineering"]
    assert prompting["p10"] < doc["costs"]["prompt_engineering"]["total_at_horizon"] \
        < prompting["p90"]


def test_json_sensitivity_rows_widest_swing_first(plan_file: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    rows = run_json(capsys, str(plan_file), *DRAWS)["sensitivity"]
    assert [r["input"] for r in rows] == [HOURS, REQUESTS]
    assert set(rows[0]) == {"input", "label", "low", "high", "swing", "diff_low", "diff_high",
                            "flips"}
    hours = rows[0]
    assert hours["label"] == "Fine-tuning + prompting: engineering hours"
    assert (hours["low"], hours["high"]) == (20, 80)
    # Only the recommended row pays for these hours: 80 - 20 = 60 h at $90 an hour = $5,400
    # on its gap to the runner-up.
    assert hours["swing"] == 5_400.0
    assert hours["diff_high"] - hours["diff_low"] == pytest.approx(5_400.0)
    assert hours["flips"] is None
    # At 4,000 requests a day prompting becomes the cheapest approach.
    assert rows[1]["flips"] == "prompt_engineering"
    assert rows[0]["swing"] >= rows[1]["swing"]


def test_no_ranges_gives_the_plan_s_own_totals(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, str(example_project("support-bot")))
    for approach, q in doc["uncertainty"]["total_at_horizon"].items():
        total = doc["costs"][approach]["total_at_horizon"]
        assert q == {"p10": total, "p50": total, "p90": total}
    assert doc["sensitivity"] == []
    assert doc["uncertainty"]["cheapest_probability"]["fine_tuning"] == 1.0
    assert [r["name"] for r in doc["scenarios"]] == [scenarios.PLAN_NAME]


def test_json_scenarios_are_the_comparison_rows(plan_file: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, str(plan_file), *DRAWS)
    rows = doc["scenarios"]
    assert [r["name"] for r in rows] == [scenarios.PLAN_NAME, "3x traffic", "Quiet year"]
    assert rows[0]["totals"] == {a: c["total_at_horizon"] for a, c in doc["costs"].items()}
    assert rows[1]["changes"] == ["Requests a day: 30,000 (plan: 10,000)"]
    # A quiet year makes plain prompting the cheapest; the plan's cheapest is fine-tuning.
    assert (rows[0]["cheapest"], rows[2]["cheapest"]) == ("fine_tuning", "prompt_engineering")
    assert all(set(r) >= {"name", "headline", "approach", "cheapest", "totals"} for r in rows)


def test_scenario_evaluates_the_scenario(plan_file: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, str(plan_file), "--scenario", "3X TRAFFIC", *DRAWS)
    expected = scenarios.evaluate_scenario(load_project(plan_file), "3x traffic")
    assert doc["scenario"] == "3x traffic"
    assert {a: c["total_at_horizon"] for a, c in doc["costs"].items()} == {
        a: money(c.total_at_horizon) for a, c in expected.costs.approaches.items()}
    assert doc["costs"]["prompt_engineering"]["total_at_horizon"] \
        > doc["scenarios"][0]["totals"]["prompt_engineering"]
    # The scenario sets the requests, so their range is not drawn there: prompting, which the
    # hours range does not touch, has no spread at all.
    prompting = doc["uncertainty"]["total_at_horizon"]["prompt_engineering"]
    total = doc["costs"]["prompt_engineering"]["total_at_horizon"]
    assert prompting == {"p10": total, "p50": total, "p90": total}
    assert [r["input"] for r in doc["sensitivity"]] == [HOURS]


def test_scenario_text_says_which_scenario(plan_file: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(plan_file), "--scenario", "quiet year", *DRAWS]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Scenario: Quiet year (Requests a day: 2,000 (plan: 10,000))\n")
    expected = scenarios.evaluate_scenario(load_project(plan_file), "Quiet year")
    assert f"${expected.costs.approaches['prompt_engineering'].total_at_horizon:,.2f}" in out


def test_unknown_scenario_exits_2_naming_the_scenarios(
        plan_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(plan_file), "--scenario", "Launch\x1b[2J"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("tunewise: the plan has no scenario called 'Launch\\x1b[2J' "
                            "(it has: '3x traffic', 'Quiet year')\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--draws", "50"], "--draws: Input should be greater than or equal to 100"),
    (["--seed", str(2**31)], "--seed: Input should be less than or equal to 2147483647"),
])
def test_draws_or_seed_outside_the_plan_s_bounds_exit_2(
        plan_file: Path, capsys: pytest.CaptureFixture[str], args: list[str],
        message: str) -> None:
    assert main(["evaluate", str(plan_file), *args]) == 2
    assert capsys.readouterr().err == f"tunewise: {message}\n"


def test_draws_that_are_not_a_number_exit_2(plan_file: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["evaluate", str(plan_file), "--draws", "many"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == ("tunewise: argument --draws: not a whole number: "
                                       "'many'\n")


def test_text_has_uncertainty_and_scenario_blocks(plan_file: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(plan_file), *DRAWS]) == 0
    out = capsys.readouterr().out
    expected = uncertainty.run(evaluate(load_project(plan_file)), draws=2000)
    block = out[out.index("Uncertainty (2,000 draws, pert, seed 1"):]
    q = expected.total_at_horizon["fine_tuning"]
    chance = expected.cheapest_probability["fine_tuning"]
    line = next(x for x in block.splitlines() if x.startswith("  Fine-tuning  "))
    assert line.split() == ["Fine-tuning", f"${q.p10:,.2f}", f"${q.p50:,.2f}",
                            f"${q.p90:,.2f}", f"{chance * 100:.1f}%"]
    assert expected.sentences[2] in block  # the break-even range
    assert "Fine-tuning + prompting: engineering hours: $939.00 to $6,339.00 " \
           "(swing $5,400.00)" in block
    sensitive = block[block.index("  Most sensitive"):block.index("\n\nScenarios")]
    assert sensitive.count("\n    ") == 2  # two ranged inputs, both listed (top 3 at most)
    scenario_block = out[out.index("Scenarios (totals over 365 days, USD):"):]
    assert "  Quiet year: " in scenario_block
    assert "cheapest: Prompt engineering" in scenario_block


def test_text_without_scenarios_has_no_scenario_block(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(example_project("support-bot"))]) == 0
    out = capsys.readouterr().out
    assert "\nUncertainty (10,000 draws" in out and "No cost input has a range" in out
    assert "Scenarios (" not in out
