"""The few-shot test: ask each held-out example with the few-shot examples before it, score it,
and add it up.

The examples are the split's (core/dataset/split.draw, same seed, so the files `dataset split`
writes and the examples asked agree). Each prompt is the system prompt (when given), the
few-shot examples as alternating user/assistant turns (the records' own system messages left
out), then the held-out example's turns up to its last answer, which is the expected answer.

At most `concurrency` requests are in flight. Every answer goes to the results file
(journal.py) before it is counted, so Cancel, a kill or a crash loses nothing paid for, and the
same settings resume where the last run stopped. With `max_cost`, no request is sent that could
take this run's spend over the cap: the real cost so far plus the estimates of the requests in
flight and of the next one.

Figures: score = passed / n over answered examples (errors are the endpoint's or the data's
fault, not the model's, and are left out); the 95% interval is Wilson's; tokens are the
responses' `usage`; cost is those tokens at the catalogue's prices (and the judge's at its
model's); latency p50/p95 over answered requests.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tunewise.core.experiment import scorers
from tunewise.core.experiment.client import AuthError, ChatClient, ChatError, RequestFailed
from tunewise.core.experiment.journal import Journal, default_path
from tunewise.core.experiment.model import ExampleResult, ExperimentResult, ScorerId
from tunewise.core.stats import percentile, wilson

if TYPE_CHECKING:
    from tunewise.core.dataset.model import DatasetFormat
    from tunewise.core.dataset.split import Drawn
    from tunewise.core.prices import PriceCatalog
    from tunewise.core.project import MeasuredFewShot

Message = dict[str, str]
UNREACHABLE_AFTER = 3  # requests that all failed to connect before the run gives up
MAX_CONCURRENCY = 32
FAILING_KEPT = 5  # failing examples a MeasuredFewShot keeps for the report
FAILING_CHARS = 2000


class UnreachableError(ChatError):
    """Every request so far failed to connect: the endpoint is not there."""


@dataclass(frozen=True)
class Question:
    index: int  # among the held-out examples
    line: int
    messages: list[Message]  # the whole prompt
    input: str  # the held-out example's last user turn
    expected: str


@dataclass(frozen=True)
class Prepared:
    """The prompts of one run, built once for the estimate and the run."""

    questions: list[Question]
    few_shot: int
    dataset_sha256: str
    system_prompt: str | None


@dataclass(frozen=True)
class Estimate:
    requests: int
    input_tokens: int  # the prompts, counted with o200k_base as OpenAI counts chat
    output_tokens: int  # the expected answers' tokens, as a guess of the answers'
    cost_usd: float | None
    per_request_usd: list[float]  # empty when no price is known
    note: str  # what the figure rests on, or why there is none

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True)
class Tick:
    """Progress after one example: the app shows the running pass rate from it."""

    done: int  # examples in the results (this run and resumed)
    total: int
    answered: int
    passed: int
    errors: int
    example: ExampleResult


Progress = Callable[[Tick], None]


def _turns(messages: list[Message]) -> list[Message]:
    return [{"role": m["role"], "content": m["content"]} for m in messages
            if m["role"] != "system"]


def build_prompts(drawn: Drawn, system_prompt: str | None) -> list[Question]:
    shots: list[Message] = []
    if system_prompt:
        shots.append({"role": "system", "content": system_prompt})
    for example in drawn.few_shot:
        shots.extend(_turns(example.messages))
    questions = []
    for index, example in enumerate(drawn.held_out):
        turns = _turns(example.messages)
        asked = turns[:-1]
        questions.append(Question(index, example.line, shots + asked,
                                  asked[-1]["content"] if asked else "", turns[-1]["content"]))
    return questions


def prepare(dataset_path: str | Path, *, few_shot: int = 20, held_out: int = 50, seed: int,
            system_prompt: str | None = None, format: DatasetFormat | None = None,
            input_column: str | None = None, output_column: str | None = None,
            cancel: threading.Event | None = None) -> Prepared:
    """The split drawn and the prompts built; DatasetError when the file cannot give them."""
    from tunewise.core.dataset.split import draw

    if held_out < 1:
        raise ValueError("the test needs at least one held-out example")
    drawn = draw(dataset_path, few_shot=few_shot, held_out=held_out, seed=seed, format=format,
                 input_column=input_column, output_column=output_column, cancel=cancel)
    return Prepared(build_prompts(drawn, system_prompt), few_shot, drawn.sha256, system_prompt)


def _prices(model: str, catalog: PriceCatalog | None) -> tuple[float, float] | None:
    from tunewise.core.prices import PriceError, default_catalog

    try:
        found = (catalog or default_catalog()).inference(model)
    except PriceError:
        return None
    return found.input, found.output


def _usd(tokens: tuple[int, int], prices: tuple[float, float]) -> float:
    return (tokens[0] * prices[0] + tokens[1] * prices[1]) / 1_000_000


def estimate_prepared(prepared: Prepared, model: str, *, scorer: str = "exact",
                      judge_model: str | None = None,
                      catalog: PriceCatalog | None = None) -> Estimate:
    from tunewise.core.dataset.tokens import Counter

    counter = Counter("o200k_base")
    try:
        counts = []
        for q in prepared.questions:
            _total, asked, answer = counter.example(
                [*q.messages, {"role": "assistant", "content": q.expected}])
            judged = (0, 0)
            if scorer == "judge":  # the judge reads the input, expected and answer
                judged = (counter.text(scorers.JUDGE_SYSTEM) + counter.text(q.input)
                          + 2 * answer + 120, 4)
            counts.append(((asked, answer), judged))
    finally:
        counter.close()
    prices = _prices(model, catalog)
    judge_prices = _prices(judge_model or model, catalog) if scorer == "judge" else (0.0, 0.0)
    input_tokens = sum(c[0][0] + c[1][0] for c in counts)
    output_tokens = sum(c[0][1] + c[1][1] for c in counts)
    if prices is None or judge_prices is None:
        missing = model if prices is None else (judge_model or model)
        return Estimate(len(counts), input_tokens, output_tokens, None, [],
                        f"no price is known for {missing}; the cost cannot be estimated")
    per = [_usd(asked, prices) + _usd(judged, judge_prices) for asked, judged in counts]
    return Estimate(len(counts), input_tokens, output_tokens, sum(per), per,
                    "prompt tokens counted with o200k_base; answers guessed as long as the "
                    "expected ones")


def estimate(dataset_path: str | Path, *, model: str, few_shot: int = 20, held_out: int = 50,
             seed: int, system_prompt: str | None = None, scorer: str = "exact",
             judge_model: str | None = None, format: DatasetFormat | None = None,
             input_column: str | None = None, output_column: str | None = None,
             catalog: PriceCatalog | None = None) -> Estimate:
    """What the run will send and, when the model's prices are known, cost."""
    prepared = prepare(dataset_path, few_shot=few_shot, held_out=held_out, seed=seed,
                       system_prompt=system_prompt, format=format, input_column=input_column,
                       output_column=output_column)
    return estimate_prepared(prepared, model, scorer=scorer, judge_model=judge_model,
                             catalog=catalog)


def results_file(dataset_path: str | Path, prepared: Prepared, *, client: ChatClient,
                 model: str, scorer: str, scorer_options: Mapping[str, Any] | None = None,
                 judge_client: ChatClient | None = None, seed: int,
                 format: str | None = None, input_column: str | None = None,
                 output_column: str | None = None) -> Path:
    """Where `run` keeps the answers when no results path is given: beside the dataset,
    named by the settings, so running the same test again resumes it."""
    return default_path(Path(dataset_path), settings_of(
        prepared, client=client, model=model, scorer=scorer,
        scorer_options=dict(scorer_options or {}), judge_client=judge_client, format=format,
        input_column=input_column, output_column=output_column, seed=seed))


def settings_of(prepared: Prepared, *, client: ChatClient, model: str, scorer: str,
                scorer_options: Mapping[str, Any], judge_client: ChatClient | None,
                format: str | None, input_column: str | None,
                output_column: str | None, seed: int) -> dict[str, Any]:
    """What makes two runs the same run (and names its default results file)."""
    prompt = prepared.system_prompt or ""
    judge = None
    if scorer == "judge":
        judge = [(judge_client or client).host, str(scorer_options.get("model", model))]
    return {
        "dataset_sha256": prepared.dataset_sha256, "base_url": client.base_url, "model": model,
        "scorer": scorer, "scorer_options": {k: _plain(v) for k, v in scorer_options.items()},
        "judge": judge, "few_shot": prepared.few_shot,
        "held_out": len(prepared.questions), "seed": seed,
        "system_prompt_sha256": hashlib.sha256(prompt.encode("utf-8", "surrogatepass"))
        .hexdigest() if prompt else None,
        "format": format, "input_column": input_column, "output_column": output_column,
    }


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | dict | list) or value is None \
        else str(value)


@dataclass
class _Outcome:
    example: ExampleResult
    judge_tokens: tuple[int, int]
    connect_failed: bool = False


def run(dataset_path: str | Path, *, client: ChatClient, model: str,
        scorer: ScorerId = "exact", scorer_options: Mapping[str, Any] | None = None,
        few_shot: int = 20, held_out: int = 50, seed: int, concurrency: int = 4,
        max_cost: float | None = None, results_path: str | Path | None = None,
        progress: Progress | None = None, cancel: threading.Event | None = None,
        judge_client: ChatClient | None = None, system_prompt: str | None = None,
        format: DatasetFormat | None = None, input_column: str | None = None,
        output_column: str | None = None, catalog: PriceCatalog | None = None,
        prepared: Prepared | None = None) -> ExperimentResult:
    """Run the few-shot test and return its result (see the module docstring).

    Raises ValueError for bad settings (scorer options, sizes, a results file of another run),
    DatasetError when the file cannot give the examples, AuthError when the endpoint refuses
    the key, UnreachableError when every request so far failed to connect. Answers received
    before any of those are kept in the results file.
    """
    options = dict(scorer_options or {})
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise ValueError(f"concurrency must be between 1 and {MAX_CONCURRENCY}")
    if max_cost is not None and not (math.isfinite(max_cost) and max_cost >= 0):
        raise ValueError("the cost cap must be a number of dollars of at least 0")
    judge_model = str(options.get("model", model)) if scorer == "judge" else None
    judge_with = judge_client or client
    score = scorers.make_scorer(scorer, options, judge_client=judge_with, judge_model=model)
    if prepared is None:
        prepared = prepare(dataset_path, few_shot=few_shot, held_out=held_out, seed=seed,
                           system_prompt=system_prompt, format=format,
                           input_column=input_column, output_column=output_column,
                           cancel=cancel)
    prices = _prices(model, catalog)
    judge_prices = _prices(judge_model, catalog) if judge_model else (0.0, 0.0)
    guess = estimate_prepared(prepared, model, scorer=scorer, judge_model=judge_model,
                              catalog=catalog)
    if max_cost is not None and guess.cost_usd is None:
        raise ValueError(f"a cost cap needs the model's prices, and {guess.note}")
    settings = settings_of(prepared, client=client, model=model, scorer=scorer,
                           scorer_options=options, judge_client=judge_client, format=format,
                           input_column=input_column, output_column=output_column, seed=seed)
    path = Path(results_path) if results_path else default_path(Path(dataset_path), settings)
    journal = Journal(path, settings)
    try:
        stopped, cancelled = _ask_all(prepared.questions, journal, client, model, score,
                                      concurrency, max_cost, guess.per_request_usd, prices,
                                      judge_prices, progress, cancel)
    finally:
        journal.close()
    return _result(journal, client, model, scorer, prepared, seed, prices, judge_prices,
                   max_cost, stopped, cancelled)


def _ask_one(q: Question, client: ChatClient, model: str, score: scorers.Score,
             cancel: threading.Event | None) -> _Outcome:
    base = {"index": q.index, "line": q.line, "input": q.input, "expected": q.expected}
    try:
        reply = client.complete(model, q.messages, cancel=cancel)
    except RequestFailed as error:
        return _Outcome(ExampleResult(**base, output=None, passed=None, error=str(error)),
                        (0, 0), error.connect)
    scorers.take_judge_usage()
    passed: bool | None
    try:
        passed, error_text = score(q.input, q.expected, reply.text), None
    except scorers.ScoreError as error:
        passed, error_text = None, str(error)
    return _Outcome(ExampleResult(**base, output=reply.text, passed=passed, error=error_text,
                                  input_tokens=reply.input_tokens,
                                  output_tokens=reply.output_tokens,
                                  latency_ms=round(reply.latency_ms, 3)),
                    scorers.take_judge_usage())


def _ask_all(questions: list[Question], journal: Journal, client: ChatClient, model: str,
             score: scorers.Score, concurrency: int, max_cost: float | None,
             per_request: list[float], prices: tuple[float, float] | None,
             judge_prices: tuple[float, float] | None, progress: Progress | None,
             cancel: threading.Event | None) -> tuple[bool, bool]:
    """Ask every question the results file has no answer for; (stopped at cap, cancelled)."""
    # An entry with an output was paid for and is kept; a request that got no answer is
    # asked again.
    pending = deque(q for q in questions
                    if q.index not in journal.done or journal.done[q.index][0].output is None)
    inflight: dict[Future[_Outcome], Question] = {}
    spent = 0.0
    stopped = cancelled = False
    failure: ChatError | None = None
    connect_failures = answered_now = 0
    tally = _Tally(journal, len(questions))
    with ThreadPoolExecutor(max_workers=concurrency,
                            thread_name_prefix="tunewise-experiment") as pool:
        while pending or inflight:
            while pending and len(inflight) < concurrency and failure is None and not stopped:
                if cancel is not None and cancel.is_set():
                    cancelled = True
                    break
                q = pending[0]
                if max_cost is not None:
                    reserved = sum(per_request[f.index] for f in inflight.values())
                    if spent + reserved + per_request[q.index] > max_cost + 1e-12:
                        stopped = True
                        break
                pending.popleft()
                inflight[pool.submit(_ask_one, q, client, model, score, cancel)] = q
            if not inflight:
                break
            finished, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            for future in finished:
                q = inflight.pop(future)
                try:
                    outcome = future.result()
                except AuthError as error:
                    failure = error
                    continue
                journal.add(outcome.example, outcome.judge_tokens)
                spent += _spend(outcome, q, per_request, prices, judge_prices)
                if outcome.connect_failed:
                    connect_failures += 1
                else:
                    answered_now += 1
                if progress is not None:
                    progress(tally.tick(outcome.example))
            if (failure is None and answered_now == 0
                    and connect_failures >= min(UNREACHABLE_AFTER, len(questions))):
                failure = UnreachableError(
                    f"cannot reach {client.host}: {connect_failures} requests in a row failed "
                    "to connect; check the base URL and that the server is running")
            if cancel is not None and cancel.is_set():
                cancelled = True
            if cancelled or failure is not None:
                pending.clear()
    if failure is not None:
        raise failure
    return stopped, cancelled


def _spend(outcome: _Outcome, q: Question, per_request: list[float],
           prices: tuple[float, float] | None, judge_prices: tuple[float, float] | None) -> float:
    example = outcome.example
    if example.output is None or prices is None or judge_prices is None:
        return 0.0
    if example.input_tokens == 0 and example.output_tokens == 0:
        return per_request[q.index] if per_request else 0.0  # no usage given: the estimate
    return (_usd((example.input_tokens, example.output_tokens), prices)
            + _usd(outcome.judge_tokens, judge_prices))


class _Tally:
    def __init__(self, journal: Journal, total: int) -> None:
        self.journal, self.total = journal, total

    def tick(self, example: ExampleResult) -> Tick:
        entries = [e for e, _j in self.journal.done.values()]
        answered = [e for e in entries if e.passed is not None]
        return Tick(done=len(entries), total=self.total, answered=len(answered),
                    passed=sum(1 for e in answered if e.passed),
                    errors=len(entries) - len(answered), example=example)


def _result(journal: Journal, client: ChatClient, model: str, scorer: ScorerId,
            prepared: Prepared, seed: int, prices: tuple[float, float] | None,
            judge_prices: tuple[float, float] | None, max_cost: float | None, stopped: bool,
            cancelled: bool) -> ExperimentResult:
    entries = sorted(journal.done.values(), key=lambda item: item[0].index)
    examples = [e for e, _j in entries]
    answered = [e for e in examples if e.passed is not None]
    passed = sum(1 for e in answered if e.passed)
    n = len(answered)
    tokens_in = sum(e.input_tokens for e in examples)
    tokens_out = sum(e.output_tokens for e in examples)
    cost = None
    if prices is not None and judge_prices is not None:
        cost = round(_usd((tokens_in, tokens_out), prices)
                     + sum(_usd(j, judge_prices) for _e, j in entries), 10)
    latencies = [e.latency_ms for e in examples if e.output is not None]
    return ExperimentResult(
        n=n, passed=passed, score=passed / n if n else 0.0, ci95=wilson(passed, n),
        errors=len(examples) - n, input_tokens=tokens_in, output_tokens=tokens_out,
        cost_usd=cost, latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95), model=model, endpoint_host=client.host,
        scorer=scorer, few_shot=prepared.few_shot, held_out=len(prepared.questions), seed=seed,
        started=journal.started, finished=datetime.now(UTC).replace(microsecond=0),
        cancelled=cancelled, examples=examples, max_cost_usd=max_cost,
        stopped_at_cost_cap=stopped)


def _cut(text: str | None) -> str:
    text = text or ""
    return text if len(text) <= FAILING_CHARS else text[:FAILING_CHARS - 1] + "…"


def measured(result: ExperimentResult, on: date) -> MeasuredFewShot:
    """What the plan keeps in Q1 from a run; ValueError when no example was answered."""
    from tunewise.core.project import FewShotFailure, MeasuredFewShot

    if result.n == 0:
        raise ValueError("no held-out example was answered, so there is no score to record")
    failing = [FewShotFailure(input=_cut(e.input), expected=_cut(e.expected),
                              output=_cut(e.output))
               for e in result.examples if e.passed is False][:FAILING_KEPT]
    return MeasuredFewShot(
        score=result.score, low=result.ci95[0], high=result.ci95[1], n=result.n,
        passed=result.passed, errors=result.errors, scorer=result.scorer, model=result.model,
        endpoint_host=result.endpoint_host, measured_on=on,
        cost_usd=round(result.cost_usd, 6) if result.cost_usd is not None else None,
        few_shot=result.few_shot, failing=failing)
