"""A question-and-answer dataset whose answers the test server knows, so scores are known."""

from __future__ import annotations

from pathlib import Path

from tests.core.dataset.helpers import chat, write_jsonl

KEY = "sk-test-DO-NOT-LEAK-7f3a9c"
MODEL = "gpt-5.4-mini"  # $0.75 in, $4.50 out per 1M tokens in the bundled snapshot


def qa_dataset(folder: Path, count: int = 80) -> Path:
    """`count` examples: question qN, answer aN."""
    return write_jsonl(folder / "examples.jsonl",
                       [chat(f"question {i}?", f"answer {i}") for i in range(count)])


def answers(wrong_every: int = 3, count: int = 80) -> dict[str, str]:
    """The server's answers: right, except every `wrong_every`-th question (i % n == 0)."""
    return {f"question {i}?": "something else" if i % wrong_every == 0 else f"answer {i}"
            for i in range(count)}
