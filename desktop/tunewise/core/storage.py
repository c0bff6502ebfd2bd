"""Reading and writing `.tunewise` project files.

Loading is defensive: any file, however broken or hostile, either becomes a valid Project or
raises ProjectFileError with a message a person can act on. Saving is atomic: the new bytes go to
a temporary file in the same folder, are flushed to disk, and replace the old file in one step,
so a crash leaves the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tunewise.core.project import FORMAT_NAME, SCHEMA_VERSION, Project

EXTENSION = ".tunewise"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NESTING = 64


class ProjectFileError(Exception):
    """A project file could not be read or written; the message says why, in plain words."""


def _reject_constant(name: str) -> float:
    raise ValueError(f"the value {name} is not a number Tunewise accepts")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:40]} is too large")
    return value


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
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "(top level)"


def describe_validation_error(error: ValidationError) -> str:
    """One readable sentence per problem, naming the field."""
    lines = []
    for problem in error.errors()[:5]:
        # Tagged unions and Literal wrappers add noise to the location; keep the field names.
        loc = tuple(
            p for p in problem["loc"] if not (isinstance(p, str) and p.startswith("literal["))
        )
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = "is not a field Tunewise knows"
        lines.append(f"{_field_path(loc)}: {message}")
    more = len(error.errors()) - 5
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
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
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
        answers["few_shot_adequate"] = {True: "yes", False: "no", None: "untested"}.get(
            old, old
        )
    costs = doc.get("costs")
    if isinstance(costs, dict) and "horizon" in costs:
        costs["horizon_days"] = costs.pop("horizon")
    doc["schema_version"] = 2
    return doc


def _v2_to_v3(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 3 (Tunewise 0.2) bounds collections and states the workload once; see below."""
    doc["schema_version"] = 3
    return doc


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3}


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
        doc = MIGRATIONS[version](doc)
        version += 1
    return doc


def project_from_bytes(raw: bytes, source: str = "the file") -> Project:
    return project_from_document(parse_document(raw, source), source)


def project_from_document(doc: dict[str, Any], source: str = "the file") -> Project:
    """A parsed JSON object to a Project: migrated, validated, errors naming the field."""
    doc = migrate(doc, source)
    try:
        return Project.model_validate(doc)
    except ValidationError as error:
        raise ProjectFileError(
            f"{source} has invalid values: {describe_validation_error(error)}."
        ) from None
    except RecursionError:
        raise ProjectFileError(f"{source} is nested too deeply to be a project file.") from None


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read a project file; every failure is a ProjectFileError naming the problem."""
    path = Path(path)
    name = f"'{path.name}'"
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ProjectFileError(
                f"{name} is {size / 1_048_576:.1f} MB; project files are at most "
                f"{MAX_FILE_BYTES // 1_048_576} MB."
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ProjectFileError(f"{name} does not exist (looked in {path.parent}).") from None
    except IsADirectoryError:
        raise ProjectFileError(f"{name} is a folder, not a project file.") from None
    except PermissionError:
        raise ProjectFileError(f"{name} cannot be read: permission denied.") from None
    except OSError as error:
        raise ProjectFileError(f"{name} cannot be read: {error.strerror or error}.") from None
    return project_from_bytes(raw, name)


def project_to_bytes(project: Project) -> bytes:
    document = project.model_dump(mode="json")
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


_SAVE_ERRORS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the folder is read-only",
    errno.ENOENT: "the folder does not exist",
}


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path, data: bytes) -> None:
    """Write bytes so that `path` ends up holding either its old bytes or all of `data`."""
    folder = path.parent
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); keep the old file's mode, or give a new file
        # the permissions any other program's new file would get.
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = _new_file_mode()
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _remove_stale_temporaries(path)
    with contextlib.suppress(OSError):  # persist the rename; not every platform allows this
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files left by a save that was killed midway; ours by their name."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def file_signature(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """Size and modification time of a file, to notice when someone else changed it."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def save_project(project: Project, path: str | os.PathLike[str]) -> None:
    """Save atomically; on failure the old file is untouched and ProjectFileError says why."""
    path = Path(path)
    try:
        data = project_to_bytes(project)
    except (ValueError, UnicodeEncodeError) as error:
        raise ProjectFileError(f"The project cannot be written: {error}.") from None
    try:
        atomic_write(path, data)
    except OSError as error:
        reason = _SAVE_ERRORS.get(error.errno or 0, error.strerror or str(error))
        raise ProjectFileError(f"Could not save '{path.name}': {reason}.") from None
