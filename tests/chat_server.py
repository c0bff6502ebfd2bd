"""A Chat Completions server on 127.0.0.1 for the few-shot test's tests (core and app share it).

It answers `POST /v1/chat/completions` deterministically: the answer is looked up by the last
user message (or given by `responder`), with fixed usage tokens so costs can be worked out by
hand. Faults are injected per question (a queue of statuses to give before the answer: 429 with
Retry-After, 500, "malformed" for a 200 that is not a chat completion, "slow" to sleep
`slow_seconds` first) or for every request (`status`, e.g. 401). It counts every request and
every answered one per question, and keeps the Authorization headers it saw.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Fault = int | str  # an HTTP status, "malformed" or "slow"


class ChatServer:
    def __init__(self, answers: dict[str, str] | None = None, *, default: str = "no idea",
                 prompt_tokens: int = 1000, completion_tokens: int = 10, delay: float = 0.0,
                 status: int | None = None, retry_after: str = "0",
                 responder: Callable[[list[dict[str, str]]], str] | None = None,
                 usage: bool = True, slow_seconds: float = 2.0) -> None:
        self.answers = dict(answers or {})
        self.default, self.delay, self.status = default, delay, status
        self.prompt_tokens, self.completion_tokens = prompt_tokens, completion_tokens
        self.retry_after, self.responder, self.usage = retry_after, responder, usage
        self.slow_seconds = slow_seconds
        self.faults: dict[str, list[Fault]] = {}
        self.requests: Counter[str] = Counter()  # every request, by last user message
        self.answered: Counter[str] = Counter()  # 200s with an answer
        self.authorizations: list[str | None] = []
        self.bodies: list[dict[str, Any]] = []
        self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                outer._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def fail(self, question: str, *faults: Fault) -> None:
        """Give these faults, in order, to the next requests for `question`."""
        self.faults.setdefault(question, []).extend(faults)

    def _send(self, handler: BaseHTTPRequestHandler, status: int, body: bytes,
              headers: dict[str, str] | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        # A client that gave up (a timeout test) is not told anything.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler.wfile.write(body)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length", "0"))
        body = json.loads(handler.rfile.read(length))
        messages = body.get("messages", [])
        question = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
        with self.lock:
            self.requests[question] += 1
            self.authorizations.append(handler.headers.get("Authorization"))
            self.bodies.append(body)
            fault = self.faults[question].pop(0) if self.faults.get(question) else None
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                time.sleep(self.delay)
            if fault == "slow":
                time.sleep(self.slow_seconds)
            if self.status is not None:
                self._send(handler, self.status, b'{"error": {"message": "no"}}')
                return
            if fault == 429:
                self._send(handler, 429, b'{"error": {"message": "slow down"}}',
                           {"Retry-After": self.retry_after})
                return
            if isinstance(fault, int):
                self._send(handler, fault, b'{"error": {"message": "server trouble"}}')
                return
            if fault == "malformed":
                self._send(handler, 200, b'{"choices": "not a list"')
                return
            answer = (self.responder(messages) if self.responder is not None
                      else self.answers.get(question, self.default))
            document: dict[str, Any] = {
                "id": "chatcmpl-test", "object": "chat.completion", "model": body.get("model"),
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": answer}}]}
            if self.usage:
                document["usage"] = {"prompt_tokens": self.prompt_tokens,
                                     "completion_tokens": self.completion_tokens,
                                     "total_tokens": self.prompt_tokens
                                     + self.completion_tokens}
            with self.lock:
                self.answered[question] += 1
            self._send(handler, 200, json.dumps(document).encode())
        finally:
            with self.lock:
                self.in_flight -= 1

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> ChatServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
