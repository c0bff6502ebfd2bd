"""Refreshing inference prices from genai-prices' published data, on request only.

genai-prices' `UpdatePrices` fetches the data and puts it in use for this process; Tunewise
also keeps the fetched document in its data folder with the day it was fetched, so the next
start uses it too and every result says which prices it used. Nothing is fetched unless the
user asks (the app's "Update prices" action or `tunewise prices update`).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from tunewise.core.files import atomic_write
from tunewise.paths import user_data_dir

DEFAULT_URL_ENV = "TUNEWISE_PRICES_URL"


class PriceUpdateError(RuntimeError):
    """Fetching or reading new price data failed; the message says why in plain words."""


class PriceUpdateCancelled(PriceUpdateError):
    """The user cancelled the update before the new data was put in use."""


def _wait(updater: Any, limit: float, cancel: threading.Event | None) -> bool:
    """Wait for the updater's first fetch, a slice at a time so a cancel is seen quickly."""
    waited = 0.0
    while waited < limit:
        if cancel is not None and cancel.is_set():
            return False
        if updater.wait(timeout=0.1):
            return True
        waited += 0.1
    return False


@dataclass(frozen=True)
class FetchedPrices:
    fetched: date
    url: str
    providers: int
    models: int


def fetched_path() -> Path:
    return user_data_dir() / "prices" / "genai-prices.json"


def default_url() -> str:
    from genai_prices.update_prices import DEFAULT_UPDATE_URL

    return os.environ.get(DEFAULT_URL_ENV) or DEFAULT_UPDATE_URL


def _snapshot(raw: Any) -> Any:
    from genai_prices import data_snapshot
    from genai_prices.types import _providers_from_raw

    if not isinstance(raw, list) or not raw:
        raise PriceUpdateError("the price data is not a list of providers.")
    try:
        providers = _providers_from_raw(raw)
    except Exception as error:  # pydantic's ValidationError and friends
        raise PriceUpdateError(f"the price data is not in genai-prices' format ({error}).".split(
            "\n")[0]) from None
    return data_snapshot.DataSnapshot(providers, from_auto_update=True)


def update_inference_prices(url: str | None = None, timeout: float = 20.0,
                            today: date | None = None,
                            cancel: threading.Event | None = None) -> FetchedPrices:
    """Fetch genai-prices' published data with its UpdatePrices, put it in use and keep it.

    A set `cancel` event stops the update before anything changes: the fetched data is then
    neither put in use nor kept, and PriceUpdateCancelled is raised."""
    import httpx2
    from genai_prices import data_snapshot
    from genai_prices.update_prices import UpdatePrices

    url = url or default_url()
    kept: dict[str, Any] = {}

    class _Keeping(UpdatePrices):
        """UpdatePrices whose fetch also keeps the document, so it can be stored."""

        def fetch(self) -> data_snapshot.DataSnapshot | None:
            response = httpx2.get(self.url, timeout=self.request_timeout)
            response.raise_for_status()
            try:
                raw = json.loads(response.content)
            except ValueError:
                raise PriceUpdateError("the server did not send JSON.") from None
            snapshot = _snapshot(raw)
            if cancel is not None and cancel.is_set():
                raise PriceUpdateCancelled("the update was cancelled.")
            kept["raw"] = raw
            return snapshot  # type: ignore[no-any-return]

    previous = data_snapshot.get_snapshot() if data_snapshot._custom_snapshot else None
    updater = _Keeping(url=url, update_interval=24 * 3600,
                       request_timeout=httpx2.Timeout(timeout=timeout, connect=min(timeout, 10)))
    try:
        updater.start()
        try:
            done = _wait(updater, timeout * 2, cancel)
        finally:
            updater.stop()  # type: ignore[no-untyped-call]
    except PriceUpdateCancelled:
        data_snapshot.set_custom_snapshot(previous)
        raise
    except PriceUpdateError as error:
        data_snapshot.set_custom_snapshot(previous)
        raise PriceUpdateError(f"Could not update prices from {url}: {error}") from None
    except httpx2.HTTPStatusError as error:
        data_snapshot.set_custom_snapshot(previous)
        raise PriceUpdateError(f"Could not update prices: {url} answered "
                               f"{error.response.status_code}.") from None
    except httpx2.HTTPError as error:
        data_snapshot.set_custom_snapshot(previous)
        raise PriceUpdateError(f"Could not update prices: {url} could not be reached "
                               f"({type(error).__name__}).") from None
    if cancel is not None and cancel.is_set():
        data_snapshot.set_custom_snapshot(previous)
        raise PriceUpdateCancelled("The price update was cancelled; nothing changed.")
    if not done or "raw" not in kept:
        data_snapshot.set_custom_snapshot(previous)
        raise PriceUpdateError(f"Could not update prices: no answer from {url} within "
                               f"{timeout * 2:g} seconds.")
    raw = kept["raw"]
    when = today or datetime.now(UTC).date()
    document = {"fetched": when.isoformat(), "url": url, "providers": raw}
    fetched_path().parent.mkdir(parents=True, exist_ok=True)
    atomic_write(fetched_path(), json.dumps(document).encode("utf-8"))
    load_fetched.cache_clear()
    from tunewise.core.prices import reload_price_data

    reload_price_data()
    return FetchedPrices(fetched=when, url=url, providers=len(raw),
                         models=sum(len(p.get("models", [])) for p in raw if isinstance(p, dict)))


@cache
def load_fetched() -> FetchedPrices | None:
    """Put the kept price data in use, if there is any and it still reads; else None."""
    from genai_prices import data_snapshot

    path = fetched_path()
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_bytes())
        snapshot = _snapshot(document["providers"])
        fetched = date.fromisoformat(document["fetched"])
    except (OSError, ValueError, KeyError, TypeError, PriceUpdateError):
        return None  # a damaged file is ignored; the bundled snapshot stays in use
    data_snapshot.set_custom_snapshot(snapshot)
    raw = document["providers"]
    return FetchedPrices(fetched=fetched, url=str(document.get("url", "")), providers=len(raw),
                         models=sum(len(p.get("models", [])) for p in raw if isinstance(p, dict)))


def forget_fetched() -> None:
    """Go back to the bundled snapshot."""
    from genai_prices import data_snapshot

    fetched_path().unlink(missing_ok=True)
    data_snapshot.set_custom_snapshot(None)
    load_fetched.cache_clear()
    from tunewise.core.prices import reload_price_data

    reload_price_data()
