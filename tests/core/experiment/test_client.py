"""The Chat Completions client against a real server on 127.0.0.1: retries, errors, the key."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime

import pytest

from tests.chat_server import ChatServer
from tests.core.experiment.helpers import KEY, MODEL
from tunewise.core.experiment.client import (
    PRESETS,
    AuthError,
    ChatClient,
    RequestFailed,
    check_base_url,
    endpoint_host,
    retry_after_seconds,
)

ASK = [{"role": "user", "content": "hello"}]


def test_answer_usage_and_bearer_only_with_a_key() -> None:
    with ChatServer({"hello": "hi there"}, prompt_tokens=12, completion_tokens=3) as server:
        with ChatClient(server.base_url, api_key=KEY) as client:
            reply = client.complete(MODEL, ASK)
        with ChatClient(server.base_url) as client:
            client.complete(MODEL, ASK)
    assert (reply.text, reply.input_tokens, reply.output_tokens) == ("hi there", 12, 3)
    assert server.authorizations == [f"Bearer {KEY}", None]
    assert server.bodies[0] == {"model": MODEL, "messages": ASK, "temperature": 0.0}


def test_429_waits_as_retry_after_says_then_answers() -> None:
    with ChatServer({"hello": "hi"}, retry_after="0.3") as server:
        server.fail("hello", 429)
        with ChatClient(server.base_url, backoff=0.0) as client:
            start = time.perf_counter()
            reply = client.complete(MODEL, ASK)
            waited = time.perf_counter() - start
    assert reply.text == "hi" and reply.attempts == 2
    assert server.requests["hello"] == 2 and server.answered["hello"] == 1
    assert waited >= 0.3


def test_retry_after_as_seconds_or_http_date() -> None:
    now = datetime(2026, 11, 29, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds("Sun, 29 Nov 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Sun, 29 Nov 2026 11:00:00 GMT", now) == 0.0  # in the past
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_retry_after_is_capped() -> None:
    with ChatServer({"hello": "hi"}, retry_after="3600") as server:
        server.fail("hello", 429)
        with ChatClient(server.base_url, max_wait=0.05) as client:
            start = time.perf_counter()
            assert client.complete(MODEL, ASK).text == "hi"
    assert time.perf_counter() - start < 5


def test_5xx_backs_off_and_gives_up_after_max_attempts() -> None:
    with ChatServer({"hello": "hi"}) as server:
        server.fail("hello", 500, 503)
        with ChatClient(server.base_url, backoff=0.01) as client:
            assert client.complete(MODEL, ASK).attempts == 3
        server.fail("hello", 500, 500, 500)
        with ChatClient(server.base_url, backoff=0.01, max_attempts=3) as client, \
                pytest.raises(RequestFailed, match="HTTP 500 after 3 attempts"):
            client.complete(MODEL, ASK)
    assert server.requests["hello"] == 3 + 3


def test_backoff_is_exponential_with_seeded_jitter() -> None:
    a = ChatClient("http://127.0.0.1:9/v1", backoff=1.0, max_wait=60, seed=5)
    b = ChatClient("http://127.0.0.1:9/v1", backoff=1.0, max_wait=60, seed=5)
    waits = [a._backoff(n) for n in (1, 2, 3, 4)]
    assert waits == [b._backoff(n) for n in (1, 2, 3, 4)]
    for n, wait in enumerate(waits, 1):
        assert 2 ** (n - 1) / 2 <= wait <= 2 ** (n - 1)  # half to all of 1, 2, 4, 8 s
    a.close()
    b.close()


@pytest.mark.parametrize("status", [401, 403])
def test_refused_key_stops_at_once_naming_the_endpoint_not_the_key(status: int) -> None:
    with ChatServer(status=status) as server, \
            ChatClient(server.base_url, api_key=KEY) as client, \
            pytest.raises(AuthError) as caught:
        client.complete(MODEL, ASK)
    assert f"127.0.0.1:{server.port}" in str(caught.value)
    assert KEY not in str(caught.value)
    assert server.requests["hello"] == 1  # not retried


def test_malformed_body_other_4xx_timeout_and_unreachable_are_request_errors() -> None:
    with ChatServer({"hello": "hi"}, slow_seconds=1.0) as server:
        server.fail("hello", "malformed")
        with ChatClient(server.base_url) as client, \
                pytest.raises(RequestFailed, match="malformed"):
            client.complete(MODEL, ASK)
        server.fail("hello", 404)
        with ChatClient(server.base_url, api_key=KEY) as client:
            with pytest.raises(RequestFailed, match="HTTP 404") as caught:
                client.complete(MODEL, ASK)
            assert KEY not in str(caught.value)
        server.fail("hello", "slow")
        with ChatClient(server.base_url, timeout=0.2) as client, \
                pytest.raises(RequestFailed, match="did not answer in time") as slow:
            client.complete(MODEL, ASK)
    assert not slow.value.connect
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with ChatClient(f"http://127.0.0.1:{port}/v1") as client, \
            pytest.raises(RequestFailed, match="cannot reach") as refused:
        client.complete(MODEL, ASK)
    assert refused.value.connect


def test_base_urls_and_presets() -> None:
    assert check_base_url("https://api.openai.com/v1/") == "https://api.openai.com/v1"
    assert endpoint_host("http://localhost:11434/v1") == "localhost:11434"
    for bad in ("ftp://x/v1", "api.openai.com/v1", "https://user:pw@host/v1",
                "https://host/v1?key=abc"):
        with pytest.raises(ValueError):
            check_base_url(bad)
    assert PRESETS["gemini"].base_url == \
        "https://generativelanguage.googleapis.com/v1beta/openai"
    assert PRESETS["ollama"].base_url == "http://localhost:11434/v1"
    assert PRESETS["lmstudio"].base_url == "http://localhost:1234/v1"
    assert PRESETS["llama.cpp"].base_url == "http://localhost:8080/v1"
    assert PRESETS["vllm"].base_url == "http://localhost:8000/v1"
    assert PRESETS["azure"].base_url is None and "--base-url" in PRESETS["azure"].note
    assert PRESETS["openai"].key_variables == ("OPENAI_API_KEY",)
