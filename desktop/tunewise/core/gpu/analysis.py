"""GPU feasibility for one plan: the no-GPU-budget sign with its numbers, and the analysis result.

The sign used to be a three-way answer that changed nothing. It is now worked out from the
plan's GPU (`costs.gpu`): which model the team would train (the plan's GPU model, else the
fine-tuning approach's), whether its weights are open at all, and whether the estimated peak
memory for the method, sequence length and batch fits the card the team has or would rent.

The registered analysis ("gpu") gives the feasibility table the app and the report print: the
memory of every method for the plan's model at its sequence length and batch, with and without
gradient checkpointing; the chosen set-up's breakdown; how many cards; the largest model and the
longest sequence that fit; one training run on the card beside the hosted offerings; and, for a
self-hosted tuned approach, the serving GPUs the traffic needs over the plan.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Final, NamedTuple

from tunewise.core import texts
from tunewise.core.costs import CostReport
from tunewise.core.gpu import catalogue, feasibility, memory, selfhost, throughput
from tunewise.core.market import Offering, default_market
from tunewise.core.project import ApproachId, GpuMethod, GpuPlan, Project
from tunewise.core.results import Result

SELF_HOSTED = selfhost.PROVIDER
# The approach whose model and offering stand for fine-tuning in the GPU questions: every tuned
# approach trains the same kind of model, and the defaults give all four the same one.
TRAINED_APPROACH: Final[ApproachId] = "fine_tuning"


def card_gb(gpu: catalogue.Gpu) -> str:
    """A card's memory as it is sold ("16 GB"): the GiB the card reports (see feasibility)."""
    return f"{gpu.memory_gib:g} GB"


class GpuSign(NamedTuple):
    present: bool
    detail: str  # the reason, with the numbers
    lift: str  # what would lift it


def trained_model(project: Project) -> str:
    """The model the GPU questions are about: the GPU plan's, else the fine-tuning approach's."""
    plan = project.costs.gpu
    return plan.model or project.costs.approach(TRAINED_APPROACH).model


def trained_offering(project: Project) -> Offering | None:
    spec = project.costs.approach(TRAINED_APPROACH)
    return default_market().find(spec.model, spec.provider, spec.deployment)


def self_hosted(project: Project) -> bool:
    offering = trained_offering(project)
    return offering is not None and offering.provider == SELF_HOSTED


def plan_estimate(model: catalogue.OpenModel, plan: GpuPlan,
                  method: str | None = None, checkpointing: bool | None = None,
                  seq_len: int | None = None) -> memory.MemoryEstimate:
    return memory.estimate(
        model, method or plan.method,  # type: ignore[arg-type]
        seq_len or plan.seq_len, plan.batch,
        checkpointing=plan.checkpointing if checkpointing is None else checkpointing,
        lora_rank=plan.lora_rank)


def describe_run(model: catalogue.OpenModel, plan: GpuPlan) -> str:
    """'QLoRA of Llama 3.1 8B at 2,048 tokens' (batch and checkpointing when not the usual)."""
    words = f"{memory.METHOD_LABELS[plan.method]} of {model.name} at {plan.seq_len:,} tokens"
    if plan.batch > 1:
        words += f", batch {plan.batch}"
    if not plan.checkpointing:
        words += " without gradient checkpointing"
    return words


def _smallest_card_that_fits(model: catalogue.OpenModel, plan: GpuPlan) -> catalogue.Gpu | None:
    need = plan_estimate(model, plan).total
    cards = sorted(catalogue.gpus().gpus, key=lambda g: (g.memory_gib, g.rental_per_hour or 0))
    return next((g for g in cards if g.memory_bytes >= need), None)


def gpu_sign(project: Project) -> GpuSign:
    """Whether "no GPU budget" stands against fine-tuning, and why, in numbers."""
    plan = project.costs.gpu
    model_id = trained_model(project)
    if plan.access == "none":
        return GpuSign(True, "The plan has no budget for training compute: neither a hosted "
                       "tuning service nor a GPU.",
                       "Budget a hosted tuning service, or a GPU that holds the training run "
                       "(the GPU panel on the Constraints page says which).")
    if plan.access == "service":
        offering = trained_offering(project)
        if offering is not None and offering.provider == SELF_HOSTED:
            default = catalogue.gpus().default_training
            return GpuSign(False, f"{model_id} is tuned on your own infrastructure; with no "
                           f"GPU named, it is costed on a rented {default.name}.", "")
        where = (f"the {default_market().provider_name(offering.provider)}"
                 if offering is not None else "a hosted")
        return GpuSign(False, f"Training runs on {where} tuning service, so no GPU of your "
                       "own is needed.", "")
    open_model = catalogue.models().find(model_id)
    owned = "your" if plan.access == "own" else "a rented"
    if plan.gpu is None:
        return GpuSign(True, "The plan trains on " + ("GPUs of your own" if plan.access == "own"
                                                       else "rented GPUs")
                       + " but does not say which card.",
                       "Choose the card in the GPU panel on the Constraints page.")
    try:
        gpu = catalogue.gpus().get(plan.gpu)
    except catalogue.UnknownId as error:
        return GpuSign(True, f"Tunewise's GPU list has no card '{plan.gpu}'"
                       + (f" (closest: {', '.join(error.closest)})." if error.closest else "."),
                       "Choose the card in the GPU panel on the Constraints page.")
    if open_model is None:
        offering = trained_offering(project)
        if offering is not None and offering.provider != SELF_HOSTED:
            # The card cannot train a closed model, but the plan trains on a service anyway.
            return GpuSign(False, f"{model_id}'s weights are not published, so {owned} "
                           f"{gpu.name} cannot train it; the plan trains it on the "
                           f"{default_market().provider_name(offering.provider)} service.",
                           "")
        return GpuSign(True, f"{model_id} is not an open-weights model Tunewise knows, so it "
                       f"cannot be sized for {owned} {gpu.name}.",
                       "Choose an open-weights model for the GPU panel, or a hosted service.")
    # The plan's batch is each card's micro-batch: the whole step is batch x count sequences.
    count = feasibility.gpus_needed(open_model, gpu, plan.method, plan.seq_len,
                                    plan.batch * plan.count, checkpointing=plan.checkpointing,
                                    lora_rank=plan.lora_rank, count=plan.count)
    run = describe_run(open_model, plan)
    cards = f"{plan.count} {gpu.name} cards" if plan.count > 1 else f"{owned} {gpu.name}"
    has = "have" if plan.count > 1 else "has"
    if count.gpus is not None and count.gpus <= plan.count:
        need = feasibility.gb(count.per_gpu.total)
        if count.sharded:
            return GpuSign(False, f"{run} needs sharding (FSDP / ZeRO-3) over {count.gpus} "
                           f"cards, about {need} on each; {cards} {has} {card_gb(gpu)} each.",
                           "")
        return GpuSign(False, f"{run} needs about {need} on each GPU; {cards} {has} "
                       f"{card_gb(gpu)}.", "")
    one = feasibility.gb(plan_estimate(open_model, plan).total)
    bigger = _smallest_card_that_fits(open_model, plan)
    lift = "Use QLoRA or LoRA, gradient checkpointing or shorter sequences"
    if bigger is not None:
        lift += f", or a card with more memory (the {bigger.name}, {card_gb(bigger)}, holds it)"
    elif count.gpus is not None:
        lift += f", or {count.gpus} such cards with sharding (FSDP / ZeRO-3)"
    lift += "; or train on a hosted tuning service."
    return GpuSign(True, f"{run} needs about {one} on each GPU; {cards} {has} only "
                   f"{card_gb(gpu)}.", lift)


def unused_gpu(project: Project, runs_on: str, offering: Offering | None) -> GpuSign | None:
    """When the plan names cards of the team's own (or rented) but the costs train elsewhere.

    The old three-way answer let "a GPU of our own" sit beside a hosted-only model without a
    word; now the plan says the card plays no part in the costs, and how to make it count.
    """
    plan = project.costs.gpu
    if plan.access not in ("own", "rent") or plan.gpu is None:
        return None
    gpu = catalogue.gpus().find(plan.gpu)
    if gpu is None or (offering is not None and offering.provider == SELF_HOSTED):
        return None
    owned = "your" if plan.access == "own" else "the rented"
    model_id = trained_model(project)
    if catalogue.models().find(model_id) is None:
        return GpuSign(True, f"{owned.capitalize()} {gpu.name} cannot train {model_id}: its "
                       f"weights are not published, so the costs are those of {runs_on}.",
                       "To cost training on your own cards, choose an open-weights model with "
                       "the self-hosted offering on the Costs page.")
    return GpuSign(True, f"The costs train on {runs_on}; {owned} {gpu.name} plays no part in "
                   "them.", "Choose the self-hosted offering on the Costs page to cost "
                   "training and serving on your own cards, or keep the service.")


class MemoryRow(Result):
    method: str
    method_label: str
    seq_len: int
    batch: int
    checkpointing: bool
    weights_gib: float
    trainable_state_gib: float
    gradients_gib: float
    activations_gib: float
    overhead_gib: float
    total_gib: float
    fits: bool | None  # on one of the plan's cards; None when the plan names no card


class TrainingOption(Result):
    where: str
    hours: float | None
    cost: float | None
    note: str = ""


class ServingStep(Result):
    """The day the self-hosted serving GPUs step to `gpus`."""

    day: int
    date: date
    gpus: int
    requests_per_day: float


class GpuResult(Result):
    model: str
    model_name: str | None  # None: not an open-weights model Tunewise knows
    access: str
    gpu: str | None
    gpu_name: str | None
    gpu_memory_gib: float | None
    count: int
    sign_present: bool
    sign_detail: str
    chosen: MemoryRow | None
    table: list[MemoryRow]
    sized_on: str  # the card the three answers below are about: the plan's, else the default
    gpus_needed: str
    largest_model: str
    longest_sequence: int | None
    training: list[TrainingOption]
    serving: list[ServingStep]
    serving_note: str


def _row(est: memory.MemoryEstimate, gpu: catalogue.Gpu | None) -> MemoryRow:
    return MemoryRow(
        method=est.method, method_label=memory.METHOD_LABELS[est.method], seq_len=est.seq_len,
        batch=est.batch, checkpointing=est.checkpointing,
        weights_gib=est.weights_gib, trainable_state_gib=est.trainable_state_gib,
        gradients_gib=est.gradients_gib, activations_gib=est.activations_gib,
        overhead_gib=est.overhead_gib, total_gib=est.total_gib,
        fits=None if gpu is None else feasibility.fit(est, gpu).fits)


class _Sized(NamedTuple):
    chosen: MemoryRow
    table: list[MemoryRow]
    needed: str
    largest: str
    longest: int | None


@lru_cache(maxsize=64)
def _sized(model_id: str, card_id: str, compared: bool, method: GpuMethod, seq_len: int,
           batch: int, checkpointing: bool, lora_rank: int, count: int) -> _Sized:
    """The memory answers for one model, card and run: they depend on nothing else, so an
    edit elsewhere in the plan finds them here instead of sizing some 60 runs again."""
    plan = GpuPlan(method=method, seq_len=seq_len, batch=batch, checkpointing=checkpointing,
                   lora_rank=lora_rank, count=count)
    model = catalogue.models().get(model_id)
    card = catalogue.gpus().get(card_id)
    against = card if compared else None
    table = [_row(plan_estimate(model, plan, method=m, checkpointing=c), against)
             for m in memory.METHODS for c in (True, False)]
    chosen = _row(plan_estimate(model, plan), against)
    needed = feasibility.gpus_needed(model, card, plan.method, plan.seq_len,
                                     plan.batch * plan.count, checkpointing=plan.checkpointing,
                                     lora_rank=plan.lora_rank, count=plan.count)
    largest = feasibility.largest_model(card, plan.method, plan.seq_len, plan.batch,
                                        checkpointing=plan.checkpointing,
                                        lora_rank=plan.lora_rank)
    run = f"{memory.METHOD_LABELS[plan.method]} at {plan.seq_len:,} tokens"
    largest_text = (f"The largest catalogue model whose {run} fits one {card.name} is "
                    f"{largest.name}." if largest is not None else
                    f"No catalogue model's {run} fits one {card.name}.")
    longest = feasibility.longest_sequence(model, card, plan.method, plan.batch,
                                           checkpointing=plan.checkpointing,
                                           lora_rank=plan.lora_rank)
    return _Sized(chosen, table, needed.text, largest_text, longest)


def plan_gpu(plan: GpuPlan) -> catalogue.Gpu | None:
    if plan.access not in ("own", "rent") or plan.gpu is None:
        return None
    return catalogue.gpus().find(plan.gpu)


def _training_options(project: Project, model: catalogue.OpenModel,
                      gpu: catalogue.Gpu | None, costs: CostReport) -> list[TrainingOption]:
    """One training run on the card (or the default rented one) beside the hosted offerings."""
    plan = project.costs.gpu
    t = project.costs.training
    card = gpu or catalogue.gpus().default_training
    count = plan.count if gpu is not None else 1
    owned = plan.access == "own" and gpu is not None
    run = throughput.training_run(model, plan.method, t.training_tokens, t.epochs, card, count,
                                  mfu=plan.mfu, checkpointing=plan.checkpointing,
                                  lora_rank=plan.lora_rank, owned=owned)
    where = (f"{count} {card.name} cards" if count > 1 else card.name) + (
        " (yours)" if owned else " (rented)")
    mfu = throughput.utilisation(plan.method, plan.mfu)
    note = (f"{t.training_tokens * t.epochs:,} tokens at {mfu:.0%} of the card's bf16 peak; "
            f"{run.price_source}")
    hours, cost = run.hours, run.cost
    found = [TrainingOption(where=where, hours=hours, cost=cost, note=note)]
    catalog = costs.catalog
    market = catalog.market if catalog is not None else default_market()
    for offering in market.for_model(model.id):
        if offering.provider == SELF_HOSTED:
            continue
        label = f"{market.provider_name(offering.provider)} ({offering.deployment})"
        price_row = offering.training_price(t.method)
        if price_row is None or (price_row.per_mtok is None and price_row.per_hour is None):
            found.append(TrainingOption(where=label, hours=None, cost=None,
                                        note="no price for this method"))
        elif price_row.per_mtok is not None:
            each = max(t.training_tokens * t.epochs * price_row.per_mtok / 1e6,
                       offering.minimum_training_cost or 0.0)
            found.append(TrainingOption(where=label, hours=None, cost=each,
                                        note=f"{texts.money(price_row.per_mtok)} per 1M "
                                        "training tokens"))
        else:
            found.append(TrainingOption(where=label, hours=t.training_hours, cost=(
                None if t.training_hours is None or price_row.per_hour is None
                else t.training_hours * price_row.per_hour),
                note=f"billed by the hour ({texts.money(price_row.per_hour or 0)})"))
    return found


def serving_steps(project: Project, model: catalogue.OpenModel,
                  costs: CostReport) -> tuple[list[ServingStep], str]:
    """The days the self-hosted serving GPUs step up (or down) with the plan's traffic (the
    daily volume the costs were worked out on)."""
    override = project.costs.price_overrides.get(model.id)
    serving = selfhost.serving(project.costs, model, TRAINED_APPROACH,
                               override.hosting_per_hour if override is not None else None)
    start, volume = costs.start_date, costs.requests
    gpus = serving.gpus(volume[1:])
    steps: list[ServingStep] = []
    previous = -1
    for i, n in enumerate(gpus.tolist()):
        if n != previous:
            day = i + 1
            steps.append(ServingStep(day=day, date=start + timedelta(day), gpus=int(n),
                                     requests_per_day=float(volume[day])))
            previous = n
    note = (f"{model.name} served on {serving.gpu.name} at about "
            f"{serving.tokens_per_second:,.0f} output tokens a second a card, "
            f"{serving.seconds_per_request:.2f} GPU-seconds a request, busiest hour "
            f"{serving.peak_factor:g} times the day's average")
    return steps, note


def run(project: Project, costs: CostReport) -> GpuResult | None:
    """The feasibility table for the plan's model and card; None when nothing is tuned."""
    plan = project.costs.gpu
    model_id = trained_model(project)
    sign = gpu_sign(project)
    gpu = plan_gpu(plan)
    model = catalogue.models().find(model_id)
    base = {"model": model_id, "access": plan.access, "gpu": plan.gpu,
            "gpu_name": gpu.name if gpu else None,
            "gpu_memory_gib": gpu.memory_gib if gpu else None, "count": plan.count,
            "sign_present": sign.present, "sign_detail": sign.detail}
    if model is None:
        return GpuResult(**base, model_name=None, chosen=None, table=[], sized_on="",
                         gpus_needed="", largest_model="", longest_sequence=None,
                         training=[], serving=[], serving_note="")
    card = gpu or catalogue.gpus().default_training
    sized = _sized(model.id, card.id, gpu is not None, plan.method, plan.seq_len, plan.batch,
                   plan.checkpointing, plan.lora_rank, plan.count if gpu is not None else 1)
    serving: list[ServingStep] = []
    serving_note = ""
    if self_hosted(project):
        serving, serving_note = serving_steps(project, model, costs)
    return GpuResult(**base, model_name=model.name, chosen=sized.chosen, table=sized.table,
                     sized_on=card.name, gpus_needed=sized.needed, largest_model=sized.largest,
                     longest_sequence=sized.longest,
                     training=_training_options(project, model, gpu, costs),
                     serving=serving, serving_note=serving_note)

