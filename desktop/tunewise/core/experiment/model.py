"""The few-shot test run against the team's own model (issue 14): the types every part shares.

`run` (core/experiment/runner.py) asks an OpenAI-compatible Chat Completions endpoint each
held-out example with the few-shot examples before it, scores the answers and returns an
ExperimentResult; the plan keeps a MeasuredFewShot in Q1 (core/project.py) and the verdict uses
it. The CLI prints ExperimentResult.to_json(); the app and the report render the same objects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

ScorerId = Literal["exact", "normalised", "contains", "regex", "numeric", "json_valid",
                   "json_schema", "json_fields", "judge"]
SCORERS: tuple[ScorerId, ...] = ("exact", "normalised", "contains", "regex", "numeric",
                                 "json_valid", "json_schema", "json_fields", "judge")
SCORER_LABELS: dict[str, str] = {
    "exact": "Exact match (trimmed)",
    "normalised": "Normalised match (case, spaces, punctuation)",
    "contains": "Answer contains the expected text",
    "regex": "Answer matches a regular expression",
    "numeric": "Number within a tolerance",
    "json_valid": "Answer is valid JSON",
    "json_schema": "Answer is valid against a JSON Schema",
    "json_fields": "JSON fields match the expected, field by field",
    "judge": "An LLM judge with a rubric",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExampleResult(_Frozen):
    """One held-out example as asked and scored."""

    index: int  # position among the held-out examples, 0-based
    line: int  # line (or row) of the dataset file it came from
    input: str  # the user turn asked
    expected: str
    output: str | None  # None when the request failed
    passed: bool | None  # None: an error (the endpoint's fault), not a failure of the model
    error: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    latency_ms: float = 0.0


class ExperimentResult(_Frozen):
    n: int  # held-out examples answered (errors excluded)
    passed: int
    score: float  # passed / n
    ci95: tuple[float, float]  # Wilson score interval
    errors: int
    input_tokens: int
    output_tokens: int
    cost_usd: float | None  # None when the model has no known price
    latency_p50_ms: float
    latency_p95_ms: float
    model: str
    endpoint_host: str
    scorer: ScorerId
    few_shot: int
    held_out: int
    seed: int
    started: datetime
    finished: datetime
    cancelled: bool = False
    examples: list[ExampleResult] = []
    max_cost_usd: float | None = None  # the cap the run was given
    stopped_at_cost_cap: bool = False  # the next request would have gone over max_cost_usd

    def to_json(self) -> dict[str, Any]:
        """The stable document `tunewise experiment run --json` prints."""
        return {
            "n": self.n, "passed": self.passed, "score": self.score,
            "ci95": [self.ci95[0], self.ci95[1]], "errors": self.errors,
            "tokens": {"input": self.input_tokens, "output": self.output_tokens},
            "cost_usd": self.cost_usd,
            "latency_ms": {"p50": self.latency_p50_ms, "p95": self.latency_p95_ms},
            "model": self.model, "endpoint_host": self.endpoint_host, "scorer": self.scorer,
            "few_shot": self.few_shot, "held_out": self.held_out, "seed": self.seed,
            "cancelled": self.cancelled, "max_cost_usd": self.max_cost_usd,
            "stopped_at_cost_cap": self.stopped_at_cost_cap,
            "examples": [e.model_dump() for e in self.examples],
        }
