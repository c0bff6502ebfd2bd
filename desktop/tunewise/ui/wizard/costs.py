"""The Costs page: shared rates and the workload, one tab per approach, training and retrieval.

The workload (what each request carries and returns) is stated once; an approach overrides only
what truly differs, and its tab is marked when it does. Advanced inputs (prices, caching,
retraining, the index) sit in collapsible sections, opened where something needs attention.
Model fields offer the price catalog with completion but accept any name; a model without a
known price shows the cost model's own message under the field instead of a number.
"""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tunewise.core import texts
from tunewise.core.evaluation import Evaluation
from tunewise.core.fieldpath import ApproachInput, Attr, FieldPath, PriceOverride
from tunewise.core.prices import PriceError, default_catalog
from tunewise.core.project import (
    APPROACHES,
    USES_FINE_TUNING,
    USES_RETRIEVAL,
    ApproachId,
    Project,
)
from tunewise.core.results import Assessment
from tunewise.ui.controller import Changed, ProjectController
from tunewise.ui.fields import (
    Field,
    ModelField,
    NumberField,
    add_rows,
    assign_mnemonics,
    format_number,
)
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
}


@functools.cache
def catalog_price(model: str, attr: str) -> float | None:
    """The catalog's price for a model, to show as the placeholder of its override."""
    catalog = default_catalog()
    try:
        if attr == "embedding":
            return catalog.embedding(model)[0]
        if attr in ("training",) or attr.startswith("fine_tuned"):
            ft = catalog.fine_tuned(model)
            return float(getattr(ft, attr.removeprefix("fine_tuned_")))
        return float(getattr(catalog.inference(model), attr))
    except PriceError:
        return None


class OverrideField(NumberField):
    """A price override for whichever model the approach currently uses."""

    def __init__(self, controller: ProjectController, model_path: FieldPath, attr: str) -> None:
        model = model_path.read(controller.project)
        super().__init__(controller, PriceOverride(model, attr), PRICE_LABELS[attr],
                         "Per 1M tokens. Leave empty to use the catalog price; applies to every "
                         "approach on this model.", optional=True, unit="$ / 1M")
        self.model_path = model_path
        self.attr = attr

    def refresh(self, project: Project, changed: Changed) -> None:
        model = self.model_path.read(project)
        self.path = PriceOverride(model, self.attr)
        price = catalog_price(model, self.attr)
        self.line.setPlaceholderText(
            f"catalog: {format_number(price, False)}" if price is not None else "unknown: type it")
        super().refresh(project, changed)


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

    fields: list[Field] = [
        ModelField(c, ApproachInput(approach, "model"), "Model:", models,
                   "A model that can be fine-tuned." if fine_tuned else
                   "Pick from the price catalog or type any model name."),
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
    prices = (("training", "fine_tuned_input", "fine_tuned_cached_input", "fine_tuned_output")
              if fine_tuned else ("input", "cached_input", "output"))
    advanced: list[Field] = [
        num("cached_share", "Cached share:",
            "Share of input tokens billed at the cached rate, 0 to 1 (0.5 or 50%)."),
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
        ]
        add_rows(grid, shared_fields)
        self.body_layout.addWidget(shared)

        self.tabs = QTabWidget()
        self.model_fields: dict[ApproachId, ModelField] = {}
        self.price_sections: dict[ApproachId, Section] = {}
        self.override_notes: dict[ApproachId, QLabel] = {}
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
            add_rows(tab_grid, fields)
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
            NumberField(c, Attr("costs", "training", "training_tokens"), "Training set size:",
                        "Tokens in one pass over the training examples: the examples' inputs "
                        "and ideal outputs together.", integer=True, unit="tokens"),
            NumberField(c, Attr("costs", "training", "epochs"), "Epochs:",
                        "Passes over the set per training run (1 to 100).", integer=True),
            NumberField(c, Attr("costs", "training", "evaluation_cost"), "Evaluation per run:",
                        "Checking each trained model before it ships.", unit="USD"),
            NumberField(c, Attr("costs", "training", "retrain_every_months"), "Retrain every:",
                        "0 means train once and never again.", integer=True, unit="months"),
        ]
        add_rows(self.training_section.grid, training_fields)
        self.body_layout.addWidget(self.training_section)

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
        self.fields += shared_fields + approach_all + training_fields + retrieval_fields
        used = assign_mnemonics([f.label for f in shared_fields])
        used = assign_mnemonics([f.label for f in training_fields + retrieval_fields], used)
        for start in range(0, len(approach_all)):
            if isinstance(approach_all[start], ModelField):
                end = next((i for i in range(start + 1, len(approach_all))
                            if isinstance(approach_all[i], ModelField)), len(approach_all))
                assign_mnemonics([f.label for f in approach_all[start:end]], used)

    def show_assessment(self, assessment: Assessment, evaluation: Evaluation) -> str:
        errors = evaluation.costs.errors
        inputs = evaluation.project.costs
        for approach, field in self.model_fields.items():
            field.set_external_error(errors.get(approach, ""))
            index = APPROACHES.index(approach)
            name = texts.APPROACH_LABELS[approach]
            own = inputs.overrides_workload(approach)
            mark = " (!)" if approach in errors else " *" if own else ""
            self.tabs.setTabText(index, name + mark)
            note = self.override_notes[approach]
            if own:
                note.setText(f"* This approach sets its own {' and '.join(own)} tokens; the "
                             "others use the workload's.")
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
