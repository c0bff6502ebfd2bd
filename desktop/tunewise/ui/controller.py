"""The one object the window and every page talk to about the open project.

It owns the Project, its QUndoStack, the file path and the modified flag. Pages ask it to set one
field (`set_value`); it validates through the pydantic model, records an undoable command,
re-evaluates and emits the new Evaluation. Pages never compute a verdict or a cost themselves.

Every change replaces the project with an edited copy, so each undo command can simply hold the
project before and after: undo and redo are exact, and nested dicts (approaches, price
overrides, sign notes) need no special undo code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from tunewise.core.evaluation import Evaluation, evaluate
from tunewise.core.project import Project, now_utc
from tunewise.core.storage import load_project, save_project

FieldPath = tuple[str, ...]

_MERGE_IDS: dict[FieldPath, int] = {}


def merge_id(path: FieldPath) -> int:
    """A stable small integer per field, for QUndoCommand.id()."""
    return _MERGE_IDS.setdefault(path, len(_MERGE_IDS) + 1)


def validation_message(error: ValidationError) -> str:
    """The first problem pydantic found, as one short sentence."""
    problem = error.errors()[0]
    message = str(problem["msg"])
    if problem["type"] == "string_too_short":
        return "This cannot be empty."
    return message[0].upper() + message[1:] + "."


def read_value(project: Project, path: FieldPath) -> Any:
    """The current value at a field path; missing dict entries read as their defaults."""
    obj: Any = project
    for i, part in enumerate(path):
        if isinstance(obj, dict):
            if path[:i] == ("costs", "approaches"):
                obj = project.costs.approach(part)  # type: ignore[arg-type]
                continue
            obj = obj.get(part)
            if obj is None:
                return None
        else:
            obj = getattr(obj, part)
    return obj


def _apply(project: Project, path: FieldPath, value: Any) -> None:
    """Set one field on `project` in place; pydantic validates and raises on a bad value."""
    head = path[:2]
    if head == ("costs", "approaches"):
        approach, field = path[2], path[3]
        spec = project.costs.approach(approach).model_copy()  # type: ignore[arg-type]
        setattr(spec, field, value)
        project.costs.approaches = {**project.costs.approaches, approach: spec}
        return
    if head == ("costs", "price_overrides"):
        from tunewise.core.project import PriceOverride

        model, field = path[2], path[3]
        overrides = dict(project.costs.price_overrides)
        entry = overrides.get(model, PriceOverride()).model_copy()
        setattr(entry, field, value)
        if any(v is not None for v in entry.model_dump().values()):
            overrides[model] = entry
        else:
            overrides.pop(model, None)
        project.costs.price_overrides = overrides
        return
    if head == ("answers", "sign_notes"):
        notes = dict(project.answers.sign_notes)
        if value:
            notes[path[2]] = value
        else:
            notes.pop(path[2], None)
        project.answers.sign_notes = notes  # type: ignore[assignment]
        return
    obj: Any = project
    for part in path[:-1]:
        obj = getattr(obj, part)
    assert isinstance(obj, BaseModel)
    setattr(obj, path[-1], value)


class EditCommand(QUndoCommand):
    """One edit of one field, holding the whole project before and after it."""

    def __init__(self, controller: ProjectController, path: FieldPath, before: Project,
                 after: Project, text: str) -> None:
        super().__init__(text)
        self.controller = controller
        self.path = path
        self.before = before
        self.after = after
        self.sealed = False
        self._first = True

    def id(self) -> int:
        return merge_id(self.path)

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Consecutive typing in one field is one undo step, until the field loses focus.
        if self.sealed or not isinstance(other, EditCommand) or other.path != self.path:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        if self._first:  # the controller already installed `after` when it pushed us
            self._first = False
            return
        self.controller._install(self.after, self.path)

    def undo(self) -> None:
        self.controller._install(self.before, self.path)


class ProjectController(QObject):
    """Owns the open project; every edit goes through `set_value`."""

    evaluated = Signal(object)  # Evaluation, after every change
    projectReplaced = Signal()  # a different project was loaded or created
    pathChanged = Signal(object)  # Path | None
    modifiedChanged = Signal(bool)

    def __init__(self, project: Project | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self._project = project or Project()
        self._path: Path | None = None
        self._evaluation = evaluate(self._project, strict=False)
        self.last_changed: FieldPath | None = None

    # ---- reading ------------------------------------------------------------------------

    @property
    def project(self) -> Project:
        """The current project. Treat it as read-only: edit through set_value."""
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
        return read_value(self._project, path)

    def document_name(self) -> str:
        return self._path.name if self._path else "Untitled"

    # ---- editing ------------------------------------------------------------------------

    def set_value(self, path: FieldPath, value: Any, text: str = "") -> str | None:
        """Set one field. Returns None when accepted, or the message saying why not.

        A refused value leaves the project exactly as it was.
        """
        if read_value(self._project, path) == value:
            return None
        candidate = self._project.model_copy(deep=True)
        try:
            _apply(candidate, path, value)
        except ValidationError as error:
            return validation_message(error)
        command = EditCommand(self, path, self._project, candidate,
                              text or f"Edit {path[-1].replace('_', ' ')}")
        self._install(candidate, path)
        self.undo_stack.push(command)
        return None

    def seal(self) -> None:
        """End the current typing run: the next edit starts a new undo step."""
        top = self.undo_stack.command(self.undo_stack.index() - 1)
        if isinstance(top, EditCommand):
            top.sealed = True

    def _install(self, project: Project, changed: FieldPath | None) -> None:
        self._project = project
        self.last_changed = changed
        self._evaluation = evaluate(project, strict=False)
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
        command = EditCommand(self, (), base, recovered, "Restore unsaved changes")
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

