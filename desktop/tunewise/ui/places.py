"""Where file pickers start, and the file names they suggest.

Saving and exporting start next to the plan they belong to. A plan never saved, or one of the
bundled examples (which are never written over), starts in the user's Documents folder; never in
the process's current folder, which for a desktop launch is wherever the launcher ran.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from tunewise.ui.files.safety import is_bundled_example

FALLBACK_STEM = "Tunewise plan"


def documents_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()


def start_folder(project_path: Path | None) -> Path:
    """The folder of the open plan, else Documents."""
    if project_path is None or is_bundled_example(project_path):
        return documents_folder()
    return project_path.parent


def safe_stem(name: str) -> str:
    """A plan's name as a file name: characters file systems refuse become spaces."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).strip(" .")
    stem = re.sub(r"\s+", " ", stem)[:80].strip()
    return stem or FALLBACK_STEM


def suggested_path(project_path: Path | None, file_name: str) -> str:
    """`file_name` in the folder a picker for this plan starts in, as the picker wants it."""
    return str(start_folder(project_path) / file_name)
