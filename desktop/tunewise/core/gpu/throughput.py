"""How long fine-tuning takes on rented or own GPUs, and how many GPUs serving the result needs.

Training time comes from the work (floating-point operations per token) over the card's dense
bf16 peak times a utilisation; serving capacity from memory bandwidth (decoding) and compute
(reading the prompt). Both are planning estimates, good to within a factor of about two:
measured throughput depends on the software stack more than on anything modelled here.

Training work per token (N parameters, N_a the LoRA adapter's, `memory.lora_parameters`):

- full / full-bf16: 6N, a forward pass of 2N (one multiply and one add per parameter) and a
  backward pass of 4N (gradients of the activations and of the weights): the 6·N·D rule of
  Kaplan et al. 2020, "Scaling Laws for Neural Language Models" (arXiv:2001.08361, sec. 2.1),
  which Chinchilla (Hoffmann et al. 2022) and the PaLM appendix B MFU definition use too.
- lora / qlora: 4N for the frozen model, whose weights need no gradients (forward 2N, the
  activations' gradients 2N), plus 6·N_a for the adapter, which trains like any weights.
- gradient checkpointing runs the forward pass again during backward: +2N.

The attention-score work (12·layers·hidden·seq_len a token in PaLM's count, under 10% at
2,048 tokens for the catalogue's models) is left out; the utilisation absorbs it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from tunewise.core.gpu.catalogue import Gpu, OpenModel
from tunewise.core.gpu.feasibility import card, card_name
from tunewise.core.gpu.memory import Method, lora_parameters

# Model FLOPs utilisation: the share of the card's dense bf16 peak a fine-tuning run turns
# into the work counted above. 0.35 is the middle of what published runs reach: GPT-3 21%,
# Gopher 32.5%, MT-NLG 30%, PaLM 46% (PaLM paper, table 3), Llama 3 405B 38-43% on H100
# (Llama 3 paper, table 4); 30-50% is the usual range for a tuned run, and single-node
# fine-tuning with Hugging Face Trainer sits at its low end. Because the recomputation of
# checkpointing is counted as work above, this is strictly hardware FLOPs utilisation.
DEFAULT_MFU = 0.35
# QLoRA dequantises each 4-bit weight to bf16 before every matmul, so it does the same
# arithmetic as LoRA plus the dequantisation: users report it slower than LoRA, never faster
# (litgpt issue 595: "no speed improvement compared to LoRA; actually it's slower";
# open-instruct issue 109 and LLaMA-Factory issue 653 report far worse with poor set-ups).
# 0.7 (a run about 40% longer than LoRA) is our judgement of a well set-up QLoRA run.
QLORA_SPEED = 0.7

# Serving (vLLM-style continuous batching, bf16 weights and KV cache).
BF16 = 2
# vLLM's default --gpu-memory-utilization: the share of the card it takes for weights and KV
# cache; the rest holds the CUDA context and activations.
SERVING_MEMORY_SHARE = 0.9
# vLLM's default --max-num-seqs: sequences decoded together at most.
MAX_BATCH = 256
# Share of the memory bandwidth a decode step achieves (kernel launches, attention over a
# paged cache, sampling and scheduling between steps); 0.6 is our judgement, between the
# 70-80% that large memory copies reach and the 40-50% small batches see.
DECODE_EFFICIENCY = 0.6
# Share of the dense bf16 peak that reading a prompt (prefill) and large decode batches reach:
# both are large matmuls, which run at 50-70% of peak; 0.5 leaves room for attention.
PREFILL_UTILISATION = 0.5
# A day's requests arrive inside about 8 working hours: the peak hour has 24/8 = 3 times the
# day's average rate.
PEAK_FACTOR = 3.0
MAX_REPLICA_GPUS = 64

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def training_flops_per_token(
    model: OpenModel, method: Method, *, checkpointing: bool = True, lora_rank: int = 16
) -> float:
    """Floating-point operations one training token costs (see the module's notes)."""
    n = float(model.parameters)
    if method in ("full", "full-bf16"):
        flops = 6 * n
    else:
        flops = 4 * n + 6 * float(lora_parameters(model, lora_rank))
    if checkpointing:
        flops += 2 * n
    return flops


def default_mfu(method: Method) -> float:
    """The utilisation a run of `method` reaches by default: DEFAULT_MFU, times QLORA_SPEED
    for QLoRA."""
    return DEFAULT_MFU * QLORA_SPEED if method == "qlora" else DEFAULT_MFU


def utilisation(method: Method, mfu: float | None = None) -> float:
    """`mfu` when given (a measured figure for this method, used as it is), else the
    method's `default_mfu`."""
    value = default_mfu(method) if mfu is None else mfu
    if not 0 < value <= 1:
        raise ValueError(f"utilisation must be in (0, 1], not {value}")
    return value


def training_hours(
    model: OpenModel,
    method: Method,
    tokens: float,
    epochs: float,
    gpu: Gpu,
    count: int = 1,
    *,
    mfu: float | None = None,
    checkpointing: bool = True,
    lora_rank: int = 16,
) -> float:
    """Wall-clock hours: tokens * epochs * work a token / (count * peak * utilisation).

    `tokens` is the training set's size in tokens, seen `epochs` times. `count` GPUs share the
    work perfectly (data parallel or sharded); `mfu` replaces the method's `default_mfu`
    (QLORA_SPEED is not applied to a figure the user gives).
    """
    if tokens < 0 or epochs < 0 or count < 1:
        raise ValueError("tokens and epochs must be at least 0, count at least 1")
    work = tokens * epochs * training_flops_per_token(
        model, method, checkpointing=checkpointing, lora_rank=lora_rank
    )
    per_second = count * gpu.bf16_tflops * 1e12 * utilisation(method, mfu)
    return work / per_second / 3600


@dataclass(frozen=True)
class TrainingRun:
    """One fine-tuning run's time and rental cost."""

    hours: float
    gpu: Gpu
    count: int
    price_per_hour: float | None  # USD per GPU-hour; None when no price is known
    cost: float | None  # hours * count * price; 0 on own GPUs; None when no price is known
    owned: bool
    price_source: str  # where the price comes from, in words
    price_as_of: date | None

    @property
    def gpu_hours(self) -> float:
        return self.hours * self.count

    @property
    def text(self) -> str:
        cards = f"{self.count} {card_name(self.gpu)}"
        time = f"about {self.hours:,.1f} hours on {cards}"
        if self.cost is None:
            return f"{time}; {self.price_source}"
        return f"{time}, ${self.cost:,.2f} ({self.price_source})"


def training_run(
    model: OpenModel,
    method: Method,
    tokens: float,
    epochs: float,
    gpu: Gpu,
    count: int = 1,
    *,
    mfu: float | None = None,
    checkpointing: bool = True,
    lora_rank: int = 16,
    price_per_hour: float | None = None,
    owned: bool = False,
) -> TrainingRun:
    """`training_hours` with its cost: hours * count * $/GPU-hour.

    The price is `price_per_hour` when given, else the catalogue's typical rental price with
    its date. `owned=True` means the user's own GPUs: no rental cost (power and the cards'
    purchase are not counted), and the run says so.
    """
    hours = training_hours(model, method, tokens, epochs, gpu, count, mfu=mfu,
                           checkpointing=checkpointing, lora_rank=lora_rank)
    price: float | None
    as_of: date | None = None
    if owned:
        price, source = 0.0, "own GPUs: no rental cost counted"
    elif price_per_hour is not None:
        if price_per_hour < 0:
            raise ValueError("price_per_hour must be at least 0")
        price, source = price_per_hour, f"your price of ${price_per_hour:,.2f} a GPU-hour"
    elif gpu.rental_per_hour is not None:
        price, as_of = gpu.rental_per_hour, gpu.rental_as_of
        when = f" as of {as_of.isoformat()}" if as_of else ""
        source = f"typical rental of ${price:,.2f} a GPU-hour{when}"
    else:
        price, source = None, f"no rental price is known for the {card_name(gpu)}"
    cost = None if price is None else hours * count * price
    return TrainingRun(hours=hours, gpu=gpu, count=count, price_per_hour=price, cost=cost,
                       owned=owned, price_source=source, price_as_of=as_of)


# Serving -------------------------------------------------------------------------------------


def weight_bytes(model: OpenModel) -> float:
    """The model's weights in bf16: what each decode step reads once."""
    return float(model.parameters * BF16)


def kv_bytes_per_token(model: OpenModel) -> float:
    """KV cache a token takes: keys and values, every layer, every KV head, in bf16."""
    return float(2 * model.layers * model.kv_heads * model.head_dim * BF16)


def replica_gpus(model: OpenModel, gpu: Gpu, context_tokens: int = 0) -> int:
    """GPUs one serving replica spans: the smallest power of two whose usable memory
    (SERVING_MEMORY_SHARE of each card) holds the bf16 weights and one sequence's KV cache.
    Tensor parallel splits both evenly over the GPUs."""
    need = weight_bytes(model) + kv_bytes_per_token(model) * context_tokens
    k = 1
    while need > k * gpu.memory_bytes * SERVING_MEMORY_SHARE:
        k *= 2
        if k > MAX_REPLICA_GPUS:
            raise ValueError(
                f"{model.name} does not fit on {MAX_REPLICA_GPUS} {card(gpu)} for serving"
            )
    return k


@dataclass(frozen=True)
class Decode:
    """One replica's decoding speed, from memory bandwidth (and compute at large batches)."""

    model: OpenModel
    gpu: Gpu
    gpus_per_replica: int
    context_tokens: int
    batch: int  # sequences decoded together
    step_seconds: float
    tokens_per_second: float  # output tokens a second for the whole replica
    memory_bound: bool

    @property
    def tokens_per_second_per_gpu(self) -> float:
        return self.tokens_per_second / self.gpus_per_replica

    @property
    def text(self) -> str:
        where = (
            f"one {card(self.gpu)}" if self.gpus_per_replica == 1
            else f"a replica of {self.gpus_per_replica} {card(self.gpu)} (tensor parallel; "
            f"the bf16 weights do not fit one)"
        )
        return (
            f"{self.model.name} on {where} decodes about {self.tokens_per_second:,.0f} "
            f"output tokens a second, {self.batch} sequences of {self.context_tokens:,} "
            f"tokens at a time"
        )


def decode(
    model: OpenModel,
    gpu: Gpu,
    context_tokens: int,
    *,
    efficiency: float = DECODE_EFFICIENCY,
    max_batch: int = MAX_BATCH,
) -> Decode:
    """Output tokens a second one replica decodes with continuous batching.

    Each decode step reads the weights once and every running sequence's KV cache; the batch B
    is what the memory left after the weights (SERVING_MEMORY_SHARE of the replica's cards)
    holds of sequences `context_tokens` long, at most `max_batch`. A step takes
    (weights + B * KV of one sequence) / (bandwidth * efficiency), or, if longer, the
    arithmetic B * 2N / (peak * PREFILL_UTILISATION); tokens/s = B / step.
    `context_tokens` is a sequence's length while it decodes: input + output tokens gives a
    cautious figure (the average over a reply is lower). A replica of k GPUs reads in parallel
    (k * bandwidth); tensor parallel's communication is left to `efficiency`.
    """
    if context_tokens < 1:
        raise ValueError("context_tokens must be at least 1")
    if not 0 < efficiency <= 1:
        raise ValueError(f"efficiency must be in (0, 1], not {efficiency}")
    k = replica_gpus(model, gpu, context_tokens)
    weights = weight_bytes(model)
    kv_seq = kv_bytes_per_token(model) * context_tokens
    free = k * gpu.memory_bytes * SERVING_MEMORY_SHARE - weights
    batch = max(1, min(max_batch, math.floor(free / kv_seq)))
    memory_time = (weights + batch * kv_seq) / (k * gpu.bandwidth_gbs * 1e9 * efficiency)
    compute_time = (batch * 2 * model.parameters
                    / (k * gpu.bf16_tflops * 1e12 * PREFILL_UTILISATION))
    step = max(memory_time, compute_time)
    return Decode(model=model, gpu=gpu, gpus_per_replica=k, context_tokens=context_tokens,
                  batch=batch, step_seconds=step, tokens_per_second=batch / step,
                  memory_bound=memory_time >= compute_time)


def decode_tokens_per_second(
    model: OpenModel, gpu: Gpu, context_tokens: int, *, efficiency: float = DECODE_EFFICIENCY
) -> float:
    """Output tokens a second for one replica (one GPU when the weights fit one card; see
    `decode` and `replica_gpus` for a replica that spans several)."""
    return decode(model, gpu, context_tokens, efficiency=efficiency).tokens_per_second


def prefill_seconds(model: OpenModel, gpu: Gpu, input_tokens: int) -> float:
    """Seconds one replica spends reading a prompt: 2N FLOPs a token at PREFILL_UTILISATION."""
    k = replica_gpus(model, gpu, input_tokens)
    return input_tokens * 2 * model.parameters / (k * gpu.bf16_tflops * 1e12
                                                  * PREFILL_UTILISATION)


def gpu_seconds_per_request(
    model: OpenModel,
    gpu: Gpu,
    input_tokens: int,
    output_tokens: int,
    *,
    tokens_per_second: float | None = None,
    efficiency: float = DECODE_EFFICIENCY,
) -> float:
    """Replica-seconds one request takes: reading the prompt, then its share of the batched
    decoding, output_tokens / tokens a second. A replica is one GPU when the weights fit one
    card. `tokens_per_second` overrides the decode estimate (at input + output tokens)."""
    if input_tokens < 0 or output_tokens < 0:
        raise ValueError("token counts must be at least 0")
    if tokens_per_second is None:
        tokens_per_second = decode_tokens_per_second(
            model, gpu, max(1, input_tokens + output_tokens), efficiency=efficiency
        )
    if tokens_per_second <= 0:
        raise ValueError("tokens_per_second must be above 0")
    return prefill_seconds(model, gpu, input_tokens) + output_tokens / tokens_per_second


def serving_gpus(
    requests_per_day: npt.ArrayLike,
    *,
    seconds_per_request: float,
    peak_factor: float = PEAK_FACTOR,
    gpus_per_replica: int = 1,
) -> IntArray:
    """GPUs to keep up with each day's traffic, for a whole plan at once.

    The peak rate is requests_per_day / 86,400 * peak_factor requests a second (3.0: a day's
    traffic inside 8 working hours); replicas = ceil(peak rate * seconds_per_request), at
    least one (a replica is always up, even on a day without requests); GPUs = replicas *
    gpus_per_replica. The product is rounded to 9 decimals before the ceiling so that float
    noise (1.0000000000000002) does not add a GPU.
    """
    if seconds_per_request < 0 or peak_factor <= 0 or gpus_per_replica < 1:
        raise ValueError("seconds_per_request >= 0, peak_factor > 0, gpus_per_replica >= 1")
    daily = np.asarray(requests_per_day, dtype=np.float64)
    if np.any(daily < 0) or not np.all(np.isfinite(daily)):
        raise ValueError("requests a day must be finite and at least 0")
    busy = daily / 86_400.0 * peak_factor * seconds_per_request
    replicas = np.maximum(1.0, np.ceil(np.round(busy, 9)))
    result: IntArray = replicas.astype(np.int64) * gpus_per_replica
    return result


@dataclass(frozen=True)
class ServingPlan:
    """Self-hosted serving of one model on one kind of card, ready to cost a traffic series."""

    gpu: Gpu
    gpus_per_replica: int
    tokens_per_second: float  # output tokens a second per replica
    seconds_per_request: float  # replica-seconds per request
    peak_factor: float
    price_per_hour: float  # USD per GPU-hour (0 for own GPUs)

    def gpus(self, requests_per_day: npt.ArrayLike) -> IntArray:
        return serving_gpus(requests_per_day, seconds_per_request=self.seconds_per_request,
                            peak_factor=self.peak_factor,
                            gpus_per_replica=self.gpus_per_replica)

    def daily_cost(self, requests_per_day: npt.ArrayLike) -> FloatArray:
        """USD a day: GPUs * $/GPU-hour * 24 (GPUs are rented by the day, not by request)."""
        gpus = self.gpus(requests_per_day).astype(np.float64)
        result: FloatArray = gpus * (self.price_per_hour * 24.0)
        return result


def serving_plan(
    model: OpenModel,
    gpu: Gpu,
    input_tokens: int,
    output_tokens: int,
    *,
    peak_factor: float = PEAK_FACTOR,
    price_per_hour: float | None = None,
    owned: bool = False,
    tokens_per_second: float | None = None,
    efficiency: float = DECODE_EFFICIENCY,
) -> ServingPlan:
    """A ServingPlan from the model, the card and a typical request's tokens.

    The price is `price_per_hour`, else the card's typical rental, else a ValueError naming
    the card; `owned=True` costs 0 a GPU-hour.
    """
    if owned:
        price = 0.0
    elif price_per_hour is not None:
        price = price_per_hour
    elif gpu.rental_per_hour is not None:
        price = gpu.rental_per_hour
    else:
        raise ValueError(f"no rental price is known for the {card_name(gpu)}; give one")
    context = max(1, input_tokens + output_tokens)
    k = replica_gpus(model, gpu, context)
    tps = (decode_tokens_per_second(model, gpu, context, efficiency=efficiency)
           if tokens_per_second is None else tokens_per_second)
    seconds = gpu_seconds_per_request(model, gpu, input_tokens, output_tokens,
                                      tokens_per_second=tps)
    return ServingPlan(gpu=gpu, gpus_per_replica=k, tokens_per_second=tps,
                       seconds_per_request=seconds, peak_factor=peak_factor,
                       price_per_hour=price)

