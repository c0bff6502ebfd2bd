"""Price look-ups: the genai-prices snapshot, the offerings catalogue and overrides."""

from __future__ import annotations

import pytest

from tunewise.core.prices import PriceError, default_catalog
from tunewise.core.project import PriceOverride


def test_inference_prices_come_from_the_snapshot() -> None:
    prices = default_catalog().inference("gpt-4o")
    assert (prices.input, prices.cached_input, prices.output) == (2.5, 1.25, 10.0)
    assert "genai-prices" in prices.source


def test_fine_tuning_prices_come_from_the_dated_catalogue() -> None:
    # A plan that names only gpt-4o-mini means OpenAI's offering (listed first).
    prices = default_catalog().fine_tuned("gpt-4o-mini")
    assert (prices.training, prices.input, prices.cached_input, prices.output) == (
        3.0, 0.30, 0.15, 1.20)
    assert prices.offering is not None and prices.offering.provider == "openai"
    assert "offerings catalogue of 2026-11-29" in prices.source
    azure = default_catalog().fine_tuned("gpt-4o-mini", provider="azure-openai",
                                         deployment="standard")
    assert azure.hosting_per_hour == 1.7


def test_embedding_price() -> None:
    assert default_catalog().embedding("text-embedding-3-small")[0] == 0.02


def test_override_wins_and_is_credited() -> None:
    prices = default_catalog().inference("gpt-4o", PriceOverride(input=1.0))
    assert (prices.input, prices.output) == (1.0, 10.0)
    assert "override" in prices.source


def test_unknown_model_priced_by_override_alone() -> None:
    prices = default_catalog().inference("in-house-7b", PriceOverride(input=0.1, output=0.2))
    assert (prices.input, prices.cached_input, prices.output) == (0.1, 0.1, 0.2)


@pytest.mark.parametrize("call", ["inference", "fine_tuned", "embedding"])
def test_unknown_model_names_the_model(call: str) -> None:
    with pytest.raises(PriceError, match="'mystery-model-9'"):
        getattr(default_catalog(), call)("mystery-model-9")


def test_catalog_lists_priced_models_and_marks_fine_tunable_ones() -> None:
    catalog = default_catalog()
    models = {m.id: m for m in catalog.catalog_models()}
    assert models["gpt-4o-mini"].fine_tunable
    assert not models["gpt-4o"].fine_tunable or "gpt-4o" in catalog.fine_tunable_models()
    assert len(models) > 100
    assert "genai-prices" in catalog.as_of and "catalogue of 2026-11-29" in catalog.as_of
