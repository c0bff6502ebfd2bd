"""Benchmark: inspect 100,000 chat examples (~100 MB) against a plain json.loads + tiktoken loop.

The plain loop is what any script checking a training file must do at least: parse every line
and encode every message with the same offline encoding. `inspect` does that plus the checks,
the SHA-256, exact and near duplicates, personal data and the statistics; the target is within
1.5x of the plain loop measured in the same run, with peak memory (the growth of the process's
maximum resident size while inspecting) under 500 MB.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "desktop"))

from tunewise.core.dataset.inspect import inspect
from tunewise.core.dataset.tokens import encoding

EXAMPLES = 100_000
TARGET_RATIO = 1.5
TARGET_MB = 500
ROUNDS = 2
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "po", "se", "vi", "da", "qu", "zor", "ing",
              "tion", "ent", "al", "re", "con", "ex", "pro", "ly", "ment", "ter", "ble", "ous",
              "per")


def _vocabulary(rng: random.Random, size: int = 8000) -> tuple[list[str], list[float]]:
    words = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4)))
             for _ in range(size)]
    return words, [1 / (i + 1) for i in range(size)]  # Zipf-like, as words in text are


def _sentence(rng: random.Random, words: list[str], weights: list[float], n: int) -> str:
    picked = rng.choices(words, weights, k=n)
    picked[0] = picked[0].capitalize()
    for i in range(7, n, rng.randint(6, 12)):
        picked[i] += rng.choice((",", ".", "?", "", " 42", " (2025)"))
    return " ".join(picked) + "."


def make_dataset(folder: Path) -> Path:
    rng = random.Random(13)
    words, weights = _vocabulary(rng)
    system = "You are the support assistant of Example Ltd. Answer briefly and politely."
    path = folder / "bench.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(EXAMPLES):
            messages = [{"role": "system", "content": system},
                        {"role": "user", "content": _sentence(rng, words, weights,
                                                              rng.randint(20, 60))},
                        {"role": "assistant", "content": _sentence(rng, words, weights,
                                                                   rng.randint(40, 110))}]
            if i % 50 == 0:
                messages[1]["content"] += " Call me on +44 20 7946 0958 or mail jo@example.org."
            out.write(json.dumps({"messages": messages}) + "\n")
            if i % 200 == 199:  # a few exact copies, as real files have
                out.write(json.dumps({"messages": messages}) + "\n")
    return path


def plain_loop(path: Path) -> int:
    encode = encoding("o200k_base").encode_ordinary
    tokens = 0
    with open(path, "rb") as handle:
        for line in handle:
            record = json.loads(line)
            for message in record["messages"]:
                tokens += len(encode(message["content"]))
    return tokens


def _max_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = make_dataset(Path(folder))
        size_mb = path.stat().st_size / 1e6
        encoding("o200k_base")  # loading the vocabulary is not what is compared
        before = _max_rss_mb()
        plain, inspected, plain_cpu, inspected_cpu = [], [], [], []
        for _ in range(ROUNDS):  # alternated, best of each: a busy machine slows both alike
            start, cpu = time.perf_counter(), time.process_time()
            plain_loop(path)
            plain.append(time.perf_counter() - start)
            plain_cpu.append(time.process_time() - cpu)
            start, cpu = time.perf_counter(), time.process_time()
            report = inspect(path)
            inspected.append(time.perf_counter() - start)
            inspected_cpu.append(time.process_time() - cpu)
        grown = _max_rss_mb() - before
    ratio = min(inspected) / min(plain)
    cpu_ratio = min(inspected_cpu) / min(plain_cpu)
    verdict = ("ok" if ratio <= TARGET_RATIO and grown < TARGET_MB else "OVER TARGET")
    print(f"dataset: inspect {report.records:,} chat examples ({size_mb:.0f} MB) in "
          f"{min(inspected):.2f} s vs plain json+tiktoken loop {min(plain):.2f} s: {ratio:.2f}x "
          f"(target <= {TARGET_RATIO}x; CPU time {cpu_ratio:.2f}x, near duplicates are decided "
          f"on a second thread); peak memory +{grown:.0f} MB (target < {TARGET_MB} MB); "
          f"{report.duplicates:,} duplicates, {report.near_duplicates:,} near, "
          f"{report.pii.count:,} with personal data {verdict}")


if __name__ == "__main__":
    main()
