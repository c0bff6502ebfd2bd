"""The report's "Your data" section as a reader sees it (issue 13).

The support-bot plan gets an examples file with round, hand-chosen figures, so every number
checked here is one written in this file; the text checked is what pypdf reads back.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest

from tunewise.core.dataset.model import FORMAT_LABELS
from tunewise.core.dataset.model import PROBLEM_DESCRIPTIONS as PROBLEM_LABELS
from tunewise.core.project import DatasetRef, DatasetSplit, MeasuredFigures, Project
from tunewise.report.dataset_section import TITLE
from tunewise.report.pdf import build_report

SHA = "3f7a9c0e5b21" + "d" * 52
LONG_NAME = ("support-tickets-exported-from-the-helpdesk-for-the-whole-of-2026-with-every-"
             "thread-and-reply-kept-verbatim.jsonl")


def clock() -> datetime:
    return datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def figures(**changes: object) -> MeasuredFigures:
    base: dict[str, object] = {
        "records": 1240, "valid": 1180, "invalid": 60, "duplicates": 35, "near_duplicates": 45,
        "good_examples": 1100, "training_tokens": 671_000, "mean_input_tokens": 430.0,
        "mean_output_tokens": 180.0, "pii_examples": 7, "pii_kinds": {"email": 5, "phone": 3},
        "encoding": "o200k_base", "approximate": False,
        "problems_by_kind": {"not_json": 12, "missing_key": 30, "role_order": 18},
        "tokens_mean": 610.0, "tokens_p50": 560.0, "tokens_p95": 1180.0, "tokens_max": 2345,
        "histogram_edges": [0.0, 250.0, 500.0, 750.0, 1000.0, 1250.0, 1500.0, 1750.0, 2000.0,
                            2250.0, 2500.0],
        "histogram_counts": [40, 310, 420, 190, 90, 60, 30, 20, 10, 10],
    }
    base.update(changes)
    return MeasuredFigures.model_validate(base)


def with_dataset(project: Project, *, name: str = "support-tickets.jsonl",
                 split: DatasetSplit | None = None, **changes: object) -> Project:
    copy = project.model_copy(deep=True)
    copy.dataset = DatasetRef(path=f"data/{name}", name=name, size=2_412_003, sha256=SHA,
                              format="chat", measured_on=date(2026, 11, 27),
                              figures=figures(**changes), split=split)
    return copy


def report_text(project: Project) -> str:
    return text_of(build_report(project, paper="a4", clock=clock))


def section_text(project: Project, project_path: Path | None) -> str:
    """The whole report, its examples file looked for from `project_path` (the plan's file)."""
    return text_of(build_report(project, paper="a4", clock=clock, project_path=project_path))


@pytest.fixture(scope="module")
def plan_with_data() -> Project:
    from tunewise.core.storage import load_project
    from tunewise.paths import example_project

    project = load_project(example_project("support-bot"))
    return with_dataset(project, split=DatasetSplit(few_shot=20, held_out=50, train=1030,
                                                    seed=42, folder="splits/2026-11-27"))


@pytest.fixture(scope="module")
def text(plan_with_data: Project) -> str:
    return report_text(plan_with_data)


def test_plans_without_a_dataset_have_no_data_section(support_bot: Project) -> None:
    assert support_bot.dataset is None
    text = report_text(support_bot)
    assert TITLE not in text
    assert "Problems by kind" not in text
    assert "support-tickets" not in text


def test_the_file_and_its_counts(text: str) -> None:
    assert TITLE in text
    assert "support-tickets.jsonl" in text
    assert "2.4 MB (2,412,003 bytes)" in text
    assert FORMAT_LABELS["chat"] in text
    assert "3f7a9c0e5b21…" in text and SHA not in text
    assert "27 November 2026" in text
    # build_report is given no project path: the report says so instead of guessing.
    assert "Not checked" in text
    for label, count in [("Records read", "1,240"), ("Valid examples", "1,180"),
                         ("Records with problems", "60"), ("Exact duplicates", "35"),
                         ("Near duplicates", "45"), ("Good examples", "1,100"),
                         ("Training tokens", "671,000")]:
        assert f"{label} {count}" in text, label
    assert "95.2% of the records" in text  # 1,180 / 1,240


def test_problems_by_kind_are_rows_in_our_words(text: str) -> None:
    assert f"{PROBLEM_LABELS['missing_key']} 30" in text
    assert f"{PROBLEM_LABELS['role_order']} 18" in text
    assert f"{PROBLEM_LABELS['not_json']} 12" in text
    assert "missing_key" not in text  # ids stay inside the file


def test_every_problem_kind_has_a_label() -> None:
    from typing import get_args

    from tunewise.core.dataset.model import ProblemKind

    assert set(PROBLEM_LABELS) == set(get_args(ProblemKind))


def test_token_distribution(text: str, plan_with_data: Project) -> None:
    assert "Mean Median (p50) p95 Longest Encoding 610 560 1,180 2,345 o200k_base" in text
    assert "approximation" not in text
    # The histogram's axis and the p50/p95 marks are drawn as text, not a picture.
    assert "Tokens per example" in text
    assert "p50 560" in text and "p95 1,180" in text
    approximate = with_dataset(plan_with_data, approximate=True)
    assert "o200k approximation" in report_text(approximate)


def test_personal_data_is_a_caution_with_counts_per_kind(text: str) -> None:
    assert "7 examples hold what looks like personal data" in text
    assert "E-mail addresses 5" in text
    assert "Phone numbers 3" in text
    assert "Payment card" not in text  # kinds not found are not listed


def test_the_split(text: str) -> None:
    assert "The split" in text
    assert "Few-shot examples 20" in text
    assert "Held out 50" in text
    assert "Training 1,030" in text
    assert "seed 42" in text
    assert "1,100 good examples" in text


def test_labels_print_when_the_answers_are_classes(plan_with_data: Project) -> None:
    assert "Label balance" not in report_text(plan_with_data)
    labelled = with_dataset(plan_with_data, labels={"billing": 600, "outage": 300,
                                                    "account": 200})
    text = report_text(labelled)
    assert "Label balance" in text
    assert "billing 600 54.5%" in text  # 600 / 1,100
    assert "account 200 18.2%" in text  # 200 / 1,100


def test_an_overridden_figure_shows_both_numbers(plan_with_data: Project) -> None:
    project = with_dataset(plan_with_data, good_examples=640)
    project.answers.example_count = 900
    text = report_text(project)
    assert "Where the plan's figures come from" in text
    assert ("Good examples (Q4) 640 900 you typed 900; measured 640 in support-tickets.jsonl "
            "on 2026-11-27") in text
    # The plan's 2,000,000 training tokens against the 671,000 measured.
    assert "you typed 2,000,000; measured 671,000" in text
    project.answers.example_count = 640
    text = report_text(project)
    assert ("Good examples (Q4) 640 640 measured from support-tickets.jsonl on 2026-11-27"
            in text)


def _on_disk(tmp_path: Path, content: bytes) -> tuple[Path, int, str]:
    path = tmp_path / "support-tickets.jsonl"
    path.write_bytes(content)
    return path, len(content), hashlib.sha256(content).hexdigest()


def _pointing_at(project: Project, path: str, size: int, sha256: str) -> Project:
    copy = project.model_copy(deep=True)
    assert copy.dataset is not None
    copy.dataset = copy.dataset.model_copy(update={"path": path, "size": size,
                                                   "sha256": sha256})
    return copy


def test_a_missing_file_is_said_plainly(plan_with_data: Project, tmp_path: Path) -> None:
    # A relative path is looked for beside the plan, when the report knows where that is.
    text = section_text(plan_with_data, tmp_path / "plan.tunewise")
    assert "File now Missing" in text
    assert ("The examples file is missing. support-tickets.jsonl is no longer at "
            "data/support-tickets.jsonl") in text
    assert "Not checked" not in text
    # An absolute path needs no plan path, so the whole report says it too.
    gone = _pointing_at(plan_with_data, (tmp_path / "gone.jsonl").as_posix(), 10, SHA)
    assert "The examples file is missing." in report_text(gone)


def test_a_changed_file_and_an_unchanged_one(plan_with_data: Project, tmp_path: Path) -> None:
    path, size, digest = _on_disk(tmp_path, b'{"messages": []}\n')
    same = _pointing_at(plan_with_data, path.as_posix(), size, digest)
    text = report_text(same)
    assert "support-tickets.jsonl is the file measured on 2026-11-27" in text
    assert "The examples file" not in text
    path.write_bytes(b'{"messages": [1]}\n')  # same name, other bytes
    text = report_text(same)
    assert "The examples file has changed. support-tickets.jsonl has changed since" in text


def test_a_long_file_name_prints_in_full(plan_with_data: Project) -> None:
    text = report_text(with_dataset(plan_with_data, name=LONG_NAME))
    # A name with no spaces wraps anywhere, so compare without the breaks.
    assert LONG_NAME in text.replace(" ", "")
