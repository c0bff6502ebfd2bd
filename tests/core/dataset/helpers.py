"""Small datasets the dataset tests write, record by record, so every count is known by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def chat(user: str, answer: str, system: str | None = None) -> dict[str, Any]:
    messages = [{"role": "system", "content": system}] if system is not None else []
    messages += [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]
    return {"messages": messages}


def write_jsonl(path: Path, records: list[Any]) -> Path:
    """One JSON document a line; a str record is written as it is (a broken line)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def unique_words(count: int, tag: str) -> list[str]:
    """`count` words that occur nowhere else (so shingle sets have known sizes)."""
    return [f"{tag}w{i:04d}" for i in range(count)]


def as_example(words: list[str]) -> dict[str, Any]:
    """An example whose text is `words`: the first half asks, the second answers."""
    half = max(1, len(words) // 2)
    return chat(" ".join(words[:half]), " ".join(words[half:]) or "ok")


def distinct_examples(count: int, tag: str = "d") -> list[dict[str, Any]]:
    """`count` valid examples, none a duplicate or near duplicate of another."""
    return [as_example(unique_words(12, f"{tag}{i}x")) for i in range(count)]
