"""Evidence from the team's own examples, in the app: import, look, put it in the plan.

`dialog.ImportDialog` reads a file on a worker thread (`worker.Job`) and shows the summary,
the problems table and the token histogram; `section.DatasetSection` is the Q4 page's part:
the Import button, where each measured figure came from, and a note when the file has gone
or changed. Measuring and concluding are core/dataset's; this package presents.

`open_import` is the one way in (the Q4 page, Re-import, a file dropped on the window): one
dialog per window, brought forward when it is already open. The dialog's module is imported
on first use, so start-up does not pay for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from tunewise.core.dataset.formats import CSV_EXTENSIONS

if TYPE_CHECKING:
    from tunewise.core.project import DatasetRef
    from tunewise.ui.controller import ProjectController
    from tunewise.ui.dataset.dialog import ImportDialog

DATASET_SUFFIXES = (".jsonl", *CSV_EXTENSIONS)
"""What a dropped file must end with to be imported: JSON lines, or a table the core reads."""


def is_dataset_file(path: Path) -> bool:
    return path.suffix.lower() in DATASET_SUFFIXES


def open_import(parent: QWidget, controller: ProjectController, path: Path | None = None,
                ref: DatasetRef | None = None) -> ImportDialog:
    """Show the import dialog of this window, starting from `path` when one is given."""
    from tunewise.ui.dataset.dialog import ImportDialog

    dialog = next((d for d in parent.findChildren(ImportDialog) if d.controller is controller),
                  None)
    if dialog is None:
        dialog = ImportDialog(controller, parent)
    if path is not None and not dialog.running():
        dialog.set_file(path, ref)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
