"""Driving the wizard through the main branches and reading the recommendation shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tunewise.core.fieldpath import Attr
from tunewise.core.texts import headline
from tunewise.ui.wizard import PAGES


def A(name: str) -> Attr:
    """A field among the answers."""
    return Attr("answers", name)


def behaviour_with_data(ui: Any, examples: str = "640") -> None:
    ui.choose(A("few_shot_adequate"), "No, it falls short")
    ui.choose(A("knowledge_gap"), "No")
    ui.choose(A("behavior_gap"), "Yes")
    ui.type(A("example_count"), examples)
    ui.choose(A("examples_high_quality"), "Yes")


def test_pages_are_listed_once_in_order(window: Any) -> None:
    titles = [p.title() for p in window.wizard.pages]
    assert len(PAGES) == 8
    assert titles[0] == "Project" and titles[-1] == "Results"
    assert [p.key for p in window.wizard.pages] == [
        "project", "q1", "q2", "q3", "q4", "constraints", "costs", "results"]


def test_new_project_starts_untested(ui: Any) -> None:
    assert ui.window.windowTitle().startswith("Untitled")
    # A blank plan is blank: nothing preselected, nothing concluded, confidence not high.
    assert ui.headline() == "Recommendation: None yet — answer Q1–Q4 to get a recommendation"
    for path in (A("few_shot_adequate"), A("knowledge_gap"), A("behavior_gap"),
                 A("examples_high_quality")):
        assert not any(b.isChecked() for b in ui.field(path).buttons)
    assert "Confidence: low" in ui.window.verdict.text()
    assert ui.window.flowchart.describe().startswith("Few-shot enough? ?; Knowledge gap? ?")


def test_prompting_branch(ui: Any) -> None:
    ui.choose(A("few_shot_adequate"), "Yes")
    assert ui.headline() == "Recommendation: Prompt engineering"
    steps = [ui.window.steps.item(i).text() for i in range(ui.window.steps.count())]
    assert "Q2 · Missing knowledge  (optional)" in steps
    assert "Q4 · Training data  (optional)" in steps
    assert ui.window.flowchart.describe().endswith("Stopped at q1: Prompt engineering.")


def test_rag_branch(ui: Any) -> None:
    ui.choose(A("few_shot_adequate"), "No, it falls short")
    ui.choose(A("knowledge_gap"), "Yes")
    assert ui.headline() == "Recommendation: Retrieval (RAG)"
    assert "Stopped at q2" in ui.window.flowchart.describe()


def test_fine_tuning_branch(ui: Any) -> None:
    behaviour_with_data(ui)
    assert ui.headline() == "Recommendation: Fine-tuning"
    details = ui.window.wizard.dashboard.details.toPlainText()
    assert "there are enough good examples to teach it" in details
    assert "Stopped at q4: Fine-tuning" in ui.window.flowchart.describe()


def test_collect_data_branch(ui: Any) -> None:
    behaviour_with_data(ui, examples="50")
    assert ui.headline() == "Recommendation: Collect data (prompting meanwhile)"
    details = ui.window.wizard.dashboard.details.toPlainText()
    assert "Collect 150 more examples of the behaviour you want." in details


def test_veto_falls_back_and_says_how_to_lift_it(ui: Any) -> None:
    behaviour_with_data(ui)
    ui.choose(Attr("costs", "gpu", "access"), "No budget for either")
    assert ui.headline() == "Recommendation: Prompt engineering"
    details = ui.window.wizard.dashboard.details.toPlainText()
    assert "The plan has no budget for training compute" in details
    assert "To lift it: Budget a hosted tuning service" in details
    constraints = ui.window.wizard.page_of("constraints")
    assert "Blockers" in constraints.note.text()


def test_combination_branch(ui: Any) -> None:
    behaviour_with_data(ui)
    ui.tick(A("per_request_context"))
    assert ui.headline() == "Recommendation: " + headline(
        "fine_tuning", "fine_tuning+prompt_engineering")
    assert "Fine-tuning, best combined as fine-tuning + prompting" in ui.headline()
    ui.choose(A("knowledge_gap"), "Yes")  # q2 stops at RAG; behaviour too: train + retrieve
    assert ui.headline() == "Recommendation: " + headline("rag", "fine_tuning+rag")
    ui.tick(A("edge_case_rules"))
    assert ui.headline() == "Recommendation: " + headline("rag", "all_three")
    ui.tick(A("per_request_context"), False)
    ui.tick(A("edge_case_rules"), False)
    ui.choose(A("knowledge_gap"), "No")
    assert ui.headline() == "Recommendation: Fine-tuning"


def test_few_shot_arithmetic_is_shown_live(ui: Any) -> None:
    ui.choose(A("few_shot_adequate"), "Yes")
    ui.type(A("few_shot_score"), "0.72")
    page = ui.window.wizard.page_of("q1")
    assert "set target" not in page.arithmetic.text()
    ui.type(A("quality_target"), "90%")
    assert page.arithmetic.text() == (
        "Few-shot score 72% ÷ target 90% = 80% of the target, below the 90% line.")
    # The measured result overrides the plain "yes", and the page says so.
    assert "the experiment missed 90% of the target" in page.note.text()
    assert ui.headline() != "Recommendation: Prompt engineering"
    ui.type(A("few_shot_score"), "0.85")
    assert "= 94.4% of the target, at or above" in page.arithmetic.text()
    assert ui.headline() == "Recommendation: Prompt engineering"


def test_signs_show_what_the_numbers_suggest(ui: Any) -> None:
    page = ui.window.wizard.page_of("q3")
    # Defaults: a 3,000-token prompt at 10,000 requests a day suggests both signs.
    assert page.status["latency"].text() == "present (suggested by your numbers: yes)"
    latency = ui.field(A("latency"))
    ui.window.wizard.show_page("q3")
    latency.combo.setCurrentIndex(2)  # "No"
    assert latency.combo.currentText() == "No"
    assert ui.window.controller.project.answers.latency is False
    assert page.status["latency"].text() == "absent (your numbers suggest yes)"
    latency.combo.setCurrentIndex(0)
    assert ui.window.controller.project.answers.latency is None


def test_out_of_range_value_is_refused_in_words_and_changes_nothing(ui: Any) -> None:
    score = ui.type(A("few_shot_score"), "0.5")
    assert ui.window.controller.project.answers.few_shot_score == 0.5
    ui.type_into(score, "1.5")
    assert score.error.isVisible()
    assert score.error.text() == ("Experiment score must be between 0 and 1 (0% to 100%). "
                                  "Not applied: the plan keeps 0.5.")
    assert score.line.text() == "1.5"  # not clamped, not rewritten
    # Typed key by key, "1" was valid on the way; none of a refused text stays in the plan.
    assert ui.window.controller.project.answers.few_shot_score == 0.5
    ui.type_into(score, "abc")
    assert score.error.text() == ("Experiment score needs a number written like 1,500 or 0.25. "
                                  "Not applied: the plan keeps 0.5.")
    assert ui.window.controller.project.answers.few_shot_score == 0.5
    ui.type_into(score, "")
    assert not score.error.isVisible()
    assert ui.window.controller.project.answers.few_shot_score is None


def test_horizon_beyond_ten_years_is_refused_not_clamped(ui: Any) -> None:
    horizon = ui.type(Attr("costs", "horizon_days"), "5000")
    assert horizon.error.text() == ("Horizon must be between 1 and 3,650 days. "
                                    "Not applied: the plan keeps 365 days.")
    # Typed key by key, 500 was valid on the way; the plan keeps the horizon it had.
    assert ui.window.controller.project.costs.horizon_days == 365
    assert horizon.line.text() == "5000"
    assert ui.window.wizard.dashboard.chart.series("prompt_engineering")[0][-1] == 365


def test_empty_plan_name_is_refused(ui: Any) -> None:
    ui.window.wizard.show_page("project")
    name = ui.field(Attr("metadata", "name"))
    name.line.setFocus()
    name.line.selectAll()
    ui.qtbot.keyClick(name.line, Qt.Key.Key_Delete)
    assert name.error.text() == ("Plan name cannot be empty. "
                                 "Not applied: the plan keeps “Untitled plan”.")
    assert ui.window.controller.project.metadata.name == "Untitled plan"


def test_enter_goes_to_next_page(ui: Any) -> None:
    ui.window.wizard.show_page("project")
    requests = ui.field(Attr("costs", "requests_per_day"))
    requests.line.setFocus()
    ui.qtbot.keyClick(requests.line, Qt.Key.Key_Return)
    assert ui.window.wizard.currentPage().key == "q1"


def test_every_page_label_has_a_buddy_and_a_distinct_mnemonic(window: Any) -> None:
    for page in window.wizard.pages[:-2]:  # costs has tabs; checked below
        letters = []
        for f in page.fields:
            text = f.label.text() or getattr(f.editor, "text", lambda: "")()
            if "&" in text:
                letters.append(text[text.index("&") + 1].lower())
            if f.label.text():
                assert f.label.buddy() is not None, f.label.text()
        assert len(letters) == len(set(letters)), page.key
        assert not {"n", "b"} & set(letters)


def test_clicking_a_question_in_the_flowchart_opens_its_page(ui: Any) -> None:
    chart = ui.window.flowchart
    ui.window.wizard.show_page("project")
    q3 = next(n for n in chart._layout() if n.key == "q3")
    ui.qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=q3.rect.center().toPoint())
    assert ui.window.wizard.currentPage().key == "q3"
