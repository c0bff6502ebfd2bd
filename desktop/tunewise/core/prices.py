"""Model prices, per 1M tokens, in USD, and the rules that shape what a request really costs.

Inference prices come from the genai-prices package's data: its bundled snapshot, or the newer
data fetched on request (core/price_update.py). Fine-tuning comes from the offerings catalogue
(core/market.py): training, the tuned model's prices, hosting and storage fees, lifecycle dates.
Embedding prices come from a dated table in resources/prices/. Caching rules (the shortest
cacheable prefix, how long an entry lives, what writing one costs) and batch discounts come
from the catalogue's providers. A project may override any price. A model with no known price
is an error that names it: Tunewise never costs an unknown model at zero.
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

from tunewise.core.market import (
    METHOD_NAMES,
    STALE_AFTER_DAYS,
    CacheRule,
    Market,
    Offering,
    default_market,
)
from tunewise.core.project import PriceOverride
from tunewise.paths import resource


class PriceError(ValueError):
    """A price Tunewise needs is not known; the message names the model and the price."""


class OfferingClosed(PriceError):
    """The offering or model had closed before the plan starts: it cannot be costed at all."""


@dataclass(frozen=True)
class InferencePrices:
    model: str
    input: float
    cached_input: float
    output: float
    cache_write: float  # writing the cache, per 1M tokens (the input price where no premium)
    source: str
    provider: str = ""  # the catalogue's provider id, when it lists the provider
    cache: CacheRule | None = None  # None: the provider's caching rules are not known
    batch_discount: float | None = None  # None: no batch API known


@dataclass(frozen=True)
class FineTunePrices:
    model: str
    training: float  # per 1M training tokens (x epochs); 0 when billed by the hour
    training_per_hour: float  # per training hour; 0 when billed by the token
    minimum_training_cost: float
    input: float
    cached_input: float
    output: float
    cache_write: float
    hosting_per_hour: float
    storage_per_month: float
    source: str
    offering: Offering | None = None
    cache: CacheRule | None = None
    batch_discount: float | None = None

    @property
    def per_hour(self) -> bool:
        return self.training_per_hour > 0 and self.training == 0


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


def _write_multiplier(rule: CacheRule | None) -> float:
    """Cache writes at the input price unless the provider charges a known premium."""
    return rule.write_multiplier if rule is not None and rule.write_multiplier else 1.0


def offering_label(market: Market, o: Offering) -> str:
    """An offering in words: "Fireworks AI llama-3.1-8b (serverless)", "Self-hosted qwen2.5-7b"."""
    where = "" if o.deployment == o.provider else f" ({o.deployment})"
    return f"{market.provider_name(o.provider)} {o.base_model}{where}"


class PriceCatalog:
    """Every price Tunewise knows, with where it came from and as of when."""

    def __init__(self, table_path: Path | None = None, market: Market | None = None) -> None:
        path = table_path or resource("prices", "embeddings.json")
        table = json.loads(path.read_text(encoding="utf-8"))
        self.table_as_of: str = table["as_of"]
        self._embedding: dict[str, dict[str, Any]] = table["embedding"]
        self.market = market or default_market()
        from tunewise.core import price_update

        fetched = price_update.load_fetched()
        if fetched is not None:
            self.snapshot_checked = fetched.fetched.isoformat()
            self.snapshot_origin = f"genai-prices data fetched {self.snapshot_checked}"
        else:
            self.snapshot_checked = table["inference_snapshot"]["checked"]
            self.snapshot_origin = (f"genai-prices {package_version('genai-prices')} bundled "
                                    f"snapshot (checked {self.snapshot_checked})")
        self.snapshot_version: str = package_version("genai-prices")
        # Prices are read as of the day the snapshot was checked, so results do not drift with
        # the calendar between two runs of the same file.
        self._at = datetime.combine(date.fromisoformat(self.snapshot_checked), datetime.min.time(),
                                    tzinfo=UTC)

    @property
    def inference_as_of(self) -> date:
        return date.fromisoformat(self.snapshot_checked)

    @property
    def as_of(self) -> str:
        market = self.market
        origin = "your installed file" if market.installed else "bundled"
        return (f"inference: {self.snapshot_origin}; fine-tuning offerings: catalogue of "
                f"{market.as_of.isoformat()} ({origin}); embeddings: table of {self.table_as_of}")

    def stale(self, today: date) -> list[tuple[str, date, int]]:
        """Price data older than STALE_AFTER_DAYS on `today`: (what, its date, its age)."""
        found = []
        for what, when in (("inference prices", self.inference_as_of),
                           ("fine-tuning offerings", self.market.as_of),
                           ("embedding prices", date.fromisoformat(self.table_as_of))):
            age = (today - when).days
            if age > STALE_AFTER_DAYS:
                found.append((what, when, age))
        return found

    def _snapshot_prices(self, model: str, provider: str | None) -> tuple[str, Any, str] | None:
        from genai_prices import data_snapshot

        genai_id = None
        if provider is not None:
            listed = self.market.providers.get(provider)
            genai_id = listed.genai_prices_id if listed is not None else provider
        try:
            found, info = data_snapshot.get_snapshot().find_provider_model(
                model, None, genai_id, None)
        except LookupError:
            return None
        return (f"genai-prices ({found.name})", info.get_prices(self._at), found.id)

    def inference(self, model: str, override: PriceOverride | None = None,
                  provider: str | None = None) -> InferencePrices:
        found = self._snapshot_prices(model, provider)
        source, prices, genai_id = found if found else ("", None, "")
        catalog_in = _as_float(getattr(prices, "input_mtok", None)) if prices else None
        catalog_out = _as_float(getattr(prices, "output_mtok", None)) if prices else None
        catalog_cached = _as_float(getattr(prices, "cache_read_mtok", None)) if prices else None
        catalog_write = _as_float(getattr(prices, "cache_write_mtok", None)) if prices else None
        o = override or PriceOverride()
        input_price = o.input if o.input is not None else catalog_in
        output_price = o.output if o.output is not None else catalog_out
        if input_price is None or output_price is None:
            missing = "input" if input_price is None else "output"
            where = f" at provider '{provider}'" if provider else ""
            raise PriceError(
                f"No {missing} price is known for model '{model}'{where}. Pick a model from the "
                "catalog or type its prices in per 1M tokens."
            )
        cached = o.cached_input if o.cached_input is not None else catalog_cached
        if o.input is not None or o.output is not None or o.cached_input is not None:
            source = "your override" if not source else f"{source}, with your override"
        listed = self.market.provider_for_genai(genai_id) if genai_id else provider
        rule = self.market.provider_cache_rule(listed) if listed else None
        entry = self.market.providers.get(listed) if listed else None
        if catalog_write is not None and o.input is None:
            write = catalog_write
        else:
            write = input_price * _write_multiplier(rule)
        return InferencePrices(
            model=model,
            input=input_price,
            cached_input=cached if cached is not None else input_price,
            output=output_price,
            cache_write=write,
            source=source,
            provider=listed or "",
            cache=rule,
            batch_discount=entry.batch_discount if entry is not None else None,
        )

    def offering(self, model: str, provider: str | None = None,
                 deployment: str | None = None) -> Offering | None:
        return self.market.find(model, provider, deployment)

    def fine_tuned(self, model: str, override: PriceOverride | None = None,
                   provider: str | None = None, deployment: str | None = None,
                   method: str = "sft") -> FineTunePrices:
        market = self.market
        offering = market.find(model, provider, deployment)
        o = override or PriceOverride()
        if offering is None and (provider is not None or deployment is not None) and \
                market.for_model(model):
            where = " ".join(p for p in (provider, deployment) if p)
            offered = ", ".join(f"{x.provider} {x.deployment}" for x in market.for_model(model))
            raise PriceError(f"The catalogue has no fine-tuning of '{model}' at {where}; it "
                             f"offers it at: {offered}.")
        per_mtok: float | None = None
        per_hour = 0.0
        minimum = 0.0
        if offering is not None:
            price = offering.training_price(method)
            if price is None:
                offered = ", ".join(METHOD_NAMES[m] for m in offering.methods)
                raise PriceError(
                    f"{offering_label(market, offering)} does not offer "
                    f"{METHOD_NAMES.get(method, method)} tuning; it offers {offered}.")
            per_mtok = price.per_mtok
            per_hour = price.per_hour or 0.0
            minimum = offering.minimum_training_cost or 0.0
        if o.training is not None:
            per_mtok, per_hour = o.training, 0.0
        inf = offering.inference if offering is not None else None
        ft_input = o.fine_tuned_input if o.fine_tuned_input is not None else (
            inf.input if inf else None)
        ft_output = o.fine_tuned_output if o.fine_tuned_output is not None else (
            inf.output if inf else None)
        if (per_mtok is None and not per_hour) or ft_input is None or ft_output is None:
            what = [name for name, v in (("training", per_hour or per_mtok),
                                         ("fine-tuned input", ft_input),
                                         ("fine-tuned output", ft_output)) if v is None]
            raise PriceError(
                f"Model '{model}' has no known {', '.join(what)} price. Pick a model from the "
                "offerings catalogue or type its fine-tuning prices in per 1M tokens."
            )
        catalog_cached = inf.cached_input if inf and inf.cached_input is not None else None
        cached = (o.fine_tuned_cached_input if o.fine_tuned_cached_input is not None
                  else catalog_cached if catalog_cached is not None else ft_input)
        rule = market.cache_rule(offering) if offering is not None else None
        if inf is not None and inf.cache_write is not None and o.fine_tuned_input is None:
            write = inf.cache_write
        else:
            write = ft_input * _write_multiplier(rule)
        overridden = any(v is not None for v in (o.training, o.fine_tuned_input,
                                                 o.fine_tuned_output, o.fine_tuned_cached_input,
                                                 o.hosting_per_hour, o.storage_per_month))
        hosting = o.hosting_per_hour if o.hosting_per_hour is not None else (
            offering.hosting_per_hour if offering is not None else 0.0)
        storage = o.storage_per_month if o.storage_per_month is not None else (
            offering.storage_per_month if offering is not None else 0.0)
        if hosting is None or storage is None:
            fee = "hosting fee per hour" if hosting is None else "storage fee per month"
            assert offering is not None
            raise PriceError(
                f"{offering_label(market, offering)} charges a {fee}, but the catalogue does "
                "not know how much: type it in under Prices and caching.")
        source = (f"{offering_label(market, offering)}, offerings catalogue of "
                  f"{market.as_of.isoformat()}") if offering is not None else ""
        if overridden:
            source = "your override" if not source else f"{source}, with your override"
        return FineTunePrices(
            model=model, training=float(per_mtok or 0.0), training_per_hour=float(per_hour),
            minimum_training_cost=float(minimum), input=float(ft_input),
            cached_input=float(cached), output=float(ft_output), cache_write=float(write),
            hosting_per_hour=float(hosting), storage_per_month=float(storage),
            source=source, offering=offering, cache=rule,
            batch_discount=market.batch_discount(offering) if offering is not None else None)

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
        return self.market.fine_tunable_models()

    def embedding_models(self) -> list[str]:
        return sorted(self._embedding)

    def catalog_models(self) -> list[CatalogModel]:
        """Text models with both an input and an output price, for the model pickers."""
        return list(_catalog_models(tuple(self.fine_tunable_models()), self.snapshot_checked))


@cache
def _catalog_models(fine_tunable: tuple[str, ...], _checked: str) -> tuple[CatalogModel, ...]:
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


def reload_price_data() -> None:
    """Forget the loaded prices and catalogue, after new data was fetched or installed."""
    default_market.cache_clear()
    default_catalog.cache_clear()


__all__ = ["STALE_AFTER_DAYS", "CatalogModel", "FineTunePrices", "InferencePrices",
           "OfferingClosed", "PriceCatalog", "PriceError", "default_catalog", "reload_price_data"]
