"""Notes on the signs against fine-tuning are typed on the Constraints page and kept."""

from __future__ import annotations

from typing import Any

from tunewise.core.fieldpath import SignNote
from tunewise.core.texts import SIGN_LABELS


def test_note_on_a_sign_against_is_stored_and_undoable(ui: Any) -> None:
    ui.type(SignNote("no_gpu_budget"), "Finance approves GPU spend in Q3")
    project = ui.window.controller.project
    assert project.answers.sign_notes["no_gpu_budget"] == "Finance approves GPU spend in Q3"
    note = ui.field(SignNote("no_gpu_budget"))
    assert note.line.accessibleName() == f"Note on {SIGN_LABELS['no_gpu_budget']}"
    ui.window.undo_action.trigger()
    assert "no_gpu_budget" not in ui.window.controller.project.answers.sign_notes
