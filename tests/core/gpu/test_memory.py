"""The training-memory estimator: each method's parts by hand for Llama 3.1 8B, and its shape."""

from __future__ import annotations

import dataclasses

import pytest

from tunewise.core.gpu import catalogue
from tunewise.core.gpu.memory import (
    GIB,
    METHOD_LABELS,
    METHODS,
    MemoryEstimate,
    estimate,
    linear_parameters,
    lora_parameters,
    model_parameters,
)

GB16 = 16 * GIB  # a 16 GB card as it reports itself


def model(model_id: str) -> catalogue.OpenModel:
    return catalogue.models().get(model_id)


LLAMA = "llama-3.1-8b"
# Embeddings and untied lm_head 2 * 128,256 * 4,096 = 1,050,673,152; projections 6,979,321,856;
# norms 32 * 2 * 4,096 + 4,096 = 266,240. Total 8,030,261,248 (config.json's exact count).
P = 8_030_261_248
# One layer's projections (in x out): q 4096x4096 = 16,777,216; k, v 4096x1024 = 4,194,304
# each; o 16,777,216; gate, up, down 4096x14336 = 58,720,256 each.
# Sum 2 * 16,777,216 + 2 * 4,194,304 + 3 * 58,720,256 = 218,103,808; x 32 layers:
LINEAR = 6_979_321_856
# LoRA r=16: r * (in + out) for q (8192), k (5120), v (5120), o (8192), gate, up, down
# (18,432 each) = 16 * 81,920 = 1,310,720 a layer; x 32 layers:
LORA_16 = 41_943_040
# Saved activations a token a layer: norms 12h = 49,152; attention 4q + 4kv = 16,384 + 4,096;
# MLP 8i = 114,688; total 184,320 bytes. At 2,048 tokens: 377,487,360 bytes a layer.
LAYER_2048 = 184_320 * 2048
CHECKPOINTS_2048 = 32 * 2 * 4096 * 2048  # each layer's bf16 input: 536,870,912
LOGITS_2048 = 14 * 128_256 * 2048  # bf16 + fp32 upcast + fp32 log-softmax + fp32 grad
DEQUANT = 2 * 58_720_256  # QLoRA: one bf16 copy of the largest projection at a time


def test_methods_and_labels() -> None:
    assert METHODS == ("full", "full-bf16", "lora", "qlora")
    assert METHOD_LABELS == {"full": "Full (mixed precision)", "full-bf16": "Full (bf16)",
                             "lora": "LoRA", "qlora": "QLoRA"}


def test_parameter_counts_by_hand() -> None:
    m = model(LLAMA)
    assert model_parameters(m) == P
    assert abs(m.parameters - P) / P < 0.01  # the catalogue's published total, rounded
    assert linear_parameters(m) == LINEAR
    assert lora_parameters(m, 16) == LORA_16
    assert lora_parameters(m, 32) == 2 * LORA_16


def test_full_mixed_precision_by_hand() -> None:
    e = estimate(model(LLAMA), "full", 2048)
    assert e.weights == 2 * P  # bf16 working copy: 16,060,522,496
    assert e.trainable_state == 12 * P  # fp32 master + two fp32 AdamW moments
    assert e.gradients == 2 * P  # bf16
    assert e.trainable_parameters == P
    assert e.activations == CHECKPOINTS_2048 + LAYER_2048 + LOGITS_2048  # 4,591,697,920
    assert e.logits == LOGITS_2048  # 3,677,339,648: the fp32 logits dominate
    # gradients (16.1 GB) exceed the activations (4.6 GB): they are the peak's moving part
    assert e.total == pytest.approx(2 * P + 12 * P + 2 * P + e.overhead)
    assert e.overhead == pytest.approx(0.5 * GIB + 0.05 * 16 * P)


def test_full_bf16_by_hand() -> None:
    e = estimate(model(LLAMA), "full-bf16", 2048)
    assert (e.weights, e.trainable_state, e.gradients) == (2 * P, 4 * P, 2 * P)


def test_lora_by_hand() -> None:
    e = estimate(model(LLAMA), "lora", 2048)
    assert e.weights == 2 * P
    assert e.trainable_state == 12 * LORA_16  # fp32 adapters + two fp32 moments: 503,316,480
    assert e.gradients == 4 * LORA_16  # 167,772,160
    assert e.trainable_parameters == LORA_16
    assert e.activations == CHECKPOINTS_2048 + LAYER_2048 + LOGITS_2048
    expected = 2 * P + 12 * LORA_16 + e.activations
    assert e.overhead == pytest.approx(0.5 * GIB + 0.05 * expected)
    assert e.total == pytest.approx(expected + e.overhead)  # 21.8 GiB


def test_qlora_by_hand() -> None:
    e = estimate(model(LLAMA), "qlora", 2048)
    # NF4 + double quantisation: 4 + 8/64 + 32/(64*256) = 4.126953125 bits = 65/4096 over half
    # a byte: 6,979,321,856 * 0.515869140625 = 3,600,416,768; the other 1,050,939,392
    # parameters (embeddings, lm_head, norms) in bf16: 2,101,878,784. Sum 5,702,295,552.
    assert e.weights == 5_702_295_552
    assert e.trainable_state == 12 * LORA_16 and e.gradients == 4 * LORA_16
    assert e.activations == CHECKPOINTS_2048 + LAYER_2048 + LOGITS_2048 + DEQUANT


def test_without_checkpointing_every_layer_keeps_its_activations() -> None:
    e = estimate(model(LLAMA), "lora", 2048, checkpointing=False)
    assert e.activations == 32 * LAYER_2048 + LOGITS_2048  # 12,079,595,520 + logits


def test_parts_and_gib() -> None:
    e = estimate(model(LLAMA), "lora", 512)
    assert list(e.parts()) == ["weights", "trainable_state", "gradients", "activations", "overhead"]
    assert e.weights_gib == e.weights / GIB and e.activations_gib == e.activations / GIB
    assert e.total_gib == e.total / GIB and e.overhead_gib == e.overhead / GIB
    assert e.trainable_state_gib == e.trainable_state / GIB
    # LoRA: the activations outweigh the adapters' gradients, so the peak comes as the backward
    # pass starts, before any gradient is written; the parts at the peak add up to the total.
    assert e.peak_holds == "activations" and e.gradients_gib == 0.0
    assert sum(e.parts().values()) == pytest.approx(e.total)
    full = estimate(model(LLAMA), "full", 512)  # gradients (2P) outweigh 512 tokens' activations
    assert full.peak_holds == "gradients" and full.activations_gib == 0.0
    assert full.gradients_gib == full.gradients / GIB
    assert sum(full.parts().values()) == pytest.approx(full.total)
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.weights = 0.0  # type: ignore[misc]
    assert isinstance(e, MemoryEstimate)


@pytest.mark.parametrize("method", METHODS)
def test_checkpointing_reduces_activations(method: str) -> None:
    for model_id in ("llama-3.2-1b", LLAMA, "qwen2.5-14b"):
        on = estimate(model(model_id), method, 2048)  # type: ignore[arg-type]
        off = estimate(model(model_id), method, 2048, checkpointing=False)  # type: ignore[arg-type]
        assert on.activations < off.activations and on.total <= off.total
        assert on.logits == off.logits


@pytest.mark.parametrize("method", METHODS)
def test_monotonic_in_sequence_batch_and_rank(method: str) -> None:
    m = model(LLAMA)
    totals = [estimate(m, method, s).total for s in (128, 512, 2048, 8192)]  # type: ignore[arg-type]
    assert totals == sorted(totals) and totals[0] < totals[-1]
    activations = [estimate(m, method, s).activations for s in (128, 512, 2048)]  # type: ignore[arg-type]
    assert activations[0] < activations[1] < activations[2]
    batches = [estimate(m, method, 1024, b).total for b in (1, 2, 4)]  # type: ignore[arg-type]
    assert batches == sorted(batches) and batches[0] < estimate(m, method, 8192, 4).total  # type: ignore[arg-type]
    ranks = [estimate(m, method, 1024, lora_rank=r).total for r in (8, 16, 64)]  # type: ignore[arg-type]
    if method in ("lora", "qlora"):
        assert ranks == sorted(ranks) and len(set(ranks)) == 3
    else:
        assert len(set(ranks)) == 1  # full fine-tuning has no adapters


def test_weights_order() -> None:
    for m in catalogue.models().models:
        q, lo, fb = (estimate(m, x, 512).weights for x in ("qlora", "lora", "full-bf16"))  # type: ignore[arg-type]
        assert q < lo <= fb
        assert estimate(m, "full", 512).total > estimate(m, "full-bf16", 512).total


def test_logits_dominate_a_small_model_with_a_big_vocabulary() -> None:
    e = estimate(model("llama-3.2-1b"), "lora", 2048)
    assert e.logits > e.activations / 2  # 3.4 GiB of logits against 0.8 GiB of the rest


def test_the_issues_example() -> None:
    # "QLoRA of llama-3.1-8b at 2,048 tokens needs about 10 GB" (checkpointing, batch 1)
    e = estimate(model(LLAMA), "qlora", 2048)
    assert 9 * GIB <= e.total <= 12.5 * GIB  # 11.2 GiB
    # an 8B QLoRA at 2,048 fits 16 GB with checkpointing and not without
    assert e.total < GB16
    assert estimate(model(LLAMA), "qlora", 2048, checkpointing=False).total > GB16  # 22.1 GiB
    # a 14B QLoRA is tight on 16 GB: fits at 512 tokens, within 15% of the card at 2,048
    q14 = model("qwen2.5-14b")
    assert estimate(q14, "qlora", 512).total < GB16  # 12.4 GiB
    assert 0.85 * GB16 <= estimate(q14, "qlora", 2048).total <= 1.15 * GB16  # 16.7 GiB


def test_bad_input() -> None:
    m = model(LLAMA)
    with pytest.raises(ValueError):
        estimate(m, "adapter", 512)  # type: ignore[arg-type]
    for bad in ({"seq_len": 0}, {"batch": 0}, {"lora_rank": 0}):
        args = {"seq_len": 512, "batch": 1, "lora_rank": 16} | bad
        with pytest.raises(ValueError):
            estimate(m, "lora", args["seq_len"], args["batch"], lora_rank=args["lora_rank"])
