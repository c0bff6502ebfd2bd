"""The Costs page: shared rates and the workload, one tab per approach, training and retrieval.

A fine-tuned approach names the offering it runs on (provider, base model, deployment): picked
from the offerings catalogue with Offerings…, which sets all three as one undo step, or typed by
model name. A line under the model says what the catalogue knows of the offering: its status on
the plan's start date, its last days relative to the plan, what the cost model did about them,
and its notes.

The workload (what each request carries and returns) is stated once; an approach overrides only
what truly differs, and its tab is marked when it does. Advanced inputs (prices, caching,
retraining, the index) sit in collapsible sections, opened where something needs attention.
Model fields offer the price catalog with completion but accept any name; a model without a
known price shows the cost model's own message under the field instead of a number.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tunewise.core import texts
from tunewise.core.dataset import plan as dataset_plan
from tunewise.core.evaluation import Evaluation
from tunewise.core.fieldpath import ApproachInput, Attr, FieldPath, PriceOverride
from tunewise.core.gpu import catalogue, throughput
from tunewise.core.market import METHOD_NAMES, offering_status
from tunewise.core.prices import PriceError, default_catalog
from tunewise.core.project import (
    APPROACHES,
    TRAINING_METHODS,
    USES_FINE_TUNING,
    USES_RETRIEVAL,
    ApproachId,
    Project,
)
from tunewise.core.results import Assessment
from tunewise.ui import dialogs
from tunewise.ui.controller import Changed, ProjectController
from tunewise.ui.fields import (
    ChoiceField,
    DateField,
    Field,
    ModelField,
    NumberField,
    add_rows,
    assign_mnemonics,
    format_number,
)
from tunewise.ui.gpu.panel import OptionField, card_label
from tunewise.ui.market.offerings import STATUS_WORDS
from tunewise.ui.market.offerings import label as offering_label
from tunewise.ui.theme import NoteBox
from tunewise.ui.wizard.base import ProjectPage

PRICE_LABELS: dict[str, str] = {
    "input": "Input price:",
    "cached_input": "Cached input price:",
    "output": "Output price:",
    "training": "Training price:",
    "fine_tuned_input": "Tuned input price:",
    "fine_tuned_cached_input": "Tuned cached price:",
    "fine_tuned_output": "Tuned output price:",
    "embedding": "Embedding price:",
    "hosting_per_hour": "Hosting fee:",
    "storage_per_month": "Storage fee:",
}
FEES = {"hosting_per_hour": ("$ / hour", "Charged every hour the tuned model is deployed, used "
                             "or not. Leave empty to use the catalogue's fee."),
        "storage_per_month": ("$ / month", "Charged each month the tuned model is kept. Leave "
                              "empty to use the catalogue's fee.")}
UNKNOWN_PRICE = "unknown: type it"


@functools.cache
def catalog_price(model: str, attr: str, provider: str | None = None,
                  deployment: str | None = None, method: str = "sft") -> str:
    """What the catalogue says of one price, as the placeholder of its override."""
    catalog = default_catalog()

    def shown(value: float | None) -> str:
        return UNKNOWN_PRICE if value is None else f"catalog: {format_number(value, False)}"

    try:
        if attr == "embedding":
            return shown(catalog.embedding(model)[0])
        if attr in ("input", "cached_input", "output"):
            return shown(float(getattr(catalog.inference(model, None, provider), attr)))
    except PriceError:
        return UNKNOWN_PRICE
    offering = catalog.offering(model, provider, deployment)
    if offering is None:
        return UNKNOWN_PRICE
    if attr == "training":
        price = offering.training_price(method)
        if price is not None and price.per_hour is not None:
            return f"billed per hour: {format_number(price.per_hour, False)}"
        return shown(None if price is None else price.per_mtok)
    if attr in FEES:
        return shown(getattr(offering, attr))
    found = getattr(offering.inference, attr.removeprefix("fine_tuned_"))
    if found is None and attr == "fine_tuned_cached_input":
        return "as the input price" if offering.inference.input is not None else UNKNOWN_PRICE
    return shown(found)


class OverrideField(NumberField):
    """A price override for whichever model (and offering) the approach currently uses."""

    def __init__(self, controller: ProjectController, model_path: FieldPath, attr: str) -> None:
        model = model_path.read(controller.project)
        unit, help_text = FEES.get(attr, (
            "$ / 1M", "Per 1M tokens. Leave empty to use the catalog price; applies to every "
            "approach on this model."))
        super().__init__(controller, PriceOverride(model, attr), PRICE_LABELS[attr],
                         help_text, optional=True, unit=unit)
        self.model_path = model_path
        self.attr = attr

    def refresh(self, project: Project, changed: Changed) -> None:
        model = self.model_path.read(project)
        self.path = PriceOverride(model, self.attr)
        provider = deployment = None
        if isinstance(self.model_path, ApproachInput):
            spec = project.costs.approach(self.model_path.approach)
            provider, deployment = spec.provider, spec.deployment
        self.line.setPlaceholderText(catalog_price(model, self.attr, provider, deployment,
                                                   project.costs.training.method))
        super().refresh(project, changed)


class OfferingField(ModelField):
    """A fine-tuned approach's model, with Offerings… to pick provider, model and deployment.

    Picking an offering sets all three as one undo step. Typing a model by hand sets the model
    alone while the provider and deployment named still offer it; otherwise they are cleared
    with it (back to the catalogue's first offering of that model).
    """

    def __init__(self, controller: ProjectController, approach: ApproachId,
                 models: list[str], help_text: str) -> None:
        super().__init__(controller, ApproachInput(approach, "model"), "Model:", models,
                         help_text)
        self.approach = approach
        self.provider_path = ApproachInput(approach, "provider")
        self.deployment_path = ApproachInput(approach, "deployment")
        self.button = QPushButton("Offerings…")
        self.button.setToolTip("Pick the provider, base model and deployment from the offerings "
                               "catalogue, with their prices and last days")
        self.button.setAccessibleName(
            f"Choose an offering for {texts.APPROACH_LABELS[approach]}")
        self.button.clicked.connect(self.choose)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.button)
        self.editor = box
        # What the catalogue says of the offering in use; the page places it under the field.
        self.offering_note = NoteBox()
        self.offering_note.setTextFormat(Qt.TextFormat.PlainText)
        self.offering_note.setWordWrap(True)
        self.offering_note.setMargin(6)
        self.offering_note.setAccessibleName(
            f"Offering of {texts.APPROACH_LABELS[approach]}")

    def write(self, value: object) -> None:
        project = self.controller.project
        provider = self.provider_path.read(project)
        deployment = self.deployment_path.read(project)
        model = value.strip() if isinstance(value, str) else ""
        if (provider is None and deployment is None) or default_catalog().offering(
                model, provider, deployment) is not None:
            super().write(value)
            return
        self.write_many(((self.path, value), (self.provider_path, None),
                         (self.deployment_path, None)))

    def choose(self) -> bool:
        """Pick an offering in the catalogue dialog; True if the plan now runs on it."""
        project = self.controller.project
        market = default_catalog().market
        spec = project.costs.approach(self.approach)
        current = market.find(spec.model, spec.provider, spec.deployment)
        chosen = dialogs.choose_offering(self.button, market,
                                         self.controller.evaluation.costs.start_date,
                                         current.key if current is not None else None,
                                         texts.APPROACH_LABELS[self.approach])
        if chosen is None:
            return False
        self.controller.seal()
        message = self.controller.set_values(
            ((self.path, chosen.base_model), (self.provider_path, chosen.provider),
             (self.deployment_path, chosen.deployment)),
            f"Choose {offering_label(market, chosen)}")
        self.controller.seal()
        if message:
            self.show_error(message)
            return False
        return True

    def show_offering(self, evaluation: Evaluation) -> None:
        text = offering_sentence(evaluation, self.approach)
        self.offering_note.setText(text)
        self.offering_note.setVisible(bool(text))


def _relative(day: date, start: date) -> str:
    n = (day - start).days
    if n == 0:
        return "the plan's first day"
    if n > 0:
        return f"day {n:,} of the plan"
    return f"{-n:,} days before the plan starts"


def offering_sentence(evaluation: Evaluation, approach: ApproachId) -> str:
    """The offering a fine-tuned approach runs on: status, last days, what they do, notes."""
    spec = evaluation.project.costs.approach(approach)
    catalog = default_catalog()
    offering = catalog.offering(spec.model, spec.provider, spec.deployment)
    if offering is None:
        return (f"{spec.model} is not in the offerings catalogue (of "
                f"{catalog.market.as_of.isoformat()}): type its fine-tuning prices under "
                "Prices and caching, or pick one with Offerings….")
    start = evaluation.costs.start_date
    status = STATUS_WORDS[offering_status(offering, start)]
    parts = [f"Runs on {offering_label(catalog.market, offering)}: {status.lower()} for a plan "
             f"starting {start.isoformat()}."]
    for what, day in (("Last day for new training jobs", offering.new_training_until),
                      ("last day it answers", offering.inference_until)):
        if day is not None:
            parts.append(f"{what[0].upper()}{what[1:]}: {day.isoformat()} "
                         f"({_relative(day, start)}).")
    cost = evaluation.costs.approaches.get(approach)
    for life in cost.lifecycle if cost is not None else ():
        parts.append(f"On {life.date.isoformat()}: {life.breaks}.")
    if offering.notes:
        parts.append(offering.notes)
    return " ".join(parts)


class WorkloadOverrideField(NumberField):
    """An approach's own user-input or output tokens; empty follows the workload."""

    def __init__(self, controller: ProjectController, approach: ApproachId, name: str,
                 label: str) -> None:
        super().__init__(controller, ApproachInput(approach, name), label,
                         "Leave empty to use the workload's figure; a number here applies to "
                         "this approach only.", integer=True, optional=True, unit="tokens")
        self.workload_path = Attr("costs", "workload", name)

    def refresh(self, project: Project, changed: Changed) -> None:
        shared = self.workload_path.read(project)
        self.line.setPlaceholderText(f"workload: {format_number(shared, True)}")
        super().refresh(project, changed)


class Section(QWidget):
    """A titled group whose body folds away behind a button, for inputs most plans leave be."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.toggle = QToolButton()
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.setAccessibleName(f"{title} (show or hide)")
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(18, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.toggle.toggled.connect(self.set_open)
        self.set_open(False)

    def set_open(self, open_: bool) -> None:
        if self.toggle.isChecked() != open_:
            self.toggle.setChecked(open_)  # comes back here through toggled
            return
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.body.setVisible(open_)

    def is_open(self) -> bool:
        return self.toggle.isChecked()


def approach_fields(c: ProjectController, approach: ApproachId
                    ) -> tuple[list[Field], list[Field]]:
    """The approach's everyday fields, and its advanced ones (caching and prices)."""
    fine_tuned = approach in USES_FINE_TUNING
    retrieval = approach in USES_RETRIEVAL
    models = (default_catalog().fine_tunable_models() if fine_tuned
              else [m.id for m in default_catalog().catalog_models()])

    def num(name: str, label: str, help_text: str, **kw: Any) -> NumberField:
        return NumberField(c, ApproachInput(approach, name), label, help_text, **kw)

    model: Field = (OfferingField(c, approach, models, "Pick an offering, or type a base "
                                  "model from the offerings catalogue.") if fine_tuned else
                    ModelField(c, ApproachInput(approach, "model"), "Model:", models,
                               "Pick from the price catalog or type any model name."))
    fields: list[Field] = [
        model,
        num("system_prompt_tokens", "System prompt:", "Fixed instructions sent every time.",
            integer=True, unit="tokens"),
        num("few_shot_tokens", "Few-shot examples:", "Examples pasted into every request.",
            integer=True, unit="tokens"),
    ]
    if retrieval:
        fields.append(num("retrieved_tokens", "Retrieved passages:",
                          "Context fetched per request from the index.", integer=True,
                          unit="tokens"))
    fields += [
        WorkloadOverrideField(c, approach, "user_input_tokens", "Own user input:"),
        WorkloadOverrideField(c, approach, "output_tokens", "Own output:"),
        num("engineering_hours", "Engineering:", "Hours to build it, paid once.", unit="hours"),
    ]
    if fine_tuned:
        fields.append(num("data_prep_hours", "Data preparation:",
                          "Hours to clean and format the training set.", unit="hours"))
    fields += [
        num("setup_cost", "Setup cost:", "Other one-off spend.", unit="USD"),
        num("monthly_fixed", "Monthly bills:", "Vector store, hosting and other fixed bills.",
            unit="USD / month"),
        num("maintenance_hours_per_month", "Upkeep:", "Hours per month to keep it working.",
            unit="hours / month"),
    ]
    prices = (("training", "fine_tuned_input", "fine_tuned_cached_input", "fine_tuned_output",
               "hosting_per_hour", "storage_per_month")
              if fine_tuned else ("input", "cached_input", "output"))
    advanced: list[Field] = [
        num("cached_share", "Cached share:",
            "Share of the input that is the same fixed start on every request, 0 to 1 (0.5 or "
            "50%). Cached only from the provider's minimum length."),
        num("batch_share", "Batch share:",
            "Share of requests sent through the provider's batch API, 0 to 1, at its batch "
            "discount."),
        num("price_multiplier", "Price multiplier:",
            "Every price this approach pays, times this: 1.2 for prices 20% higher a year out, "
            "0.8 for a negotiated discount."),
        *(OverrideField(c, ApproachInput(approach, "model"), attr) for attr in prices),
    ]
    return fields, advanced


class CostsPage(ProjectPage):
    key = "costs"
    heading = "Costs"
    blurb = "What building and running each approach would take. The chart follows every edit."
    auto_mnemonics = False

    def build(self) -> None:
        c = self.controller
        shared = QGroupBox("Shared by every approach")
        grid = QGridLayout(shared)
        shared_fields: list[Field] = [
            NumberField(c, Attr("costs", "hourly_rate"), "Hourly rate:",
                        "Cost of one engineering hour, for build and upkeep.",
                        unit="USD / hour"),
            NumberField(c, Attr("costs", "horizon_days"), "Horizon:",
                        "How far ahead to add up costs (1 to 3,650 days).", integer=True,
                        unit="days"),
            NumberField(c, Attr("costs", "workload", "user_input_tokens"), "User input:",
                        "What each request brings: the question or ticket and any context "
                        "that travels with it. Every approach pays for these tokens.",
                        integer=True, unit="tokens"),
            NumberField(c, Attr("costs", "workload", "output_tokens"), "Output:",
                        "Length of a typical answer, whichever approach writes it.",
                        integer=True, unit="tokens"),
            DateField(c, Attr("costs", "start_date"), "Plan starts:",
                      "Day 0 of the plan, as 2027-01-31; empty means the day it is evaluated. "
                      "Offerings' last days are placed on the plan from here.",
                      empty_means="today"),
        ]
        add_rows(grid, shared_fields)
        self.body_layout.addWidget(shared)

        self.tabs = QTabWidget()
        self.model_fields: dict[ApproachId, ModelField] = {}
        self.price_sections: dict[ApproachId, Section] = {}
        self.override_notes: dict[ApproachId, QLabel] = {}
        self.offering_fields: dict[ApproachId, OfferingField] = {}
        approach_all: list[Field] = []
        for approach in APPROACHES:
            page = QWidget()
            column = QVBoxLayout(page)
            note = QLabel()
            note.setTextFormat(Qt.TextFormat.PlainText)
            note.setWordWrap(True)
            note.setVisible(False)
            self.override_notes[approach] = note
            column.addWidget(note)
            tab_grid = QGridLayout()
            column.addLayout(tab_grid)
            fields, advanced = approach_fields(c, approach)
            row = add_rows(tab_grid, fields[:1])
            if isinstance(fields[0], OfferingField):
                self.offering_fields[approach] = fields[0]
                tab_grid.addWidget(fields[0].offering_note, row, 1, 1, 2)
                row += 1
            add_rows(tab_grid, fields[1:], row)
            section = Section("Prices and caching")
            add_rows(section.grid, advanced)
            self.price_sections[approach] = section
            column.addWidget(section)
            column.addStretch(1)
            assert isinstance(fields[0], ModelField)
            self.model_fields[approach] = fields[0]
            approach_all += fields + advanced
            self.tabs.addTab(page, texts.APPROACH_LABELS[approach])
        self.body_layout.addWidget(self.tabs)

        self.training_section = Section("Fine-tuning runs: training set, epochs, retraining")
        training_fields: list[Field] = [
            ChoiceField(c, Attr("costs", "training", "method"), "Method:",
                        [(m, METHOD_NAMES[m][0].upper() + METHOD_NAMES[m][1:])
                         for m in TRAINING_METHODS],
                        "How the model is tuned; an offering prices only the methods it "
                        "offers."),
            NumberField(c, Attr("costs", "training", "training_tokens"), "Training set size:",
                        "Tokens in one pass over the training examples: the examples' inputs "
                        "and ideal outputs together.", integer=True, unit="tokens"),
            NumberField(c, Attr("costs", "training", "epochs"), "Epochs:",
                        "Passes over the set per training run (1 to 100).", integer=True),
            NumberField(c, Attr("costs", "training", "training_hours"), "Training hours:",
                        "Hours one run takes, for offerings billed by the hour (reinforcement "
                        "tuning). Self-hosted runs are worked out from the GPU plan unless "
                        "you type them.", optional=True, unit="hours",
                        placeholder="not needed"),
            NumberField(c, Attr("costs", "training", "evaluation_cost"), "Evaluation per run:",
                        "Checking each trained model before it ships, the first one "
                        "included.", unit="USD"),
            NumberField(c, Attr("costs", "training", "retrain_every_months"), "Retrain every:",
                        "0 means train once and never again.", integer=True, unit="months"),
        ]
        add_rows(self.training_section.grid, training_fields)
        # Where a measured training-set size came from (the Q4 page imports the examples).
        self.training_provenance = QLabel()
        self.training_provenance.setTextFormat(Qt.TextFormat.PlainText)
        self.training_provenance.setWordWrap(True)
        self.training_provenance.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.training_provenance.setVisible(False)
        self.training_section.grid.addWidget(self.training_provenance,
                                             self.training_section.grid.rowCount(), 0, 1, -1)
        self.body_layout.addWidget(self.training_section)

        # Self-hosted offerings are sized from the GPU plan (core/gpu/selfhost.py): these are
        # the figures behind the training hours and the serving cards.
        self.self_hosted_section = Section("Self-hosted: training speed and serving cards")
        gpu = Attr("costs", "gpu", "serving_gpu")
        cards = catalogue.gpus()
        default = cards.default_serving
        self_hosted_fields: list[Field] = [
            OptionField(c, gpu, "Serving card:",
                        [(None, f"Default: {default.name}")]
                        + [(g.id, card_label(g)) for g in cards.gpus],
                        "The card a self-hosted tuned model is served on; as many are rented "
                        "as the busiest hour needs."),
            NumberField(c, Attr("costs", "gpu", "peak_factor"), "Busiest hour:",
                        "The busiest hour's traffic over the day's average: 3 means a day's "
                        "requests arrive within 8 working hours.", unit="times the average"),
            NumberField(c, Attr("costs", "gpu", "serving_tokens_per_second"),
                        "Output tokens a second:",
                        "What one serving card gives; empty estimates it from the card's "
                        "memory bandwidth and the model's size.", optional=True,
                        unit="per card", placeholder="estimated"),
            NumberField(c, Attr("costs", "gpu", "mfu"), "Training utilisation:",
                        "The share of the card's bf16 peak a training run reaches; empty uses "
                        f"{throughput.DEFAULT_MFU:.0%} (QLoRA "
                        f"{throughput.QLORA_SPEED:.0%} of that).", optional=True,
                        placeholder="default", percent=True),
        ]
        add_rows(self.self_hosted_section.grid, self_hosted_fields)
        self.body_layout.addWidget(self.self_hosted_section)

        self.retrieval_section = Section("Retrieval index: embeddings, corpus, re-indexing")
        embed = Attr("costs", "retrieval", "embedding_model")
        retrieval_fields: list[Field] = [
            ModelField(c, embed, "Embedding model:", default_catalog().embedding_models(),
                       "Turns documents and questions into vectors."),
            NumberField(c, Attr("costs", "retrieval", "corpus_tokens"), "Corpus size:",
                        "Tokens across all documents to index.", integer=True, unit="tokens"),
            NumberField(c, Attr("costs", "retrieval", "reindex_every_months"), "Re-index every:",
                        "0 means index once.", integer=True, unit="months"),
            OverrideField(c, embed, "embedding"),
        ]
        add_rows(self.retrieval_section.grid, retrieval_fields)
        self.body_layout.addWidget(self.retrieval_section)
        self.fields += (shared_fields + approach_all + training_fields + self_hosted_fields
                        + retrieval_fields)
        used = assign_mnemonics([f.label for f in shared_fields])
        used = assign_mnemonics([f.label for f in training_fields + self_hosted_fields
                                 + retrieval_fields], used)
        for start in range(0, len(approach_all)):
            if isinstance(approach_all[start], ModelField):
                end = next((i for i in range(start + 1, len(approach_all))
                            if isinstance(approach_all[i], ModelField)), len(approach_all))
                tab: list[QWidget] = [f.label for f in approach_all[start:end]]
                first = approach_all[start]
                if isinstance(first, OfferingField):
                    tab.insert(1, first.button)
                assign_mnemonics(tab, used)

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        errors = evaluation.costs.errors
        inputs = evaluation.project.costs
        for offering_field in self.offering_fields.values():
            offering_field.show_offering(evaluation)
        measured = {e.field: e for e in dataset_plan.provenance(evaluation.project)}
        training = measured.get(Attr("costs", "training", "training_tokens"))
        self.training_provenance.setText(
            f"Training-set size: {training.sentence}." if training is not None else "")
        self.training_provenance.setVisible(training is not None)
        for approach, field in self.model_fields.items():
            field.set_external_error(errors.get(approach, ""))
            index = APPROACHES.index(approach)
            name = texts.APPROACH_LABELS[approach]
            own = inputs.overrides_workload(approach)
            mark = " (!)" if approach in errors else " *" if own else ""
            self.tabs.setTabText(index, name + mark)
            note = self.override_notes[approach]
            if own:
                origins = sorted({e.sentence for name in ("user_input_tokens", "output_tokens")
                                  if (e := measured.get(ApproachInput(approach, name)))})
                note.setText(f"* This approach sets its own {' and '.join(own)} tokens; the "
                             "others use the workload's."
                             + "".join(f" Its tokens: {o}." for o in origins))
                self.tabs.setTabToolTip(index, f"Overrides the workload: {', '.join(own)}")
            else:
                self.tabs.setTabToolTip(index, "")
            note.setVisible(bool(own))
            # Prices need attention where the model has none, or the user typed some in.
            if approach in errors or inputs.approach(approach).model in inputs.price_overrides:
                self.price_sections[approach].set_open(True)
        if errors:
            return ("<b>Some approaches cannot be costed yet</b> (see the tabs marked !). "
                    "Pick a listed model or type its prices in under Prices and caching.")
        return ""
