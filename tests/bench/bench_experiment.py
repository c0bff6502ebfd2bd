"""Benchmark: the few-shot test's 50 held-out examples against a local server answering in
0.5 s, four at a time (sequential would take 25 s)."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

from tests.chat_server import ChatServer  # noqa: E402
from tunewise.core.experiment import runner  # noqa: E402
from tunewise.core.experiment.client import ChatClient  # noqa: E402

TARGET_S = 10.0
LATENCY_S = 0.5


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        dataset = Path(folder) / "examples.jsonl"
        dataset.write_text("".join(json.dumps({"messages": [
            {"role": "user", "content": f"question {i}?"},
            {"role": "assistant", "content": f"answer {i}"}]}) + "\n" for i in range(120)),
            encoding="utf-8")
        with ChatServer({f"question {i}?": f"answer {i}" for i in range(120)},
                        delay=LATENCY_S) as server, ChatClient(server.base_url) as client:
            start = time.perf_counter()
            result = runner.run(dataset, client=client, model="gpt-5.4-mini", seed=1,
                                concurrency=4, results_path=Path(folder) / "results.jsonl")
            elapsed = time.perf_counter() - start
        assert result.n == 50 and result.passed == 50, result
        assert server.max_in_flight <= 4
    verdict = "ok" if elapsed < TARGET_S else "OVER TARGET"
    print(f"experiment: 50 held-out examples at {LATENCY_S:.1f} s latency, concurrency 4: "
          f"{elapsed:.2f} s (target < {TARGET_S:.0f} s; sequential {50 * LATENCY_S:.0f} s) "
          f"{verdict}")


if __name__ == "__main__":
    main()
