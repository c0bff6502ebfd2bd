"""The flowchart is data in core: change it and the engine, the app's diagram and the report
follow, with nothing else edited."""

from __future__ import annotations

import dataclasses
import io

import pypdf
import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from tests.core.helpers import fine_tuning_answers, project_with
from tunewise.core import decision
from tunewise.core.evaluation import evaluate
from tunewise.core.flowchart import FLOWCHART, Question, Thresholds
from tunewise.report.pdf import build_report
from tunewise.ui.wizard.flowchart import FlowchartWidget


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_a_lower_example_threshold_reaches_engine_wording_diagram_and_report(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = dataclasses.replace(FLOWCHART, thresholds=Thresholds(examples_to_fine_tune=150))
    monkeypatch.setattr(decision, "FLOWCHART", chart)
    project = project_with(**fine_tuning_answers(example_count=160))
    a = evaluate(project, strict=False).assessment
    assert a.flowchart_outcome == "fine_tuning"  # 160 passes a 150 line, not the usual 200
    short = project_with(**fine_tuning_answers(example_count=120))
    blocked = evaluate(short, strict=False).assessment
    assert blocked.blockers[-1].message == "Only 120 good examples; fine-tuning wants 150 or more."

    widget = FlowchartWidget()
    qtbot.addWidget(widget)
    widget.set_assessment(a)
    assert "150+ good examples? yes" in widget.describe()

    text = _pdf_text(build_report(project))
    assert "Are there 150 or more high-quality examples?" in text
    assert "200 or more" not in text


def test_an_added_question_is_walked_drawn_and_printed(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    budget = Question("q0", "Budget agreed?", "Has anyone agreed to pay for this feature?",
                      lambda a, check, t: "yes" if a.example_count > 0 else "no",
                      exit_on="no", exit_to="revisit_problem")
    chart = dataclasses.replace(FLOWCHART, questions=(budget, *FLOWCHART.questions))
    monkeypatch.setattr(decision, "FLOWCHART", chart)

    project = project_with(**fine_tuning_answers())
    a = evaluate(project, strict=False).assessment
    assert [s.question for s in a.path] == ["q0", "q1", "q2", "q3", "q4"]
    none = evaluate(project_with(**fine_tuning_answers(example_count=0)), strict=False)
    assert (none.assessment.flowchart_outcome, none.assessment.stopped_at) == (
        "revisit_problem", "q0")

    widget = FlowchartWidget()
    qtbot.addWidget(widget)
    widget.resize(270, 560)
    widget.set_assessment(a)
    widget.show()
    assert widget.describe().startswith("Budget agreed? yes; Few-shot enough? no")
    with qtbot.waitSignal(widget.questionClicked) as clicked:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert clicked.args == ["q0"]

    text = _pdf_text(build_report(project))
    assert "Tunewise asks 5 questions in order" in text
    assert "Has anyone agreed to pay for this feature?" in text


def test_open_questions_are_marked_and_not_tried_is_not_a_solid_no(qtbot: QtBot) -> None:
    from tunewise.core.project import Answers, Project

    def badge_ink(answers: Answers) -> int:
        """Pixels that differ from the box fill around Q2's top-right corner."""
        widget = FlowchartWidget()
        qtbot.addWidget(widget)
        widget.resize(280, 470)
        widget.set_assessment(decision.assess(Project(answers=answers)))
        image = widget.grab().toImage()
        rect = widget.node_rect("q2")
        assert rect is not None
        corner = (int(rect.right()) - 4, int(rect.top()) - 4)  # above the box: only a badge
        inked = 0
        for dx in range(-8, 9):
            colour = image.pixelColor(corner[0] + dx, corner[1])
            inked += colour.blue() - colour.red() > 60  # the accent blue of the "?" ring
        return inked

    open_q2 = Answers(few_shot_adequate="untested")
    answered = Answers(few_shot_adequate="untested", knowledge_gap=True)
    assert badge_ink(open_q2) > 0
    assert badge_ink(answered) == 0
    widget = FlowchartWidget()
    qtbot.addWidget(widget)
    widget.set_assessment(decision.assess(Project(answers=open_q2)))
    assert widget.describe().startswith("Few-shot enough? not tried; Knowledge gap? ?")
