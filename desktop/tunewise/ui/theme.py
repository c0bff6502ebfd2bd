"""Colours worked out from the palette, and the note box painted with them.

Nothing here is a light or a dark colour: every colour is derived from the palette of the widget
being painted, when it is painted, so a palette change (the system switching to dark, or
`QApplication.setPalette`) redraws everything in the new colours. Contrast follows WCAG 2:
text stands at least 4.5:1 off its background, lines and marks at least 3:1.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QLabel, QWidget

TEXT_CONTRAST = 4.5
MARK_CONTRAST = 3.0

Role = QPalette.ColorRole


def luminance(colour: QColor) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio, 1 (the same) to 21 (black on white)."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def mix(a: QColor, b: QColor, share_of_b: float) -> QColor:
    """a with `share_of_b` of b blended in (0 is a, 1 is b)."""
    t = min(max(share_of_b, 0.0), 1.0)
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                           a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t,
                           a.alphaF() + (b.alphaF() - a.alphaF()) * t)


def is_dark(background: QColor) -> bool:
    return luminance(background) < 0.18


def readable(colour: QColor, background: QColor, minimum: float = TEXT_CONTRAST) -> QColor:
    """`colour`, moved toward black or white just far enough to stand `minimum`:1 off the
    background; the hue stays recognisable."""
    if contrast(colour, background) >= minimum:
        return QColor(colour)
    target = QColor("white") if is_dark(background) else QColor("black")
    for step in range(1, 21):
        moved = mix(colour, target, step / 20)
        if contrast(moved, background) >= minimum:
            return moved
    return target


def tint(palette: QPalette, share: float, group: QPalette.ColorGroup | None = None) -> QColor:
    """The base colour with a share of the highlight colour: a quiet accent for boxes."""
    current = palette.currentColorGroup() if group is None else group
    return mix(palette.color(current, Role.Base), palette.color(current, Role.Highlight), share)


def muted_text(palette: QPalette, background: QColor) -> QColor:
    """Secondary text: half way to the background, but still readable on it."""
    text = palette.color(Role.WindowText)
    return readable(mix(text, background, 0.4), background, TEXT_CONTRAST)


def accent(palette: QPalette, background: QColor) -> QColor:
    """The highlight colour as a line or border on `background` (at least 3:1)."""
    return readable(palette.color(Role.Highlight), background, MARK_CONTRAST)


class NoteBox(QLabel):
    """A label in a quietly tinted box: the wizard's live notes.

    The box is painted from the palette on every paint (no style sheet with fixed colours), and
    the text uses the Text role, which the palette makes readable on its Base colour.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setForegroundRole(Role.Text)

    def fill_colour(self) -> QColor:
        return tint(self.palette(), 0.10)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        fill = self.fill_colour()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(mix(fill, palette.color(Role.Highlight), 0.45), 1.0))
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 3.0, 3.0)
        painter.end()
        super().paintEvent(event)


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style, for looking at every screen dark where the platform
    gives none (the offscreen platform, a desktop without a platform theme)."""
    palette = QPalette()
    colours = {
        Role.Window: "#303030", Role.WindowText: "#e8e8e8", Role.Base: "#242424",
        Role.AlternateBase: "#2c2c2c", Role.ToolTipBase: "#3a3a3a", Role.ToolTipText: "#e8e8e8",
        Role.PlaceholderText: "#9c9c9c", Role.Text: "#e8e8e8", Role.Button: "#3a3a3a",
        Role.ButtonText: "#e8e8e8", Role.BrightText: "#ff6b6b", Role.Light: "#505050",
        Role.Midlight: "#444444", Role.Mid: "#2a2a2a", Role.Dark: "#1e1e1e",
        Role.Shadow: "#141414", Role.Highlight: "#3d7fc1", Role.HighlightedText: "#ffffff",
        Role.Link: "#7cb7f0", Role.LinkVisited: "#b59cf0", Role.Accent: "#3d7fc1",
    }
    for role, name in colours.items():
        palette.setColor(role, QColor(name))
    disabled = QPalette.ColorGroup.Disabled
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(disabled, role, QColor("#7a7a7a"))
    palette.setColor(disabled, Role.Highlight, QColor("#505050"))
    return palette
