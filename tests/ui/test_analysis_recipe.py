"""The 'add an analysis' recipe: one registry line, and its panel and report section appear."""

from __future__ import annotations

import io
import sys
import types
from typing import Any

import pypdf
import pytest
from pydantic import BaseModel
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from tunewise.core import analyses
from tunewise.core.evaluation import Evaluation, evaluate, to_json
from tunewise.core.project import Project
from tunewise.report.blocks import Heading, para
from tunewise.report.pdf import build_report
from tunewise.ui.controller import ProjectController
from tunewise.ui.results.dashboard import Dashboard


class Volume(BaseModel):
    requests_per_year: float


def _volume(project: Project, costs: Any) -> Volume:
    return Volume(requests_per_year=project.costs.requests_per_day * 365)


class _Panel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def show_result(self, result: BaseModel, evaluation: Evaluation) -> None:
        assert isinstance(result, Volume)
        self.setText(f"{result.requests_per_year:,.0f} requests a year")


def _section(ctx: Any, result: Volume) -> list[Any]:
    return [Heading("Yearly volume", "volume"),
            para(f"{result.requests_per_year:,.0f} requests a year.")]


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyses, "ANALYSES",
                        (analyses.Analysis("volume", "Yearly volume", _volume),))
    panel = types.ModuleType(f"{analyses.PANEL_PACKAGE}.volume")
    panel.Panel = _Panel  # type: ignore[attr-defined]
    section = types.ModuleType(f"{analyses.SECTION_PACKAGE}.volume")
    section.section = _section  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, panel.__name__, panel)
    monkeypatch.setitem(sys.modules, section.__name__, section)


def test_a_registered_analysis_reaches_json_panel_and_report(
        registered: None, qtbot: QtBot, support_bot: Project) -> None:
    # 10,000 requests a day x 365 = 3,650,000 a year.
    evaluation = evaluate(support_bot)
    assert to_json(evaluation)["analyses"] == {"volume": {"requests_per_year": 3_650_000.0}}

    dashboard = Dashboard(ProjectController(support_bot))
    qtbot.addWidget(dashboard)
    titles = [dashboard.sections.tabText(i) for i in range(dashboard.sections.count())]
    assert titles == ["Assessment", "Yearly volume"]
    panel = dashboard.sections.widget(1)
    assert isinstance(panel, QLabel) and panel.text() == "3,650,000 requests a year"

    pdf = build_report(support_bot)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Yearly volume" in text and "3,650,000 requests a year." in text


def test_without_analyses_the_dashboard_shows_no_tab_bar(
        qtbot: QtBot, support_bot: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyses, "ANALYSES", ())
    dashboard = Dashboard(ProjectController(support_bot))
    qtbot.addWidget(dashboard)
    assert dashboard.sections.count() == 1
    assert dashboard.sections.tabBarAutoHide()
