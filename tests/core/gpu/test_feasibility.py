"""Fits, largest model, longest sequence and GPUs needed, with hand-computed figures.

Most tests swap memory.estimate for `fake_estimate`, a round-number estimator, so the figures
can be worked by hand and do not move when memory.py's formulas are recalibrated. Sizes are in
GiB (2**30 bytes) and parameter counts in Gi-parameters (2**30) to keep the arithmetic exact.
The last tests run the real estimator on published configurations.
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from tunewise.core.gpu import feasibility
from tunewise.core.gpu.catalogue import GIB, Gpu, OpenModel, Source
from tunewise.core.gpu.feasibility import (
    Fit,
    fit,
    gpus_needed,
    largest_model,
    longest_sequence,
    sharded,
)
from tunewise.core.gpu.memory import CUDA_CONTEXT, OVERHEAD_FRACTION, MemoryEstimate, Method

SOURCE = [Source(url="https://example.invalid/test", checked=date(2026, 1, 1))]
MIB = 1024**2


def model(model_id: str, parameters: int, *, max_context: int = 32768, name: str = "",
          **config: int) -> OpenModel:
    fields: dict[str, int] = {
        "layers": 32, "hidden_size": 4096, "intermediate_size": 14336, "attention_heads": 32,
        "kv_heads": 8, "head_dim": 128, "vocab_size": 128256,
    }
    fields.update(config)
    return OpenModel(
        id=model_id, name=name or model_id, hf_repo=f"test/{model_id}", parameters=parameters,
        tied_embeddings=False, max_context=max_context, licence="test", sources=SOURCE,
        **fields,
    )


def gpu(gpu_id: str, memory_gib: float, name: str = "") -> Gpu:
    return Gpu(id=gpu_id, name=name or f"NVIDIA {gpu_id}", kind="datacenter",
               memory_gib=memory_gib, bf16_tflops=100, bandwidth_gbs=1000, sources=SOURCE)


def gi(billions: float) -> int:
    """Gi-parameters: round figures in GiB once multiplied by bytes a parameter."""
    return int(billions * GIB)


def fake_estimate(m: OpenModel, method: Method, seq_len: int, batch: int = 1, *,
                  checkpointing: bool = True, lora_rank: int = 16) -> MemoryEstimate:
    """Round numbers: full holds 16 bytes a parameter (2 weights + 14 state and gradients, all
    in `trainable_state` so sum and peak rules agree), lora 2, qlora 0.5; activations 1 MiB a
    token with checkpointing, 4 MiB without; overhead 0.5 GiB + 5% of the rest (memory.py's)."""
    p = m.parameters
    weights = {"full": 2.0, "full-bf16": 2.0, "lora": 2.0, "qlora": 0.5}[method] * p
    state = {"full": 14.0, "full-bf16": 6.0, "lora": 0.0, "qlora": 0.0}[method] * p
    activations = float(seq_len * batch * (MIB if checkpointing else 4 * MIB))
    overhead = CUDA_CONTEXT + OVERHEAD_FRACTION * (weights + state + activations)
    return MemoryEstimate(
        model_id=m.id, method=method, seq_len=seq_len, batch=batch, checkpointing=checkpointing,
        lora_rank=lora_rank, weights=weights, trainable_state=state, gradients=0.0,
        activations=activations, logits=0.0, overhead=overhead, trainable_parameters=p,
    )


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feasibility, "estimate", fake_estimate)


def test_constants_the_fake_relies_on() -> None:
    assert CUDA_CONTEXT == 0.5 * GIB
    assert OVERHEAD_FRACTION == 0.05


# fit -----------------------------------------------------------------------------------------


def test_fit_uses_the_whole_card_and_reports_headroom() -> None:
    # 7 Gi-params LoRA at 2,048 tokens: 14 GiB weights + 2 GiB activations = 16 GiB;
    # overhead 0.5 + 0.05 * 16 = 1.3 GiB; total 17.3 GiB.
    est = fake_estimate(model("seven", gi(7)), "lora", 2048)
    assert est.total == pytest.approx(17.3 * GIB)
    on_24 = fit(est, gpu("card24", 24))
    assert isinstance(on_24, Fit)
    assert on_24.fits
    assert on_24.usable == 24 * GIB  # nothing set aside: the overhead holds the context
    assert on_24.headroom == pytest.approx(6.7 * GIB)
    assert on_24.share == pytest.approx(17.3 / 24)
    assert on_24.text == "needs about 17.3 GB of the card24 (24 GB); 6.7 GB to spare"
    on_16 = fit(est, gpu("card16", 16))
    assert not on_16.fits
    assert on_16.headroom == pytest.approx(-1.3 * GIB)
    assert on_16.text == "needs about 17.3 GB, 1.3 GB more than the card16 (16 GB) has"


def test_exactly_full_fits() -> None:
    est = fake_estimate(model("seven", gi(7)), "lora", 2048)
    assert fit(est, gpu("exact", est.total / GIB)).fits


# largest_model -------------------------------------------------------------------------------


def test_largest_model_for_qlora_on_a_16_gb_card(fake: None) -> None:
    # QLoRA at 2,048 tokens: 0.5p weights + 2 GiB activations + 0.5 + 0.05 * (0.5p + 2)
    # = 0.525p + 2.6 GiB <= 16  ->  p <= 25.5 Gi-params.
    # 24: 12.6 + 2.6 = 15.2 fits; 32: 16.8 + 2.6 = 19.4 does not; the 25 fits by memory
    # (15.725) but its 1,024-token window is shorter than 2,048, so it is left out.
    pool = [model("seven", gi(7)), model("twenty-four", gi(24)), model("thirty-two", gi(32)),
            model("short", gi(25), max_context=1024), model("fourteen", gi(14))]
    card16 = gpu("card16", 16)
    found = largest_model(card16, "qlora", 2048, models=pool)
    assert found is not None and found.id == "twenty-four"
    # At 1,024 tokens the short-window model is allowed and is the largest that fits
    # (0.525 * 25 + 1 + 0.5 + 0.05 = 14.675 GiB).
    short = largest_model(card16, "qlora", 1024, models=pool)
    assert short is not None and short.id == "short"
    # Full fine-tuning holds 16 bytes a parameter: 7 Gi-params need 112 GiB; nothing fits.
    assert largest_model(card16, "full", 2048, models=pool) is None


def test_largest_model_defaults_to_the_catalogue() -> None:
    found = largest_model(gpu("big", 80), "qlora", 2048)
    assert found is not None  # some catalogue model fits 80 GB with QLoRA


# longest_sequence ----------------------------------------------------------------------------


def test_longest_sequence_by_hand(fake: None) -> None:
    # LoRA of 7 Gi-params: 14 + T/1024 + 0.5 + 0.05 * (14 + T/1024) = 15.2 + 1.05 T/1024 GiB.
    # 24 GiB: T <= 8.8 / 1.05 * 1024 = 8,582.1  -> 67 * 128 = 8,576 (68 * 128 = 8,704 too many)
    # 16 GiB: T <= 0.8 / 1.05 * 1024 = 780.2    -> 6 * 128 = 768
    # 48 GiB: T <= 32.8 / 1.05 * 1024 = 31,987.8 -> 249 * 128 = 31,872
    # 80 GiB: T <= 63,195 > the 32,768-token window -> 32,768
    # 15 GiB: 15.2 GiB before the first token -> None
    seven = model("seven", gi(7), max_context=32768)
    sizes = {15: None, 16: 768, 24: 8576, 48: 31872, 80: 32768}
    for memory_gib, expected in sizes.items():
        assert longest_sequence(seven, gpu(f"c{memory_gib}", memory_gib), "lora") == expected


def test_longest_sequence_is_exactly_the_boundary(fake: None) -> None:
    seven = model("seven", gi(7))
    card = gpu("c24", 24)
    assert fake_estimate(seven, "lora", 8576).total <= card.memory_bytes
    assert fake_estimate(seven, "lora", 8576 + 128).total > card.memory_bytes


def test_longest_sequence_returns_an_odd_window_whole(fake: None) -> None:
    # A 1,000-token window that fits is returned as it is, not rounded to 896.
    odd = model("odd", gi(1), max_context=1000)
    assert longest_sequence(odd, gpu("c24", 24), "lora") == 1000


def test_longest_sequence_grows_with_the_card() -> None:
    # Real estimator, Llama 3.1 8B (published config) on cards of 16 to 80 GiB.
    llama = model("llama-3.1-8b", 8_030_261_248, max_context=131072)
    for method in ("lora", "qlora", "full-bf16"):
        found = [longest_sequence(llama, gpu(f"c{g}", g), method) for g in (16, 24, 48, 80)]
        numbers = [0 if n is None else n for n in found]
        assert numbers == sorted(numbers), (method, found)
        for n in found:
            assert n is None or n % 128 == 0 or n == llama.max_context


# gpus_needed ---------------------------------------------------------------------------------


def test_one_card_is_enough(fake: None) -> None:
    seven = model("seven", gi(7), name="Seven")
    count = gpus_needed(seven, gpu("RTX 4090", 24, name="NVIDIA GeForce RTX 4090"), "lora", 2048)
    assert (count.gpus, count.sharded, count.per_gpu_batch) == (1, False, 1)
    assert count.fits and count.fits_data_parallel
    assert count.per_gpu_gib == pytest.approx(17.3)
    assert count.text == ("LoRA of Seven at 2,048 tokens needs about 17.3 GB on each GPU; "
                          "plain data parallel fits on 1 RTX 4090 (24 GB)")


def test_data_parallel_spreads_the_batch(fake: None) -> None:
    # LoRA of 7 Gi-params, batch b of 2,048 tokens: 15.2 + 2.1 b GiB <= 24 -> b <= 4.19.
    # Batch 8 on 1 card needs 32 GiB; on 2 cards each takes ceil(8/2) = 4: 23.6 GiB.
    seven = model("seven", gi(7), name="Seven")
    card = gpu("c24", 24, name="NVIDIA L4x")
    count = gpus_needed(seven, card, "lora", 2048, batch=8)
    assert (count.gpus, count.sharded, count.per_gpu_batch) == (2, False, 4)
    assert count.per_gpu_gib == pytest.approx(23.6)
    assert not count.fits_data_parallel  # the plan's one card is not enough
    assert count.text == ("LoRA of Seven at 2,048 tokens, batch 8, needs about 23.6 GB on each "
                          "GPU; plain data parallel fits on 2 L4x (24 GB), 4 sequences on each")
    # With 3 cards each takes ceil(8/3) = 3 sequences: 15.2 + 6.3 = 21.5 GiB.
    three = gpus_needed(seven, card, "lora", 2048, batch=8, count=3)
    assert (three.gpus, three.per_gpu_batch, three.fits_data_parallel) == (3, 3, True)
    assert three.per_gpu_gib == pytest.approx(21.5)


def test_sharding_by_hand(fake: None) -> None:
    # Full of 7 Gi-params: 16 bytes a parameter = 112 GiB, + 2 GiB activations at 2,048.
    # One card: 114 + 0.5 + 5.7 = 120.2 GiB. Sharded over n: (112/n + 2) * 1.05 + 0.5.
    # 80 GiB: 112/n <= 73.71 -> n = 2: (56 + 2) * 1.05 + 0.5 = 61.4 GiB.
    # 24 GiB: 112/n <= 20.38 -> n = 6 (n = 5: 24.97 GiB): (18.667 + 2) * 1.05 + 0.5 = 22.2 GiB.
    seven = model("seven", gi(7), name="Seven")
    big = gpus_needed(seven, gpu("a100", 80, name="NVIDIA A100 80GB SXM"), "full", 2048)
    assert (big.gpus, big.sharded, big.fits) == (2, True, True)
    assert big.per_gpu_gib == pytest.approx(61.4)
    assert big.estimate.total_gib == pytest.approx(120.2)
    assert big.text == (
        "Full fine-tuning of Seven at 2,048 tokens needs sharding (FSDP / ZeRO-3) over at "
        "least 2 A100 80GB SXM (80 GB), about 61.4 GB on each; one sequence on one GPU would "
        "need about 120.2 GB")
    small = gpus_needed(seven, gpu("c24", 24), "full", 2048)
    assert small.gpus == 6
    assert small.per_gpu_gib == pytest.approx((112 / 6 + 2) * 1.05 + 0.5)
    # The per-GPU estimate keeps its parts: weights and state divided, activations whole.
    assert small.per_gpu.weights == pytest.approx(14 * GIB / 6)
    assert small.per_gpu.trainable_state == pytest.approx(98 * GIB / 6)
    assert small.per_gpu.activations == pytest.approx(2 * GIB)


def test_sharding_too_big_even_for_64(fake: None) -> None:
    # 1,000 Gi-params full: 16,000 GiB / 64 = 250 GiB a GPU > 80.
    huge = gpus_needed(model("huge", gi(1000), name="Huge"), gpu("a100", 80), "full", 2048)
    assert huge.gpus is None and not huge.fits and huge.sharded
    assert "does not fit even sharded over 64" in huge.text


def test_sharded_share_of_one_is_the_estimate() -> None:
    est = fake_estimate(model("seven", gi(7)), "full", 2048)
    assert sharded(est, 1) is est
    with pytest.raises(ValueError):
        sharded(est, 0)


def test_llama_70b_full_on_a100_needs_sharding() -> None:
    # Real estimator, Llama 3.1 70B's published config: P = 70,553,706,496, 80 layers,
    # h 8,192, i 28,672, 64 heads, 8 KV heads, head_dim 128, V 128,256.
    # Full mixed precision holds 16 bytes a parameter: 16P = 1,128,859,303,936 B = 1,051.3 GiB
    # (weights 2P, state 12P, gradients 2P). At 2,048 tokens with checkpointing the activations
    # are 80 * 2 * 8,192 * 2,048 B (layer inputs, 2.5 GiB) + one layer's 364,544 B a token
    # (0.7 GiB) + logits 14 * 128,256 * 2,048 B (3.4 GiB) = 6.6 GiB. Gradients and activations
    # are never at their peak together (memory.py takes the larger), and once sharded over ~14
    # a GPU's gradients (2P/14 = 9.4 GiB) are the larger, so a GPU holds 16P/n, plus 5% and
    # 0.5 GiB: 16P/n * 1.05 + 0.5 <= 80 -> n >= 1,051.3 / 75.71 = 13.9 -> 14 GPUs,
    # 75.1 * 1.05 + 0.5 = 79.3 GiB each. One card alone: 1,051.3 * 1.05 + 0.5 = 1,104.4 GiB.
    llama = model("llama-3.1-70b", 70_553_706_496, name="Llama 3.1 70B", max_context=131072,
                  layers=80, hidden_size=8192, intermediate_size=28672, attention_heads=64)
    a100 = gpu("a100-80gb", 80, name="NVIDIA A100 80GB SXM")
    count = gpus_needed(llama, a100, "full", 2048)
    assert count.sharded and count.gpus == 14
    assert count.per_gpu.total <= a100.memory_bytes
    assert sharded(count.estimate, 13).total > a100.memory_bytes  # the smallest n
    assert count.text.startswith(
        "Full fine-tuning of Llama 3.1 70B at 2,048 tokens needs sharding (FSDP / ZeRO-3) "
        "over at least 14 A100 80GB SXM (80 GB), about ")
    assert count.per_gpu_gib == pytest.approx(16 * 70_553_706_496 / 14 / GIB * 1.05 + 0.5)
    assert math.isclose(count.estimate.total_gib, 1104.4, rel_tol=0.001)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        gpus_needed(model("seven", gi(7)), gpu("c", 24), "lora", 2048, batch=0)
