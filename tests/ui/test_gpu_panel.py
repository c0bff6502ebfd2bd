"""The GPU plan on the Constraints page: what the user picks, the memory bar's words, the
no-GPU-budget sign, undo and refused values."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QPalette

from tunewise.core.fieldpath import ApproachInput, Attr
from tunewise.core.gpu import catalogue, feasibility, memory
from tunewise.core.gpu.analysis import gpu_sign
from tunewise.ui.gpu.memory_bar import part_colours
from tunewise.ui.theme import MARK_CONTRAST, contrast, dark_palette


def G(name: str) -> Attr:
    return Attr("costs", "gpu", name)


def panel(ui: Any) -> Any:
    ui.window.wizard.show_page("constraints")
    return ui.window.wizard.page_of("constraints").gpu


def pick(ui: Any, name: str, text: str) -> None:
    """Choose the entry that reads `text` in the combo box of the GPU field `name`."""
    combo = ui.field(G(name)).combo
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)
    assert combo.currentText() == text


def one_decimal(value: float) -> str:
    return f"{value:,.1f}"


def smallest_card_for(total_gib: float) -> catalogue.Gpu:
    return min((g for g in catalogue.gpus().gpus if g.memory_gib >= total_gib),
               key=lambda g: (g.memory_gib, g.rental_per_hour or 0.0))


def test_own_gpus_bring_a_card_that_holds_the_run_in_one_undo_step(ui: Any) -> None:
    p = panel(ui)
    assert not p.card.combo.isEnabled()  # a hosted service trains on no card of ours
    ui.choose(G("access"), "GPUs of our own")
    plan = ui.window.controller.project.costs.gpu
    # QLoRA of Llama 3.1 8B at 2,048 tokens: the smallest card that holds it.
    need = memory.estimate(catalogue.models().get("llama-3.1-8b"), "qlora", 2048).total_gib
    card = smallest_card_for(need)
    assert 8 < need <= card.memory_gib <= 24
    assert (plan.access, plan.gpu) == ("own", card.id)
    assert p.card.combo.currentText() == f"{card.name} — {card.memory_gib:g} GB"
    assert p.card.combo.isEnabled() and p.count.line.isEnabled()
    ui.window.undo_action.trigger()
    plan = ui.window.controller.project.costs.gpu
    assert (plan.access, plan.gpu) == ("service", None)
    assert p.access.buttons[0].isChecked()


def test_the_bar_says_fits_or_how_much_is_short(ui: Any) -> None:
    p = panel(ui)
    ui.choose(G("access"), "GPUs of our own")
    pick(ui, "gpu", "NVIDIA GeForce RTX 4090 — 24 GB")
    pick(ui, "method", "QLoRA")
    model = catalogue.models().get("llama-3.1-8b")
    qlora = memory.estimate(model, "qlora", 2048, 1, checkpointing=True, lora_rank=16)
    assert p.words.text() == (f"QLoRA of Llama 3.1 8B at 2,048 tokens: about "
                              f"{one_decimal(qlora.total_gib)} GB of 24 GB — fits")
    weights = qlora.parts()["weights"] / memory.GIB
    assert ("weights", f"Weights {one_decimal(weights)} GB") in p.bar.legend()
    assert "Memory on each GPU against one NVIDIA GeForce RTX 4090" in p.bar.toolTip()

    pick(ui, "method", "Full (mixed precision)")
    full = memory.estimate(model, "full", 2048, 1, checkpointing=True, lora_rank=16)
    short = full.total_gib - 24
    assert short > 0
    assert p.words.text() == (
        f"Full (mixed precision) of Llama 3.1 8B at 2,048 tokens: about "
        f"{one_decimal(full.total_gib)} GB of 24 GB — does not fit: {one_decimal(short)} GB "
        "short")


def test_a_run_too_big_for_the_card_is_the_sign_against_fine_tuning(ui: Any) -> None:
    from tests.ui.test_wizard import behaviour_with_data

    behaviour_with_data(ui)
    assert ui.headline() == "Recommendation: Fine-tuning"
    p = panel(ui)
    ui.choose(G("access"), "GPUs of our own")
    pick(ui, "gpu", "NVIDIA GeForce RTX 4090 — 24 GB")
    pick(ui, "method", "Full (mixed precision)")
    project = ui.window.controller.project
    sign = gpu_sign(project)
    assert sign.present and "has only 24 GB" in sign.detail
    assert p.sign.text().startswith(f"No GPU budget for the training run: {sign.detail}")
    page = ui.window.wizard.page_of("constraints")
    assert "Blockers" in page.note.text()
    assert ui.headline() == "Recommendation: Prompt engineering"
    assert sign.detail in ui.window.wizard.dashboard.details.toPlainText()
    ui.window.undo_action.trigger()  # back to QLoRA, which the card holds
    assert ui.headline() == "Recommendation: Fine-tuning"
    assert p.method.combo.currentText() == "QLoRA"
    assert "has 24 GB" in p.sign.text()


def test_lora_rank_is_only_for_adapters(ui: Any) -> None:
    p = panel(ui)
    assert p.lora_rank.line.isEnabled()  # QLoRA, the default
    pick(ui, "method", "Full (bf16)")
    assert not p.lora_rank.line.isEnabled()
    pick(ui, "method", "LoRA")
    assert p.lora_rank.line.isEnabled()
    assert ui.window.controller.project.costs.gpu.method == "lora"


def test_a_hosted_service_is_compared_with_the_default_card(ui: Any) -> None:
    p = panel(ui)
    default = catalogue.gpus().default_training
    assert p.against.text().startswith("Training runs on a hosted service")
    assert f"one {default.name} ({default.memory_gib:g} GB)" in p.against.text()
    assert p.words.text().endswith(f"of {default.memory_gib:g} GB — fits")
    ui.choose(G("access"), "No budget for either")
    assert p.against.text().startswith("No GPU is budgeted")
    assert p.sign.text().startswith("No GPU budget for the training run: The plan has no "
                                    "budget for training compute")


def test_the_model_list_follows_the_fine_tuning_approach(ui: Any) -> None:
    p = panel(ui)
    assert p.model.combo.itemText(0) == "Same as the fine-tuning approach (llama-3.1-8b)"
    pick(ui, "model", "Qwen2.5 7B")
    assert ui.window.controller.project.costs.gpu.model == "qwen2.5-7b"
    assert p.words.text().startswith("QLoRA of Qwen2.5 7B at 2,048 tokens: about ")
    ui.window.undo_action.trigger()
    assert p.model.combo.currentIndex() == 0
    # A closed model cannot be sized; the panel says so instead of drawing a bar.
    ui.window.controller.set_value(ApproachInput("fine_tuning", "model"), "gpt-4o-mini")
    assert p.model.combo.itemText(0) == "Same as the fine-tuning approach (gpt-4o-mini)"
    assert p.words.text().startswith("gpt-4o-mini is not an open-weights model")
    assert p.bar.isHidden()


def test_a_refused_sequence_length_is_not_applied(ui: Any) -> None:
    p = panel(ui)
    ui.type(G("seq_len"), "64")
    assert ui.window.controller.project.costs.gpu.seq_len == 2048
    assert "Not applied: the plan keeps 2,048 tokens." in p.seq_len.error.text()
    ui.type(G("seq_len"), "8k")  # fields up to 131,072 tokens take no k suffix
    assert ui.window.controller.project.costs.gpu.seq_len == 2048
    ui.type(G("seq_len"), "8,192")
    assert ui.window.controller.project.costs.gpu.seq_len == 8192
    assert "at 8,192 tokens" in p.words.text()
    assert not p.seq_len.error.isVisibleTo(p)


@pytest.mark.parametrize("palette", [QPalette(), dark_palette()], ids=["light", "dark"])
def test_every_part_of_the_bar_stands_off_the_window(palette: QPalette) -> None:
    window = palette.color(QPalette.ColorRole.Window)
    colours = part_colours(palette)
    assert len({c.name() for c in colours.values()}) == len(colours)
    for colour in colours.values():
        assert contrast(colour, window) >= MARK_CONTRAST


# ---- the analysis tab -----------------------------------------------------------------------

@pytest.fixture
def gpu_tab(monkeypatch: pytest.MonkeyPatch) -> None:
    """The GPU analysis registered as core/analyses.py registers it."""
    from tunewise.core import analyses
    from tunewise.core.gpu import analysis

    monkeypatch.setattr(analyses, "ANALYSES",
                        (analyses.Analysis("gpu", "GPU feasibility", analysis.run),))


def dashboard_for(qtbot: Any, project: Any) -> Any:
    from tunewise.ui.controller import ProjectController
    from tunewise.ui.results.dashboard import Dashboard

    dashboard = Dashboard(ProjectController(project))
    qtbot.addWidget(dashboard)
    titles = [dashboard.sections.tabText(i) for i in range(dashboard.sections.count())]
    assert titles == ["Assessment", "GPU feasibility"]
    return dashboard.sections.widget(1)


def test_the_gpu_tab_shows_every_method_and_the_plan_in_bold(
        gpu_tab: None, qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    from tunewise.core.evaluation import evaluate
    from tunewise.core.project import Project

    project = Project()
    project.costs.gpu.access, project.costs.gpu.gpu = "own", "rtx-4080"
    tab = dashboard_for(qtbot, project)
    assert tab.title.text() == "Llama 3.1 8B on NVIDIA GeForce RTX 4080 (16 GB)"
    model = catalogue.models().get("llama-3.1-8b")
    header, *rows = tab.methods.text()
    assert header == ["Method", "With", "Without"]  # gradient checkpointing, as said above
    assert [row[0] for row in rows] == list(memory.METHOD_LABELS.values())
    for method, row in zip(memory.METHODS, rows, strict=True):
        for column, checkpointing in ((1, True), (2, False)):
            peak = memory.estimate(model, method, 2048, 1,
                                   checkpointing=checkpointing).total_gib
            fits = "fits" if peak <= 16 else "too big"
            assert row[column] == f"{one_decimal(peak)} GB, {fits}"
    qlora = list(memory.METHODS).index("qlora") + 1
    assert rows[qlora - 1][1] == f"{one_decimal(peak_of(model))} GB, fits"
    font = tab.methods.index(qlora - 1, 1).data(Qt.ItemDataRole.FontRole)
    assert font is not None and font.bold()
    assert tab.methods.index(qlora - 1, 2).data(Qt.ItemDataRole.FontRole) is None
    assert "whether it fits one NVIDIA GeForce RTX 4080 (16 GB)" in tab.methods_words.text()
    assert tab.bar_words.text() == (f"QLoRA at 2,048 tokens: about "
                                    f"{one_decimal(peak_of(model))} GB of 16 GB — fits.")
    assert tab.sign.text().startswith("QLoRA of Llama 3.1 8B at 2,048 tokens needs about")
    where, hours, cost, note = tab.training.text()[1]
    assert (where, cost) == ("NVIDIA GeForce RTX 4080 (yours)", "$0.00")
    run = evaluate(project).analyses["gpu"].training[0]  # type: ignore[attr-defined]
    assert (hours, note) == (one_decimal(run.hours), run.note)
    assert "The longest sequence that fits one NVIDIA GeForce RTX 4080 is" in tab.sizing.text()
    assert tab.serving_view.isHidden()  # trained on a hosted service, served there too


def peak_of(model: Any) -> float:
    return memory.estimate(model, "qlora", 2048, 1, checkpointing=True).total_gib


def test_the_gpu_tab_lists_serving_steps_for_a_self_hosted_model(
        gpu_tab: None, qtbot: Any) -> None:
    from tunewise.core.project import Project

    project = Project()
    spec = project.costs.approach("fine_tuning")
    project.costs.approaches["fine_tuning"] = spec.model_copy(
        update={"provider": "self-hosted", "deployment": "self-hosted"})
    tab = dashboard_for(qtbot, project)
    assert not tab.serving_view.isHidden()
    # 10,000 requests a day on day 1: one serving card.
    assert tab.serving.text()[1][0] == "1" and tab.serving.text()[1][2] == "1"
    assert tab.serving_words.text().startswith("Llama 3.1 8B served on ")
    # No card of the plan's own: the table says nothing about fitting, the bar has no mark.
    assert all(not cell.endswith(("fits", "too big"))
               for row in tab.methods.text()[1:] for cell in row[1:])
    assert "the plan names no card of its own" in tab.methods_words.text()
    assert tab.bar.breakdown.capacity_gib is None


def test_the_gpu_tab_names_a_model_it_cannot_size(gpu_tab: None, qtbot: Any) -> None:
    from tunewise.core.project import Project

    project = Project()
    project.costs.gpu.model = "gpt-4o-mini"
    tab = dashboard_for(qtbot, project)
    assert tab.methods_words.text().startswith("gpt-4o-mini is not an open-weights model")
    assert tab.methods_view.isHidden() and tab.bar.isHidden()


def test_self_hosted_serving_figures_are_typed_on_the_costs_page(ui: Any) -> None:
    # A self-hosted fine-tuning approach is costed from the GPU plan's serving figures.
    ui.window.controller.set_value(ApproachInput("fine_tuning", "provider"), "self-hosted")
    ui.window.controller.set_value(ApproachInput("fine_tuning", "deployment"), None)
    pick_card = ui.field(G("serving_gpu")).combo
    assert pick_card.currentText().startswith("Default: ")
    h100 = catalogue.gpus().get("h100-80gb")
    pick_card.setCurrentIndex(pick_card.findText(f"{h100.name} — {h100.memory_gib:g} GB"))
    ui.type(G("peak_factor"), "1.5")
    ui.type(G("serving_tokens_per_second"), "2500")
    ui.type(G("mfu"), "40%")
    plan = ui.window.controller.project.costs.gpu
    assert (plan.serving_gpu, plan.peak_factor, plan.serving_tokens_per_second, plan.mfu) == (
        "h100-80gb", 1.5, 2500.0, 0.4)
    tuned = ui.window.controller.evaluation.costs.approaches["fine_tuning"]
    assert f"serving on {h100.name} cards at ${h100.rental_per_hour:,.2f} an hour" in (
        tuned.pricing_note)
    assert "at 40% of its bf16 peak" in tuned.pricing_note
    # 10,000 requests a day at 1.5 times the average: one H100 keeps up, 24 hours a day.
    assert h100.rental_per_hour is not None
    assert tuned.monthly_breakdown["hosting"] == pytest.approx(
        h100.rental_per_hour * 24 * 365 / 12)


def test_a_run_the_plans_cards_share_shows_each_cards_share(ui: Any) -> None:
    # Full bf16 training of Llama 3.2 3B needs more than one RTX 4090 holds, but four cards
    # sharding the weights, gradients and optimiser state (FSDP) each hold their share.
    ui.choose(G("access"), "GPUs of our own")
    c = ui.window.controller
    c.set_values([(G("gpu"), "rtx-4090"), (G("count"), 4), (G("model"), "llama-3.2-3b"),
                  (G("method"), "full-bf16")])
    model, card = catalogue.models().get("llama-3.2-3b"), catalogue.gpus().get("rtx-4090")
    one = memory.estimate(model, "full-bf16", 2048)
    share = feasibility.sharded(one, 4)
    assert one.total_gib > card.memory_gib >= share.total_gib
    words = panel(ui).words.text()
    assert words == (f"Full (bf16) of Llama 3.2 3B at 2,048 tokens, sharded over 4 cards "
                     f"(FSDP / ZeRO-3): about {share.total_gib:,.1f} GB of 24 GB — fits")
    sign = gpu_sign(c.project)
    assert not sign.present and "needs sharding (FSDP / ZeRO-3) over" in sign.detail
