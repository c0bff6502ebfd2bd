"""Recovery copies of unsaved work, kept apart from the user's own files.

While a project has unsaved changes the app writes a recovery copy here (never over the user's
file). After a crash, the next start lists what is pending and offers to restore it. A copy is
deleted once the project is saved or its changes are explicitly discarded. Each window writes
under its own key, so two running instances never overwrite each other's copy.

A copy that cannot be read (damaged, not a regular file, a time that cannot be shown) is
skipped and logged, never offered and never allowed to stop the start-up. A copy written by a
newer Tunewise is kept, not offered, and counted so the app can say so.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tunewise.core.files import atomic_write, read_regular
from tunewise.core.project import SCHEMA_VERSION, Project
from tunewise.core.storage import (
    MAX_FILE_BYTES,
    ProjectFileError,
    parse_document,
    project_from_document,
    quoted,
)

RECOVERY_FORMAT = "tunewise-recovery"
SUFFIX = ".recovery.json"
log = logging.getLogger("tunewise")


@dataclass(frozen=True)
class RecoveryEntry:
    key: str
    path: Path
    saved_at: datetime  # always aware, and shown in local time without overflowing
    source: Path | None  # the file the project was opened from, if any
    project: Project

    @property
    def title(self) -> str:
        return self.source.name if self.source else self.project.metadata.name


@dataclass(frozen=True)
class RecoveryScan:
    """What the recovery folder holds: copies to offer, and copies kept but not offered."""

    entries: list[RecoveryEntry] = field(default_factory=list)
    newer: list[Path] = field(default_factory=list)  # written by a newer Tunewise
    unreadable: list[Path] = field(default_factory=list)


class _Newer(Exception):
    pass


class RecoveryStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def write(self, key: str, project: Project, source: Path | None,
              now: datetime | None = None) -> Path:
        """Write (or replace) the recovery copy for one window; atomic like a normal save.

        Until the new copy is complete on disk, the previous copy under the same key stays.
        Raises OSError when the copy cannot be written.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        document = {
            "format": RECOVERY_FORMAT,
            "saved_at": (now or datetime.now(UTC)).isoformat(),
            "source": str(source) if source else None,
            "project": project.model_dump(mode="json"),
        }
        data = json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8")
        path = self.path(key)
        atomic_write(path, data)
        return path

    def discard(self, key: str) -> bool:
        """Delete one copy. False (and logged) when it is there but cannot be deleted."""
        try:
            self.path(key).unlink()
        except FileNotFoundError:
            return True
        except OSError as error:
            log.warning("Could not delete the recovery copy %s: %s", self.path(key),
                        error.strerror or error)
            return False
        return True

    def scan(self) -> RecoveryScan:
        """Every readable recovery copy, newest first, and the ones kept but not offered."""
        scan = RecoveryScan()
        try:
            paths = sorted(self.folder.glob(f"*{SUFFIX}"))
        except OSError:
            return scan
        for path in paths:
            try:
                scan.entries.append(self._read(path))
            except _Newer:
                log.info("Recovery copy %s was written by a newer Tunewise; kept", path)
                scan.newer.append(path)
            except (ProjectFileError, OSError, ValueError, KeyError, TypeError,
                    OverflowError) as error:
                log.warning("Skipped the recovery copy %s: %s", path, error)
                scan.unreadable.append(path)
        scan.entries.sort(key=lambda e: e.saved_at, reverse=True)
        return scan

    def pending(self) -> list[RecoveryEntry]:
        """Every readable recovery copy, newest first; unreadable ones are skipped."""
        return self.scan().entries

    def _read(self, path: Path) -> RecoveryEntry:
        name = quoted(path.name)
        doc = parse_document(read_regular(path, MAX_FILE_BYTES), name)
        if doc.get("format") != RECOVERY_FORMAT:
            raise ValueError("not a recovery file")
        inner = doc["project"]
        if not isinstance(inner, dict):
            raise ValueError("no project in the recovery file")
        version = inner.get("schema_version")
        if type(version) is int and version > SCHEMA_VERSION:
            raise _Newer(path)
        project = project_from_document(inner, name)
        saved_at = datetime.fromisoformat(str(doc["saved_at"]))
        if saved_at.tzinfo is None:
            raise ValueError("its time has no time zone")
        saved_at.astimezone(UTC)
        saved_at.astimezone()  # both must be showable: no overflow at either end of time
        source = doc.get("source")
        if source is not None and not isinstance(source, str):
            raise ValueError("its source is not a file name")
        return RecoveryEntry(key=path.name.removesuffix(SUFFIX), path=path, saved_at=saved_at,
                             source=Path(source) if source else None, project=project)
