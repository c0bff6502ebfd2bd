"""Scorers: does one answer pass, against the expected answer?

`make_scorer(id, options)` checks the options once (a bad one is a ValueError saying which and
why) and returns a function (input, expected, output) -> bool. An answer that cannot be judged
for a reason that is not the model's (the expected answer has no number, the judge endpoint
failed or gave no verdict) raises ScoreError: the example is an error, not a failure.
Options may come as text from the command line ("tolerance=0.5"); they are parsed here.
"""

from __future__ import annotations

import json
import math
import re
import threading
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tunewise.core.experiment.client import ChatClient, RequestFailed
from tunewise.core.experiment.model import SCORERS, ScorerId

Score = Callable[[str, str, str], bool]  # (input, expected, output) -> passed

_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?")
_FENCE = re.compile(r"^\s*```[A-Za-z0-9_-]*\s*\n(.*?)\n?\s*```\s*$", re.DOTALL)
DEFAULT_RUBRIC = ("The answer passes when it gives the same facts or decision as the expected "
                  "answer; wording, length and style may differ.")
ALLOWED: dict[str, frozenset[str]] = {
    "exact": frozenset(), "normalised": frozenset(), "json_valid": frozenset(),
    "contains": frozenset({"case_sensitive"}),
    "regex": frozenset({"pattern", "ignore_case", "full"}),
    "numeric": frozenset({"tolerance", "relative"}),
    "json_schema": frozenset({"schema"}),
    "json_fields": frozenset({"fields"}),
    "judge": frozenset({"rubric", "model"}),
}


class ScoreError(Exception):
    """This answer cannot be scored, not through the model's fault: an error, not a fail."""


def normalise(text: str) -> str:
    """Lower case, punctuation (any Unicode punctuation) removed, white space collapsed."""
    kept = "".join(c for c in text.casefold() if not unicodedata.category(c).startswith("P"))
    return " ".join(kept.split())


def first_number(text: str) -> float | None:
    for match in _NUMBER.finditer(text):
        token = match.group()
        if any(c.isdigit() for c in token):
            try:
                return float(token.replace(",", ""))
            except ValueError:
                continue
    return None


def strip_fence(text: str) -> str:
    """An answer wrapped in one Markdown code fence (```json ... ```), unwrapped."""
    found = _FENCE.match(text)
    return found.group(1) if found else text


def _flag(options: Mapping[str, Any], name: str, default: bool = False) -> bool:
    value = options.get(name, default)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "0", "off"):
        return False
    raise ValueError(f"the {name} option is true or false, not {value!r}")


def _number(options: Mapping[str, Any], name: str) -> float:
    value = options.get(name, 0)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"the {name} option is a number, not {value!r}") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"the {name} option must be a number of at least 0, not {value!r}")
    return number


def _schema(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        text = value
        if not value.lstrip().startswith(("{", "[")):
            try:
                text = Path(value).read_text(encoding="utf-8")
            except OSError as error:
                raise ValueError(f"the schema file {value!r} cannot be read "
                                 f"({error.strerror or error})") from None
        try:
            value = json.loads(text)
        except ValueError:
            raise ValueError("the schema is not valid JSON") from None
    if not isinstance(value, dict):
        raise ValueError("the schema option is a JSON Schema object (or a file holding one)")
    return value


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(strip_fence(text))
    except (ValueError, RecursionError):
        if what == "expected":
            raise ScoreError("the expected answer is not valid JSON") from None
        raise _NotJson from None


class _NotJson(Exception):
    pass


def make_scorer(scorer: str, options: Mapping[str, Any] | None = None, *,
                judge_client: ChatClient | None = None,
                judge_model: str | None = None) -> Score:
    """The scoring function for `scorer` with its options; ValueError when they are wrong."""
    if scorer not in SCORERS:
        raise ValueError(f"unknown scorer {scorer!r}; choose one of {', '.join(SCORERS)}")
    opts = dict(options or {})
    unknown = sorted(set(opts) - ALLOWED[scorer])
    if unknown:
        takes = ", ".join(sorted(ALLOWED[scorer])) or "no options"
        raise ValueError(f"the {scorer} scorer does not take {', '.join(unknown)} (it takes "
                         f"{takes})")
    return _BUILDERS[scorer](opts, judge_client, judge_model)


Builder = Callable[[dict[str, Any], ChatClient | None, str | None], Score]


def _exact(opts: dict[str, Any], _c: ChatClient | None, _m: str | None) -> Score:
    return lambda _i, expected, output: output.strip() == expected.strip()


def _normalised(opts: dict[str, Any], _c: ChatClient | None, _m: str | None) -> Score:
    return lambda _i, expected, output: normalise(output) == normalise(expected)


def _contains(opts: dict[str, Any], _c: ChatClient | None, _m: str | None) -> Score:
    if _flag(opts, "case_sensitive"):
        return lambda _i, expected, output: expected.strip() in output
    return lambda _i, expected, output: expected.strip().casefold() in output.casefold()


def _regex(opts: dict[str, Any], _c: ChatClient | None, _m: str | None) -> Score:
    pattern = opts.get("pattern")
    if not isinstance(pattern, str) or not pattern:
        raise ValueError("the regex scorer needs a pattern option (pattern=...)")
    try:
        compiled = re.compile(pattern, re.IGNORECASE if _flag(opts, "ignore_case") else 0)
    except re.error as error:
        raise ValueError(f"the regex pattern is not valid: {error}") from None
    if _flag(opts, "full"):
        return lambda _i, _e, output: compiled.fullmatch(output.strip()) is not None
    return lambda _i, _e, output: compiled.search(output) is not None


def _numeric(opts: dict[str, Any], _c: ChatClient | None, _m: str | None) -> Score:
    tolerance, relative = _number(opts, "tolerance"), _number(opts, "relative")

    def score(_i: str, expected: str, output: str) -> bool:
        want = first_number(expected)
        if want is None:
            raise ScoreError("the expected answer has no number")
        got = first_number(output)
        if got is None:
            return False
        return abs(got - want) <= max(tolerance, relative * abs(want)) + 1e-12

    return score


def _json_valid(opts: dict[str, Any], _c: ChatClient | None, _m: str | None) -> Score:
    def score(_i: str, _e: str, output: str) -> bool:
        try:
            _json(output, "output")
        except _NotJson:
            return False
        return True

    return score


def _json_schema(opts: dict[str, Any], _c: ChatClient | None, _m: str | None) -> Score:
    from jsonschema import exceptions, validators  # type: ignore[import-untyped]

    if "schema" not in opts:
        raise ValueError("the json_schema scorer needs a schema option (a file or JSON)")
    schema = _schema(opts["schema"])
    cls = validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except exceptions.SchemaError as error:
        raise ValueError(f"the schema is not a valid JSON Schema: {error.message}") from None
    validator = cls(schema)

    def score(_i: str, _e: str, output: str) -> bool:
        try:
            value = _json(output, "output")
        except _NotJson:
            return False
        return bool(validator.is_valid(value))

    return score


def _json_fields(opts: dict[str, Any], _c: ChatClient | None, _m: str | None) -> Score:
    chosen = opts.get("fields")
    fields = None
    if chosen is not None:
        names = chosen.split(",") if isinstance(chosen, str) else chosen
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip()
                                                  for n in names):
            raise ValueError("the fields option is a comma-separated list of field names")
        fields = [n.strip() for n in names]

    def score(_i: str, expected: str, output: str) -> bool:
        want = _json(expected, "expected")
        if not isinstance(want, dict):
            raise ScoreError("the expected answer is not a JSON object")
        try:
            got = _json(output, "output")
        except _NotJson:
            return False
        if not isinstance(got, dict):
            return False
        names = fields if fields is not None else list(want)
        return all(name in got and got[name] == want.get(name) for name in names)

    return score


JUDGE_SYSTEM = ("You grade answers. Reply with PASS or FAIL on the first line, then at most "
                "one sentence of reason.")


def judge_messages(rubric: str, given: str, expected: str, output: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": JUDGE_SYSTEM},
            {"role": "user", "content": f"Rubric: {rubric}\n\nInput:\n{given}\n\nExpected "
             f"answer:\n{expected}\n\nAnswer to grade:\n{output}\n\nPASS or FAIL?"}]


def verdict(text: str) -> bool:
    """PASS or FAIL from a judge's reply; ScoreError when it says neither clearly."""
    for line in text.splitlines():
        words = re.findall(r"[A-Za-z]+", line.upper())
        if not words:
            continue
        if words[0] == "PASS" and "FAIL" not in words:
            return True
        if words[0] == "FAIL" and "PASS" not in words:
            return False
        break
    raise ScoreError("the judge gave no clear PASS or FAIL")


def _judge(opts: dict[str, Any], client: ChatClient | None, model: str | None) -> Score:
    rubric = opts.get("rubric", DEFAULT_RUBRIC)
    if not isinstance(rubric, str) or not rubric.strip():
        raise ValueError("the judge's rubric option is text")
    judge_model = opts.get("model", model)
    if not isinstance(judge_model, str) or not judge_model.strip():
        raise ValueError("the judge scorer needs a model to ask (model=...)")

    def score(given: str, expected: str, output: str) -> bool:
        if client is None:
            raise ScoreError("the judge has no endpoint to ask")
        try:
            reply = client.complete(judge_model, judge_messages(rubric, given, expected, output))
        except RequestFailed as error:
            raise ScoreError(f"the judge failed: {error}") from None
        _judge_usage.last = (reply.input_tokens, reply.output_tokens)
        return verdict(reply.text)

    return score


class _Usage:
    """The judge's tokens for the call just made, per thread (read by the runner)."""

    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def last(self) -> tuple[int, int]:
        value: tuple[int, int] = getattr(self._local, "value", (0, 0))
        return value

    @last.setter
    def last(self, value: tuple[int, int]) -> None:
        self._local.value = value


_judge_usage = _Usage()


def take_judge_usage() -> tuple[int, int]:
    """The judge's (input, output) tokens of this thread's last scoring, then reset."""
    found = _judge_usage.last
    _judge_usage.last = (0, 0)
    return found


_BUILDERS: dict[ScorerId, Builder] = {
    "exact": _exact, "normalised": _normalised, "contains": _contains, "regex": _regex,
    "numeric": _numeric, "json_valid": _json_valid, "json_schema": _json_schema,
    "json_fields": _json_fields, "judge": _judge,
}
