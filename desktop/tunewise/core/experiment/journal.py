"""The results file of a few-shot run: every answer on disk as it arrives, so nothing paid is lost.

JSON lines: a header with the run's settings (the dataset's SHA-256, model, endpoint, scorer and
its options, sizes, seed, a hash of the system prompt), then one line per held-out example as
it is answered, flushed and fsync'd before the next is counted. A kill, a crash or Cancel
leaves at worst a half-written last line, which is skipped on reading. Opening a file whose
header has the same settings resumes it: its answered examples are not asked again. A file of
other settings is refused rather than mixed in. The API key is never among the settings.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tunewise.core.experiment.model import ExampleResult

KIND = "tunewise-few-shot-results"
VERSION = 1


class ResultsFileError(ValueError):
    """The results file cannot be used; the message says why in one line."""


def settings_digest(settings: dict[str, Any]) -> str:
    text = json.dumps(settings, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def default_path(dataset: Path, settings: dict[str, Any]) -> Path:
    """Beside the dataset, named by the settings: the same run finds its file again."""
    return dataset.with_name(f"{dataset.stem}.few-shot-{settings_digest(settings)[:10]}.jsonl")


class Journal:
    """One results file, open for appending; `done` holds what it already has, by index."""

    def __init__(self, path: Path, settings: dict[str, Any]) -> None:
        self.path = path
        self.settings = json.loads(json.dumps(settings))  # as it reads back from the file
        self.done: dict[int, tuple[ExampleResult, tuple[int, int]]] = {}
        self.started = datetime.now(UTC).replace(microsecond=0)
        self._lock = threading.Lock()
        fresh = not path.exists() or path.stat().st_size == 0
        if not fresh:
            self._read()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as error:
            raise ResultsFileError(f"cannot write the results file {path}: "
                                   f"{error.strerror or error}") from None
        self._file = os.fdopen(fd, "a", encoding="utf-8", newline="\n")
        if fresh:
            self._write({"kind": KIND, "version": VERSION, "started": self.started.isoformat(),
                         "settings": self.settings})
        elif not self._ends_with_newline():
            self._file.write("\n")  # after a half-written line, start on a fresh one

    def _ends_with_newline(self) -> bool:
        with open(self.path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"

    def _read(self) -> None:
        name = self.path.name
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as error:
            raise ResultsFileError(f"cannot read the results file {name}: "
                                   f"{error.strerror or error}") from None
        try:
            header = json.loads(lines[0])
        except (ValueError, IndexError):
            header = None
        if not isinstance(header, dict) or header.get("kind") != KIND:
            raise ResultsFileError(f"{name} is not a Tunewise few-shot results file; choose "
                                   "another results file")
        if header.get("version") != VERSION:
            raise ResultsFileError(f"{name} was written by another Tunewise version; choose "
                                   "another results file")
        if header.get("settings") != self.settings:
            theirs = header.get("settings") or {}
            differ = sorted(k for k in set(theirs) | set(self.settings)
                            if theirs.get(k) != self.settings.get(k))
            raise ResultsFileError(f"{name} holds a run with other settings ({', '.join(differ)})"
                                   "; choose another results file to start a new run")
        with contextlib.suppress(KeyError, TypeError, ValueError):
            self.started = datetime.fromisoformat(header["started"])
        for line in lines[1:]:
            try:
                entry = json.loads(line)
                example = ExampleResult.model_validate(entry["example"])
                judge = (int(entry.get("judge_input_tokens", 0)),
                         int(entry.get("judge_output_tokens", 0)))
            except (ValueError, KeyError, TypeError, ValidationError):
                continue  # a line cut short by a kill
            self.done[example.index] = (example, judge)

    def _write(self, document: dict[str, Any]) -> None:
        self._file.write(json.dumps(document, ensure_ascii=False) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def add(self, example: ExampleResult, judge_tokens: tuple[int, int] = (0, 0)) -> None:
        """Keep one answer on disk before it is counted."""
        with self._lock:
            self._write({"example": example.model_dump(), "judge_input_tokens": judge_tokens[0],
                         "judge_output_tokens": judge_tokens[1]})
            self.done[example.index] = (example, judge_tokens)

    def close(self) -> None:
        self._file.close()
