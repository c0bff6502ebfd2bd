"""Where the app keeps its own files: settings, recovery copies and logs, per platform.

Never inside a project's folder. `TUNEWISE_HOME` moves everything under one folder (tests and
portable installs use it); otherwise the platform's conventions apply.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

HOME_ENV = "TUNEWISE_HOME"


def _override() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value) if value else None


def data_dir() -> Path:
    """The platform's per-user app-data folder for Tunewise."""
    override = _override()
    if override is not None:
        return override / "data"
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(location) if location else Path.home() / ".tunewise"


def recovery_dir() -> Path:
    return data_dir() / "recovery"


def log_dir() -> Path:
    """The platform's log folder: ~/.local/state on Linux, ~/Library/Logs on macOS."""
    override = _override()
    if override is not None:
        return override / "logs"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / "Tunewise"
    if sys.platform == "win32":
        return data_dir() / "Logs"
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "tunewise" / "log"


def app_settings() -> QSettings:
    """The app's own settings (recent files, window geometry).

    With `TUNEWISE_HOME` set they are an ini file under it, so a test or a portable install
    leaves the platform's settings store alone; otherwise the platform's native store is used.
    """
    override = _override()
    if override is not None:
        return QSettings(str(override / "settings" / "tunewise.ini"), QSettings.Format.IniFormat)
    return QSettings()
