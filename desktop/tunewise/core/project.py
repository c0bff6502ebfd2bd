"""The project: everything a user tells Tunewise, as one strict pydantic model.

This is what a `.tunewise` file holds. The decision engine reads `answers`, the cost model reads
`costs`; the GUI edits both through this model, so its field constraints are the validation the
user sees next to each field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Final, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

# The file format's name and version, each defined once: the Literal types validate a file's
# fields and the constants are read from them. Changing the version means a migration step in
# storage.MIGRATIONS, a sample file and a stored schema; tests/core/test_format_version.py checks.
FormatName = Literal["tunewise-project"]
SchemaVersion = Literal[5]
FORMAT_NAME: Final[FormatName] = get_args(FormatName)[0]
SCHEMA_VERSION: Final[SchemaVersion] = get_args(SchemaVersion)[0]

FewShotAnswer = Literal["yes", "no", "untested"]
TrainingMethod = Literal["sft", "dpo", "rft"]
TRAINING_METHODS: tuple[TrainingMethod, ...] = get_args(TrainingMethod)
# Where training compute comes from: a hosted tuning service, GPUs the team owns or rents, or no
# budget for either (the sign "no GPU budget").
GpuAccess = Literal["service", "own", "rent", "none"]
GPU_ACCESS: tuple[GpuAccess, ...] = get_args(GpuAccess)
GpuMethod = Literal["full", "full-bf16", "lora", "qlora"]
GPU_METHODS: tuple[GpuMethod, ...] = get_args(GpuMethod)
ApproachId = Literal[
    "prompt_engineering",
    "rag",
    "fine_tuning",
    "fine_tuning+rag",
    "fine_tuning+prompt_engineering",
    "all_three",
]
APPROACHES: tuple[ApproachId, ...] = get_args(ApproachId)
SignForId = Literal[
    "style_voice", "domain_jargon", "output_format", "latency", "cost_at_scale", "task_reasoning"
]
SIGNS_FOR: tuple[SignForId, ...] = get_args(SignForId)
SignAgainstId = Literal[
    "small_dataset",
    "changing_requirements",
    "general_knowledge",
    "no_eval_criteria",
    "no_gpu_budget",
]
SIGNS_AGAINST: tuple[SignAgainstId, ...] = get_args(SignAgainstId)

USES_FINE_TUNING: frozenset[str] = frozenset(
    {"fine_tuning", "fine_tuning+rag", "fine_tuning+prompt_engineering", "all_three"}
)
USES_RETRIEVAL: frozenset[str] = frozenset({"rag", "fine_tuning+rag", "all_three"})


def _no_lone_surrogates(value: str) -> str:
    # JSON can spell a lone surrogate ("\ud800"); such a string cannot be written back as UTF-8.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains an invalid Unicode character (a lone surrogate)") from None
    return value


ShortText = Annotated[str, StringConstraints(max_length=200), AfterValidator(_no_lone_surrogates)]
Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, strip_whitespace=True),
    AfterValidator(_no_lone_surrogates),
]
LongText = Annotated[str, StringConstraints(max_length=10_000), AfterValidator(_no_lone_surrogates)]
ModelRef = Annotated[
    str,
    StringConstraints(min_length=1, max_length=120, strip_whitespace=True),
    AfterValidator(_no_lone_surrogates),
]
# A provider or deployment id from the offerings catalogue ("openai", "together", "dedicated").
CatalogId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=60, strip_whitespace=True, to_lower=True,
                      pattern=r"^[a-z0-9][a-z0-9._-]*$"),
]

Tokens = Annotated[int, Field(ge=0, le=2_000_000)]
Hours = Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False)]
Money = Annotated[float, Field(ge=0, le=100_000_000, allow_inf_nan=False)]
PricePerMTok = Annotated[float, Field(ge=0, le=10_000, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Months = Annotated[int, Field(ge=0, le=120)]
MAX_PRICE_OVERRIDES: Final = 50  # a plan prices at most 7 models; room for old ones kept


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


Timestamp = Annotated[datetime, AfterValidator(_aware)]


class Strict(BaseModel):
    """Base for every part of a project file: unknown fields and NaN/Infinity are refused."""

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        validate_assignment=True,
        str_max_length=10_000,
    )


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Metadata(Strict):
    name: Name = Field("Untitled plan", description="What the plan is called.")
    author: ShortText = Field("", description="Who wrote the plan.")
    use_case: LongText = Field("", description="The LLM feature being planned, in a few words.")
    created: Timestamp = Field(default_factory=now_utc)
    modified: Timestamp = Field(default_factory=now_utc)


class FewShotFailure(Strict):
    """One held-out example the model got wrong, kept so the report can show it."""

    input: Annotated[str, StringConstraints(max_length=2000), AfterValidator(_no_lone_surrogates)]
    expected: Annotated[str, StringConstraints(max_length=2000),
                        AfterValidator(_no_lone_surrogates)]
    output: Annotated[str, StringConstraints(max_length=2000),
                      AfterValidator(_no_lone_surrogates)]


class MeasuredFewShot(Strict):
    """The few-shot test as Tunewise ran it (core/experiment): it beats a typed score."""

    score: Share
    low: Share  # the 95% Wilson interval
    high: Share
    n: Annotated[int, Field(ge=1, le=1_000_000)]
    passed: Annotated[int, Field(ge=0, le=1_000_000)]
    errors: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    scorer: Annotated[str, StringConstraints(max_length=40)]
    model: ModelRef
    endpoint_host: Annotated[str, StringConstraints(max_length=255)]
    measured_on: date
    cost_usd: Money | None = None
    few_shot: Annotated[int, Field(ge=0, le=10_000)] = 20
    failing: list[FewShotFailure] = Field(
        default_factory=list, max_length=5,
        description="A few held-out examples the model failed (texts cut at 2,000 characters).")


class Answers(Strict):
    """The answers to the four questions and the signs for and against fine-tuning."""

    # None means "not answered yet": the flowchart stops at the first unanswered question.
    # q1: can few-shot prompting do the job? ("untested" is an answer: not tried yet.)
    few_shot_adequate: FewShotAnswer | None = None
    few_shot_score: Share | None = Field(
        None, description="Quality the few-shot experiment reached (0 to 1)."
    )
    quality_target: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] | None = Field(
        None, description="Quality the feature needs (0 to 1)."
    )
    few_shot_model: ModelRef | None = Field(
        None, description="The model the few-shot test ran on; prompt engineering is costed "
        "on it by default.")
    few_shot_examples: Annotated[int, Field(ge=1, le=1_000_000)] | None = Field(
        None, description="Held-out examples a typed few-shot score was measured on; the "
        "verdict's uncertainty reads it.")
    few_shot_measured: MeasuredFewShot | None = Field(
        None, description="The few-shot test as Tunewise ran it; used instead of a typed "
        "score.")
    # q2 and q3: what kind of gap is it?
    knowledge_gap: bool | None = None
    behavior_gap: bool | None = None
    # q4: is there data to train on?
    example_count: Annotated[int, Field(ge=0, le=10_000_000)] | None = Field(
        None, description="Examples of the wanted behaviour on hand (input and ideal output)."
    )
    examples_high_quality: bool | None = None

    # Signs for fine-tuning. None means "not answered": latency and cost_at_scale then follow
    # what the numbers suggest; the others count as absent.
    style_voice: bool | None = None
    domain_jargon: bool | None = None
    output_format: bool | None = None
    latency: bool | None = None
    cost_at_scale: bool | None = None
    task_reasoning: bool | None = None

    # Signs against fine-tuning (small_dataset and no_gpu_budget are derived; the GPU plan is
    # costs.gpu).
    changing_requirements: bool = False
    general_knowledge: bool = False
    no_eval_criteria: bool = False

    # What combinations need.
    per_request_context: bool = False
    edge_case_rules: bool = False

    @property
    def examples(self) -> int:
        """The example count as the engine counts it: 0 until answered."""
        return self.example_count or 0

    sign_notes: dict[SignForId | SignAgainstId, LongText] = Field(
        default_factory=dict, max_length=len(SIGNS_FOR) + len(SIGNS_AGAINST),
        description="The user's notes on each sign, by sign id.",
    )


class Workload(Strict):
    """What every request carries and returns, whichever approach answers it."""

    user_input_tokens: Tokens = Field(
        200, description="The user's question plus any context each request brings.")
    output_tokens: Tokens = Field(300, description="Length of a typical answer.")


class ApproachInputs(Strict):
    """How one approach would be built and run."""

    model: ModelRef
    # Who runs the model: for fine-tuned approaches the offering's provider in the offerings
    # catalogue (None: the first listed for the model, OpenAI for its own models); for the
    # others the inference provider (None: whichever genai-prices finds for the model).
    provider: CatalogId | None = None
    deployment: CatalogId | None = Field(
        None, description="Which of the offering's deployments (serverless, dedicated...); "
        "None takes the first listed.")
    system_prompt_tokens: Tokens = 0
    few_shot_tokens: Tokens = 0
    retrieved_tokens: Tokens = 0
    # None takes the workload's figure; a number overrides it for this approach only.
    user_input_tokens: Tokens | None = None
    output_tokens: Tokens | None = None
    cached_share: Share = Field(
        0.0, description="Share of input tokens that are a stable prefix the provider can "
        "cache (it must reach the provider's minimum prefix to be cached at all).")
    batch_share: Share = Field(
        0.0, description="Share of requests sent through the provider's batch API, at its "
        "batch discount.")
    engineering_hours: Hours = 0
    data_prep_hours: Hours = 0
    setup_cost: Money = 0
    monthly_fixed: Money = Field(0, description="Vector store, hosting and other monthly bills.")
    maintenance_hours_per_month: Hours = 0
    price_multiplier: Annotated[float, Field(ge=0.01, le=100, allow_inf_nan=False)] = Field(
        1.0, description="Every price this approach pays (tokens, training, hosting, "
        "storage), times this: prices a year out, a negotiated discount.")


class TrainingInputs(Strict):
    method: TrainingMethod = Field(
        "sft", description="Supervised (sft), preference (dpo) or reinforcement (rft) tuning.")
    training_tokens: Annotated[int, Field(ge=0, le=10_000_000_000)] = 1_000_000
    epochs: Annotated[int, Field(ge=1, le=100)] = 3
    training_hours: Hours | None = Field(
        None, description="Hours one training run takes, for offerings billed by the hour "
        "(reinforcement tuning, rented GPUs).")
    evaluation_cost: Money = Field(
        200, description="Evaluating each trained model, the first one included.")
    retrain_every_months: Months = Field(3, description="0 means never retrain.")


class RetrievalInputs(Strict):
    embedding_model: ModelRef = "text-embedding-3-small"
    corpus_tokens: Annotated[int, Field(ge=0, le=100_000_000_000)] = 5_000_000
    reindex_every_months: Months = Field(1, description="0 means never re-index.")


class PriceOverride(Strict):
    """Prices the user typed in for one model, per 1M tokens (hosting per hour, storage per
    month); None keeps the catalog price."""

    input: PricePerMTok | None = None
    cached_input: PricePerMTok | None = None
    output: PricePerMTok | None = None
    training: PricePerMTok | None = None
    fine_tuned_input: PricePerMTok | None = None
    fine_tuned_cached_input: PricePerMTok | None = None
    fine_tuned_output: PricePerMTok | None = None
    embedding: PricePerMTok | None = None
    hosting_per_hour: Money | None = None
    storage_per_month: Money | None = None


# New plans compare like with like: prompting and retrieval on the same mid-size model with the
# fixed prompt cached, fine-tuning on an offering that stays open (see the offerings catalogue).
DEFAULT_INFERENCE_MODEL: Final = "gpt-5.4-mini"
DEFAULT_TUNED: Final = {"model": "llama-3.1-8b", "provider": "fireworks",
                        "deployment": "serverless"}


def default_approaches() -> dict[ApproachId, ApproachInputs]:
    """A starting point close to the common case: a long cached prompt against tuned models."""
    return {
        "prompt_engineering": ApproachInputs(
            model=DEFAULT_INFERENCE_MODEL, system_prompt_tokens=2000, few_shot_tokens=1000,
            cached_share=0.9, engineering_hours=16, maintenance_hours_per_month=2,
        ),
        "rag": ApproachInputs(
            model=DEFAULT_INFERENCE_MODEL, system_prompt_tokens=500, retrieved_tokens=1500,
            engineering_hours=80, monthly_fixed=70, maintenance_hours_per_month=10,
        ),
        "fine_tuning": ApproachInputs(
            **DEFAULT_TUNED, system_prompt_tokens=100, engineering_hours=40,
            data_prep_hours=40, maintenance_hours_per_month=4,
        ),
        "fine_tuning+rag": ApproachInputs(
            **DEFAULT_TUNED, system_prompt_tokens=100, retrieved_tokens=1500,
            engineering_hours=100, data_prep_hours=40, monthly_fixed=70,
            maintenance_hours_per_month=12,
        ),
        "fine_tuning+prompt_engineering": ApproachInputs(
            **DEFAULT_TUNED, system_prompt_tokens=400, engineering_hours=50,
            data_prep_hours=40, maintenance_hours_per_month=5,
        ),
        "all_three": ApproachInputs(
            **DEFAULT_TUNED, system_prompt_tokens=500, retrieved_tokens=1500,
            engineering_hours=110, data_prep_hours=40, monthly_fixed=70,
            maintenance_hours_per_month=14,
        ),
    }


class GpuPlan(Strict):
    """The GPUs a team has or would rent, and the training run they must hold (core/gpu).

    The sign "no GPU budget" is worked out from this: whether the chosen model and method fit
    the card. Self-hosted offerings are costed on these cards (training hours from FLOPs, and
    serving GPUs that step up with traffic).
    """

    access: GpuAccess = Field(
        "service", description="Where training runs: a hosted tuning service, GPUs of your "
        "own, rented cloud GPUs, or no budget for either.")
    gpu: CatalogId | None = Field(None, description="The card you have or would rent.")
    count: Annotated[int, Field(ge=1, le=64)] = Field(1, description="How many of that card.")
    model: ModelRef | None = Field(
        None, description="The open-weights model to train; empty takes the fine-tuning "
        "approach's model.")
    method: GpuMethod = Field("qlora", description="Full training, LoRA or QLoRA.")
    seq_len: Annotated[int, Field(ge=128, le=131_072)] = Field(
        2048, description="Longest training sequence, in tokens.")
    batch: Annotated[int, Field(ge=1, le=512)] = Field(
        1, description="Sequences per step on each GPU (micro-batch).")
    checkpointing: bool = Field(
        True, description="Gradient checkpointing: recompute activations to save memory.")
    lora_rank: Annotated[int, Field(ge=1, le=1024)] = Field(16, description="LoRA rank r.")
    mfu: Annotated[float, Field(ge=0.01, le=1, allow_inf_nan=False)] | None = Field(
        None, description="Share of the card's bf16 peak a training run achieves; empty uses "
        "the documented default.")
    serving_gpu: CatalogId | None = Field(
        None, description="The card a self-hosted tuned model is served on; empty uses the "
        "catalogue's default.")
    serving_tokens_per_second: Annotated[
        float, Field(gt=0, le=1_000_000, allow_inf_nan=False)] | None = Field(
        None, description="Output tokens a second one serving GPU gives; empty estimates it "
        "from the card's memory bandwidth and the model's size.")
    peak_factor: Annotated[float, Field(ge=1, le=100, allow_inf_nan=False)] = Field(
        3.0, description="Busiest hour's traffic over the day's average (3: a day's requests "
        "within 8 working hours).")


class CostInputs(Strict):
    requests_per_day: Annotated[float, Field(ge=0, le=100_000_000, allow_inf_nan=False)] = 10_000
    monthly_growth: Annotated[float, Field(ge=-0.5, le=2.0, allow_inf_nan=False)] = Field(
        0.0, description="Growth of traffic per month, as a fraction (0.05 = 5%)."
    )
    horizon_days: Annotated[int, Field(ge=1, le=3650)] = 365
    start_date: date | None = Field(
        None, description="Day 0 of the plan; None means the day it is evaluated. Lifecycle "
        "dates of offerings and models are placed on the plan's days from here.")
    hourly_rate: Money = Field(100, description="Cost of one engineering hour.")
    workload: Workload = Field(default_factory=Workload)
    approaches: dict[ApproachId, ApproachInputs] = Field(
        default_factory=default_approaches, max_length=len(APPROACHES))
    training: TrainingInputs = Field(default_factory=TrainingInputs)
    retrieval: RetrievalInputs = Field(default_factory=RetrievalInputs)
    gpu: GpuPlan = Field(default_factory=GpuPlan)
    # Bounded so that every plan that loads also saves within the file size limit.
    price_overrides: dict[ModelRef, PriceOverride] = Field(
        default_factory=dict, max_length=MAX_PRICE_OVERRIDES,
        description="Prices typed in by the user, by model.")

    def approach(self, approach: ApproachId) -> ApproachInputs:
        """The inputs for one approach; approaches missing from a file get the defaults."""
        found = self.approaches.get(approach)
        return found if found is not None else default_approaches()[approach]

    def user_input_tokens(self, approach: ApproachId) -> int:
        own = self.approach(approach).user_input_tokens
        return own if own is not None else self.workload.user_input_tokens

    def output_tokens(self, approach: ApproachId) -> int:
        own = self.approach(approach).output_tokens
        return own if own is not None else self.workload.output_tokens

    def overrides_workload(self, approach: ApproachId) -> list[str]:
        """Which workload figures this approach sets for itself ('user input', 'output')."""
        spec = self.approach(approach)
        found = []
        if spec.user_input_tokens is not None:
            found.append("user input")
        if spec.output_tokens is not None:
            found.append("output")
        return found


Count = Annotated[int, Field(ge=0, le=100_000_000_000)]


class MeasuredFigures(Strict):
    """What Tunewise measured in the team's examples file (see core/dataset)."""

    records: Annotated[int, Field(ge=0, le=100_000_000)]
    valid: Annotated[int, Field(ge=0, le=100_000_000)]
    invalid: Annotated[int, Field(ge=0, le=100_000_000)]
    duplicates: Annotated[int, Field(ge=0, le=100_000_000)]
    near_duplicates: Annotated[int, Field(ge=0, le=100_000_000)]
    good_examples: Annotated[int, Field(ge=0, le=100_000_000)]
    training_tokens: Annotated[int, Field(ge=0, le=100_000_000_000)]
    mean_input_tokens: Annotated[float, Field(ge=0, le=2_000_000, allow_inf_nan=False)]
    mean_output_tokens: Annotated[float, Field(ge=0, le=2_000_000, allow_inf_nan=False)]
    pii_examples: Annotated[int, Field(ge=0, le=100_000_000)] = 0
    pii_kinds: dict[Literal["email", "phone", "card", "iban"], Count] = Field(
        default_factory=dict, max_length=4)
    encoding: Literal["o200k_base", "cl100k_base"] = "o200k_base"
    approximate: bool = False  # counted with o200k for a model that is not OpenAI's
    problems_by_kind: dict[Annotated[str, StringConstraints(max_length=40)], Count] = Field(
        default_factory=dict, max_length=40)
    tokens_mean: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    tokens_p50: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    tokens_p95: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    tokens_max: Count = 0
    histogram_edges: list[Annotated[float, Field(ge=0, allow_inf_nan=False)]] = Field(
        default_factory=list, max_length=201)
    histogram_counts: list[Count] = Field(default_factory=list, max_length=200)
    labels: dict[ShortText, Count] | None = Field(None, max_length=50)
    over_context: Count = 0


class DatasetSplit(Strict):
    """The seed's tip as files: few-shot, held-out and training examples."""

    few_shot: Count
    held_out: Count
    train: Count
    seed: int
    folder: Annotated[str, StringConstraints(max_length=4096),
                      AfterValidator(_no_lone_surrogates)] = ""


class DatasetRef(Strict):
    """The examples file a plan's figures were measured from, so they keep their provenance.

    The figures in use live in the usual fields (Q4's count, the training-set size, the tuned
    approaches' tokens); a field that differs from `figures` is the user's override.
    """

    path: Annotated[str, StringConstraints(min_length=1, max_length=4096),
                    AfterValidator(_no_lone_surrogates)] = Field(
        description="The file, relative to the project's folder where possible (/ separated).")
    name: Name
    size: Annotated[int, Field(ge=0)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    format: Literal["chat", "prompt_completion", "alpaca", "sharegpt", "preference", "csv",
                    "tsv"]
    input_column: ShortText | None = None
    output_column: ShortText | None = None
    measured_on: date
    figures: MeasuredFigures
    split: DatasetSplit | None = None


# A field of the cost inputs by its dotted path ("costs.requests_per_day",
# "costs.approaches.rag.engineering_hours"); core/inputs.py says which can carry a range.
InputPath = Annotated[str, StringConstraints(min_length=6, max_length=120,
                                             pattern=r"^costs\.[a-z0-9_.+]+$")]
Distribution = Literal["pert", "triangular"]
DISTRIBUTIONS: tuple[Distribution, ...] = get_args(Distribution)


class Range(Strict):
    """Low, likely and high for one input: the draws of the Monte Carlo (core/uncertainty)."""

    low: Annotated[float, Field(allow_inf_nan=False)]
    likely: Annotated[float, Field(allow_inf_nan=False)]
    high: Annotated[float, Field(allow_inf_nan=False)]

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low <= self.likely <= self.high:
            raise ValueError(f"a range needs low <= likely <= high; got {self.low:g}, "
                             f"{self.likely:g}, {self.high:g}")
        return self


class Uncertainty(Strict):
    """Ranges on cost inputs and how the Monte Carlo draws them."""

    ranges: dict[InputPath, Range] = Field(
        default_factory=dict, max_length=60,
        description="Low, likely and high, by the input's path.")
    distribution: Distribution = Field(
        "pert", description="PERT (a smoothed triangle weighted to likely) or triangular.")
    draws: Annotated[int, Field(ge=100, le=100_000)] = 10_000
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 1


ScenarioValue = Annotated[float, Field(allow_inf_nan=False)] | ModelRef | None


class Scenario(Strict):
    """A named variant of the plan: a few inputs set otherwise ("3x traffic")."""

    name: Name
    note: LongText = ""
    overrides: dict[InputPath, ScenarioValue] = Field(default_factory=dict, max_length=40)


class Project(Strict):
    format: FormatName = FORMAT_NAME
    schema_version: SchemaVersion = SCHEMA_VERSION
    metadata: Metadata = Field(default_factory=Metadata)
    answers: Answers = Field(default_factory=Answers)
    costs: CostInputs = Field(default_factory=CostInputs)
    dataset: DatasetRef | None = Field(
        None, description="The examples file the plan's data figures were measured from.")
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
    scenarios: list[Scenario] = Field(default_factory=list, max_length=12)
    notes: LongText = ""

    @model_validator(mode="after")
    def _inputs_exist(self) -> Project:
        # Each range and override is checked like the field it names (core/inputs.py).
        from tunewise.core.inputs import check_project

        check_project(self)
        return self
