"""A genai-prices server on 127.0.0.1 for the tests that refresh prices: nothing leaves the
machine. Core and app tests share it."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A genai-prices document in its published shape: one provider, one model, new prices
# ($0.50 in, $0.05 cached, $3 out for gpt-5.4-mini; the bundled snapshot says $0.75 in).
PUBLISHED = [{
    "id": "openai", "name": "OpenAI", "api_pattern": "https://api\\.openai\\.com",
    "model_match": {"starts_with": "gpt-"},
    "models": [{"id": "gpt-5.4-mini", "match": {"equals": "gpt-5.4-mini"},
                "prices": {"input_mtok": 0.5, "cache_read_mtok": 0.05, "output_mtok": 3.0}}],
}]


class PriceServer:
    """Answers every GET with one status and body, after an optional delay."""

    def __init__(self, status: int, body: bytes, delay: float = 0.0) -> None:
        outer = self
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests += 1
                time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/data.json"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
