"""Today's fine-tuning market: who offers fine-tuning of which model, at what prices, until when.

The catalogue is a dated data file (resources/market/offerings.json), each row with its sources
and the day they were checked; a user may install a newer file (see `install_catalogue`). This
module reads it into typed rows and answers the questions the cost model and the decision ask:
which offering a plan means, what caching and batching cost at a provider, and when an offering
stops taking training jobs or a model stops answering.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tunewise.core.files import atomic_write
from tunewise.paths import resource, user_data_dir

STALE_AFTER_DAYS = 120
METHOD_NAMES = {"sft": "supervised", "dpo": "preference (DPO)", "rft": "reinforcement (RFT)",
                "lora": "LoRA", "full": "full weights"}


class MarketError(ValueError):
    """The catalogue file cannot be used; the message names the file and the problem."""


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Price = Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False)]
Day = date


class Source(_Row):
    url: str
    checked: date
    says: str = ""


class CacheRule(_Row):
    """A provider's prompt caching; a None field is a fact the catalogue could not find."""

    min_prefix_tokens: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    ttl_minutes: Annotated[float, Field(gt=0, le=100_000)] | None = None
    write_multiplier: Annotated[float, Field(ge=0, le=100)] | None = None


class Provider(_Row):
    name: str
    genai_prices_id: str | None = None
    batch_discount: Annotated[float, Field(ge=0, le=1)] | None = None
    cache: CacheRule | None = None
    sources: list[Source] = []


class TrainingPrice(_Row):
    per_mtok: Price | None = None
    per_hour: Price | None = None


class InferencePrice(_Row):
    # None: the catalogue could not find the price; a plan must type it in.
    input: Price | None = None
    cached_input: Price | None = None
    output: Price | None = None
    cache_write: Price | None = None


Method = Literal["sft", "dpo", "rft", "lora", "full"]


class Offering(_Row):
    provider: str
    base_model: str
    deployment: str
    methods: list[Method]
    training: dict[Method, TrainingPrice]
    minimum_training_cost: Price | None = None
    inference: InferencePrice
    # None: charged, but the catalogue could not find how much; a plan must type it in.
    hosting_per_hour: Price | None = 0.0
    storage_per_month: Price | None = 0.0
    idle_deletion_days: int | None = None
    batch_discount: Annotated[float, Field(ge=0, le=1)] | None = None
    min_cacheable_tokens: int | None = None
    new_training_until: date | None = None
    inference_until: date | None = None
    migrate_to: str | None = None
    notes: str = ""
    sources: list[Source]
    disagreements: str | None = None

    @property
    def key(self) -> str:
        return f"{self.provider}/{self.base_model}/{self.deployment}"

    def training_price(self, method: str) -> TrainingPrice | None:
        """The price of a training method; LoRA and full tuning stand for supervised tuning."""
        prices: dict[str, TrainingPrice] = {str(k): v for k, v in self.training.items()}
        found = prices.get(method)
        if found is None and method == "sft":
            found = prices.get("lora") or prices.get("full")
        return found


class ModelLifecycle(_Row):
    provider: str
    retires: date | None = None
    replacement: str | None = None
    sources: list[Source] = []
    disagreements: str | None = None


class CatalogueFile(_Row):
    as_of: date
    currency: Literal["USD"]
    units: dict[str, str] = {}
    note: str = ""
    providers: dict[str, Provider]
    offerings: list[Offering]
    inference_lifecycle: dict[str, ModelLifecycle] = {}


SELF_HOSTED = "self-hosted"


def _self_hosted_rows(listed: list[Offering]) -> list[Offering]:
    """Self-hosting for every open-weights model in the GPU catalogue the file does not list.

    Any open model can run on the team's own cards, and its costs come from the GPU plan
    (core/gpu/selfhost.py), not from the row's prices; the file's first self-hosted row is the
    template for the rest, so a catalogue without one offers none.
    """
    template = next((o for o in listed if o.provider == SELF_HOSTED), None)
    if template is None:
        return []
    from tunewise.core.gpu.catalogue import models  # the GPU data, read once when first used

    have = {o.base_model for o in listed if o.provider == SELF_HOSTED}
    return [template.model_copy(update={
        "base_model": m.id,
        "notes": f"{m.name} on your own or rented GPUs: any open-weights model in the GPU "
                 "catalogue can be self-hosted; costed from the GPU plan.",
    }) for m in models().models if m.id not in have]


class Market:
    """The offerings catalogue, loaded and checked, with the lookups the cost model needs."""

    def __init__(self, data: CatalogueFile, path: Path, *, installed: bool = False) -> None:
        self.data = data
        self.path = path
        self.installed = installed  # a file the user installed rather than the bundled one
        self.as_of: date = data.as_of
        self.providers = data.providers
        self.offerings = data.offerings + _self_hosted_rows(data.offerings)
        self._by_key = {o.key: o for o in self.offerings}

    @classmethod
    def from_file(cls, path: Path, *, installed: bool = False) -> Market:
        return cls(read_catalogue(path), path, installed=installed)

    def provider_name(self, provider: str) -> str:
        found = self.providers.get(provider)
        return found.name if found is not None else provider

    def by_key(self, key: str) -> Offering | None:
        return self._by_key.get(key)

    def for_model(self, model: str) -> list[Offering]:
        wanted = model.strip().lower()
        return [o for o in self.offerings if o.base_model.lower() == wanted]

    def find(self, model: str, provider: str | None = None,
             deployment: str | None = None) -> Offering | None:
        """The offering a plan means: by base model, then provider and deployment if named.

        With no provider the first listed offering of the model is meant (the file lists a
        model's own maker first, so a plan naming only `gpt-4o-mini` means OpenAI's).
        """
        rows = self.for_model(model)
        if provider is not None:
            rows = [o for o in rows if o.provider == provider]
        if deployment is not None:
            rows = [o for o in rows if o.deployment == deployment]
        return rows[0] if rows else None

    def fine_tunable_models(self) -> list[str]:
        return sorted({o.base_model for o in self.offerings})

    def cache_rule(self, offering: Offering) -> CacheRule | None:
        rule = self.provider_cache_rule(offering.provider)
        if rule is not None and offering.min_cacheable_tokens is not None:
            rule = rule.model_copy(update={"min_prefix_tokens": offering.min_cacheable_tokens})
        return rule

    def provider_cache_rule(self, provider: str) -> CacheRule | None:
        found = self.providers.get(provider)
        return found.cache if found is not None else None

    def batch_discount(self, offering: Offering) -> float | None:
        if offering.batch_discount is not None:
            return offering.batch_discount
        found = self.providers.get(offering.provider)
        return found.batch_discount if found is not None else None

    def provider_for_genai(self, genai_provider_id: str) -> str | None:
        """The catalogue's provider id for a genai-prices provider id, if it lists one."""
        for pid, provider in self.providers.items():
            if provider.genai_prices_id == genai_provider_id:
                return pid
        return None

    def lifecycle(self, model: str) -> ModelLifecycle | None:
        return self.data.inference_lifecycle.get(model.strip().lower())

    def age_days(self, today: date) -> int:
        return (today - self.as_of).days


def read_catalogue(path: Path) -> CatalogueFile:
    """Read and check a catalogue file; every problem is a MarketError naming the file."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise MarketError(f"Cannot read the offerings catalogue {name}: "
                          f"{error.strerror or error}.") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise MarketError(f"The offerings catalogue {name} is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise MarketError(f"The offerings catalogue {name} is not valid JSON (line "
                          f"{error.lineno}, column {error.colno}: {error.msg}).") from None
    try:
        data = CatalogueFile.model_validate(doc)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the top level"
        raise MarketError(f"The offerings catalogue {name} is not in the expected shape: "
                          f"{where}: {first['msg']} ({error.error_count()} problem(s)).") from None
    problems = _consistency_problems(data)
    if problems:
        raise MarketError(f"The offerings catalogue {name} contradicts itself: {problems[0]}"
                          + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    return data


def _consistency_problems(data: CatalogueFile) -> list[str]:
    problems: list[str] = []
    keys = [o.key for o in data.offerings]
    seen: set[str] = set()
    for o in data.offerings:
        if o.key in seen:
            problems.append(f"offering {o.key} is listed twice.")
        seen.add(o.key)
        if o.provider not in data.providers:
            problems.append(f"offering {o.key} names provider '{o.provider}', which is not listed.")
        if o.migrate_to is not None and o.migrate_to not in keys:
            problems.append(f"offering {o.key} migrates to {o.migrate_to}, which is not listed.")
        for method in o.methods:
            price = o.training_price(method)
            if price is None:
                problems.append(f"offering {o.key}: method '{method}' has no price entry.")
            elif price.per_mtok is not None and price.per_hour is not None:
                problems.append(f"offering {o.key}: method '{method}' is priced both per "
                                "token and per hour.")
        if not o.sources:
            problems.append(f"offering {o.key} has no source.")
    return problems


# Where a user-installed catalogue lives; the newer of it and the bundled file is used.
def installed_path() -> Path:
    return user_data_dir() / "market" / "offerings.json"


def bundled_path() -> Path:
    return resource("market", "offerings.json")


def load_market() -> Market:
    """The catalogue in use: the user's installed file if it is at least as new as the bundled
    one and still reads; otherwise the bundled file."""
    bundled = Market.from_file(bundled_path())
    mine = installed_path()
    if mine.is_file():
        try:
            installed = Market.from_file(mine, installed=True)
        except MarketError:
            return bundled
        if installed.as_of >= bundled.as_of:
            return installed
    return bundled


@cache
def default_market() -> Market:
    return load_market()


def install_catalogue(source: Path) -> Market:
    """Check a catalogue file the user picked and make it the one in use.

    The file is read and checked first (a bad file changes nothing), then copied atomically
    into the app's data folder. Returns the catalogue now in use.
    """
    market = Market.from_file(source, installed=True)
    bundled = read_catalogue(bundled_path())
    if market.as_of < bundled.as_of:
        raise MarketError(
            f"{source.name} is dated {market.as_of.isoformat()}, older than the catalogue "
            f"that ships with Tunewise ({bundled.as_of.isoformat()}); it was not installed.")
    target = installed_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, source.read_bytes())
    default_market.cache_clear()
    return Market(market.data, target, installed=True)


def remove_installed_catalogue() -> None:
    """Go back to the bundled catalogue."""
    installed_path().unlink(missing_ok=True)
    default_market.cache_clear()


def offering_status(o: Offering, on: date) -> str:
    """'open', 'closing' (dates announced ahead of `on`) or 'closed' for new training."""
    if (o.new_training_until is not None and o.new_training_until < on) or (
            o.inference_until is not None and o.inference_until < on):
        return "closed"
    if o.new_training_until is not None or o.inference_until is not None:
        return "closing"
    return "open"


def offerings_document(market: Market) -> dict[str, object]:
    """The catalogue as `tunewise offerings --json` prints it: stable keys, ISO dates."""
    return {
        "as_of": market.as_of.isoformat(),
        "file": str(market.path),
        "installed": market.installed,
        "currency": market.data.currency,
        "providers": {pid: p.model_dump(mode="json") for pid, p in market.providers.items()},
        "offerings": [{"key": o.key, **o.model_dump(mode="json")} for o in market.offerings],
        "inference_lifecycle": {k: v.model_dump(mode="json")
                                for k, v in market.data.inference_lifecycle.items()},
    }


def _price(value: float | None) -> str:
    return "-" if value is None else f"${value:,.2f}"


def offerings_text(market: Market, today: date | None = None) -> str:
    """The catalogue as a plain table, one offering a line."""
    from datetime import UTC, datetime

    on = today or datetime.now(UTC).date()
    origin = "installed" if market.installed else "bundled"
    lines = [f"Fine-tuning offerings, catalogue of {market.as_of.isoformat()} ({origin}); "
             "USD, tokens per 1M.", ""]
    header = (f"{'Provider':<14}{'Base model':<22}{'Deployment':<16}{'Methods':<14}"
              f"{'Training':>14}{'In':>9}{'Out':>9}{'Host/h':>9}"
              f"  {'Training until':<15}{'Answers until':<14}Status")
    lines.append(header)
    for o in market.offerings:
        prices = []
        for method in o.methods:
            p = o.training_price(method)
            if p is not None and p.per_mtok is not None:
                prices.append(f"${p.per_mtok:g}/M")
            elif p is not None and p.per_hour is not None:
                prices.append(f"${p.per_hour:g}/h")
        training = ", ".join(dict.fromkeys(prices))
        lines.append(
            f"{market.provider_name(o.provider)[:13]:<14}{o.base_model[:21]:<22}"
            f"{o.deployment[:15]:<16}{','.join(o.methods)[:13]:<14}{training[:13]:>14}"
            f"{_price(o.inference.input):>9}{_price(o.inference.output):>9}"
            f"{_price(o.hosting_per_hour or None):>9}"
            f"  {o.new_training_until.isoformat() if o.new_training_until else '-':<15}"
            f"{o.inference_until.isoformat() if o.inference_until else '-':<14}"
            f"{offering_status(o, on)}")
    return "\n".join(lines)
