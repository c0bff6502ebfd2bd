"""Where Tunewise's resources live: a source checkout, an installed wheel or a frozen bundle.

Everything that reads a bundled file (price tables, fonts, icons, example projects) asks this
module, so the three ways of running the app resolve resources in one place.
"""

from __future__ import annotations

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
