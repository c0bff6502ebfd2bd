"""The "GPU for training" group on the Constraints page: the plan's GPU (`costs.gpu`) beside a
stacked bar of the memory one GPU would need, and the no-GPU-budget sign's sentence.

Every editor is a field bound to a typed path, so undo, refused values ("Not applied") and the
user's locale work as on every other page. Choosing GPUs of your own or rented ones when the
plan names no card also sets a card, in the same undo step: the smallest catalogue card that
holds the run as it stands. The estimate stays in view whatever the access, answering "could we
train this ourselves?", and the line above the bar says which card it is compared with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from tunewise.core import texts
from tunewise.core.evaluation import Evaluation
from tunewise.core.fieldpath import Attr, FieldPath
from tunewise.core.gpu import analysis, catalogue, feasibility, memory
from tunewise.core.project import GpuPlan, Project
from tunewise.ui.controller import Changed, ProjectController
from tunewise.ui.fields import (
    CheckField,
    ChoiceField,
    Field,
    NumberField,
    wrapped_label,
)
from tunewise.ui.gpu.memory_bar import MemoryBar, from_estimate
from tunewise.ui.numbers import format_number

ACCESS_CHOICES = (
    ("service", "A hosted tuning service"),
    ("own", "GPUs of our own"),
    ("rent", "Rented GPUs"),
    ("none", "No budget for either"),
)
ON_CARDS = ("own", "rent")  # the access choices that train on the plan's card
ADAPTER_METHODS = ("lora", "qlora")  # the methods a LoRA rank applies to


def gpu_path(name: str) -> Attr:
    return Attr("costs", "gpu", name)


def card_label(gpu: catalogue.Gpu) -> str:
    """'NVIDIA GeForce RTX 4080 — 16 GB'."""
    return f"{gpu.name} — {format_number(gpu.memory_gib)} GB"


def suggested_card(project: Project) -> catalogue.Gpu:
    """The card to start from when the plan turns to GPUs but names none: the smallest
    catalogue card the run fits (the cheaper to rent first), else the default training card."""
    cards = catalogue.gpus()
    model = catalogue.models().find(analysis.trained_model(project))
    if model is None:
        return cards.default_training
    need = analysis.plan_estimate(model, project.costs.gpu)
    by_size = sorted(cards.gpus, key=lambda g: (g.memory_gib, g.rental_per_hour or 0.0))
    return next((g for g in by_size if feasibility.fit(need, g).fits), cards.default_training)


class OptionField(Field):
    """One value from a closed list, in a combo box. A value the list lacks (from a file)
    is shown as its own entry rather than replaced."""

    def __init__(self, controller: ProjectController, path: FieldPath, label: str,
                 options: Sequence[tuple[Any, str]], help_text: str = "",
                 placeholder: str = "") -> None:
        super().__init__(controller, path, label)
        self.combo = QComboBox()
        self.combo.setPlaceholderText(placeholder)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setAccessibleName(self.title())
        self.combo.setToolTip(help_text)
        self.options: list[tuple[Any, str]] = []
        self._given: list[tuple[Any, str]] | None = None
        self.set_options(options)
        self.combo.currentIndexChanged.connect(self._changed)
        self.label.setBuddy(self.combo)
        self.editor = self.combo

    def set_options(self, options: Sequence[tuple[Any, str]]) -> None:
        if list(options) == self._given:
            return
        self._given = list(options)
        self._loading = True
        try:
            self.options = list(options)
            self.combo.clear()
            for _, text in self.options:
                self.combo.addItem(text)
            self.load(self.path.read(self.controller.project))
        finally:
            self._loading = False

    def _changed(self, index: int) -> None:
        if not self._loading and index >= 0:
            self.write(self.options[index][0])
            self.finished()

    def current(self) -> Any:
        index = self.combo.currentIndex()
        return self.options[index][0] if index >= 0 else None

    def shows(self, value: Any) -> bool:
        index = self.combo.currentIndex()
        if index < 0:
            return value is None and all(v is not None for v, _ in self.options)
        return bool(self.options[index][0] == value)

    def describe(self, value: Any) -> str:
        return next((text for v, text in self.options if v == value), f"“{value}”")

    def load(self, value: Any) -> None:
        index = next((i for i, (v, _) in enumerate(self.options) if v == value), -1)
        if index < 0 and value is not None:
            self.options.append((value, f"{value} (not in Tunewise's list)"))
            self.combo.addItem(self.options[-1][1])
            index = len(self.options) - 1
        self.combo.setCurrentIndex(index)


class AccessField(ChoiceField):
    """Where training runs. Turning to GPUs with no card named picks one in the same step."""

    def write(self, value: Any) -> None:
        project = self.controller.project
        if value in ON_CARDS and project.costs.gpu.gpu is None:
            self.write_many(((self.path, value), (gpu_path("gpu"), suggested_card(project).id)))
        else:
            super().write(value)


class GpuPanel(QGroupBox):
    """The GPU plan's editors beside the memory bar; `show_evaluation` after every change."""

    def __init__(self, controller: ProjectController, parent: QWidget | None = None) -> None:
        super().__init__("GPU for training", parent)
        c = self.controller = controller
        self.access = AccessField(
            c, gpu_path("access"), "Where training runs:", ACCESS_CHOICES)
        self.access.editor.setToolTip(
            "A hosted service trains for you; your own or rented GPUs must hold the run. "
            "With none of these, training is off the table for now.")
        self.card = OptionField(
            c, gpu_path("gpu"), "Card:",
            [(g.id, card_label(g)) for g in catalogue.gpus().gpus],
            "The card you have or would rent; its memory is the line on the bar.",
            placeholder="Choose a card")
        self.count = NumberField(c, gpu_path("count"), "How many:", integer=True,
                                 unit="cards")
        self.model = OptionField(
            c, gpu_path("model"), "Model:", self._model_options(c.project),
            "The open-weights model you would train.")
        self.method = OptionField(
            c, gpu_path("method"), "Method:", list(memory.METHOD_LABELS.items()),
            "Full training updates every weight; LoRA trains small adapters; QLoRA does so "
            "on 4-bit weights.")
        self.seq_len = NumberField(c, gpu_path("seq_len"), "Sequence length:", integer=True,
                                   unit="tokens")
        self.batch = NumberField(c, gpu_path("batch"), "Batch per GPU:", integer=True,
                                 unit="sequences")
        self.checkpointing = CheckField(c, gpu_path("checkpointing"), "Gradient checkpointing")
        self.lora_rank = NumberField(c, gpu_path("lora_rank"), "LoRA rank:", integer=True)
        for field, tip in ((self.count, "How many of the card; each holds a whole copy."),
                           (self.seq_len, "The longest training example, in tokens."),
                           (self.batch, "Sequences each GPU takes per step."),
                           (self.checkpointing, "Recompute activations instead of keeping "
                                                "them: less memory, about a third more time."),
                           (self.lora_rank, "The adapters' rank r (LoRA and QLoRA only).")):
            field.editor.setToolTip(tip)
        self.fields: list[Field] = [self.access, self.card, self.count, self.model, self.method,
                                    self.seq_len, self.batch, self.checkpointing, self.lora_rank]

        outer = QVBoxLayout(self)
        top = QGridLayout()
        top.addWidget(self.access.label, 0, 0)
        top.addWidget(self.access.editor, 0, 1)
        top.addWidget(self.access.error, 1, 1)
        top.setColumnStretch(1, 1)
        outer.addLayout(top)
        row = QHBoxLayout()
        grid = QGridLayout()
        grid.setVerticalSpacing(4)
        r = 0
        for editor in self.fields[1:]:
            grid.addWidget(editor.label, r, 0)
            grid.addWidget(editor.editor, r, 1)
            grid.addWidget(editor.error, r + 1, 0, 1, 2)
            r += 2
        grid.setRowStretch(r, 1)
        row.addLayout(grid)
        side = QVBoxLayout()
        self.against = wrapped_label()
        self.against.setAccessibleName("Card compared with")
        self.bar = MemoryBar()
        self.words = wrapped_label()
        self.words.setAccessibleName("Training memory")
        font = self.words.font()
        font.setBold(True)
        self.words.setFont(font)
        self.sign = wrapped_label()
        self.sign.setAccessibleName(texts.SIGN_LABELS["no_gpu_budget"])
        for widget in (self.against, self.bar, self.words, self.sign):
            side.addWidget(widget)
        side.addStretch(1)
        row.addSpacing(12)
        row.addLayout(side, 1)
        outer.addLayout(row)

    @staticmethod
    def _model_options(project: Project) -> list[tuple[str | None, str]]:
        tuned = project.costs.approach(analysis.TRAINED_APPROACH).model
        return [(None, f"Same as the fine-tuning approach ({tuned})"),
                *((m.id, m.name) for m in catalogue.models().models)]

    def refresh(self, project: Project, changed: Changed) -> None:
        """The model list's first entry names the fine-tuning approach's model as it is now."""
        self.model.set_options(self._model_options(project))

    def show_evaluation(self, evaluation: Evaluation) -> None:
        project = evaluation.project
        plan = project.costs.gpu
        self.refresh(project, None)
        on_cards = plan.access in ON_CARDS
        for field in (self.card, self.count):
            field.editor.setEnabled(on_cards)
            field.label.setEnabled(on_cards)
        adapters = plan.method in ADAPTER_METHODS
        self.lora_rank.editor.setEnabled(adapters)
        self.lora_rank.label.setEnabled(adapters)
        self._show_estimate(project, plan)
        sign = analysis.gpu_sign(project)
        if sign.present:
            words = f"{texts.SIGN_LABELS['no_gpu_budget']}: {sign.detail}"
            if sign.lift:
                words += f" To lift it: {sign.lift}"
        else:
            words = sign.detail
        self.sign.setText(words)
        self.sign.setVisible(bool(words))

    def comparison_card(self, plan: GpuPlan) -> catalogue.Gpu | None:
        """The card the bar is drawn against: the plan's, else (when training would not run
        on a card of the plan's) the card Tunewise costs a rented run on."""
        if plan.gpu is not None:
            found = catalogue.gpus().find(plan.gpu)
            if found is not None or plan.access in ON_CARDS:
                return found
        return None if plan.access in ON_CARDS else catalogue.gpus().default_training

    def _show_estimate(self, project: Project, plan: GpuPlan) -> None:
        model_id = analysis.trained_model(project)
        model = catalogue.models().find(model_id)
        gpu = self.comparison_card(plan)
        if model is None:
            self.against.setText("")
            self.against.setVisible(False)
            self.bar.set_breakdown(None)
            self.bar.setVisible(False)
            self.words.setText(f"{model_id} is not an open-weights model Tunewise knows, so its "
                               "training memory cannot be estimated. Choose a model above to "
                               "see whether it would fit.")
            return
        estimate = analysis.plan_estimate(model, plan)
        cards = plan.count if plan.access in ON_CARDS else 1
        how = ""
        if gpu is not None and cards > 1 and not feasibility.fit(estimate, gpu).fits:
            # Too big for one card, but the plan's cards can share it: show each one's share.
            shared = feasibility.sharded(estimate, cards)
            if feasibility.fit(shared, gpu).fits:
                estimate, how = shared, f", sharded over {cards} cards (FSDP / ZeRO-3)"
        breakdown = from_estimate(estimate, gpu, cards)
        self.bar.set_breakdown(breakdown)
        self.bar.setVisible(True)
        self.words.setText(f"{analysis.describe_run(model, plan)}{how}: {breakdown.summary()}")
        self.against.setText(self._against(plan, gpu))
        self.against.setVisible(True)

    @staticmethod
    def _against(plan: GpuPlan, gpu: catalogue.Gpu | None) -> str:
        if gpu is None:
            if plan.gpu is not None:
                return (f"Tunewise's GPU list has no card '{plan.gpu}'. Choose a card to "
                        "compare with.")
            return "What each GPU holds at its peak. Choose a card to compare with."
        memory_gb = f"{format_number(gpu.memory_gib)} GB"
        card = f"one {gpu.name} ({memory_gb})"
        if plan.access in ON_CARDS:
            whose = (f"one of your {gpu.name} cards ({memory_gb})" if plan.access == "own"
                     else f"one rented {gpu.name} ({memory_gb})")
            copies = (f"; each of the {plan.count} cards holds a whole copy"
                      if plan.count > 1 else "")
            return f"Peak memory on each GPU, against {whose}{copies}."
        which = ("the card last chosen" if plan.gpu is not None
                 else "the card Tunewise costs a rented run on")
        why = ("Training runs on a hosted service; to see whether it could run on a GPU "
               "instead" if plan.access == "service"
               else "No GPU is budgeted; to see what one would need")
        return f"{why}, the bar compares each GPU's peak with {card}, {which}."
