"""The report's "GPU feasibility" section as a reader sees it (issue 15).

The first tests run the real analysis (registered here for the test, as core/analyses.py will
register it) on the support-bot plan with a GPU plan set, and check the printed figures against
`memory.estimate` rounded as the report prints them (one decimal). The others hand the section
a `GpuResult` built here with round figures, so every number checked is written in this file.
Text is what pypdf reads back.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pypdf
import pytest

from tunewise.core import analyses
from tunewise.core.analyses import Analysis
from tunewise.core.costs import CostReport
from tunewise.core.gpu import analysis as gpu_analysis
from tunewise.core.gpu import catalogue, memory
from tunewise.core.gpu.analysis import GpuResult, MemoryRow, ServingStep, TrainingOption
from tunewise.core.project import Project
from tunewise.core.storage import load_project
from tunewise.paths import example_project
from tunewise.report.analyses import gpu as section_module
from tunewise.report.pdf import build_report

TITLE = "GPU feasibility"
Run = Callable[[Project, CostReport], GpuResult | None]


def clock() -> datetime:
    return datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def register(monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    monkeypatch.setattr(analyses, "ANALYSES", (Analysis("gpu", TITLE, run),))


def plan(access: str = "own", gpu: str | None = "rtx-4080", method: str = "qlora") -> Project:
    project = load_project(example_project("support-bot"))
    project.costs.gpu.access = access  # type: ignore[assignment]
    project.costs.gpu.gpu = gpu
    project.costs.gpu.method = method  # type: ignore[assignment]
    return project


def section_text(text: str) -> str:
    """The section alone: from its heading to the next section's."""
    start = text.index(TITLE)
    return text[start:text.index("Combination strategy", start)]


def peak(method: memory.Method, checkpointing: bool = True) -> str:
    model = catalogue.models().get("llama-3.1-8b")
    return f"{memory.estimate(model, method, 2048, 1, checkpointing=checkpointing).total_gib:.1f}"


def test_a_run_that_fits_the_teams_card(monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch, gpu_analysis.run)
    text = section_text(text_of(build_report(plan(), paper="a4", clock=clock)))
    qlora = peak("qlora")
    assert qlora == "11.2"  # 5.3 weights + 0.5 adapters' state + 4.4 activations + 1.0 overhead
    assert "The sign “no GPU budget” does not stand against fine-tuning." in text
    assert (f"QLoRA of Llama 3.1 8B at 2,048 tokens needs about {qlora} GB on each GPU; your "
            "NVIDIA GeForce RTX 4080 has 16 GB.") in text
    # The table: every method with and without checkpointing, against the card.
    assert "On one NVIDIA GeForce RTX 4080 (16 GiB)" in text
    assert f"QLoRA on {qlora} fits" in text
    assert f"LoRA off {peak('lora', False)} does not fit" in text
    assert f"Full (mixed precision) on {peak('full')} does not fit" in text
    # The plan's set-up, part by part, adding up to the peak.
    assert (f"QLoRA of Llama 3.1 8B at 2,048 tokens, batch 1, gradient checkpointing on: about "
            f"{qlora} GiB at its peak. It fits on one NVIDIA GeForce RTX 4080 (16 GiB).") in text
    assert f"peak {qlora} GiB" in text  # on the bar
    assert f"Peak {qlora}" in text  # in its table
    assert "the gradients count 0 here" in text
    # How many, how big, how long; one training run beside the hosted services.
    assert "plain data parallel fits on 1 RTX 4080 (16 GB)." in text
    assert "The largest catalogue model whose QLoRA at 2,048 tokens fits one" in text
    assert "The longest training sequence whose QLoRA of Llama 3.1 8B fits one" in text
    assert "NVIDIA GeForce RTX 4080 (yours)" in text
    assert "Fireworks AI (serverless) $3.00" in text  # 6M training tokens x $0.50 per 1M


def test_a_run_that_does_not_fit_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch, gpu_analysis.run)
    text = section_text(text_of(build_report(plan(method="full"), paper="a4", clock=clock)))
    assert "The sign “no GPU budget” stands against fine-tuning." in text
    full = peak("full")
    assert full == "126.1"  # 16 bytes a parameter of about 8.0B, plus overhead
    assert f"Full (mixed precision) on {full} does not fit" in text
    assert f"about {full} GiB at its peak. It does not fit on one NVIDIA GeForce RTX 4080" in text
    assert "the activations count 0 here" in text  # the peak holds the gradients


def test_without_a_card_the_table_says_nothing_fits_or_not(
        monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch, gpu_analysis.run)
    text = section_text(text_of(build_report(plan("rent", None), paper="a4", clock=clock)))
    assert "The plan names no card of its own, so the table does not say what fits." in text
    assert f"QLoRA on {peak('qlora')} QLoRA off" in text  # no fits column between them
    assert "does not fit" not in text.split("part by part")[0]


def result(**changes: object) -> GpuResult:
    chosen = MemoryRow(method="lora", method_label="LoRA", seq_len=4096, batch=2,
                       checkpointing=True, weights_gib=10.0, trainable_state_gib=2.5,
                       gradients_gib=0.0, activations_gib=6.0, overhead_gib=1.5,
                       total_gib=20.0, fits=True)
    base: dict[str, object] = {
        "model": "llama-3.1-8b", "model_name": "Llama 3.1 8B", "access": "rent",
        "gpu": "rtx-4090", "gpu_name": "Test Card 24", "gpu_memory_gib": 24.0, "count": 1,
        "sign_present": False, "sign_detail": "A detail written by the test.",
        "chosen": chosen,
        "table": [chosen, chosen.model_copy(update={"checkpointing": False,
                                                    "total_gib": 31.25, "fits": False})],
        "sized_on": "Test Card 24",
        "gpus_needed": "One card is enough, says the test", "largest_model": "",
        "longest_sequence": 12_800,
        "training": [
            TrainingOption(where="Test Card 24 (rented)", hours=3.4, cost=12.5,
                           note="a note <b>not bold</b>"),
            TrainingOption(where="Hosted & Co (serverless)", hours=None, cost=None),
        ],
        "serving": [ServingStep(day=1, date=date(2026, 12, 1), gpus=1, requests_per_day=10_000),
                    ServingStep(day=92, date=date(2027, 3, 2), gpus=2,
                                requests_per_day=21_970.5)],
        "serving_note": "Served on the test card",
    }
    base.update(changes)
    return GpuResult.model_validate(base)


def built(monkeypatch: pytest.MonkeyPatch, given: GpuResult) -> str:
    register(monkeypatch, lambda _project, _costs: given)
    return section_text(text_of(build_report(plan(), paper="a4", clock=clock)))


def test_the_sections_figures_are_the_results(monkeypatch: pytest.MonkeyPatch) -> None:
    text = built(monkeypatch, result())
    assert "A detail written by the test." in text
    assert "LoRA on 20.0 fits LoRA off 31.2 does not fit" in text  # 31.25 to one decimal
    assert "Weights 10.0 Optimiser state 2.5 Activations 6.0 Overhead 1.5" in text  # legend
    assert "Gradients 0.0" in text  # the table keeps the part the peak does not hold
    assert "One card is enough, says the test." in text
    assert ("The longest training sequence whose LoRA of Llama 3.1 8B fits one Test Card 24 is "
            "12,800 tokens.") in text
    # Training: hours to one decimal, money as texts.money writes it, user text escaped.
    assert "Test Card 24 (rented) 3.4 $12.50 a note <b>not bold</b>" in text
    assert "Hosted & Co (serverless) not known" in text
    # Serving: the day each step starts, its traffic and GPUs, and the note.
    assert "1 December 2026 1 10,000 1" in text
    assert "2 March 2027 92 21,970 2" in text  # 21,970.5 rounds half to even
    assert "Served on the test card." in text


def test_a_model_without_open_weights_can_only_be_tuned_by_a_service(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = built(monkeypatch, result(model="<i>closed-model</i>", model_name=None, chosen=None,
                                     table=[], training=[], serving=[], serving_note="",
                                     gpus_needed="", longest_sequence=None))
    assert ("Tunewise knows no open weights for <i>closed-model</i>: its weights are not "
            "published, so only a hosted tuning service can tune it") in text
    assert "Memory by method" not in text and "part by part" not in text


def test_long_serving_steps_print_the_first_and_the_last(
        monkeypatch: pytest.MonkeyPatch) -> None:
    steps = [ServingStep(day=d, date=date(2027, 1, 1), gpus=d, requests_per_day=1000.0 * d)
             for d in range(1, 31)]
    text = built(monkeypatch, result(serving=steps))
    shown = section_module.SERVING_ROWS  # 23 first steps and the last
    assert f"{30 - shown:,} steps between the {shown - 1}th and the last are left out." in text
    assert "1 January 2027 23 23,000 23" in text
    assert "1 January 2027 24 24,000" not in text
    assert "1 January 2027 30 30,000 30" in text


def test_no_fitting_sequence_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    text = built(monkeypatch, result(longest_sequence=None))
    assert "LoRA of Llama 3.1 8B does not fit one Test Card 24 even at 128 tokens." in text
