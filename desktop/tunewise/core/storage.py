"""Reading and writing `.tunewise` project files.

Loading is defensive: any file, however broken or hostile, either becomes a valid Project or
raises ProjectFileError with a message a person can act on, and only regular files are read (a
pipe or a device is refused before anything waits on it). Parsing is strict: a key given twice,
or a value of the wrong JSON type (`"false"` for false, `true` for a number), is an error naming
the field. Migrations check the shape of what they convert.

Saving goes through core/files.py: atomic, through a link to the file it points to, refusing
write-protected files, keeping mode and owner. Whatever loads can be saved and loaded again:
the schema bounds every collection, and the written file leaves out prices left to the catalog.
Text from a file that is echoed in a message is quoted, escaped and shortened to one line.
"""

from __future__ import annotations

import errno
import json
import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tunewise.core import files
from tunewise.core.files import atomic_write
from tunewise.core.project import FORMAT_NAME, SCHEMA_VERSION, Project

__all__ = ["EXTENSION", "MAX_FILE_BYTES", "ProjectFileError", "atomic_write", "file_signature",
           "load_project", "project_from_bytes", "project_to_bytes", "read_project",
           "save_project"]

EXTENSION = ".tunewise"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NESTING = 64
MAX_ECHO = 60  # characters of a file's own text (a key, a name) repeated in a message


class ProjectFileError(Exception):
    """A project file could not be read or written; the message says why, in plain words."""


class _BadShape(Exception):
    """A migration met a value of a shape its version never wrote."""

    def __init__(self, field: str, expected: str) -> None:
        super().__init__(f"{field}: {expected}")


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_+\-]{1,60}")


def quoted(text: str, limit: int = MAX_ECHO) -> str:
    """Text from a file or the user, safe to repeat in a one-line message.

    Control, format and separator characters (newlines, terminal escapes, direction overrides)
    are shown as escapes, long text is cut with an ellipsis, and the whole is put in quotes.
    """
    shown: list[str] = []
    for char in text[:limit]:
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            code = ord(char)
            shown.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
                         if code < 0x10000 else f"\\U{code:08x}")
        else:
            shown.append(char)
    return "'" + "".join(shown) + ("…" if len(text) > limit else "") + "'"


def _reject_constant(name: str) -> float:
    raise ValueError(f"the value {name} is not a number Tunewise accepts")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:40]} is too large")
    return value


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of a parsed JSON value, stopping early once past the limit."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > limit:
            return level
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def _field_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            name = part if _PLAIN_KEY.fullmatch(part) else quoted(part, 40)
            parts.append(("." if parts else "") + name)
    return "".join(parts) or "(top level)"


def describe_validation_error(error: ValidationError) -> str:
    """One readable sentence per problem, naming the field."""
    problems = error.errors(include_url=False, include_input=False)
    lines = []
    for problem in problems[:5]:
        # Tagged unions and Literal wrappers add noise to the location; keep the field names.
        loc = tuple(
            p for p in problem["loc"] if not (isinstance(p, str) and p.startswith("literal["))
        )
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = "is not a field Tunewise knows"
        lines.append(f"{_field_path(loc)}: {message}")
    more = len(problems) - 5
    if more > 0:
        lines.append(f"and {more} more problem{'s' if more != 1 else ''}")
    return "; ".join(lines)


def parse_document(raw: bytes, source: str = "the file") -> dict[str, Any]:
    """Bytes to a JSON object, refusing everything that is not plain, finite, sane JSON."""
    if not raw.strip():
        raise ProjectFileError(f"{source} is empty.")
    if len(raw) > MAX_FILE_BYTES:
        raise ProjectFileError(
            f"{source} is {len(raw) / 1_048_576:.1f} MB; project files are at most "
            f"{MAX_FILE_BYTES // 1_048_576} MB."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProjectFileError(
            f"{source} is not a Tunewise project (not UTF-8 text at byte {error.start})."
        ) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float,
                          object_pairs_hook=_no_duplicates)
    except _DuplicateKey as error:
        raise ProjectFileError(
            f"{source} gives the key {quoted(error.key)} twice in one object; Tunewise cannot "
            "tell which one is meant."
        ) from None
    except json.JSONDecodeError as error:
        raise ProjectFileError(
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg}); it may be truncated or not a Tunewise project."
        ) from None
    except RecursionError:
        raise ProjectFileError(f"{source} is nested too deeply to be a project file.") from None
    except ValueError as error:  # NaN, Infinity, 1e999, integers with thousands of digits
        raise ProjectFileError(f"{source} holds a number Tunewise cannot use: {error}.") from None
    if not isinstance(data, dict):
        raise ProjectFileError(f"{source} is JSON but not a Tunewise project (no object at top).")
    if _depth(data, MAX_NESTING) > MAX_NESTING:
        raise ProjectFileError(f"{source} is nested too deeply to be a project file.")
    return data


# ---- schema migrations: one function per step, from version N to N + 1 ----------------------

def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept q1 as a yes/no/null boolean and named the horizon `horizon`."""
    answers = doc.get("answers")
    if isinstance(answers, dict) and "few_shot_adequate" in answers:
        old = answers["few_shot_adequate"]
        if old is not None and not isinstance(old, bool | str):
            raise _BadShape("answers.few_shot_adequate", "should be true, false or null")
        words: dict[object, str] = {True: "yes", False: "no", None: "untested"}
        answers["few_shot_adequate"] = words.get(old, old)
    costs = doc.get("costs")
    if isinstance(costs, dict) and "horizon" in costs:
        if "horizon_days" in costs:
            raise _BadShape("costs.horizon", "is given twice, also as horizon_days")
        costs["horizon_days"] = costs.pop("horizon")
    doc["schema_version"] = 2
    return doc


# What version 2 assumed for answers and token counts a file left out.
_V2_ANSWER_DEFAULTS: dict[str, object] = {
    "few_shot_adequate": "untested", "knowledge_gap": False, "behavior_gap": False,
    "example_count": 0, "examples_high_quality": False,
}
_V2_TOKENS = {"user_input_tokens": 200, "output_tokens": 300}


def _v2_to_v3(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 3 keeps unanswered questions unanswered, and states the workload once.

    A version-2 file's missing answers meant no / not tried / 0 examples; they are written out
    so the plan means what it meant. The most common (user input, output) pair across its
    approaches becomes the workload; approaches that differ keep their own figures as
    overrides, and approaches the file left out keep version 2's 200 / 300.
    """
    answers = doc.setdefault("answers", {})
    if isinstance(answers, dict):
        for key, value in _V2_ANSWER_DEFAULTS.items():
            answers.setdefault(key, value)
    costs = doc.setdefault("costs", {})
    if not isinstance(costs, dict):
        doc["schema_version"] = 3
        return doc
    approaches = costs.get("approaches")
    if approaches is None:
        approaches = {}
    if isinstance(approaches, dict) and "workload" not in costs:
        from tunewise.core.project import APPROACHES

        specs = [spec for spec in approaches.values() if isinstance(spec, dict)]
        for spec in specs:
            for key, value in _V2_TOKENS.items():
                spec.setdefault(key, value)
        # Only whole numbers vote; anything else is left for validation to name.
        pairs = [(spec["user_input_tokens"], spec["output_tokens"]) for spec in specs
                 if type(spec["user_input_tokens"]) is int and type(spec["output_tokens"]) is int]
        counts: dict[tuple[object, object], int] = {}
        for pair in pairs:
            counts[pair] = counts.get(pair, 0) + 1
        user, output = (max(counts, key=lambda k: counts[k]) if counts
                        else (_V2_TOKENS["user_input_tokens"], _V2_TOKENS["output_tokens"]))
        costs["workload"] = {"user_input_tokens": user, "output_tokens": output}
        for spec in specs:
            if spec["user_input_tokens"] == user:
                del spec["user_input_tokens"]
            if spec["output_tokens"] == output:
                del spec["output_tokens"]
        if (user, output) != tuple(_V2_TOKENS.values()):
            for approach in APPROACHES:
                if approach not in approaches:
                    spec = dict(_V3_DEFAULT_APPROACHES[approach])
                    approaches[approach] = {**spec, **_V2_TOKENS}
            costs["approaches"] = approaches
    doc["schema_version"] = 3
    return doc


# The approaches a version-3 file left out meant these (version 3's defaults, frozen here so
# that changing today's defaults never changes what an old file means).
_V3_DEFAULT_APPROACHES: dict[str, dict[str, Any]] = {
    "prompt_engineering": {"model": "gpt-4o", "system_prompt_tokens": 2000,
                           "few_shot_tokens": 1000, "engineering_hours": 16,
                           "maintenance_hours_per_month": 2},
    "rag": {"model": "gpt-4o-mini", "system_prompt_tokens": 500, "retrieved_tokens": 1500,
            "engineering_hours": 80, "monthly_fixed": 70, "maintenance_hours_per_month": 10},
    "fine_tuning": {"model": "gpt-4o-mini", "system_prompt_tokens": 100,
                    "engineering_hours": 40, "data_prep_hours": 40,
                    "maintenance_hours_per_month": 4},
    "fine_tuning+rag": {"model": "gpt-4o-mini", "system_prompt_tokens": 100,
                        "retrieved_tokens": 1500, "engineering_hours": 100,
                        "data_prep_hours": 40, "monthly_fixed": 70,
                        "maintenance_hours_per_month": 12},
    "fine_tuning+prompt_engineering": {"model": "gpt-4o-mini", "system_prompt_tokens": 400,
                                       "engineering_hours": 50, "data_prep_hours": 40,
                                       "maintenance_hours_per_month": 5},
    "all_three": {"model": "gpt-4o-mini", "system_prompt_tokens": 500,
                  "retrieved_tokens": 1500, "engineering_hours": 110, "data_prep_hours": 40,
                  "monthly_fixed": 70, "maintenance_hours_per_month": 14},
}
_FINE_TUNED = ("fine_tuning", "fine_tuning+rag", "fine_tuning+prompt_engineering", "all_three")
# Version 3 priced fine-tuning from a table of OpenAI models only.
_V3_OPENAI_FINE_TUNABLE = ("gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano",
                           "gpt-3.5-turbo")


def _v3_to_v4(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 4 names who runs each model, and prices against today's offerings.

    A version-3 file priced fine-tuning from OpenAI's table, so its fine-tuned approaches name
    OpenAI as the provider; approaches it left out are written out with version 3's defaults,
    so the plan means what it meant. New fields (batch share, training method, start date, the
    few-shot test's model) take their defaults: nothing batched, supervised tuning, the plan
    starting the day it is evaluated, model not recorded.
    """
    costs = doc.get("costs")
    if isinstance(costs, dict):
        approaches = costs.setdefault("approaches", {})
        if isinstance(approaches, dict):
            for approach, spec in _V3_DEFAULT_APPROACHES.items():
                approaches.setdefault(approach, dict(spec))
            for approach in _FINE_TUNED:
                tuned = approaches.get(approach)
                if isinstance(tuned, dict) and isinstance(tuned.get("model"), str) and \
                        tuned["model"].strip().lower() in _V3_OPENAI_FINE_TUNABLE:
                    tuned.setdefault("provider", "openai")
    doc["schema_version"] = 4
    return doc


# Version 4's three-way GPU answer, as version 5's GPU plan. "A 16 GB GPU of our own" becomes
# the RTX 4080, a common 16 GB card: what fits depends on the memory, and 16 GB is what the
# answer said (the card's speed only matters for self-hosted training time).
_V4_GPU_ACCESS: dict[str, dict[str, Any]] = {
    "local_16gb": {"access": "own", "gpu": "rtx-4080"},
    "hosted": {"access": "service"},
    "none": {"access": "none"},
}


def _v4_to_v5(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 5 replaces the three-way GPU answer with a GPU plan the sign is computed from."""
    answers = doc.get("answers")
    access: Any = "hosted"
    if isinstance(answers, dict) and "gpu_access" in answers:
        access = answers.pop("gpu_access")
        if not isinstance(access, str) or access not in _V4_GPU_ACCESS:
            raise _BadShape("answers.gpu_access",
                            "should be one of " + ", ".join(_V4_GPU_ACCESS))
    costs = doc.get("costs")
    if costs is None:
        costs = doc["costs"] = {}
    if isinstance(costs, dict):
        costs["gpu"] = dict(_V4_GPU_ACCESS[access])
    doc["schema_version"] = 5
    return doc


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5}


def migrate(doc: dict[str, Any], source: str = "the file") -> dict[str, Any]:
    if doc.get("format") != FORMAT_NAME:
        raise ProjectFileError(
            f"{source} is not a Tunewise project (its 'format' field is not '{FORMAT_NAME}')."
        )
    version = doc.get("schema_version")
    if type(version) is not int or version < 1:
        raise ProjectFileError(f"{source} has no valid schema_version.")
    if version > SCHEMA_VERSION:
        raise ProjectFileError(
            f"{source} was written by a newer Tunewise (file format version {version}); this "
            f"version reads format {SCHEMA_VERSION} and older. Update Tunewise to open it."
        )
    while version < SCHEMA_VERSION:
        try:
            doc = MIGRATIONS[version](doc)
        except _BadShape as error:
            raise ProjectFileError(f"{source} has invalid values: {error}.") from None
        except (TypeError, KeyError, ValueError, AttributeError, IndexError, RecursionError):
            # A migration met something its version never wrote; say so rather than crash.
            raise ProjectFileError(
                f"{source} cannot be converted from file format version {version}: its "
                "contents are not what that version wrote."
            ) from None
        version += 1
    return doc


def project_from_bytes(raw: bytes, source: str = "the file") -> Project:
    return project_from_document(parse_document(raw, source), source)


def project_from_document(doc: dict[str, Any], source: str = "the file") -> Project:
    """A parsed JSON object to a Project: migrated, validated strictly, errors naming the field.

    Strict means JSON types are taken as written: "false" is not false, true is not 1.
    """
    doc = migrate(doc, source)
    try:
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
        return Project.model_validate_json(text, strict=True)
    except ValidationError as error:
        raise ProjectFileError(
            f"{source} has invalid values: {describe_validation_error(error)}."
        ) from None
    except RecursionError:
        raise ProjectFileError(f"{source} is nested too deeply to be a project file.") from None


def read_project(path: str | os.PathLike[str]) -> tuple[Project, str]:
    """Read a project file: the project and the digest of the very bytes it was read from.

    Every failure is a ProjectFileError naming the problem.
    """
    path = Path(path)
    name = quoted(path.name)
    try:
        raw = files.read_regular(path, MAX_FILE_BYTES)
        if len(raw) > MAX_FILE_BYTES:
            size = max(os.stat(path).st_size, len(raw))
            raise ProjectFileError(
                f"{name} is {size / 1_048_576:.1f} MB; project files are at most "
                f"{MAX_FILE_BYTES // 1_048_576} MB."
            )
    except FileNotFoundError:
        raise ProjectFileError(
            f"{name} does not exist (looked in {quoted(str(path.parent), 120)})."
        ) from None
    except IsADirectoryError:
        raise ProjectFileError(f"{name} is a folder, not a project file.") from None
    except files.FileRefused as error:
        raise ProjectFileError(f"{name} cannot be opened: it {error.strerror}.") from None
    except PermissionError:
        raise ProjectFileError(f"{name} cannot be read: permission denied.") from None
    except OSError as error:
        raise ProjectFileError(f"{name} cannot be read: {error.strerror or error}.") from None
    return project_from_bytes(raw, name), files.digest(raw)


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read a project file; every failure is a ProjectFileError naming the problem."""
    return read_project(path)[0]


def project_to_bytes(project: Project) -> bytes:
    """The file's bytes: UTF-8 JSON, prices left to the catalog (None) not written out."""
    document = project.model_dump(mode="json")
    overrides = document.get("costs", {}).get("price_overrides", {})
    for model, prices in overrides.items():
        overrides[model] = {field: value for field, value in prices.items() if value is not None}
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


_SAVE_ERRORS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the folder is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENAMETOOLONG: "the name is too long for this disk",
}


def file_signature(path: str | os.PathLike[str]) -> str | None:
    """The digest of what a file holds now, to notice when someone else changed it.

    Content, not size and time: an edit that keeps both (or a coarse-clock file system) is
    still noticed. None when the file cannot be read.
    """
    try:
        return files.digest(files.read_regular(path, MAX_FILE_BYTES * 4))
    except OSError:
        return None


def save_project(project: Project, path: str | os.PathLike[str]) -> str:
    """Save atomically; return the digest of the bytes written.

    On failure the old file is untouched and ProjectFileError says why; a write-protected
    file, a pipe or device, or a link to nothing is refused without writing anything.
    """
    path = Path(path)
    try:
        data = project_to_bytes(project)
    except (ValueError, UnicodeEncodeError) as error:
        raise ProjectFileError(f"The project cannot be written: {error}.") from None
    try:
        atomic_write(path, data)
    except files.FileRefused as error:
        advice = " Save it under another name." if error.errno == errno.EACCES else ""
        raise ProjectFileError(
            f"Could not save {quoted(path.name)}: it {error.strerror}.{advice}") from None
    except OSError as error:
        reason = _SAVE_ERRORS.get(error.errno or 0, error.strerror or str(error))
        raise ProjectFileError(f"Could not save {quoted(path.name)}: {reason}.") from None
    return files.digest(data)
