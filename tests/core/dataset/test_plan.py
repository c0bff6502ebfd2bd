"""Joining a report to the plan: the reference, the fields filled as one step, provenance with
overrides, and a missing or changed file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.core.dataset.helpers import distinct_examples, write_jsonl
from tunewise.core.dataset.inspect import inspect
from tunewise.core.dataset.plan import (
    file_status,
    measured_updates,
    provenance,
    reference,
)
from tunewise.core.fieldpath import ApproachInput, Attr
from tunewise.core.project import Project

DAY = date(2026, 12, 2)


def measured_project(tmp_path: Path) -> tuple[Project, Path, Path]:
    data = tmp_path / "data"
    data.mkdir()
    dataset = write_jsonl(data / "support-tickets.jsonl", distinct_examples(40))
    project_path = tmp_path / "plans" / "bot.tunewise"
    project_path.parent.mkdir()
    report = inspect(dataset, today=DAY)
    ref = reference(report, dataset, project_path)
    project = Project()
    for path, value in measured_updates(ref):
        path.apply(project, value)
    return project, project_path, dataset


def test_reference_is_relative_to_the_project(tmp_path: Path) -> None:
    project, _, dataset = measured_project(tmp_path)
    ref = project.dataset
    assert ref is not None
    assert ref.path == "../data/support-tickets.jsonl"
    assert ref.name == "support-tickets.jsonl" and ref.measured_on == DAY
    assert ref.size == dataset.stat().st_size and ref.figures.good_examples == 40
    unsaved = reference(inspect(dataset, today=DAY), dataset, None)
    assert unsaved.path == dataset.absolute().as_posix()


def test_the_measured_figures_fill_the_plan(tmp_path: Path) -> None:
    project, _, _ = measured_project(tmp_path)
    figures = project.dataset.figures if project.dataset else None
    assert figures is not None
    assert project.answers.example_count == 40
    assert project.costs.training.training_tokens == figures.training_tokens
    for approach in ("fine_tuning", "fine_tuning+rag", "fine_tuning+prompt_engineering",
                     "all_three"):
        assert project.costs.user_input_tokens(approach) == round(figures.mean_input_tokens)
        assert project.costs.output_tokens(approach) == round(figures.mean_output_tokens)
    # Prompting and retrieval keep the workload's figures.
    assert project.costs.user_input_tokens("rag") == 200


def test_provenance_says_measured_or_typed(tmp_path: Path) -> None:
    project, _, _ = measured_project(tmp_path)
    rows = provenance(project)
    assert len(rows) == 10 and not any(row.overridden for row in rows)
    count = rows[0]
    assert count.field == Attr("answers", "example_count") and count.measured == 40
    assert count.sentence == "measured from support-tickets.jsonl on 2026-12-02"
    Attr("answers", "example_count").apply(project, 900)
    ApproachInput("fine_tuning", "output_tokens").apply(project, 1234)
    rows = provenance(project)
    assert rows[0].overridden and rows[0].in_use == 900
    assert rows[0].sentence == ("you typed 900; measured 40 in support-tickets.jsonl on "
                                "2026-12-02")
    output = next(r for r in rows if r.field == ApproachInput("fine_tuning", "output_tokens"))
    assert output.overridden and output.in_use == 1234
    assert output.label == "Output tokens per request (Fine-tuning)"
    assert sum(r.overridden for r in rows) == 2
    assert provenance(Project()) == []


def test_file_status(tmp_path: Path) -> None:
    project, project_path, dataset = measured_project(tmp_path)
    assert file_status(project, project_path)[0] == "ok"
    assert file_status(Project(), project_path)[0] == "none"
    original = dataset.read_bytes()
    dataset.write_bytes(original.replace(b"d1", b"d2", 1))  # same size, other bytes
    status, message = file_status(project, project_path)
    assert status == "changed" and "support-tickets.jsonl has changed" in message
    dataset.write_bytes(original + b"\n")
    assert file_status(project, project_path)[0] == "changed"
    dataset.unlink()
    status, message = file_status(project, project_path)
    assert status == "missing" and "no longer at ../data/support-tickets.jsonl" in message
    assert project.answers.example_count == 40  # the figures are kept


def test_the_reference_is_saved_with_the_project(tmp_path: Path) -> None:
    from tunewise.core.storage import project_from_bytes, project_to_bytes

    project, _, _ = measured_project(tmp_path)
    again = project_from_bytes(project_to_bytes(project))
    assert again.dataset == project.dataset
    assert [r.sentence for r in provenance(again)] == [r.sentence for r in provenance(project)]


def test_the_reference_keeps_what_the_report_prints(tmp_path: Path) -> None:
    # 40 good examples, one line that is not JSON, one with an e-mail address, one exact copy.
    rows = distinct_examples(40)
    rows.append(rows[0])
    rows[5]["messages"][0]["content"] += " Write to dana@example.com."
    dataset = write_jsonl(tmp_path / "tickets.jsonl", rows)
    with dataset.open("a", encoding="utf-8") as out:
        out.write("{not json\n")
    report = inspect(dataset, today=DAY)
    figures = reference(report, dataset, None).figures
    assert (figures.records, figures.valid, figures.invalid) == (42, 41, 1)
    assert (figures.duplicates, figures.good_examples) == (1, 40)
    assert figures.problems_by_kind == {"not_json": 1}
    assert figures.pii_kinds == {"email": 1} and figures.pii_examples == 1
    assert (figures.tokens_mean, figures.tokens_p50, figures.tokens_p95, figures.tokens_max) == (
        report.tokens.mean, report.tokens.p50, report.tokens.p95, report.tokens.max)
    assert figures.histogram_counts == report.histogram.counts
    assert sum(figures.histogram_counts) == 41  # every valid example in one bin
    assert figures.over_context == 0
