"""The price data itself: the bundled catalogue, installing a newer one, refreshing inference
prices from a server the test starts on 127.0.0.1, and the CLI that shows and changes them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.price_server import PUBLISHED, PriceServer
from tunewise.__main__ import main
from tunewise.core import price_update
from tunewise.core.market import (
    Market,
    MarketError,
    bundled_path,
    default_market,
    install_catalogue,
    read_catalogue,
    remove_installed_catalogue,
)
from tunewise.core.prices import PriceCatalog, default_catalog, reload_price_data

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "market" / "offerings-test.json"
@pytest.fixture(autouse=True)
def bundled_data_after() -> Iterator[None]:
    yield
    price_update.forget_fetched()
    remove_installed_catalogue()
    reload_price_data()


# ---- the bundled catalogue -------------------------------------------------------------------

def test_the_bundled_catalogue_covers_the_market_with_sources() -> None:
    market = Market.from_file(bundled_path())
    assert market.as_of == date(2026, 11, 29)
    providers = {o.provider for o in market.offerings}
    assert providers >= {"openai", "azure-openai", "google-vertex", "aws-bedrock", "mistral",
                         "together", "fireworks", "self-hosted"}
    for offering in market.offerings:
        assert offering.sources, offering.key
        assert all(s.checked <= date(2026, 11, 29) for s in offering.sources)
    openai = market.find("gpt-4o-mini")
    assert openai is not None and openai.provider == "openai"  # a bare name means OpenAI's
    # Self-serve fine-tuning at OpenAI takes its last new jobs on 2027-01-05 (no new jobs
    # from 2027-01-06); Bedrock's Claude 3 Haiku fine-tuning ended after 2026-09-09.
    assert openai.new_training_until == date(2027, 1, 5)
    haiku = market.find("claude-3-haiku", "aws-bedrock")
    assert haiku is not None and haiku.inference_until == date(2026, 9, 9)


def test_the_bundled_catalogue_matches_its_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((bundled_path().parent / "offerings.schema.json").read_text())
    jsonschema.validate(json.loads(bundled_path().read_text()), schema)


@pytest.mark.parametrize(("text", "problem"), [
    ("{", "is not valid JSON (line 1"),
    ('{"as_of": "2026-11-01"}', "is not in the expected shape: currency"),
])
def test_a_broken_catalogue_is_named(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "offerings.json"
    path.write_text(text)
    with pytest.raises(MarketError, match=re.escape(problem)):
        read_catalogue(path)


def test_a_catalogue_that_contradicts_itself_is_refused(tmp_path: Path) -> None:
    doc = json.loads(FIXTURE.read_text())
    doc["offerings"][0]["migrate_to"] = "nowhere/none/serverless"
    path = tmp_path / "offerings.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(MarketError, match="migrates to nowhere/none/serverless, which is not "
                                          "listed"):
        read_catalogue(path)


def test_a_newer_catalogue_can_be_installed_and_removed(tmp_path: Path) -> None:
    doc = json.loads(bundled_path().read_text())
    doc["as_of"] = "2027-02-01"
    doc["offerings"] = [o for o in doc["offerings"] if o["provider"] != "mistral"]
    newer = tmp_path / "offerings-2027.json"
    newer.write_text(json.dumps(doc))
    install_catalogue(newer)
    reload_price_data()
    assert default_market().as_of == date(2027, 2, 1) and default_market().installed
    assert "catalogue of 2027-02-01 (your installed file)" in default_catalog().as_of
    remove_installed_catalogue()
    reload_price_data()
    assert default_market().as_of == date(2026, 11, 29)


def test_an_older_or_broken_catalogue_is_not_installed(tmp_path: Path) -> None:
    with pytest.raises(MarketError, match="dated 2026-11-01, older than the catalogue"):
        install_catalogue(FIXTURE)
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(MarketError, match="not UTF-8"):
        install_catalogue(bad)
    assert not default_market().installed


# ---- refreshing inference prices -------------------------------------------------------------

@pytest.fixture
def serve() -> Iterator[list[PriceServer]]:
    servers: list[PriceServer] = []
    yield servers
    for server in servers:
        server.close()


def test_prices_update_from_the_published_data_and_are_kept(serve: list[PriceServer]) -> None:
    before = default_catalog().inference("gpt-5.4-mini")
    assert before.input == 0.75
    server = PriceServer(200, json.dumps(PUBLISHED).encode())
    serve.append(server)
    got = price_update.update_inference_prices(server.url, timeout=5, today=date(2026, 12, 2))
    assert (got.providers, got.models, got.fetched) == (1, 1, date(2026, 12, 2))
    assert server.requests == 1
    catalog = default_catalog()
    assert catalog.inference("gpt-5.4-mini").input == 0.5
    assert catalog.inference_as_of == date(2026, 12, 2)
    assert "genai-prices data fetched 2026-12-02" in catalog.as_of
    kept = json.loads(price_update.fetched_path().read_text())
    assert kept["fetched"] == "2026-12-02" and kept["url"] == server.url
    # A restart reads the kept data; forgetting it goes back to the bundled snapshot.
    price_update.load_fetched.cache_clear()
    assert PriceCatalog().inference("gpt-5.4-mini").input == 0.5
    price_update.forget_fetched()
    assert default_catalog().inference("gpt-5.4-mini").input == 0.75


@pytest.mark.parametrize(("status", "body", "message"), [
    (500, b"{}", "answered 500"),
    (200, b"<html>", "the server did not send JSON"),
    (200, b'{"providers": 3}', "not a list of providers"),
])
def test_a_failed_update_says_why_and_keeps_the_old_prices(
        serve: list[PriceServer], status: int, body: bytes, message: str) -> None:
    server = PriceServer(status, body)
    serve.append(server)
    with pytest.raises(price_update.PriceUpdateError, match=message):
        price_update.update_inference_prices(server.url, timeout=5)
    assert not price_update.fetched_path().exists()
    assert default_catalog().inference("gpt-5.4-mini").input == 0.75


def test_an_unreachable_server_is_named() -> None:
    with pytest.raises(price_update.PriceUpdateError, match="could not be reached"):
        price_update.update_inference_prices("http://127.0.0.1:9/data.json", timeout=2)


# ---- the CLI ---------------------------------------------------------------------------------

def test_offerings_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["offerings"]) == 0
    out = capsys.readouterr().out
    assert "catalogue of 2026-11-29 (bundled)" in out
    line = next(x for x in out.splitlines() if x.startswith("OpenAI") and " gpt-4o-mini " in x)
    assert "2027-01-05" in line and "$3/M" in line
    assert main(["offerings", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["as_of"] == "2026-11-29"
    keys = {o["key"] for o in doc["offerings"]}
    assert "fireworks/llama-3.1-8b/serverless" in keys
    first = next(o for o in doc["offerings"] if o["key"] == "openai/gpt-4o-mini/serverless")
    assert first["new_training_until"] == "2027-01-05" and first["sources"]


def test_prices_update_and_status_on_the_command_line(
        serve: list[PriceServer], capsys: pytest.CaptureFixture[str]) -> None:
    server = PriceServer(200, json.dumps(PUBLISHED).encode())
    serve.append(server)
    assert main(["prices", "update", "--url", server.url, "--timeout", "5"]) == 0
    assert "1 providers, 1 models" in capsys.readouterr().out
    assert main(["prices", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["offerings_as_of"] == "2026-11-29"
    assert status["inference_origin"].startswith("genai-prices data fetched")
    assert main(["prices", "reset"]) == 0
    capsys.readouterr()
    assert main(["prices", "status", "--json"]) == 0
    assert "bundled snapshot" in json.loads(capsys.readouterr().out)["inference_origin"]


def test_a_failed_update_on_the_command_line_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prices", "update", "--url", "http://127.0.0.1:9/x.json", "--timeout",
                 "2"]) == 2
    assert "could not be reached" in capsys.readouterr().err
