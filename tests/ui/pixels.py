"""Reading colours off rendered widgets: what a user would see, measured in pixels.

Contrast is WCAG 2's ratio, worked out here from the pixels (not with the app's own helper).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage


def rgb(image: QImage) -> np.ndarray:
    """An (h, w, 3) array of 0-255 ints in device pixels."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    w, h = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), dtype=np.uint32,
                        count=h * image.bytesPerLine() // 4).reshape(h, -1)[:, :w]
    return np.stack([(raw >> 16) & 255, (raw >> 8) & 255, raw & 255], axis=-1).astype(int)


def grab(widget: Any, rect: QRect | None = None) -> np.ndarray:
    pixmap = widget.grab(rect) if rect is not None else widget.grab()
    return rgb(pixmap.toImage())


def luminance(colour: np.ndarray) -> np.ndarray:
    c = np.asarray(colour, dtype=float) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return np.asarray(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    la, lb = luminance(a), luminance(b)
    return np.asarray((np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05))


def background(pixels: np.ndarray) -> np.ndarray:
    """The most common colour of an area."""
    flat = pixels.reshape(-1, 3)
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    return np.asarray(colours[counts.argmax()])


def text_contrast(pixels: np.ndarray) -> float:
    """How far the strongest ink in an area stands off its background: glyph cores are drawn in
    the full text colour, so this is the text's contrast."""
    bg = background(pixels)
    return float(contrast(pixels.reshape(-1, 3), bg).max())
