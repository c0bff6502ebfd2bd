"""`tunewise gpu`: the memory estimate and the catalogue listings as a user runs them (issue 15).

The JSON figures are checked against `memory.estimate` and against sizes worked out by hand
here from Llama 3.1 8B's published shape (32 layers, hidden 4,096, MLP 14,336, 8 KV heads of
128): LoRA adapters of rank r on all seven projections hold
r * (8,192 + 5,120 + 5,120 + 8,192 + 18,432 + 18,432 + 18,432) = 81,920 r parameters a layer.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.core.test_cli import run_cli
from tunewise import cli_gpu
from tunewise.__main__ import main
from tunewise.core.gpu import catalogue, memory

GIB = 1024**3
MODEL = "llama-3.1-8b"


def estimate_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["gpu", "estimate", "--model", MODEL, *args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert isinstance(doc, dict)
    return doc


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The one stderr line of a command that exits 2 (from argparse or from the handler)."""
    code: object
    try:
        code = main(list(args))
    except SystemExit as stop:  # argparse's refusals
        code = stop.code
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tunewise: "), captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def test_the_method_choices_are_the_estimators() -> None:
    assert cli_gpu.METHOD_CHOICES == memory.METHODS


def test_estimate_json_is_the_estimators_figures(capsys: pytest.CaptureFixture[str]) -> None:
    doc = estimate_json(capsys, "--method", "qlora", "--seq", "2048", "--batch", "2")
    est = memory.estimate(catalogue.models().get(MODEL), "qlora", 2048, 2)
    assert doc["model"] == MODEL and doc["method"] == "qlora"
    assert (doc["seq_len"], doc["batch"], doc["checkpointing"], doc["lora_rank"]) == (
        2048, 2, True, 16)
    for part in ("total", "weights", "trainable_state", "gradients", "activations", "overhead"):
        assert doc[f"{part}_gib"] == round(getattr(est, f"{part}_gib"), 3), part
    assert doc["trainable_parameters"] == est.trainable_parameters
    assert "gpu" not in doc and "fits" not in doc


def test_the_lora_parts_are_the_hand_counted_adapters(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    args = ("gpu", "estimate", "--model", MODEL, "--method", "lora", "--seq", "1024",
            "--lora-rank", "8")
    assert main([*args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    adapters = 32 * 81_920 * 8  # 20,971,520
    assert doc["trainable_parameters"] == adapters == 20_971_520
    # fp32 adapters and two fp32 moments: 12 bytes an adapter parameter.
    assert doc["trainable_state_gib"] == round(12 * adapters / GIB, 3) == 0.234
    # The parts are what the peak holds, and add up to it: the peak comes as backward starts,
    # with the activations held and no gradients written yet.
    assert doc["peak_holds"] == "activations"
    assert doc["gradients_gib"] == 0 and doc["activations_gib"] > 1
    parts = [doc[f"{p}_gib"] for p in ("weights", "trainable_state", "gradients",
                                       "activations", "overhead")]
    assert abs(sum(parts) - doc["total_gib"]) <= 0.0025  # five figures rounded to 0.0005
    # The text says what the gradients would be: fp32, 4 bytes an adapter parameter.
    assert main(list(args)) == 0
    assert f"no gradients are written yet ({4 * adapters / GIB:.3f} GiB" in (
        capsys.readouterr().out)
    assert f"{4 * adapters / GIB:.3f}" == "0.078"


def test_full_training_holds_sixteen_bytes_a_parameter(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    doc = estimate_json(capsys, "--method", "full", "--seq", "2048")
    p = doc["trainable_parameters"]
    assert isinstance(p, int) and p > 7_000_000_000
    assert doc["lora_rank"] is None  # no adapters in full training
    assert doc["trainable_state_gib"] == round(12 * p / GIB, 3)
    # bf16 gradients outweigh the checkpointed activations, so the peak is at the step's end,
    # the activations freed.
    assert doc["peak_holds"] == "gradients" and doc["activations_gib"] == 0
    assert doc["weights_gib"] == round(2 * p / GIB, 3) == doc["gradients_gib"]
    assert abs(doc["total_gib"] - (16 * p / GIB + doc["overhead_gib"])) <= 0.002


def test_the_methods_order_by_memory_and_checkpointing_saves_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    totals = {m: estimate_json(capsys, "--method", m, "--seq", "2048")["total_gib"]
              for m in ("qlora", "lora", "full-bf16", "full")}
    assert totals["qlora"] < totals["lora"] < totals["full-bf16"] < totals["full"]
    kept = estimate_json(capsys, "--method", "lora", "--seq", "2048", "--no-checkpointing")
    assert kept["checkpointing"] is False
    assert kept["activations_gib"] > 3 * estimate_json(
        capsys, "--method", "lora", "--seq", "2048")["activations_gib"]
    doubled = estimate_json(capsys, "--method", "lora", "--seq", "2048", "--lora-rank", "32")
    assert doubled["trainable_parameters"] == 2 * 32 * 81_920 * 16


def test_with_a_card_it_says_whether_it_fits_and_by_how_much(
        capsys: pytest.CaptureFixture[str]) -> None:
    qlora = estimate_json(capsys, "--method", "qlora", "--seq", "2048", "--gpu", "rtx-4080")
    assert qlora["gpu"] == "rtx-4080" and qlora["gpu_memory_gib"] == 16
    assert qlora["fits"] is True
    assert abs(qlora["headroom_gib"] - (16 - qlora["total_gib"])) <= 0.001
    full = estimate_json(capsys, "--method", "full", "--seq", "2048", "--gpu", "RTX-4080")
    assert full["fits"] is False and full["headroom_gib"] < -100  # 16 bytes x 8B parameters


def test_estimate_text_is_a_table_and_a_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gpu", "estimate", "--model", MODEL, "--method", "qlora", "--seq", "2048",
                 "--batch", "1", "--gpu", "rtx-4080"]) == 0
    out = capsys.readouterr().out
    est = memory.estimate(catalogue.models().get(MODEL), "qlora", 2048, 1)
    lines = out.splitlines()
    assert lines[0].startswith("QLoRA of Llama 3.1 8B (llama-3.1-8b), 2,048 tokens, batch 1")
    table = {line.split("  ")[1].strip(): line.rsplit("  ", 1)[1].strip()
             for line in lines if line.startswith("  ") and "GiB" in line}
    assert table["Weights"] == f"{est.weights_gib:.3f} GiB"
    assert table["Activations"] == f"{est.activations_gib:.3f} GiB"
    assert table["Peak"] == f"{est.total_gib:.3f} GiB"
    # The GiB column lines up: every figure ends in the same column.
    assert len({line.index(" GiB") for line in lines if line.endswith(" GiB")}) == 1
    assert f"Trainable parameters: {32 * 81_920 * 16:,}" in out
    headroom = 16 - est.total_gib
    assert (f"Fits: needs about {est.total_gib:.1f} GB of the RTX 4080 (16 GB); "
            f"{headroom:.1f} GB to spare.") in out


def test_a_run_that_does_not_fit_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gpu", "estimate", "--model", MODEL, "--method", "full", "--seq", "2048",
                 "--gpu", "rtx-4090"]) == 0
    assert "Does not fit: needs about" in capsys.readouterr().out


def test_unknown_ids_name_the_closest_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(capsys, "gpu", "estimate", "--model", "llama-3-8b", "--method", "qlora",
                   "--seq", "2048")
    assert line.startswith("tunewise: unknown model 'llama-3-8b'; closest: llama-3.1-8b")
    line = refused(capsys, "gpu", "estimate", "--model", MODEL, "--method", "qlora",
                   "--seq", "2048", "--gpu", "rtx4080")
    assert line.startswith("tunewise: unknown GPU 'rtx4080'; closest: rtx-4080")


def test_an_id_with_control_characters_is_echoed_escaped(
        capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(capsys, "gpu", "estimate", "--model", "x\x1b[2J\ny", "--method", "qlora",
                   "--seq", "2048")
    assert "\x1b" not in line and "\\x1b[2J\\x0ay" in line


@pytest.mark.parametrize(("option", "value", "words"), [
    ("--seq", "0", "must be at least 1"),
    ("--batch", "-1", "must be at least 1"),
    ("--seq", "2k", "not a whole number"),
    ("--batch", "1.5", "not a whole number"),
    ("--lora-rank", "0", "must be at least 1"),
])
def test_bad_numbers_exit_2_naming_the_option(capsys: pytest.CaptureFixture[str], option: str,
                                              value: str, words: str) -> None:
    args = {"--seq": "2048", "--batch": "1", "--lora-rank": "16", option: value}
    line = refused(capsys, "gpu", "estimate", "--model", MODEL, "--method", "lora",
                   *(part for pair in args.items() for part in pair))
    assert f"argument {option}: {words}" in line


def test_a_sequence_past_the_context_window_is_refused(
        capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(capsys, "gpu", "estimate", "--model", "gemma-2-9b", "--method", "qlora",
                   "--seq", "9000")
    assert line == ("tunewise: --seq 9,000 is longer than Gemma 2 9B's context window "
                    "(8,192 tokens).")


def test_an_unknown_method_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(capsys, "gpu", "estimate", "--model", MODEL, "--method", "dora",
                   "--seq", "2048")
    assert "argument --method: invalid choice: 'dora'" in line


def test_list_models(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gpu", "list-models"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("llama-3.1-8b "))
    assert row.split() == ["llama-3.1-8b", "Llama", "3.1", "8B", "8.03", "32", "4,096",
                           "128,256", "131,072", "Llama", "3.1", "Community", "License"]
    assert main(["gpu", "list-models", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [m["id"] for m in doc["models"]] == catalogue.models().ids()
    llama = next(m for m in doc["models"] if m["id"] == MODEL)
    assert (llama["layers"], llama["hidden_size"], llama["vocab_size"],
            llama["max_context"]) == (32, 4096, 128_256, 131_072)
    assert "sources" not in llama


def test_list_gpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gpu", "list-gpus", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [g["id"] for g in doc["gpus"]] == catalogue.gpus().ids()
    card = catalogue.gpus().get("rtx-4090")
    listed = next(g for g in doc["gpus"] if g["id"] == "rtx-4090")
    assert listed["memory_gib"] == card.memory_gib == 24
    assert listed["rental_per_hour"] == card.rental_per_hour
    assert main(["gpu", "list-gpus"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("rtx-4090 "))
    assert "NVIDIA GeForce RTX 4090" in row and f"{card.bf16_tflops:,.1f}" in row
    assert card.rental_as_of is not None and card.rental_as_of.isoformat() in row
    unpriced = next(g for g in catalogue.gpus().gpus if g.rental_per_hour is None)
    assert next(line for line in out.splitlines()
                if line.startswith(unpriced.id + " ")).rstrip().endswith("-  -")


def test_the_command_runs_in_its_own_process() -> None:
    done = run_cli("gpu", "estimate", "--model", MODEL, "--method", "qlora", "--seq", "2048",
                   "--gpu", "rtx-4080", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["fits"] is True
    done = run_cli("gpu", "estimate", "--model", "llama-3-8b", "--method", "qlora",
                   "--seq", "2048")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("tunewise: unknown model 'llama-3-8b'; closest: ")


def test_building_the_parser_reads_no_gpu_data() -> None:
    code = ("import sys\nfrom tunewise.__main__ import _build_parser\n_build_parser()\n"
            "print(sorted(m for m in sys.modules if m.startswith(('tunewise.core', "
            "'pydantic'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=60,
                          env={"PYTHONPATH": str(REPO / "desktop")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
