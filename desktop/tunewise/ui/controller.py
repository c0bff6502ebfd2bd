"""The one object the window and every page talk to about the open project.

It owns the Project, its QUndoStack, the file path and the modified flag. Pages ask it to set one
field (`set_value`), or several as one undo step (`set_values`), by a typed path from
core/fieldpath.py; it validates through the pydantic model, records an undoable command,
re-evaluates and emits the new Evaluation. Pages never compute a verdict or a cost themselves.

Every change replaces the project with an edited copy, so each undo command can simply hold the
project before and after: undo and redo are exact, and nested dicts (approaches, price
overrides, sign notes) need no special undo code.

A field whose text the model refuses is "not applied": the controller takes back whatever that
run of typing had already changed (typing "5000" must not leave 500 in force), keeps the field on
its list of inputs not applied, and says so (`notAppliedChanged`) so the results can tell the
user that they show the last accepted values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from tunewise.core.evaluation import Evaluation, evaluate
from tunewise.core.fieldpath import FieldPath
from tunewise.core.project import Project, now_utc
from tunewise.core.storage import load_project, save_project
from tunewise.ui.limits import FieldName, refusal

Changed = tuple[FieldPath, ...] | None
"""The fields an edit changed, or None when the whole project changed (load, restore)."""

_MERGE_IDS: dict[FieldPath | tuple[FieldPath, ...], int] = {}


def merge_id(path: FieldPath | tuple[FieldPath, ...]) -> int:
    """A stable small integer per field (or set of fields), for QUndoCommand.id()."""
    return _MERGE_IDS.setdefault(path, len(_MERGE_IDS) + 1)


def field_name(path: FieldPath) -> FieldName:
    """A field named from its path alone, e.g. 'Retrain every months', when no editor names it."""
    words = path.name.replace("_", " ")
    return FieldName(words[0].upper() + words[1:])


@dataclass(frozen=True)
class NotApplied:
    """A field showing text the plan does not hold, because the model refused it."""

    path: FieldPath
    label: str  # as the user reads it, e.g. "Horizon" or "System prompt (RAG)"
    text: str  # what the field shows


def not_applied_sentence(entries: Sequence[NotApplied]) -> str:
    """Plain words for the results: which inputs are not applied, and what is shown instead."""
    if not entries:
        return ""
    names = ", ".join(e.label for e in entries)
    if len(entries) == 1:
        return f"Not applied: {names}. The results use its last accepted value."
    return f"Not applied: {names}. The results use their last accepted values."


class EditCommand(QUndoCommand):
    """One edit of one or more fields, holding the whole project before and after it."""

    def __init__(self, controller: ProjectController, changed: Changed, before: Project,
                 after: Project, text: str, merge: bool = False) -> None:
        super().__init__(text)
        self.controller = controller
        self.changed = changed
        self.merge = merge  # several fields that one editor sets together while typing
        self.before = before
        self.after = after
        self.sealed = False
        self._first = True

    def id(self) -> int:
        # Only single-field edits merge, or several set by one editor that asked to (a model
        # typed on Q1 that prompting follows); a batch, or a restore, stands alone.
        if self.changed is not None and len(self.changed) == 1:
            return merge_id(self.changed[0])
        if self.changed and self.merge:
            return merge_id(self.changed)
        return -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Consecutive typing in one field is one undo step, until the field loses focus.
        if (self.sealed or not isinstance(other, EditCommand) or self.id() == -1
                or other.changed != self.changed):
            return False
        self.after = other.after
        # Typing back to where the run started leaves nothing to undo: QUndoStack drops it.
        self.setObsolete(self.after == self.before)
        return True

    def redo(self) -> None:
        if self._first:  # the controller already installed `after` when it pushed us
            self._first = False
            return
        self.controller._install(self.after, self.changed)

    def undo(self) -> None:
        self.controller._install(self.before, self.changed)


class ProjectController(QObject):
    """Owns the open project; every edit goes through `set_value` or `set_values`."""

    evaluated = Signal(object)  # Evaluation, after every change
    projectReplaced = Signal()  # a different project was loaded or created
    pathChanged = Signal(object)  # Path | None
    modifiedChanged = Signal(bool)
    notAppliedChanged = Signal()  # the list of fields whose text is not applied changed

    def __init__(self, project: Project | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self._project = project or Project()
        self._path: Path | None = None
        self._evaluation = evaluate(self._project, strict=False)
        self.last_changed: Changed = None
        self._not_applied: dict[FieldPath, NotApplied] = {}

    # ---- reading ------------------------------------------------------------------------

    @property
    def project(self) -> Project:
        """The current project. Treat it as read-only: edit through set_value(s)."""
        return self._project

    @property
    def evaluation(self) -> Evaluation:
        return self._evaluation

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def value(self, path: FieldPath) -> Any:
        return path.read(self._project)

    def document_name(self) -> str:
        return self._path.name if self._path else "Untitled"

    # ---- editing ------------------------------------------------------------------------

    def not_applied(self) -> tuple[NotApplied, ...]:
        """Fields showing text the plan does not hold, in the order they were refused."""
        return tuple(self._not_applied.values())

    def set_value(self, path: FieldPath, value: Any, text: str = "",
                  name: FieldName | None = None) -> str | None:
        """Set one field. Returns None when accepted, or the message saying why not.

        The message names the field (`name`, as its editor labels it) with its range and unit.
        A refused value leaves the project exactly as it was.
        """
        return self.set_values(((path, value),), text, {path: name} if name else None)

    def set_values(self, changes: Sequence[tuple[FieldPath, Any]], text: str = "",
                   names: dict[FieldPath, FieldName] | None = None, *,
                   merge: bool = False) -> str | None:
        """Set several fields as one undo step, all or nothing.

        Returns None when every value was accepted, or the message saying why not, naming the
        refused field. A refused value leaves the project exactly as it was. With `merge`, a
        run of such edits of the same fields (typing in one editor that sets several) is one
        undo step until `seal`, as typing in a single field is.
        """
        if all(path.read(self._project) == value for path, value in changes):
            self._applied(path for path, _ in changes)
            return None
        candidate = self._project.model_copy(deep=True)
        for path, value in changes:
            try:
                path.apply(candidate, value)
            except ValidationError as error:
                name = (names or {}).get(path) or field_name(path)
                return refusal(path, error, name)
        paths = tuple(dict.fromkeys(path for path, _ in changes))
        command = EditCommand(self, paths, self._project, candidate,
                              text or "Edit " + ", ".join(field_name(p).label.lower()
                                                          for p in paths), merge)
        self._install(candidate, paths)
        self.undo_stack.push(command)
        return None

    def refuse(self, path: FieldPath, label: str, text: str) -> None:
        """The field at `path` shows `text`, which the model refused: none of it may stay.

        Whatever the current run of typing in that field already changed (the accepted prefix
        "500" of a refused "5000") is taken back, and the field is listed as not applied until
        it is accepted, reloaded, or the project is replaced.
        """
        top = self.undo_stack.command(self.undo_stack.index() - 1)
        if isinstance(top, EditCommand) and not top.sealed and top.changed == (path,):
            self.set_values(((path, path.read(top.before)),))
        entry = NotApplied(path, label, text)
        if self._not_applied.get(path) != entry:
            self._not_applied[path] = entry
            self.notAppliedChanged.emit()

    def _applied(self, paths: Iterable[FieldPath]) -> None:
        """These fields now show what the plan holds."""
        gone = [p for p in paths if p in self._not_applied]
        for path in gone:
            del self._not_applied[path]
        if gone:
            self.notAppliedChanged.emit()

    def seal(self) -> None:
        """End the current typing run: the next edit starts a new undo step."""
        top = self.undo_stack.command(self.undo_stack.index() - 1)
        if isinstance(top, EditCommand):
            top.sealed = True

    def _install(self, project: Project, changed: Changed) -> None:
        self._project = project
        self.last_changed = changed
        self._evaluation = evaluate(project, strict=False)
        # The fields of this change show the plan's value again (an undo reloads them).
        self._applied(list(self._not_applied) if changed is None else changed)
        self.evaluated.emit(self._evaluation)

    def reevaluate(self) -> None:
        """Evaluate the same project again, after the price data changed under it.

        Nothing in the plan changed, so there is nothing to undo, and fields showing refused
        text keep it (an empty change list, not None, which would reload every field).
        """
        self._evaluation = evaluate(self._project, strict=False)
        self.last_changed = ()
        self.evaluated.emit(self._evaluation)

    def _clean_changed(self, clean: bool) -> None:
        self.modifiedChanged.emit(not clean)

    # ---- whole documents ----------------------------------------------------------------

    def replace(self, project: Project, path: Path | None) -> None:
        """Show a different project; the undo history starts afresh."""
        self.undo_stack.clear()
        self._path = path
        self._install(project, None)
        self.undo_stack.setClean()
        self.projectReplaced.emit()
        self.pathChanged.emit(path)
        self.modifiedChanged.emit(False)

    def restore(self, recovered: Project, path: Path | None, on_disk: Project | None) -> None:
        """Show work recovered after a crash: unsaved, and one undo away from the file's state."""
        base = on_disk if on_disk is not None else Project()
        self.replace(base, path)
        command = EditCommand(self, None, base, recovered, "Restore unsaved changes")
        command.sealed = True
        self._install(recovered, None)
        self.undo_stack.push(command)

    def new(self) -> None:
        self.replace(Project(), None)

    def open(self, path: Path) -> None:
        """Load a file; raises ProjectFileError and leaves the open project as it was."""
        project = load_project(path)
        self.replace(project, path)

    def save(self, path: Path | None = None) -> None:
        """Save to `path` or the current path; raises ProjectFileError on failure."""
        target = path or self._path
        if target is None:
            raise ValueError("no file name to save to")
        stamped = self._project.model_copy(deep=True)
        stamped.metadata.modified = now_utc()
        save_project(stamped, target)
        self._project = stamped
        self._evaluation = evaluate(stamped, strict=False)
        self.undo_stack.setClean()
        if target != self._path:
            self._path = target
            self.pathChanged.emit(target)
        self.modifiedChanged.emit(False)

