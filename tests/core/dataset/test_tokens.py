"""Token counts: offline, from the bundled vocabularies, as OpenAI counts a chat example."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO
from tunewise.core.dataset.tokens import Counter, encoding, is_approximate


def test_known_token_ids_of_both_encodings() -> None:
    assert encoding("o200k_base").encode("hello world") == [24912, 2375]
    assert encoding("cl100k_base").encode("hello world") == [15339, 1917]


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_an_example_is_counted_as_openai_counts_it(name: str) -> None:
    enc = encoding(name)  # type: ignore[arg-type]
    system, question, answer = "You are terse.", "What is 2 + 2?", "Four."
    messages = [{"role": "system", "content": system}, {"role": "user", "content": question},
                {"role": "assistant", "content": answer, "name": "bot"}]
    total, given, output = Counter(name).example(messages)  # type: ignore[arg-type]
    # By hand: 3 per example; 3 per message plus its role (1 token) and content; the name
    # costs its tokens plus 1.
    assert [len(enc.encode(r)) for r in ("system", "user", "assistant")] == [1, 1, 1]
    by_hand = (3 + (3 + 1 + len(enc.encode(system))) + (3 + 1 + len(enc.encode(question)))
               + (3 + 1 + len(enc.encode(answer)) + len(enc.encode("bot")) + 1))
    assert total == by_hand
    assert output == len(enc.encode(answer))
    assert given == 3 + (3 + 1 + len(enc.encode(system))) + (3 + 1 + len(enc.encode(question)))


def test_special_token_text_counts_as_text() -> None:
    counter = Counter("o200k_base")
    assert counter.text("<|endoftext|>") == len(
        encoding("o200k_base").encode("<|endoftext|>", disallowed_special=()))


def test_which_models_are_approximate() -> None:
    assert not is_approximate(None)
    for model in ("gpt-4.1-mini", "o3-mini", "o4-mini", "ft:gpt-4o-mini:acme::x", "o1"):
        assert not is_approximate(model)
    for model in ("llama-3.1-8b", "claude-3-haiku", "mistral-small"):
        assert is_approximate(model)


def test_counting_needs_no_network_and_no_tiktoken_download() -> None:
    code = (
        "import socket, tiktoken, tiktoken.load\n"
        "def refuse(*a, **k): raise RuntimeError('network used')\n"
        "socket.socket.connect = refuse\n"
        "tiktoken.load.read_file = refuse\n"
        "tiktoken.get_encoding = refuse\n"
        "import tunewise.core.dataset.tokens as t\n"
        "print(t.encoding('o200k_base').encode('hello world'),"
        " t.encoding('cl100k_base').encode('hello world'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, env={"PYTHONPATH": str(REPO / "desktop"), "PATH": "",
                                           "TIKTOKEN_CACHE_DIR": "/nonexistent"},
                            check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[24912, 2375] [15339, 1917]"


def test_tiktoken_is_not_imported_until_tokens_are_counted() -> None:
    code = ("import sys\nimport tunewise.core.dataset.inspect, tunewise.core.dataset.plan\n"
            "print('tiktoken' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, env={"PYTHONPATH": str(REPO / "desktop"), "PATH": ""},
                            check=False, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
