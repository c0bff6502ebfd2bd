"""Model prices, per 1M tokens, in USD.

Inference prices come from the genai-prices package's bundled snapshot (no network). It does not
carry fine-tuning or embedding prices, so those come from a dated table in resources/prices/.
A project may override any price. A model with no known price is an error that names it:
Tunewise never costs an unknown model at zero.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from tunewise.core.project import PriceOverride
from tunewise.paths import resource


class PriceError(ValueError):
    """A price Tunewise needs is not known; the message names the model and the price."""


@dataclass(frozen=True)
class InferencePrices:
    model: str
    input: float
    cached_input: float
    output: float
    source: str


@dataclass(frozen=True)
class FineTunePrices:
    model: str
    training: float
    input: float
    cached_input: float
    output: float
    source: str


@dataclass(frozen=True)
class CatalogModel:
    id: str
    name: str
    provider: str
    fine_tunable: bool


def _as_float(value: Any) -> float | None:
    """genai-prices gives a Decimal, a tiered price (take its base tier) or None."""
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        return float(value)
    base = getattr(value, "base", None)
    return float(base) if base is not None else None


class PriceCatalog:
    """Every price Tunewise knows, with where it came from and as of when."""

    def __init__(self, table_path: Path | None = None) -> None:
        path = table_path or resource("prices", "fine_tuning.json")
        table = json.loads(path.read_text(encoding="utf-8"))
        self.table_as_of: str = table["as_of"]
        self._fine_tuning: dict[str, dict[str, Any]] = table["fine_tuning"]
        self._embedding: dict[str, dict[str, Any]] = table["embedding"]
        snapshot = table["inference_snapshot"]
        self.snapshot_version: str = package_version("genai-prices")
        self.snapshot_checked: str = snapshot["checked"]
        # Prices are read as of the day the snapshot was checked, so results do not drift with
        # the calendar between two runs of the same file.
        self._at = datetime.combine(date.fromisoformat(self.snapshot_checked), datetime.min.time(),
                                    tzinfo=UTC)

    @property
    def as_of(self) -> str:
        return (
            f"inference: genai-prices {self.snapshot_version} snapshot (checked "
            f"{self.snapshot_checked}); fine-tuning and embedding: Tunewise table of "
            f"{self.table_as_of}"
        )

    def _snapshot_prices(self, model: str) -> tuple[str, Any] | None:
        from genai_prices import data_snapshot

        try:
            provider, info = data_snapshot.get_snapshot().find_provider_model(
                model, None, None, None
            )
        except LookupError:
            return None
        return f"genai-prices {self.snapshot_version} ({provider.name})", info.get_prices(self._at)

    def inference(self, model: str, override: PriceOverride | None = None) -> InferencePrices:
        found = self._snapshot_prices(model)
        source, prices = found if found else ("", None)
        catalog_in = _as_float(getattr(prices, "input_mtok", None)) if prices else None
        catalog_out = _as_float(getattr(prices, "output_mtok", None)) if prices else None
        catalog_cached = _as_float(getattr(prices, "cache_read_mtok", None)) if prices else None
        o = override or PriceOverride()
        input_price = o.input if o.input is not None else catalog_in
        output_price = o.output if o.output is not None else catalog_out
        if input_price is None or output_price is None:
            missing = "input" if input_price is None else "output"
            raise PriceError(
                f"No {missing} price is known for model '{model}'. Pick a model from the "
                "catalog or type its prices in per 1M tokens."
            )
        cached = o.cached_input if o.cached_input is not None else catalog_cached
        if o.input is not None or o.output is not None or o.cached_input is not None:
            source = "your override" if not source else f"{source}, with your override"
        return InferencePrices(
            model=model,
            input=input_price,
            cached_input=cached if cached is not None else input_price,
            output=output_price,
            source=source,
        )

    def fine_tuned(self, model: str, override: PriceOverride | None = None) -> FineTunePrices:
        row = self._fine_tuning.get(model.strip().lower(), {})
        o = override or PriceOverride()
        training = o.training if o.training is not None else row.get("training")
        ft_input = o.fine_tuned_input if o.fine_tuned_input is not None else row.get("input")
        ft_output = o.fine_tuned_output if o.fine_tuned_output is not None else row.get("output")
        if training is None or ft_input is None or ft_output is None:
            what = [name for name, v in (("training", training), ("fine-tuned input", ft_input),
                                         ("fine-tuned output", ft_output)) if v is None]
            raise PriceError(
                f"Model '{model}' has no known {', '.join(what)} price. Pick a model that can be "
                "fine-tuned or type its fine-tuning prices in per 1M tokens."
            )
        cached = (o.fine_tuned_cached_input if o.fine_tuned_cached_input is not None
                  else row.get("cached_input", ft_input))
        overridden = any(v is not None for v in (o.training, o.fine_tuned_input,
                                                 o.fine_tuned_output, o.fine_tuned_cached_input))
        source = f"Tunewise fine-tuning table of {self.table_as_of}" if row else ""
        if overridden:
            source = "your override" if not source else f"{source}, with your override"
        return FineTunePrices(model=model, training=float(training), input=float(ft_input),
                              cached_input=float(cached), output=float(ft_output), source=source)

    def embedding(self, model: str, override: PriceOverride | None = None) -> tuple[float, str]:
        if override is not None and override.embedding is not None:
            return override.embedding, "your override"
        row = self._embedding.get(model.strip().lower())
        if row is None:
            raise PriceError(
                f"No embedding price is known for model '{model}'. Pick a listed embedding "
                "model or type its price in per 1M tokens."
            )
        return float(row["price"]), f"Tunewise embedding table of {self.table_as_of}"

    def fine_tunable_models(self) -> list[str]:
        return sorted(self._fine_tuning)

    def embedding_models(self) -> list[str]:
        return sorted(self._embedding)

    def catalog_models(self) -> list[CatalogModel]:
        """Text models with both an input and an output price, for the model pickers."""
        return list(_catalog_models(tuple(self._fine_tuning)))


@cache
def _catalog_models(fine_tunable: tuple[str, ...]) -> tuple[CatalogModel, ...]:
    from genai_prices import data_snapshot

    models: list[CatalogModel] = []
    for provider in data_snapshot.get_snapshot().providers:
        for info in provider.models:
            prices = info.prices if not isinstance(info.prices, list) else (
                info.prices[-1].prices if info.prices else None)
            if prices is None:
                continue
            if getattr(prices, "input_mtok", None) is None or getattr(
                prices, "output_mtok", None
            ) is None:
                continue
            models.append(CatalogModel(id=info.id, name=info.name or info.id,
                                       provider=provider.name,
                                       fine_tunable=info.id in fine_tunable))
    return tuple(sorted(models, key=lambda m: (m.provider.lower(), m.id)))


@cache
def default_catalog() -> PriceCatalog:
    return PriceCatalog()
