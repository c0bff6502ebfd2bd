"""Regenerate the Windows and macOS app icons from resources/icons/tunewise.svg.

    .venv/bin/python packaging/make_icons.py

Qt renders the SVG at each size (so small sizes are drawn, not shrunk from one bitmap) and
Pillow writes tunewise.ico (16-256 px) and tunewise.icns (16-1024 px). Run it after changing
the SVG and commit the results; the spec picks them up on Windows and macOS.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def _render(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage text and SVG need an app
    svg = ICONS / "tunewise.svg"
    images = {size: Image.open(io.BytesIO(_render(svg, size))).convert("RGBA")
              for size in sorted(set(ICO_SIZES + ICNS_SIZES))}
    largest = images[max(ICO_SIZES)]
    largest.save(ICONS / "tunewise.ico", format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                 append_images=[images[s] for s in ICO_SIZES])
    images[1024].save(ICONS / "tunewise.icns", format="ICNS",
                      append_images=[images[s] for s in ICNS_SIZES if s != 1024])
    print(f"wrote {ICONS / 'tunewise.ico'} and {ICONS / 'tunewise.icns'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
