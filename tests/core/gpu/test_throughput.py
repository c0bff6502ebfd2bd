"""Training time and cost, decode speed and serving GPUs, with hand-computed figures.

Models carry their published configurations and cards the figures written here, so the
arithmetic below holds whatever the catalogue's (dated, revisable) data files say.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from tunewise.core.gpu.catalogue import GIB, Gpu, OpenModel, Source
from tunewise.core.gpu.memory import lora_parameters
from tunewise.core.gpu.throughput import (
    DECODE_EFFICIENCY,
    DEFAULT_MFU,
    MAX_BATCH,
    PEAK_FACTOR,
    PREFILL_UTILISATION,
    QLORA_SPEED,
    SERVING_MEMORY_SHARE,
    ServingPlan,
    decode,
    decode_tokens_per_second,
    default_mfu,
    gpu_seconds_per_request,
    kv_bytes_per_token,
    prefill_seconds,
    replica_gpus,
    serving_gpus,
    serving_plan,
    training_flops_per_token,
    training_hours,
    training_run,
)

SOURCE = [Source(url="https://example.invalid/test", checked=date(2026, 1, 1))]
N_8B = 8_030_261_248

LLAMA_8B = OpenModel(
    id="llama-3.1-8b", name="Llama 3.1 8B", hf_repo="meta-llama/Llama-3.1-8B", parameters=N_8B,
    layers=32, hidden_size=4096, intermediate_size=14336, attention_heads=32, kv_heads=8,
    head_dim=128, vocab_size=128256, tied_embeddings=False, max_context=131072,
    licence="test", sources=SOURCE,
)
LLAMA_70B = LLAMA_8B.model_copy(update={
    "id": "llama-3.1-70b", "name": "Llama 3.1 70B", "parameters": 70_553_706_496,
    "layers": 80, "hidden_size": 8192, "intermediate_size": 28672, "attention_heads": 64,
})


def card(gpu_id: str, name: str, memory_gib: float, tflops: float, bandwidth: float,
         price: float | None) -> Gpu:
    return Gpu(id=gpu_id, name=name, kind="datacenter", memory_gib=memory_gib,
               bf16_tflops=tflops, bandwidth_gbs=bandwidth, rental_per_hour=price,
               rental_as_of=date(2026, 11, 29) if price is not None else None, sources=SOURCE)


A100 = card("a100-80gb", "NVIDIA A100 80GB SXM", 80, 312, 2039, 1.30)
L40S = card("l40s", "NVIDIA L40S", 48, 362, 864, 0.90)


def test_defaults() -> None:
    assert DEFAULT_MFU == 0.35
    assert QLORA_SPEED == 0.7
    assert (SERVING_MEMORY_SHARE, MAX_BATCH, DECODE_EFFICIENCY) == (0.9, 256, 0.6)
    assert (PREFILL_UTILISATION, PEAK_FACTOR) == (0.5, 3.0)
    assert default_mfu("lora") == default_mfu("full") == 0.35
    assert default_mfu("qlora") == pytest.approx(0.245)


# training ------------------------------------------------------------------------------------


def test_lora_parameters_of_llama_8b() -> None:
    # rank 16 on q (4096->4096), k and v (4096->1024), o (4096->4096), gate and up
    # (4096->14336), down (14336->4096): 16 * (8192 + 5120 + 5120 + 8192 + 3 * 18432)
    # = 1,310,720 a layer; 32 layers: 41,943,040.
    assert lora_parameters(LLAMA_8B, 16) == 41_943_040


def test_training_flops_per_token() -> None:
    n, a = N_8B, 41_943_040
    assert training_flops_per_token(LLAMA_8B, "full", checkpointing=False) == 6 * n
    assert training_flops_per_token(LLAMA_8B, "full-bf16") == 8 * n  # + 2N recompute
    assert training_flops_per_token(LLAMA_8B, "lora", checkpointing=False) == 4 * n + 6 * a
    # LoRA with checkpointing: 4N + 2N + 6 * 41,943,040 = 48,181,567,488 + 251,658,240
    assert training_flops_per_token(LLAMA_8B, "lora") == 48_433_225_728
    assert training_flops_per_token(LLAMA_8B, "qlora") == 48_433_225_728


def test_lora_of_llama_8b_on_one_a100() -> None:
    # 10M tokens * 3 epochs * 48,433,225,728 FLOPs = 1.45299677184e18 FLOPs.
    # One A100: 312e12 * 0.35 = 1.092e14 FLOP/s -> 13,305.83 s = 3.6961 hours.
    hours = training_hours(LLAMA_8B, "lora", 10_000_000, 3, A100)
    assert hours == pytest.approx(1.45299677184e18 / 1.092e14 / 3600)
    assert hours == pytest.approx(3.6961, abs=1e-4)
    # Two cards halve it; a measured MFU of 0.5 replaces the default.
    assert training_hours(LLAMA_8B, "lora", 10_000_000, 3, A100, 2) == pytest.approx(hours / 2)
    assert training_hours(LLAMA_8B, "lora", 10_000_000, 3, A100, mfu=0.5) == pytest.approx(
        hours * 0.35 / 0.5)
    # QLoRA does the same work at 0.35 * 0.7 = 0.245: 3.6961 / 0.7 = 5.2801 hours.
    assert training_hours(LLAMA_8B, "qlora", 10_000_000, 3, A100) == pytest.approx(hours / 0.7)
    # A QLoRA figure the user gives is taken as it is.
    assert training_hours(LLAMA_8B, "qlora", 10_000_000, 3, A100, mfu=0.35) == pytest.approx(
        hours)


def test_training_run_cost() -> None:
    # 3.6961 hours * 1 card * $1.30 = $4.805.
    run = training_run(LLAMA_8B, "lora", 10_000_000, 3, A100)
    assert run.cost == pytest.approx(3.69606 * 1.30, abs=1e-3)
    assert run.price_per_hour == 1.30 and run.price_as_of == date(2026, 11, 29)
    assert run.text == ("about 3.7 hours on 1 A100 80GB SXM, $4.80 (typical rental of $1.30 a "
                        "GPU-hour as of 2026-11-29)")
    # Four cards at your price of $2: 0.924 hours * 4 * $2 = $7.39 (the same GPU-hours).
    four = training_run(LLAMA_8B, "lora", 10_000_000, 3, A100, 4, price_per_hour=2.0)
    assert four.gpu_hours == pytest.approx(3.69606, abs=1e-4)
    assert four.cost == pytest.approx(3.69606 * 2.0, abs=1e-3)
    assert "your price of $2.00 a GPU-hour" in four.text
    owned = training_run(LLAMA_8B, "lora", 10_000_000, 3, A100, owned=True)
    assert owned.cost == 0.0 and owned.owned
    assert "own GPUs: no rental cost counted" in owned.text
    unpriced = training_run(LLAMA_8B, "lora", 10_000_000, 3, card("x", "X", 24, 100, 1000, None))
    assert unpriced.cost is None and unpriced.price_per_hour is None
    assert "no rental price is known for the X" in unpriced.text


def test_training_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        training_hours(LLAMA_8B, "lora", 1e6, 1, A100, 0)
    with pytest.raises(ValueError):
        training_hours(LLAMA_8B, "lora", 1e6, 1, A100, mfu=1.5)


# decoding ------------------------------------------------------------------------------------


def test_kv_cache_of_llama_8b() -> None:
    # 2 (K and V) * 32 layers * 8 KV heads * 128 * 2 bytes = 131,072 bytes a token.
    assert kv_bytes_per_token(LLAMA_8B) == 131_072


def test_decode_llama_8b_on_l40s_at_2300_tokens() -> None:
    # Weights 2 * 8,030,261,248 = 16,060,522,496 B; one sequence's KV 2,300 * 131,072
    # = 301,465,600 B. Usable 48 GiB * 0.9 = 46,385,646,796.8 B; left 30,325,124,300.8 B
    # -> 100.59 sequences -> batch 100.
    # A step reads 16,060,522,496 + 100 * 301,465,600 = 46,207,082,496 B at 864e9 * 0.6
    # = 518.4e9 B/s: 0.0891340 s -> 100 / 0.0891340 = 1,121.9 tokens a second.
    # (Arithmetic: 100 * 2 * 8.03e9 / (362e12 * 0.5) = 8.9 ms, so memory-bound.)
    d = decode(LLAMA_8B, L40S, 2300)
    assert (d.batch, d.gpus_per_replica, d.memory_bound) == (100, 1, True)
    assert d.step_seconds == pytest.approx(46_207_082_496 / 518.4e9)
    assert d.tokens_per_second == pytest.approx(1121.9, abs=0.05)
    assert decode_tokens_per_second(LLAMA_8B, L40S, 2300) == d.tokens_per_second
    assert d.text == ("Llama 3.1 8B on one L40S (48 GB) decodes about 1,122 output tokens a "
                      "second, 100 sequences of 2,300 tokens at a time")


def test_short_contexts_reach_the_batch_cap() -> None:
    # 100 tokens: 13,107,200 B a sequence, 2,313 would fit -> capped at 256.
    # Step: (16,060,522,496 + 256 * 13,107,200) / 518.4e9 = 19,415,965,696 / 518.4e9
    # = 0.037454 s (arithmetic 256 * 2N / 181e12 = 0.022715 s) -> 6,835.1 tokens a second.
    d = decode(LLAMA_8B, L40S, 100)
    assert d.batch == 256 and d.memory_bound
    assert d.tokens_per_second == pytest.approx(256 / (19_415_965_696 / 518.4e9))


def test_a_slow_card_is_compute_bound() -> None:
    # 10 TFLOPS: 256 * 2N / (10e12 * 0.5) = 0.82226 s a step > the 0.0375 s of reading.
    slow = card("slow", "Slow", 48, 10, 864, 1.0)
    d = decode(LLAMA_8B, slow, 100)
    assert not d.memory_bound
    assert d.tokens_per_second == pytest.approx(256 / (256 * 2 * N_8B / 5e12))


def test_llama_70b_spans_four_l40s() -> None:
    # bf16 weights 141.1e9 B; a card gives 48 GiB * 0.9 = 46.39e9 B: 2 cards 92.8e9 (short),
    # 4 cards 185.5e9 -> a replica of 4. Left 44.44e9 B / (2,300 * 2*80*8*128*2 = 753,664,000 B)
    # -> 58 sequences; step (141.107e9 + 58 * 0.7537e9) / (4 * 518.4e9) = 0.089133 s
    # -> 650.7 tokens a second for the replica, 162.7 a GPU.
    d = decode(LLAMA_70B, L40S, 2300)
    assert (d.gpus_per_replica, d.batch) == (4, 58)
    assert d.tokens_per_second == pytest.approx(
        58 / ((2 * 70_553_706_496 + 58 * 753_664_000) / (4 * 518.4e9)))
    assert d.tokens_per_second_per_gpu == pytest.approx(d.tokens_per_second / 4)
    assert "a replica of 4 L40S (48 GB) (tensor parallel" in d.text
    assert replica_gpus(LLAMA_8B, L40S) == 1
    assert replica_gpus(LLAMA_70B, A100) == 2


def test_seconds_per_request() -> None:
    # Prefill 2,000 tokens: 2,000 * 2 * 8,030,261,248 / (362e12 * 0.5) = 0.177464 s.
    # Decode 300 tokens at 1,121.9 tokens a second (2,300-token sequences): 0.267402 s.
    assert prefill_seconds(LLAMA_8B, L40S, 2000) == pytest.approx(2000 * 2 * N_8B / 181e12)
    seconds = gpu_seconds_per_request(LLAMA_8B, L40S, 2000, 300)
    decode_step = 46_207_082_496 / 518.4e9  # from the 2,300-token test: 100 sequences a step
    assert seconds == pytest.approx(2000 * 2 * N_8B / 181e12 + 300 * decode_step / 100)
    assert seconds == pytest.approx(0.44487, abs=1e-5)
    # An override of 500 tokens a second: 0.177464 + 0.6 = 0.777464 s.
    assert gpu_seconds_per_request(LLAMA_8B, L40S, 2000, 300,
                                   tokens_per_second=500) == pytest.approx(0.777464, abs=1e-6)


# serving GPUs by day -------------------------------------------------------------------------


def test_gpu_steps_for_a_growing_traffic_series() -> None:
    # Days 0..99 carry 1,000, 2,000, ... 100,000 requests. At 2.88 s a request and a peak of
    # 3x, replicas = ceil(r / 86,400 * 3 * 2.88) = ceil(r / 10,000): 1 up to 10,000 a day
    # (day 9, exactly 1.0 in decimal but 1.0000000000000002 in floats, still 1), 2 from
    # 11,000 (day 10), and one more every 10 days, 10 on days 90 to 99.
    traffic = np.arange(1, 101) * 1000.0
    gpus = serving_gpus(traffic, seconds_per_request=2.88)
    assert gpus.dtype == np.int64
    steps = [int(day) for day in np.flatnonzero(np.diff(gpus)) + 1]
    assert steps == [10, 20, 30, 40, 50, 60, 70, 80, 90]
    assert gpus[9] == 1 and gpus[10] == 2 and gpus[-1] == 10
    assert list(gpus[steps]) == list(range(2, 11))
    # Two GPUs a replica double every figure.
    assert list(serving_gpus(traffic, seconds_per_request=2.88, gpus_per_replica=2)) == list(
        2 * gpus)


def test_one_replica_is_always_up() -> None:
    gpus = serving_gpus([0, 0.5, 10], seconds_per_request=1.0)
    assert list(gpus) == [1, 1, 1]
    with pytest.raises(ValueError):
        serving_gpus([-1], seconds_per_request=1.0)


def test_peak_factor() -> None:
    # 86,400 requests a day at 1 s each: 1 a second on average; peak 3 -> 3 replicas,
    # peak 1 (even traffic) -> 1.
    assert list(serving_gpus([86_400], seconds_per_request=1.0)) == [3]
    assert list(serving_gpus([86_400], seconds_per_request=1.0, peak_factor=1.0)) == [1]


def test_serving_plan_daily_cost() -> None:
    plan = ServingPlan(gpu=L40S, gpus_per_replica=1, tokens_per_second=1000.0,
                       seconds_per_request=2.88, peak_factor=3.0, price_per_hour=0.90)
    # 1 GPU * $0.90 * 24 = $21.60 a day; 10 GPUs: $216.
    assert list(plan.daily_cost(np.array([1000.0, 100_000.0]))) == pytest.approx([21.6, 216.0])


def test_serving_plan_from_the_request() -> None:
    plan = serving_plan(LLAMA_8B, L40S, 2000, 300)
    assert plan.gpus_per_replica == 1 and plan.price_per_hour == 0.90
    assert plan.tokens_per_second == pytest.approx(1121.9, abs=0.05)
    assert plan.seconds_per_request == pytest.approx(0.44487, abs=1e-5)
    # 100,000 requests a day: 100,000 / 86,400 * 3 * 0.44486 = 1.545 -> 2 GPUs, $43.20 a day.
    assert list(plan.gpus([100_000])) == [2]
    assert list(plan.daily_cost([100_000])) == pytest.approx([43.2])
    assert serving_plan(LLAMA_8B, L40S, 2000, 300, owned=True).price_per_hour == 0.0
    assert serving_plan(LLAMA_8B, L40S, 2000, 300, price_per_hour=2.0).price_per_hour == 2.0
    big = serving_plan(LLAMA_70B, L40S, 2000, 300)
    assert big.gpus_per_replica == 4
    assert list(big.gpus([0])) == [4]
    with pytest.raises(ValueError, match="no rental price"):
        serving_plan(LLAMA_8B, card("x", "X", 48, 362, 864, None), 2000, 300)


def test_memory_share_is_of_the_card() -> None:
    assert L40S.memory_bytes * SERVING_MEMORY_SHARE == pytest.approx(48 * GIB * 0.9)
