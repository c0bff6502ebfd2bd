"""Before the window opens: can Qt start here? Say what is missing instead of a Qt abort.

Run by `make run`. Silent with exit code 0 when all is well. When Qt would use its xcb (X11)
platform plugin, every shared library the plugin needs is resolved with ldd; missing ones are
named together with the Debian/Ubuntu packages that provide them. A missing display is reported
too, with the headless alternatives.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# Library soname prefix -> Debian package that provides it.
DEBIAN_PACKAGES: dict[str, str] = {
    "libxcb-icccm.so": "libxcb-icccm4",
    "libxcb-keysyms.so": "libxcb-keysyms1",
    "libxcb-image.so": "libxcb-image0",
    "libxcb-render-util.so": "libxcb-render-util0",
    "libxcb-xinerama.so": "libxcb-xinerama0",
    "libxcb-cursor.so": "libxcb-cursor0",
    "libxkbcommon-x11.so": "libxkbcommon-x11-0",
    "libxkbcommon.so": "libxkbcommon0",
    "libxcb-randr.so": "libxcb-randr0",
    "libxcb-shape.so": "libxcb-shape0",
    "libxcb-xfixes.so": "libxcb-xfixes0",
    "libxcb-sync.so": "libxcb-sync1",
    "libxcb-shm.so": "libxcb-shm0",
    "libxcb-render.so": "libxcb-render0",
    "libxcb-xkb.so": "libxcb-xkb1",
    "libxcb-util.so": "libxcb-util1",
    "libxcb-glx.so": "libxcb-glx0",
    "libxcb-xinput.so": "libxcb-xinput0",
    "libxcb.so": "libxcb1",
    "libX11-xcb.so": "libx11-xcb1",
    "libX11.so": "libx11-6",
    "libSM.so": "libsm6",
    "libICE.so": "libice6",
    "libEGL.so": "libegl1",
    "libGL.so": "libgl1",
    "libOpenGL.so": "libopengl0",
    "libGLX.so": "libglx0",
    "libfontconfig.so": "libfontconfig1",
    "libfreetype.so": "libfreetype6",
    "libdbus-1.so": "libdbus-1-3",
    "libglib-2.0.so": "libglib2.0-0",
}
ALL_XCB_PACKAGES = (
    "libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0 "
    "libxcb-cursor0 libxkbcommon-x11-0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-sync1 "
    "libegl1 libfontconfig1 libdbus-1-3 libgl1"
)


def platform_name() -> str:
    """The platform plugin Qt will pick, as far as it can be told without starting Qt."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if chosen:
        return chosen
    if sys.platform != "linux":
        return sys.platform
    wayland = os.environ.get("WAYLAND_DISPLAY") and os.environ.get("XDG_SESSION_TYPE") == "wayland"
    return "wayland" if wayland else "xcb"


def qt_folder() -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    return Path(PySide6.__file__).resolve().parent / "Qt"


def missing_libraries(plugin: Path) -> list[str]:
    """Sonames ldd cannot resolve for the plugin and everything it loads."""
    if shutil.which("ldd") is None:
        return []
    result = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=False)
    missing = []
    for line in result.stdout.splitlines():
        if "=> not found" in line:
            name = line.split("=>")[0].strip()
            if name not in missing:
                missing.append(name)
    return missing


def package_for(soname: str) -> str:
    for prefix, package in DEBIAN_PACKAGES.items():
        if soname.startswith(prefix):
            return package
    return "(unknown: search with apt-file search " + soname + ")"


def main() -> int:
    platform = platform_name()
    if platform in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb") or sys.platform != "linux":
        return 0
    problems: list[str] = []
    if platform == "xcb":
        qt = qt_folder()
        plugin = qt / "plugins" / "platforms" / "libqxcb.so" if qt else None
        if plugin is None or not plugin.exists():
            problems.append("PySide6 is not installed in this environment (or lacks its xcb "
                            "platform plugin); run `make run` again to set up .venv.")
        else:
            missing = missing_libraries(plugin)
            if missing:
                packages = sorted({package_for(m) for m in missing})
                problems.append(
                    "Qt's X11 (xcb) platform plugin cannot load; these system libraries are "
                    "missing:\n    " + "\n    ".join(missing) + "\n"
                    "On Debian or Ubuntu install them with:\n"
                    "    sudo apt-get install " + " ".join(packages) + "\n"
                    "(the full list Qt's xcb plugin may need: " + ALL_XCB_PACKAGES + ")")
        if not os.environ.get("DISPLAY"):
            problems.append(
                "There is no X display (DISPLAY is not set"
                + (" and WAYLAND_DISPLAY is set but Qt is using xcb" if
                   os.environ.get("WAYLAND_DISPLAY") else ", nor WAYLAND_DISPLAY") + ").\n"
                "Run Tunewise from a desktop session, or headless with "
                "QT_QPA_PLATFORM=offscreen, or under a virtual display: xvfb-run make run")
    elif platform == "wayland" and not os.environ.get("WAYLAND_DISPLAY"):
        problems.append("QT_QPA_PLATFORM is wayland but WAYLAND_DISPLAY is not set.")
    if not problems:
        return 0
    print("Tunewise cannot open its window here:\n", file=sys.stderr)
    print("\n\n".join(problems), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
