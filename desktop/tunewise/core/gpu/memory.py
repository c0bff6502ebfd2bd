"""Peak GPU memory for fine-tuning an open-weights model on one card, split into parts.

DRAFT formulas (to be calibrated against measured peaks; see docs/gpu-memory.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from tunewise.core.gpu.catalogue import OpenModel

Method = Literal["full", "full-bf16", "lora", "qlora"]
METHODS: tuple[Method, ...] = get_args(Method)
METHOD_LABELS: dict[Method, str] = {
    "full": "Full (mixed precision)",
    "full-bf16": "Full (bf16)",
    "lora": "LoRA",
    "qlora": "QLoRA",
}

GIB = 1024**3
BF16 = 2
FP32 = 4
NF4_BITS = 4 + 0.127  # 4-bit codes + double-quantised constants, a linear parameter
CUDA_CONTEXT = 0.5 * GIB
OVERHEAD_FRACTION = 0.05
LOGITS_BYTES = BF16 + FP32 + FP32


@dataclass(frozen=True)
class MemoryEstimate:
    model_id: str
    method: Method
    seq_len: int
    batch: int
    checkpointing: bool
    lora_rank: int
    weights: float
    trainable_state: float
    gradients: float
    activations: float
    logits: float
    overhead: float
    trainable_parameters: int

    @property
    def total(self) -> float:
        return sum(self.parts().values())

    @property
    def total_gib(self) -> float:
        return self.total / GIB

    @property
    def weights_gib(self) -> float:
        return self.weights / GIB

    @property
    def trainable_state_gib(self) -> float:
        return self.trainable_state / GIB

    @property
    def gradients_gib(self) -> float:
        return self.gradients / GIB

    @property
    def activations_gib(self) -> float:
        return self.activations / GIB

    @property
    def overhead_gib(self) -> float:
        return self.overhead / GIB

    def parts(self) -> dict[str, float]:
        return {
            "weights": self.weights,
            "trainable_state": self.trainable_state,
            "gradients": self.gradients,
            "activations": self.activations,
            "overhead": self.overhead,
        }


def _projections(model: OpenModel) -> list[tuple[int, int]]:
    """(in, out) features of the seven linear projections of one layer."""
    h, i = model.hidden_size, model.intermediate_size
    q = model.attention_heads * model.head_dim
    kv = model.kv_heads * model.head_dim
    return [(h, q), (h, kv), (h, kv), (q, h), (h, i), (h, i), (i, h)]


def linear_parameters(model: OpenModel) -> int:
    """Parameters in the decoder layers' linear projections (quantised by QLoRA)."""
    per_layer = sum(a * b for a, b in _projections(model))
    return model.layers * per_layer


def lora_parameters(model: OpenModel, rank: int) -> int:
    """LoRA adapter parameters, rank `rank` on all seven projections of every layer."""
    return model.layers * sum(rank * (a + b) for a, b in _projections(model))


def _layer_activation_bytes(model: OpenModel) -> float:
    """Bytes a token saves in one layer for backward, without checkpointing."""
    h, i = model.hidden_size, model.intermediate_size
    q = model.attention_heads * model.head_dim
    kv = model.kv_heads * model.head_dim
    norms = 2 * (FP32 * h + BF16 * h)
    attention = BF16 * (2 * (q + 2 * kv) + 2 * q)
    mlp = BF16 * 4 * i
    return norms + attention + mlp


def estimate(
    model: OpenModel,
    method: Method,
    seq_len: int,
    batch: int = 1,
    *,
    checkpointing: bool = True,
    lora_rank: int = 16,
) -> MemoryEstimate:
    if method not in METHODS:
        raise ValueError(f"unknown method '{method}'")
    if seq_len < 1 or batch < 1 or lora_rank < 1:
        raise ValueError("seq_len, batch and lora_rank must be at least 1")
    p = model.parameters
    tokens = seq_len * batch
    weights: float
    if method == "full":
        trainable = p
        weights, state, grads = BF16 * p, 3 * FP32 * p, BF16 * p
    elif method == "full-bf16":
        trainable = p
        weights, state, grads = BF16 * p, 2 * BF16 * p, BF16 * p
    else:
        trainable = lora_parameters(model, lora_rank)
        state, grads = 3 * FP32 * trainable, FP32 * trainable
        if method == "lora":
            weights = BF16 * p
        else:
            lin = linear_parameters(model)
            weights = lin * NF4_BITS / 8 + BF16 * (p - lin)
    layer = _layer_activation_bytes(model) * tokens
    if checkpointing:
        kept = model.layers * BF16 * model.hidden_size * tokens + layer
    else:
        kept = model.layers * layer
    logits = LOGITS_BYTES * model.vocab_size * tokens
    activations = kept + logits
    overhead = CUDA_CONTEXT + OVERHEAD_FRACTION * (weights + state + grads + activations)
    return MemoryEstimate(
        model_id=model.id, method=method, seq_len=seq_len, batch=batch,
        checkpointing=checkpointing, lora_rank=lora_rank, weights=float(weights),
        trainable_state=float(state), gradients=float(grads), activations=float(activations),
        logits=float(logits), overhead=float(overhead), trainable_parameters=trainable,
    )
