"""split(): sizes, the same split for the same seed, no example or near duplicate in two splits,
the input's own format, and refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.dataset.helpers import (
    as_example,
    distinct_examples,
    unique_words,
    write_jsonl,
)
from tunewise.core.dataset.formats import DatasetError
from tunewise.core.dataset.similar import jaccard, shingles
from tunewise.core.dataset.split import split


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def text_of(line: str) -> str:
    return "\n".join(m["content"] for m in json.loads(line)["messages"])


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    good = distinct_examples(100)
    near = unique_words(49, "near")
    near_copy = [*near[:24], "changedword", *near[25:]]  # Jaccard 0.8 with `near`
    records: list[object] = [*good, good[5], good[50], "{broken", as_example(near),
                             as_example(near_copy)]
    return write_jsonl(tmp_path / "examples.jsonl", records)  # 101 good examples


def test_sizes_and_format(dataset: Path, tmp_path: Path) -> None:
    result = split(dataset, few_shot=20, held_out=50, seed=7, out_dir=tmp_path / "out")
    assert (result.few_shot, result.held_out, result.train) == (20, 50, 31)
    files = {name: Path(path) for name, path in result.files.items()}
    assert {p.name for p in files.values()} == {"few_shot.jsonl", "held_out.jsonl",
                                                 "train.jsonl"}
    original = set(read_lines(dataset))
    written = [line for p in files.values() for line in read_lines(p)]
    assert len(written) == 101 and len(set(written)) == 101  # each good example once
    assert set(written) <= original  # the original lines, byte for byte


def test_the_same_seed_gives_the_same_split(dataset: Path, tmp_path: Path) -> None:
    first = split(dataset, seed=11, out_dir=tmp_path / "a")
    second = split(dataset, seed=11, out_dir=tmp_path / "b")
    other = split(dataset, seed=12, out_dir=tmp_path / "c")
    for name in ("few_shot", "held_out", "train"):
        assert Path(first.files[name]).read_bytes() == Path(second.files[name]).read_bytes()
    assert Path(first.files["held_out"]).read_bytes() != Path(other.files["held_out"]).read_bytes()


def test_no_example_or_near_duplicate_in_two_splits(dataset: Path, tmp_path: Path) -> None:
    result = split(dataset, few_shot=20, held_out=50, seed=3, out_dir=tmp_path / "out")
    texts = {name: [text_of(line) for line in read_lines(Path(path))]
             for name, path in result.files.items()}
    names = list(texts)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            for x in texts[a]:
                for y in texts[b]:
                    assert jaccard(shingles(x), shingles(y)) < 0.8


def test_csv_keeps_its_header_and_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = [f'"question {i}, with comma","answer {i}"' for i in range(80)]
    path.write_text("input,output\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = split(path, few_shot=5, held_out=10, seed=1, out_dir=tmp_path / "o")
    train = Path(result.files["train"])
    assert train.name == "train.csv"
    lines = read_lines(train)
    assert lines[0] == "input,output" and len(lines) == 66
    assert set(lines[1:]) <= set(rows)


def test_refusals(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    split(dataset, seed=1, out_dir=out)
    with pytest.raises(DatasetError, match="already exists; use --force"):
        split(dataset, seed=1, out_dir=out)
    split(dataset, seed=2, out_dir=out, force=True)
    with pytest.raises(DatasetError, match="has 101 good examples; 60 few-shot and 41 "
                                           "held-out examples need at least 102"):
        split(dataset, few_shot=60, held_out=41, seed=1, out_dir=tmp_path / "x")
    assert not (tmp_path / "x").exists()
    small = write_jsonl(tmp_path / "small.jsonl", distinct_examples(3))
    with pytest.raises(DatasetError, match="3 good examples"):
        split(small, seed=1, out_dir=tmp_path / "y")
