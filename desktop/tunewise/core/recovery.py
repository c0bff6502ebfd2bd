"""Recovery copies of unsaved work, kept apart from the user's own files.

While a project has unsaved changes the app writes a recovery copy here (never over the user's
file). After a crash, the next start lists what is pending and offers to restore it. A copy is
deleted once the project is saved or its changes are explicitly discarded. Each window writes
under its own key, so two running instances never overwrite each other's copy.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tunewise.core.project import Project
from tunewise.core.storage import (
    ProjectFileError,
    atomic_write,
    parse_document,
    project_from_document,
)

RECOVERY_FORMAT = "tunewise-recovery"
SUFFIX = ".recovery.json"


@dataclass(frozen=True)
class RecoveryEntry:
    key: str
    path: Path
    saved_at: datetime
    source: Path | None  # the file the project was opened from, if any
    project: Project

    @property
    def title(self) -> str:
        return self.source.name if self.source else self.project.metadata.name


class RecoveryStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def write(self, key: str, project: Project, source: Path | None,
              now: datetime | None = None) -> Path:
        """Write (or replace) the recovery copy for one window; atomic like a normal save."""
        self.folder.mkdir(parents=True, exist_ok=True)
        document = {
            "format": RECOVERY_FORMAT,
            "saved_at": (now or datetime.now(UTC)).isoformat(),
            "source": str(source) if source else None,
            "project": project.model_dump(mode="json"),
        }
        data = json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8")
        path = self._path(key)
        atomic_write(path, data)
        return path

    def discard(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()

    def pending(self) -> list[RecoveryEntry]:
        """Every readable recovery copy, newest first; unreadable ones are skipped."""
        if not self.folder.is_dir():
            return []
        entries = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            try:
                entries.append(self._read(path))
            except (ProjectFileError, OSError, ValueError, KeyError, TypeError):
                continue
        return sorted(entries, key=lambda e: e.saved_at, reverse=True)

    def _read(self, path: Path) -> RecoveryEntry:
        doc = parse_document(path.read_bytes(), f"'{path.name}'")
        if doc.get("format") != RECOVERY_FORMAT:
            raise ValueError("not a recovery file")
        inner = doc["project"]
        if not isinstance(inner, dict):
            raise ValueError("no project in the recovery file")
        project = project_from_document(inner, f"'{path.name}'")
        saved_at = datetime.fromisoformat(str(doc["saved_at"]))
        source = Path(doc["source"]) if doc.get("source") else None
        return RecoveryEntry(key=path.name.removesuffix(SUFFIX), path=path, saved_at=saved_at,
                             source=source, project=project)
