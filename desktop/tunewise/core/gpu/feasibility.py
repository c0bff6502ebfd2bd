"""Does a fine-tuning run fit on a GPU, and if not, on how many?

Every answer compares `memory.estimate`'s peak with the card's memory.

Usable memory is the card's whole `memory_gib`: the estimate's overhead already holds the CUDA
context and allocator fragmentation, so nothing more is set aside here.

Units: sizes are computed in bytes and shown in GiB (1024**3 bytes), because a card's
`memory_gib` is what the driver reports ("80 GB" on an A100 80GB is 80 GiB). The words users
read say "GB", as nvidia-smi, the vendors and the training guides do; the figure next to the
word is GiB.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from tunewise.core.gpu.catalogue import GIB, Gpu, OpenModel
from tunewise.core.gpu.catalogue import models as catalogue_models
from tunewise.core.gpu.memory import (
    CUDA_CONTEXT,
    OVERHEAD_FRACTION,
    MemoryEstimate,
    Method,
    estimate,
)

SEQUENCE_STEP = 128  # longest_sequence answers in multiples of this (or the model's maximum)
MAX_SHARDS = 64  # gpus_needed looks no further: past 8 nodes of 8 the estimate means little

_METHOD_WORDS: dict[Method, str] = {
    "full": "Full fine-tuning",
    "full-bf16": "Full bf16 fine-tuning",
    "lora": "LoRA",
    "qlora": "QLoRA",
}


def gb(size_bytes: float) -> str:
    """A size as users read it: GiB with one decimal and the word GB ("17.3 GB")."""
    return f"{size_bytes / GIB:,.1f} GB"


def card_name(gpu: Gpu) -> str:
    """The card's name without the vendor words ("RTX 4090", "A100 80GB SXM")."""
    name = gpu.name
    for prefix in ("NVIDIA ", "GeForce "):
        name = name.removeprefix(prefix)
    return name


def card(gpu: Gpu) -> str:
    """The card with its memory, as sentences name it: "RTX 4090 (24 GB)"."""
    return f"{card_name(gpu)} ({gpu.memory_gib:g} GB)"


@dataclass(frozen=True)
class Fit:
    """One estimate against one card: whether it fits and by how much."""

    gpu: Gpu
    estimate: MemoryEstimate
    usable: float  # bytes: the card's whole memory (the estimate's overhead holds the context)
    fits: bool
    headroom: float  # bytes left over; negative when the card is short
    share: float  # the estimate as a share of the usable memory (1.0 = exactly full)

    @property
    def text(self) -> str:
        need = gb(self.estimate.total)
        if self.fits:
            return f"needs about {need} of the {card(self.gpu)}; {gb(self.headroom)} to spare"
        return f"needs about {need}, {gb(-self.headroom)} more than the {card(self.gpu)} has"


def fit(estimate: MemoryEstimate, gpu: Gpu) -> Fit:
    usable = gpu.memory_bytes
    total = estimate.total
    return Fit(
        gpu=gpu, estimate=estimate, usable=usable, fits=total <= usable,
        headroom=usable - total, share=total / usable,
    )


def _fits(model: OpenModel, gpu: Gpu, method: Method, seq_len: int, batch: int,
          checkpointing: bool, lora_rank: int) -> bool:
    est = estimate(model, method, seq_len, batch, checkpointing=checkpointing,
                   lora_rank=lora_rank)
    return est.total <= gpu.memory_bytes


def largest_model(
    gpu: Gpu,
    method: Method,
    seq_len: int,
    batch: int = 1,
    checkpointing: bool = True,
    lora_rank: int = 16,
    models: Iterable[OpenModel] | None = None,
) -> OpenModel | None:
    """The model with the most parameters that fits, or None when none does.

    A model whose context window is shorter than `seq_len` cannot train at that length and is
    left out. `models` defaults to the catalogue's.
    """
    pool = catalogue_models().models if models is None else list(models)
    fitting = [
        m for m in pool
        if m.max_context >= seq_len
        and _fits(m, gpu, method, seq_len, batch, checkpointing, lora_rank)
    ]
    return max(fitting, key=lambda m: m.parameters, default=None)


def longest_sequence(
    model: OpenModel,
    gpu: Gpu,
    method: Method,
    batch: int = 1,
    checkpointing: bool = True,
    lora_rank: int = 16,
) -> int | None:
    """The longest training sequence that fits, up to the model's context window.

    The answer is the model's `max_context` when that fits, else the largest multiple of 128
    that fits (found by binary search: memory only grows with length); None when not even 128
    tokens fit.
    """

    def ok(n: int) -> bool:
        return _fits(model, gpu, method, n, batch, checkpointing, lora_rank)

    if ok(model.max_context):
        return model.max_context
    high = (model.max_context - 1) // SEQUENCE_STEP  # in steps of 128, below max_context
    if high < 1 or not ok(SEQUENCE_STEP):
        return None
    low = 1  # invariant: low steps fit; more than high steps do not
    while low < high:
        mid = (low + high + 1) // 2
        if ok(mid * SEQUENCE_STEP):
            low = mid
        else:
            high = mid - 1
    return low * SEQUENCE_STEP


def sharded(est: MemoryEstimate, shards: int) -> MemoryEstimate:
    """One GPU's share, by part, when FSDP / ZeRO-3 splits weights, optimiser state and
    gradients (the same estimate when `shards` is 1).

    Weights, trainable state and gradients are divided over `shards` GPUs; each GPU keeps its
    own batch's activations. The overhead is worked out again on what the GPU holds, with
    memory.py's rule (the CUDA context plus a share of the rest), so it shrinks with the shards.
    The gather buffers FSDP uses for one layer at a time are small beside these and left out.
    """
    if shards < 1:
        raise ValueError("shards must be at least 1")
    if shards == 1:
        return est
    split = replace(est, weights=est.weights / shards,
                    trainable_state=est.trainable_state / shards,
                    gradients=est.gradients / shards, overhead=0.0)
    held = split.total  # summed by MemoryEstimate's own rule (peak, not every part at once)
    return replace(split, overhead=CUDA_CONTEXT + OVERHEAD_FRACTION * held)


@dataclass(frozen=True)
class GpuCount:
    """How many of one card a run needs, and how it is spread over them."""

    model: OpenModel
    gpu: Gpu
    method: Method
    seq_len: int
    batch: int  # the whole batch, over all GPUs
    count: int  # the GPUs the plan has (or starts from)
    gpus: int | None  # how many GPUs; None when not even MAX_SHARDS sharded GPUs hold it
    sharded: bool  # True: FSDP / ZeRO-3 is needed; False: plain data parallel
    per_gpu_batch: int
    per_gpu: MemoryEstimate  # what each GPU holds, by part (sharded parts divided); the
    #                          one-card estimate when it does not fit even sharded
    estimate: MemoryEstimate  # the one-card estimate at per_gpu_batch
    text: str

    @property
    def fits(self) -> bool:
        return self.gpus is not None

    @property
    def fits_data_parallel(self) -> bool:
        """The plan's own `count` cards hold it without sharding."""
        return not self.sharded and self.gpus == self.count

    @property
    def per_gpu_gib(self) -> float:
        return self.per_gpu.total_gib


def _what(model: OpenModel, method: Method, seq_len: int, batch: int) -> str:
    batch_words = f", batch {batch}," if batch > 1 else ""
    return f"{_METHOD_WORDS[method]} of {model.name} at {seq_len:,} tokens{batch_words}"


def gpus_needed(
    model: OpenModel,
    gpu: Gpu,
    method: Method,
    seq_len: int,
    batch: int = 1,
    checkpointing: bool = True,
    lora_rank: int = 16,
    count: int = 1,
) -> GpuCount:
    """How many `gpu` cards train `model`: plain data parallel if it can, else sharded.

    Plain data parallel keeps a whole copy of the model on each GPU and spreads the batch:
    each of `count` GPUs takes ceil(batch / count) sequences. When that does not fit but one
    sequence does, more GPUs (each with a smaller share of the batch) are the answer, the
    smallest number from `count` up to `batch`; gradient accumulation is the other way out.
    When not even one sequence fits on one card the run needs sharding (FSDP / ZeRO-3): the
    answer is the smallest n from 2 to MAX_SHARDS (and at least `count`) whose
    `sharded` share fits, each GPU taking ceil(batch / n) sequences; None past MAX_SHARDS.
    """
    if batch < 1 or count < 1:
        raise ValueError("batch and count must be at least 1")

    def est(per_gpu_batch: int) -> MemoryEstimate:
        return estimate(model, method, seq_len, per_gpu_batch, checkpointing=checkpointing,
                        lora_rank=lora_rank)

    what = _what(model, method, seq_len, batch)
    limit = gpu.memory_bytes
    one = est(1)
    if one.total <= limit:
        for n in range(count, max(count, batch) + 1):
            per_batch = math.ceil(batch / n)
            e = est(per_batch)
            if e.total <= limit:
                where = f"plain data parallel fits on {n} {card(gpu)}"
                if n > 1 and batch > 1:
                    where += f", {per_batch} sequence{'s' * (per_batch > 1)} on each"
                return GpuCount(
                    model=model, gpu=gpu, method=method, seq_len=seq_len, batch=batch,
                    count=count, gpus=n, sharded=False, per_gpu_batch=per_batch, per_gpu=e,
                    estimate=e, text=f"{what} needs about {gb(e.total)} on each GPU; {where}",
                )
    for n in range(max(2, count), MAX_SHARDS + 1):
        per_batch = math.ceil(batch / n)
        e = est(per_batch)
        share = sharded(e, n)
        if share.total <= limit:
            return GpuCount(
                model=model, gpu=gpu, method=method, seq_len=seq_len, batch=batch, gpus=n,
                count=count, sharded=True, per_gpu_batch=per_batch, per_gpu=share,
                estimate=e, text=(
                    f"{what} needs sharding (FSDP / ZeRO-3) over at least {n} {card(gpu)}, "
                    f"about {gb(share.total)} on each; one sequence on one GPU would need "
                    f"about {gb(one.total)}"
                ),
            )
    e = est(math.ceil(batch / MAX_SHARDS))
    return GpuCount(
        model=model, gpu=gpu, method=method, seq_len=seq_len, batch=batch, count=count,
        gpus=None, sharded=True, per_gpu_batch=e.batch, per_gpu=e, estimate=e,
        text=(
            f"{what} does not fit even sharded over {MAX_SHARDS} {card(gpu)}; "
            f"one sequence on one GPU would need about {gb(one.total)}"
        ),
    )
