"""Where Tunewise's resources live: a source checkout, an installed wheel or a frozen bundle.

Everything that reads a bundled file (price tables, fonts, icons, example projects) asks this
module, so the three ways of running the app resolve resources in one place.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The folder holding price tables, fonts, icons and example projects."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    here = Path(__file__).resolve().parent
    candidates = []
    if frozen_root is not None:
        candidates.append(Path(frozen_root) / "resources")
    candidates += [
        here / "resources",  # installed wheel: force-included next to the package
        here.parent.parent / "resources",  # source checkout: desktop/tunewise -> repo root
    ]
    for candidate in candidates:
        if (candidate / "prices").is_dir():
            return candidate
    raise FileNotFoundError(
        "Tunewise cannot find its resources folder; looked in: "
        + ", ".join(str(c) for c in candidates)
    )


def resource(*parts: str) -> Path:
    """Path of one bundled resource, e.g. resource("examples", "support-bot.tunewise")."""
    return resources_dir().joinpath(*parts)


def example_project(name: str = "support-bot") -> Path:
    return resource("examples", f"{name}.tunewise")


HOME_ENV = "TUNEWISE_HOME"


def user_data_dir() -> Path:
    """The per-user folder for data Tunewise fetches or is given (prices, catalogues).

    The same folder as the app's recovery copies: `TUNEWISE_HOME`/data when that is set (tests,
    portable installs), otherwise where Qt's AppLocalDataLocation points for organisation and
    application "Tunewise", worked out here without Qt so the core and the CLI can use it.
    """
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override) / "data"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Tunewise" / "Tunewise"
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "Tunewise" / "Tunewise"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "Tunewise" / "Tunewise"
