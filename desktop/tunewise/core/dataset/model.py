"""What Tunewise learns from a team's own examples: the types every part shares.

`inspect` (core/dataset/inspect.py) reads a file into a DatasetReport; the project keeps a
DatasetRef (the file, its hash and the figures measured from it) so every number taken from
the data keeps its provenance; `split` writes the few-shot, held-out and training files.
The CLI prints DatasetReport.to_json(); the app and the report render these same objects.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

DatasetFormat = Literal["chat", "prompt_completion", "alpaca", "sharegpt", "preference", "csv",
                        "tsv"]
DATASET_FORMATS: tuple[DatasetFormat, ...] = ("chat", "prompt_completion", "alpaca", "sharegpt",
                                              "preference", "csv", "tsv")
FORMAT_LABELS: dict[str, str] = {
    "chat": "OpenAI chat (messages)",
    "prompt_completion": "Prompt and completion",
    "alpaca": "Alpaca (instruction, input, output)",
    "sharegpt": "ShareGPT (conversations)",
    "preference": "Preference pairs (OpenAI DPO)",
    "csv": "CSV columns",
    "tsv": "TSV columns",
}
Encoding = Literal["o200k_base", "cl100k_base"]
PiiKind = Literal["email", "phone", "card", "iban"]
# Problem kinds, stable ids (the app groups the problems table by them, the report counts them).
ProblemKind = Literal[
    "not_json", "not_utf8", "wrong_type", "missing_key", "unknown_key", "unknown_role",
    "empty_content", "no_assistant", "role_order", "mixed_format", "over_context", "too_long",
    "bad_row",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Problem(_Frozen):
    line: int  # 1-based line (JSONL) or row (CSV, header is row 1)
    kind: ProblemKind
    problem: str  # in plain words, naming the field or value


class TokenStats(_Frozen):
    encoding: Encoding
    approximate: bool  # True when the chosen model is not an OpenAI model (o200k approximation)
    total: int  # over valid examples, counted as OpenAI counts a chat fine-tuning example
    mean: float
    p50: float
    p95: float
    max: int


class Histogram(_Frozen):
    edges: list[float]  # len(counts) + 1 bin edges, in tokens per example
    counts: list[int]


class PiiFindings(_Frozen):
    count: int  # examples with any personal data
    kinds: dict[PiiKind, int]  # occurrences per kind
    lines: dict[PiiKind, list[int]]  # the first lines per kind (capped at 100 each)


class FileFacts(_Frozen):
    name: str
    size: int
    sha256: str


class DatasetReport(_Frozen):
    """Everything `inspect` measured in one file."""

    file: FileFacts
    format: DatasetFormat
    records: int  # non-blank lines / data rows read
    valid: int
    invalid_count: int
    invalid: list[Problem]  # every problem found (capped at 10,000; invalid_count is exact)
    duplicates: int  # exact copies beyond the first, among valid examples
    near_duplicates: int  # beyond exact: word-5-gram Jaccard >= 0.8 to an earlier kept example
    good_examples: int  # valid minus duplicates minus near duplicates
    tokens: TokenStats
    training_tokens: int  # over good examples
    mean_input_tokens: float  # per good example: everything before the final answer
    mean_output_tokens: float  # per good example: the final answer
    over_context: int
    context_limit: int | None
    pii: PiiFindings
    labels: dict[str, int] | None  # output class counts when outputs are a small set of classes
    histogram: Histogram
    measured_on: date
    cancelled: bool = False

    def to_json(self) -> dict[str, Any]:
        """The stable document `tunewise dataset inspect --json` prints."""
        return {
            "format": self.format,
            "records": self.records,
            "valid": self.valid,
            "invalid_count": self.invalid_count,
            "invalid": [{"line": p.line, "problem": p.problem, "kind": p.kind}
                        for p in self.invalid],
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "good_examples": self.good_examples,
            "tokens": {"encoding": self.tokens.encoding, "approximate": self.tokens.approximate,
                       "total": self.tokens.total,
                       "per_example": {"mean": self.tokens.mean, "p50": self.tokens.p50,
                                       "p95": self.tokens.p95, "max": self.tokens.max}},
            "training_tokens": self.training_tokens,
            "mean_input_tokens": self.mean_input_tokens,
            "mean_output_tokens": self.mean_output_tokens,
            "over_context": self.over_context,
            "context_limit": self.context_limit,
            "pii": {"count": self.pii.count, "kinds": dict(self.pii.kinds),
                    "lines": {k: list(v) for k, v in self.pii.lines.items()}},
            "labels": self.labels,
            "file": self.file.model_dump(),
            "measured_on": self.measured_on.isoformat(),
        }


class SplitResult(_Frozen):
    few_shot: int
    held_out: int
    train: int
    seed: int
    files: dict[str, str]  # "few_shot" / "held_out" / "train" -> path written


# Each problem kind in a few words, for the app's table and its filter.
PROBLEM_LABELS: dict[str, str] = {
    "not_json": "Not JSON",
    "not_utf8": "Not UTF-8",
    "wrong_type": "Wrong type",
    "missing_key": "Missing field",
    "unknown_key": "Unknown field",
    "unknown_role": "Unknown role",
    "empty_content": "Empty text",
    "no_assistant": "No answer",
    "role_order": "Role order",
    "mixed_format": "Mixed formats",
    "over_context": "Over context",
    "too_long": "Line too long",
    "bad_row": "Bad row",
}

# Each problem kind in a sentence, for the report.
PROBLEM_DESCRIPTIONS: dict[str, str] = {
    "not_json": "Line is not valid JSON",
    "not_utf8": "Bytes that are not UTF-8 text",
    "wrong_type": "A field holds the wrong kind of value",
    "missing_key": "A required field is missing",
    "unknown_key": "A field the format does not know",
    "unknown_role": "A message role other than system, user or assistant",
    "empty_content": "A message or field with no text",
    "no_assistant": "No answer from the assistant to learn from",
    "role_order": "Messages in an order training does not accept",
    "mixed_format": "A record in a different format from the rest of the file",
    "over_context": "Longer than the model's context window",
    "too_long": "A line too long to read safely",
    "bad_row": "A table row that cannot be read (wrong number of columns)",
}

PII_LABELS: dict[str, str] = {
    "email": "E-mail addresses",
    "phone": "Phone numbers",
    "card": "Payment card numbers (passing the Luhn check)",
    "iban": "Bank account numbers (IBANs with a valid checksum)",
}
