"""A small OpenAI-compatible Chat Completions client on httpx, for the few-shot test.

One `POST {base_url}/chat/completions` per question, temperature 0, TLS verified, and nothing
sent anywhere else (no telemetry). What can go wrong is sorted by whose fault it is:
- 401/403 raise AuthError at once, naming the endpoint (never the key): every request would
  fail the same way, and retrying a bad key only hammers the provider;
- 429 waits as long as `Retry-After` says (seconds or an HTTP date, capped), 5xx backs off
  exponentially with jitter; both at most `max_attempts` times in all;
- an unreachable host, a timeout, a malformed body or another 4xx raise RequestFailed: the
  caller counts it as an error of that example, not as a wrong answer. They are not retried:
  a timed-out request may still be billed, so asking again could pay twice.
"""

from __future__ import annotations

import email.utils
import json
import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx

Message = dict[str, str]
MAX_BODY_ECHO = 200  # characters of an error body repeated in a message


@dataclass(frozen=True)
class Preset:
    """A known endpoint: its base URL (None: the user's own) and its usual key variables."""

    name: str
    base_url: str | None
    key_variables: tuple[str, ...]
    note: str = ""


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("openai", "https://api.openai.com/v1", ("OPENAI_API_KEY",)),
    Preset("azure", None, ("AZURE_OPENAI_API_KEY",),
           "Azure OpenAI needs your resource's own URL: give --base-url "
           "https://RESOURCE.openai.azure.com/openai/v1"),
    Preset("gemini", "https://generativelanguage.googleapis.com/v1beta/openai",
           ("GEMINI_API_KEY", "GOOGLE_API_KEY")),
    Preset("together", "https://api.together.xyz/v1", ("TOGETHER_API_KEY",)),
    Preset("fireworks", "https://api.fireworks.ai/inference/v1", ("FIREWORKS_API_KEY",)),
    Preset("mistral", "https://api.mistral.ai/v1", ("MISTRAL_API_KEY",)),
    Preset("vllm", "http://localhost:8000/v1", ("VLLM_API_KEY",)),
    Preset("ollama", "http://localhost:11434/v1", ()),
    Preset("lmstudio", "http://localhost:1234/v1", ()),
    Preset("llama.cpp", "http://localhost:8080/v1", ("LLAMA_API_KEY",)),
)}


class ChatError(Exception):
    """Something about the endpoint; the message names the endpoint, never the key."""


class AuthError(ChatError):
    """The endpoint refused the key (401/403): the whole run stops."""


class RequestFailed(ChatError):
    """One request got no usable answer: counted as that example's error."""

    def __init__(self, message: str, *, connect: bool = False) -> None:
        super().__init__(message)
        self.connect = connect  # the host could not be reached at all


@dataclass(frozen=True)
class Reply:
    text: str
    input_tokens: int  # from the response's usage (0 when it has none)
    output_tokens: int
    latency_ms: float  # of the attempt that answered
    attempts: int


def endpoint_host(base_url: str) -> str:
    """The host (and port, when given) of a base URL: how endpoints are named to users."""
    parts = urlsplit(base_url)
    return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else ""


def check_base_url(base_url: str) -> str:
    """The base URL without a trailing slash; ValueError with the reason when unusable."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the base URL must start with http:// or https:// and name a host "
                         f"(e.g. https://api.openai.com/v1), not {base_url[:80]!r}")
    if parts.username or parts.password:
        raise ValueError("the base URL must not hold a user name or password; give the key "
                         "in TUNEWISE_API_KEY or the keyring")
    if parts.query or parts.fragment:
        raise ValueError("the base URL must not have a query (?...) or fragment (#...)")
    return base_url.strip().rstrip("/")


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header as seconds: a number of seconds or an HTTP date; None if neither."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


class ChatClient:
    """Asks one endpoint; safe to share between threads (httpx.Client is)."""

    def __init__(self, base_url: str, *, api_key: str | None = None, timeout: float = 60.0,
                 max_attempts: int = 5, backoff: float = 1.0, max_wait: float = 60.0,
                 seed: int = 0, transport: httpx.BaseTransport | None = None) -> None:
        import httpx

        from tunewise import __version__

        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.base_url = check_base_url(base_url)
        self.host = endpoint_host(self.base_url)
        self._key = api_key or None
        self.max_attempts, self.backoff, self.max_wait = max_attempts, backoff, max_wait
        self._rng = random.Random(seed)  # jitter, reproducible for a seed
        self._rng_lock = threading.Lock()
        headers = {"User-Agent": f"tunewise/{__version__}", "Accept": "application/json"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        self._http = httpx.Client(
            headers=headers, verify=True, follow_redirects=False, transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16))

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _scrub(self, text: str) -> str:
        """Text from the server, shortened and with the key taken out if it was echoed."""
        if self._key:
            text = text.replace(self._key, "[key]")
        text = " ".join(text.split())
        return text if len(text) <= MAX_BODY_ECHO else text[:MAX_BODY_ECHO - 1] + "…"

    def _backoff(self, attempt: int) -> float:
        with self._rng_lock:
            jitter = 0.5 + self._rng.random() / 2  # half to all of the exponential step
        return float(min(self.max_wait, self.backoff * 2 ** (attempt - 1)) * jitter)

    def complete(self, model: str, messages: list[Message], *, temperature: float = 0.0,
                 cancel: threading.Event | None = None) -> Reply:
        """The model's answer to `messages`; raises AuthError, RequestFailed."""
        import httpx

        url = f"{self.base_url}/chat/completions"
        body = {"model": model, "messages": messages, "temperature": temperature}
        last = ""
        for attempt in range(1, self.max_attempts + 1):
            start = time.perf_counter()
            try:
                response = self._http.post(url, json=body)
            except httpx.TimeoutException:
                raise RequestFailed(f"{self.host} did not answer in time") from None
            except httpx.ConnectError as error:
                raise RequestFailed(f"cannot reach {self.host} ({_reason(error)})",
                                    connect=True) from None
            except httpx.HTTPError as error:
                raise RequestFailed(f"{self.host}: the connection failed "
                                    f"({type(error).__name__})") from None
            latency = (time.perf_counter() - start) * 1000
            status = response.status_code
            if status in (401, 403):
                raise AuthError(f"{self.host} refused the API key (HTTP {status}); check the "
                                "key for this endpoint")
            if status == 429 or status >= 500:
                last = f"HTTP {status}"
                if attempt == self.max_attempts:
                    break
                wait = None
                if status == 429:
                    wait = retry_after_seconds(response.headers.get("Retry-After"))
                wait = self._backoff(attempt) if wait is None else min(wait, self.max_wait)
                if cancel is not None:
                    if cancel.wait(wait):
                        raise RequestFailed(f"{self.host}: cancelled while waiting to retry")
                else:
                    time.sleep(wait)
                continue
            if status != 200:
                raise RequestFailed(f"{self.host} answered HTTP {status}: "
                                    f"{self._scrub(response.text)}")
            return _reply(response.content, self.host, latency, attempt)
        raise RequestFailed(f"{self.host} kept answering {last} after {self.max_attempts} "
                            "attempts")


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 120 else text[:119] + "…"


def _reply(content: bytes, host: str, latency: float, attempts: int) -> Reply:
    """The answer in a 200 response; RequestFailed when it is not a Chat Completion."""
    try:
        data: Any = json.loads(content)
        text = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise RequestFailed(f"{host} sent a malformed response (not a chat completion)") from None
    if text is None:
        text = ""  # a refusal or a tool call: no text, which the scorer marks wrong
    if not isinstance(text, str):
        raise RequestFailed(f"{host} sent a malformed response (the answer is not text)")
    usage = data.get("usage") if isinstance(data, dict) else None
    usage = usage if isinstance(usage, dict) else {}
    return Reply(text, _count(usage.get("prompt_tokens")), _count(usage.get("completion_tokens")),
                 latency, attempts)


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0
