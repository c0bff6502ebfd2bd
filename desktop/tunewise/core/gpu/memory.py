"""Peak GPU memory for fine-tuning an open-weights model on one card, split into parts.

`estimate(model, method, seq_len, batch)` gives a `MemoryEstimate` in bytes: weights,
trainable state, gradients, activations (with the logits' share) and overhead. It is checked
against peaks measured on real hardware (tests/data/gpu/measured_peaks.json, within +-25%) and
explained at length in docs/gpu-memory.md. P is the parameter count from the architecture
(`model_parameters`: embeddings, untied lm_head, projections, biases, norms; the catalogue's
published total may be rounded), L the layers,
h the hidden size, i the MLP intermediate size, q = heads * head_dim, kv = kv_heads * head_dim,
V the vocabulary, T = seq_len * batch the tokens of one micro-batch, r the LoRA rank.

Weights and optimiser, per method (AdamW everywhere: two moments a trainable parameter):

- full: mixed precision, 16 bytes a parameter (the ZeRO paper's accounting): bf16 working
  weights 2P (`weights`), bf16 gradients 2P (`gradients`), and fp32 master weights plus the two
  fp32 moments 12P (`trainable_state`). Frameworks that keep fp32 weights and autocast (HF
  Trainer with bf16=True) hold 4 + 4 + 8, the same 16.
- full-bf16: weights, gradients and both moments in bf16: 2P + 2P + 4P = 8 bytes a parameter.
- lora: frozen bf16 base 2P; adapters A (r x in) and B (out x r) on all seven projections
  (q, k, v, o, gate, up, down) of every layer: N = L * sum(r * (in + out)). PEFT keeps adapters
  in fp32 by default, so `trainable_state` = fp32 adapter weights + two fp32 moments = 12N and
  `gradients` = 4N. (Frameworks that train adapters in bf16 need less; it is a few hundred MB.)
- qlora: the seven projections' weights in NF4 with double quantisation, NF4_BITS = 4.127 bits
  a parameter (4-bit codes + 8-bit absmax per 64 + fp32 second-level constants per 256
  blocks); everything else (embeddings, lm_head, norms, biases) stays bf16. Adapters as lora.

Activations (bytes a token, bf16 = 2, saved for backward). Attention is assumed to run in a
flash / SDPA memory-efficient kernel, so there is no seq x seq score matrix: memory is linear in
the sequence. One layer without checkpointing saves
    12h        two RMSNorms, each keeping its fp32 input copy (4h) and bf16 output (2h)
  + 4q + 4kv   flash attention's q, k, v and output (bf16, post-RoPE; the logsumexp is tiny)
  + 8i         the MLP: gate output, SiLU output, up output and their product (down's input)
For full fine-tuning the projections' inputs are those same tensors. LoRA needs them too (the
adapters' A matrices read them); a frozen bf16 projection saves nothing more. QLoRA's
bitsandbytes 4-bit matmul saves its input as well (the same tensors) and dequantises each
weight into a transient bf16 copy: one projection at a time, so the largest projection's
in * out * 2 bytes is added once (117 MB for an 8B model). LoRA dropout is taken as 0 (the
default of torchtune, Unsloth and most recipes); with dropout each adapter keeps a dropped copy
of its input, up to +60% of a layer's activations.
- Without gradient checkpointing: L layers of that.
- With checkpointing (HF / torchtune per-layer checkpointing): each layer's bf16 input 2h * L,
  plus one layer's full activations while it is recomputed in backward.
The logits: LOGITS_BYTES = 14 bytes per token per vocabulary entry (bf16 logits, fp32 upcast,
fp32 log-softmax saved by cross-entropy, fp32 gradient). This is V * T * 14 bytes, 3.4 GiB
for a 128k vocabulary at 2,048 tokens: it dominates small models with big vocabularies.
Chunked or fused cross-entropy (torchtune CEWithChunkedOutputLoss, litgpt, Liger, Apple CCE)
cuts it; the estimate does not assume them.

The peak is not the sum of every part: backward frees activations as it writes gradients, so
the two are never both at their largest. `total` = weights + trainable_state +
max(gradients, activations) + overhead; `parts()` gives each part's own size, and `shared`
what the two have in common (min of the two), which a stacked bar should not count twice. For
LoRA and QLoRA the gradients are a few hundred MB and this changes nothing; for full
fine-tuning with checkpointing the gradients (2P) usually exceed the activations.

Overhead: CUDA_CONTEXT = 0.5 GiB (context, cuBLAS workspaces, kernels) plus
OVERHEAD_FRACTION = 5% of the rest (caching-allocator fragmentation, framework buffers,
optimiser temporaries). Measured "max allocated" figures exclude these; what a card must
hold includes them.
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
# The estimate's parts in the order they stack, with the words the app, report and CLI use.
PART_LABELS: dict[str, str] = {
    "weights": "Weights",
    "trainable_state": "Optimiser state",
    "gradients": "Gradients",
    "activations": "Activations",
    "overhead": "Overhead",
}

GIB = 1024**3
BF16 = 2  # bytes
FP32 = 4  # bytes
# bitsandbytes NF4 with double quantisation: 4-bit codes, plus one 8-bit absmax per 64-weight
# block (8/64 = 0.125 bit) and the fp32 constants of those absmaxes per 256 blocks
# (32 / (64 * 256) = 0.002 bit): 4.127 bits a quantised parameter.
NF4_BITS = 4 + 8 / 64 + 32 / (64 * 256)
# Cross-entropy over the vocabulary, bytes per (token, vocabulary entry): the bf16 logits (2),
# their fp32 upcast (4), the fp32 log-softmax autograd saves (4) and the fp32 gradient written
# at the start of backward while those are still alive (4).
LOGITS_BYTES = BF16 + FP32 + FP32 + FP32
# CUDA context, cuBLAS/cuDNN workspaces and kernels loaded before the first tensor.
CUDA_CONTEXT = 0.5 * GIB
# Caching-allocator fragmentation, framework buffers and the optimiser's temporaries.
OVERHEAD_FRACTION = 0.05


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
        """The peak: gradients and activations are not at their largest together."""
        return (self.weights + self.trainable_state + max(self.gradients, self.activations)
                + self.overhead)

    @property
    def shared(self) -> float:
        """Bytes counted in both `gradients` and `activations` (never held at once)."""
        return min(self.gradients, self.activations)

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
    def peak_holds(self) -> Literal["activations", "gradients"]:
        """Which of the two the peak holds: the activations as the backward pass starts (no
        gradients written yet), or the gradients as it ends (the activations freed)."""
        return "activations" if self.activations >= self.gradients else "gradients"

    @property
    def gradients_gib(self) -> float:
        """Gradients held at the peak (0 when the peak comes before any are written)."""
        return self.parts()["gradients"] / GIB

    @property
    def activations_gib(self) -> float:
        """Activations held at the peak (0 when the peak comes after they are freed)."""
        return self.parts()["activations"] / GIB

    @property
    def overhead_gib(self) -> float:
        return self.overhead / GIB

    def parts(self) -> dict[str, float]:
        """What memory holds at the peak, by part; the parts add up to `total`.

        `gradients` and `activations` (the fields) are each held at some moment of a step;
        at the peak only the larger is, so the smaller shows as 0 here."""
        held = self.peak_holds
        return {
            "weights": self.weights,
            "trainable_state": self.trainable_state,
            "gradients": self.gradients if held == "gradients" else 0.0,
            "activations": self.activations if held == "activations" else 0.0,
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


def model_parameters(model: OpenModel) -> int:
    """Parameters counted from the architecture (the catalogue's total may be rounded).

    Embeddings V * h, an untied lm_head V * h, the projections, the q/k/v biases where the
    model has them, two RMSNorm weights a layer and the final norm.
    """
    h = model.hidden_size
    embeddings = model.vocab_size * h * (1 if model.tied_embeddings else 2)
    q = model.attention_heads * model.head_dim
    kv = model.kv_heads * model.head_dim
    biases = (q + 2 * kv) if model.attention_bias else 0
    return embeddings + linear_parameters(model) + model.layers * (2 * h + biases) + h


def lora_parameters(model: OpenModel, rank: int) -> int:
    """LoRA adapter parameters, rank `rank` on all seven projections of every layer."""
    return model.layers * sum(rank * (a + b) for a, b in _projections(model))


def _layer_activation_bytes(model: OpenModel) -> float:
    """Bytes one token saves in one layer for backward, without checkpointing."""
    h, i = model.hidden_size, model.intermediate_size
    q = model.attention_heads * model.head_dim
    kv = model.kv_heads * model.head_dim
    norms = 2 * (FP32 + BF16) * h
    attention = BF16 * (2 * q + 2 * kv)
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
    """Peak training memory of one micro-batch of `batch` sequences of `seq_len` tokens."""
    if method not in METHODS:
        raise ValueError(f"unknown method '{method}'; known: {', '.join(METHODS)}")
    if seq_len < 1 or batch < 1 or lora_rank < 1:
        raise ValueError("seq_len, batch and lora_rank must be at least 1")
    p = model_parameters(model)
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
    if method == "qlora":
        kept += BF16 * max(a * b for a, b in _projections(model))
    logits = LOGITS_BYTES * model.vocab_size * tokens
    activations = kept + logits
    overhead = CUDA_CONTEXT + OVERHEAD_FRACTION * (weights + state + max(grads, activations))
    return MemoryEstimate(
        model_id=model.id, method=method, seq_len=seq_len, batch=batch,
        checkpointing=checkpointing, lora_rank=lora_rank, weights=float(weights),
        trainable_state=float(state), gradients=float(grads), activations=float(activations),
        logits=float(logits), overhead=float(overhead), trainable_parameters=trainable,
    )
