"""The bundled GPU data: the models and cards the estimator can name, each backed by a dated
source, with configuration numbers that add up to the published parameter counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tunewise.core.gpu.catalogue import (
    GpuDataError,
    OpenModel,
    UnknownId,
    gpus,
    models,
    read_gpus,
    read_models,
)
from tunewise.paths import resource

MODEL_IDS = [
    "llama-3.2-1b", "llama-3.2-3b", "llama-3.1-8b", "llama-3.1-70b",
    "qwen2.5-0.5b", "qwen2.5-1.5b", "qwen2.5-3b", "qwen2.5-7b", "qwen2.5-14b", "qwen2.5-32b",
    "qwen2.5-72b", "mistral-7b", "mistral-nemo-12b", "gemma-2-9b", "gemma-2-27b",
    "phi-3.5-mini", "phi-4",
]

GPU_IDS = {
    "rtx-3060-12gb", "rtx-3090", "rtx-4060-ti-16gb", "rtx-4070-ti-super", "rtx-4080", "rtx-4090",
    "rtx-5090", "rtx-a6000", "rtx-6000-ada", "l4", "a10g", "l40s", "a100-40gb", "a100-80gb",
    "h100-80gb", "h100-pcie", "h200", "b200", "mi300x",
}


def counted_parameters(m: OpenModel) -> int:
    """The weights a model's config describes, counted tensor by tensor.

    embeddings                 vocab x hidden
    per layer, attention       q: hidden x (heads x head_dim),
                               k and v: hidden x (kv_heads x head_dim),
                               o: (heads x head_dim) x hidden, plus q/k/v biases when attention_bias
                               (Qwen2). head_dim comes from the config: Mistral NeMo's 128 is not
                               hidden / heads.
    per layer, MLP             gated (SwiGLU; GeGLU in Gemma 2): gate, up (hidden x intermediate)
                               and down (intermediate x hidden). Phi-3.5 fuses qkv and gate_up into
                               single matrices with the same number of weights.
    per layer, norms           two RMSNorm weight vectors; Gemma 2 has four (pre and post norms
                               around both attention and MLP)
    final norm                 hidden
    lm_head                    vocab x hidden, unless tied to the embeddings
    """
    h, q, kv = m.hidden_size, m.attention_heads * m.head_dim, m.kv_heads * m.head_dim
    attention = h * q + 2 * h * kv + q * h + ((q + 2 * kv) if m.attention_bias else 0)
    mlp = 3 * h * m.intermediate_size
    norms = (4 if m.id.startswith("gemma-2") else 2) * h
    embeddings = m.vocab_size * h
    lm_head = 0 if m.tied_embeddings else m.vocab_size * h
    return embeddings + m.layers * (attention + mlp + norms) + h + lm_head


# ---- models ----------------------------------------------------------------------------------

def test_the_catalogue_holds_exactly_the_seventeen_models() -> None:
    assert models().ids() == MODEL_IDS


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_config_numbers_add_up_to_the_published_parameter_count(model_id: str) -> None:
    m = models().get(model_id)
    assert counted_parameters(m) == pytest.approx(m.parameters, rel=0.02)


def test_the_count_matches_known_exact_totals() -> None:
    # Published to the unit: Gemma 2's report gives non-embedding counts; Llama 3.1 8B's
    # safetensors hold 8,030,261,248 weights.
    assert counted_parameters(models().get("gemma-2-9b")) == 8_324_201_984 + 256_000 * 3584
    assert counted_parameters(models().get("gemma-2-27b")) == 26_047_480_320 + 256_000 * 4608
    assert counted_parameters(models().get("llama-3.1-8b")) == 8_030_261_248


def test_architecture_facts_a_user_would_check() -> None:
    cat = models()
    assert cat.get("mistral-nemo-12b").head_dim == 128  # not 5120 / 32
    assert cat.get("mistral-7b").vocab_size == 32768  # v0.3, not v0.1's 32000
    assert all(cat.get(i).attention_bias for i in MODEL_IDS if i.startswith("qwen2.5"))
    assert not any(cat.get(i).attention_bias for i in MODEL_IDS if not i.startswith("qwen2.5"))
    assert cat.get("gemma-2-9b").max_context == 8192
    assert cat.get("phi-4").max_context == 16384
    assert cat.get("llama-3.1-70b").max_context == 131072
    tied = {i for i in MODEL_IDS if cat.get(i).tied_embeddings}
    assert tied == {"llama-3.2-1b", "llama-3.2-3b", "qwen2.5-0.5b", "qwen2.5-1.5b", "qwen2.5-3b",
                    "gemma-2-9b", "gemma-2-27b"}


def test_every_model_names_a_dated_source_no_later_than_the_file() -> None:
    cat = models()
    for m in cat.models:
        assert m.sources, m.id
        assert all(s.url.startswith("https://") and s.checked <= cat.as_of for s in m.sources), m.id
        assert all(s.says and "DRAFT" not in s.says for s in m.sources), m.id
        assert m.hf_repo.count("/") == 1 and m.licence


# ---- GPUs ------------------------------------------------------------------------------------

def test_the_catalogue_holds_the_cards_and_sane_defaults() -> None:
    cat = gpus()
    assert set(cat.ids()) == GPU_IDS
    assert cat.default_training.id == "a100-80gb"
    assert cat.default_serving.id == "l40s"


def test_every_card_names_a_dated_source_no_later_than_the_file() -> None:
    cat = gpus()
    for g in cat.gpus:
        assert g.sources, g.id
        assert all(s.url.startswith("https://") and s.checked <= cat.as_of for s in g.sources), g.id
        assert all(s.says and "DRAFT" not in s.says for s in g.sources), g.id


def test_throughput_and_bandwidth_are_dense_and_plausible() -> None:
    for g in gpus().gpus:
        assert 20 <= g.bf16_tflops <= 2500, g.id  # dense BF16, not FP8 or sparse figures
        assert 250 <= g.bandwidth_gbs <= 8000, g.id
        assert 8 <= g.memory_gib <= 192, g.id
    cat = gpus()
    assert cat.get("h100-80gb").bf16_tflops == pytest.approx(989, abs=1)  # not 1979 (sparse)
    assert cat.get("l40s").bf16_tflops == pytest.approx(362, abs=1)  # not 733 (sparse)
    assert cat.get("rtx-4090").bf16_tflops == pytest.approx(165.2, abs=0.5)  # FP32 accumulate
    assert cat.get("h100-80gb").bf16_tflops > cat.get("a100-80gb").bf16_tflops


def test_data_centre_cards_have_a_dated_rental_price() -> None:
    cat = gpus()
    for g in cat.gpus:
        if g.kind == "datacenter":
            assert g.rental_per_hour is not None and 0.2 < g.rental_per_hour < 20, g.id
        if g.rental_per_hour is not None:
            assert g.rental_as_of is not None and g.rental_as_of <= cat.as_of, g.id
    assert cat.get("a100-80gb").rental_per_hour < cat.get("h100-80gb").rental_per_hour


# ---- loaders ---------------------------------------------------------------------------------

def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _bundled(name: str) -> dict[str, object]:
    data = json.loads(resource("gpu", name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_model_listed_twice_is_refused(tmp_path: Path) -> None:
    data = _bundled("models.json")
    rows = data["models"]
    assert isinstance(rows, list)
    data["models"] = [*rows, rows[0]]
    with pytest.raises(GpuDataError, match="listed twice"):
        read_models(_write(tmp_path, "models.json", data))


def test_a_card_listed_twice_is_refused(tmp_path: Path) -> None:
    data = _bundled("gpus.json")
    rows = data["gpus"]
    assert isinstance(rows, list)
    data["gpus"] = [*rows, rows[-1]]
    with pytest.raises(GpuDataError, match="listed twice"):
        read_gpus(_write(tmp_path, "gpus.json", data))


def test_an_unknown_default_card_is_refused(tmp_path: Path) -> None:
    data = _bundled("gpus.json")
    data["default_serving_gpu"] = "tpu-v5e"
    with pytest.raises(GpuDataError, match="tpu-v5e"):
        read_gpus(_write(tmp_path, "gpus.json", data))


def test_an_unknown_id_names_the_closest_ones() -> None:
    with pytest.raises(UnknownId) as raised:
        models().get("qwen2.5-8b")
    assert "qwen2.5-7b" in raised.value.closest
    assert "qwen2.5-7b" in str(raised.value)
    with pytest.raises(UnknownId) as raised:
        gpus().get("h100")
    assert set(raised.value.closest) & {"h100-80gb", "h100-pcie"}
    assert gpus().get(" RTX-4090 ").id == "rtx-4090"
