"""Near duplicates: pairs built with a known word-5-gram Jaccard just above and below 0.8."""

from __future__ import annotations

import random
from pathlib import Path

from tests.core.dataset.helpers import as_example, distinct_examples, unique_words, write_jsonl
from tunewise.core.dataset.inspect import inspect
from tunewise.core.dataset.similar import NearDuplicates, jaccard, shingles


def last_word_changed(words: list[str]) -> list[str]:
    return [*words[:-1], "changedword"]


def middle_word_changed(words: list[str]) -> list[str]:
    middle = len(words) // 2
    return [*words[:middle], "changedword", *words[middle + 1:]]


def test_the_pairs_have_the_jaccard_the_tests_assume() -> None:
    # n distinct words give n - 4 shingles. Changing the last word swaps 1 shingle:
    # J = (n - 5) / (n - 3): 8/10 = 0.8 at n = 13, 7/9 = 0.78 at n = 12.
    # Changing a middle word swaps 5: J = (n - 9) / (n + 1): 40/50 at n = 49, 39/49 at n = 48.
    for n, change, expected in ((13, last_word_changed, 8 / 10), (12, last_word_changed, 7 / 9),
                                (49, middle_word_changed, 40 / 50),
                                (48, middle_word_changed, 39 / 49)):
        words = unique_words(n, "j")
        assert jaccard(shingles(" ".join(words)), shingles(" ".join(change(words)))) == expected
    # Under 5 words, the words themselves are the shingles.
    assert shingles("Hello, hello World") == {("hello",), ("world",)}


def test_near_duplicates_at_and_below_the_threshold(tmp_path: Path) -> None:
    at_13, below_12 = unique_words(13, "a"), unique_words(12, "b")
    at_49, below_48 = unique_words(49, "c"), unique_words(48, "d")
    records = [as_example(at_13), as_example(last_word_changed(at_13)),      # near (0.80)
               as_example(below_12), as_example(last_word_changed(below_12)),  # kept (0.78)
               as_example(at_49), as_example(middle_word_changed(at_49)),  # near (0.80)
               as_example(below_48), as_example(middle_word_changed(below_48)),  # kept
               *distinct_examples(4)]
    report = inspect(write_jsonl(tmp_path / "n.jsonl", records))
    assert report.valid == 12 and report.duplicates == 0
    assert report.near_duplicates == 2 and report.good_examples == 10


def test_only_earlier_kept_examples_count(tmp_path: Path) -> None:
    # D is near A (a middle word changed: 40/50); E is near D (its last word changed: 44/46)
    # but not near A (6 of 45 shingles changed: 39/51), and D was dropped, so E is kept.
    a = unique_words(49, "m")
    d = middle_word_changed(a)
    e = last_word_changed(d)
    assert jaccard(shingles(" ".join(a)), shingles(" ".join(d))) == 40 / 50
    assert jaccard(shingles(" ".join(d)), shingles(" ".join(e))) == 44 / 46
    assert jaccard(shingles(" ".join(a)), shingles(" ".join(e))) == 39 / 51
    records = [as_example(a), as_example(d), as_example(e)]
    report = inspect(write_jsonl(tmp_path / "k.jsonl", records))
    assert report.near_duplicates == 1 and report.good_examples == 2


def _pairs_at(size: int, rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Pairs of texts of `size` distinct words with Jaccard in [0.80, 0.82]."""
    out = []
    for i in range(count):
        words = [f"p{size}n{i}w{j}" for j in range(size)]
        other = list(words)
        shingle_count = size - 4
        # change m words spaced 5+ apart: J = (s - 5m) / (s + 5m); the largest m with J >= 0.8
        m = max(1, int(shingle_count / 45))
        while m > 1 and (shingle_count - 5 * m) / (shingle_count + 5 * m) < 0.8:
            m -= 1
        if size < 49:
            other[-1] = "lastchanged"
        else:
            spots = rng.sample(range(2, size // 5 - 1), m)
            for k in spots:
                other[k * 5] = f"changed{k}"
        out.append((" ".join(words), " ".join(other)))
    return out


def test_misses_are_rare_just_above_the_threshold() -> None:
    # The LSH must find (nearly) every pair at J >= 0.8, short or long: 1,200 pairs here.
    rng = random.Random(3)
    found = missed = 0
    for size in (13, 49, 124, 404):
        pairs = _pairs_at(size, rng, 300)
        for first, second in pairs:
            assert jaccard(shingles(first), shingles(second)) >= 0.8
        texts = [t for pair in pairs for t in pair]
        index: NearDuplicates[int] = NearDuplicates(
            lambda at, _length, texts=texts: texts[at], chunk=256)
        results = [r for i, text in enumerate(texts) for r in index.add(text, i, i, 0)]
        results += index.finish()
        seconds = [r for r in results if r.payload % 2 == 1]
        found += sum(r.kept_id is None for r in seconds)
        missed += sum(r.kept_id is not None for r in seconds)
    assert found + missed == 1200
    assert missed == 0


def test_unrelated_examples_are_never_called_near_duplicates() -> None:
    rng = random.Random(5)
    vocabulary = [f"v{i}" for i in range(300)]  # a small vocabulary: many shared 5-grams
    texts = [" ".join(rng.choices(vocabulary, k=60)) for _ in range(400)]
    index: NearDuplicates[int] = NearDuplicates(lambda at, _length: texts[at], chunk=64)
    results = [r for i, t in enumerate(texts) for r in index.add(t, i, i, 0)]
    results += index.finish()
    assert len(results) == 400
    assert all(r.kept_id is not None for r in results)
