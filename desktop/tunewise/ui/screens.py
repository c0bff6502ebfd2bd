"""Fitting windows to the screen they open on.

Sizes remembered from a large monitor, or chosen for one, must not spill off a small one. Qt's
own restoreGeometry shrinks a window that does not fit to two thirds of the screen, which left a
cramped window with scroll bars; here a window that does not fit takes the whole available area
instead, and one that fits keeps its size and moves on screen if it has to.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

# The window manager's frame and title bar around a window, which Qt only learns once the
# window is shown; before that, leave this much room so the title bar stays on screen.
FRAME_ALLOWANCE = QSize(16, 40)


def screen_at(point: QPoint, widget: QWidget | None = None) -> QScreen:
    """The screen showing `point`, else the widget's screen, else the primary screen."""
    found = QGuiApplication.screenAt(point)
    if found is None and widget is not None:
        found = widget.screen()
    return found if found is not None else QGuiApplication.primaryScreen()


def fitted_size(wanted: QSize, available: QRect) -> QSize:
    """`wanted`, shrunk where it would not fit in `available` with its frame around it."""
    return QSize(min(wanted.width(), available.width() - FRAME_ALLOWANCE.width()),
                 min(wanted.height(), available.height() - FRAME_ALLOWANCE.height()))


def fitted_rect(wanted: QRect, available: QRect) -> QRect:
    """`wanted` (a window's inner geometry) moved and shrunk to lie within `available`.

    A window too big for the screen fills it rather than shrinking to some fraction of it.
    """
    size = fitted_size(wanted.size(), available)
    # The frame's left edge and title bar sit above and left of the inner geometry.
    side = FRAME_ALLOWANCE.width() // 2
    top = FRAME_ALLOWANCE.height() - side
    left = min(max(wanted.left(), available.left() + side),
               available.right() + 1 - side - size.width())
    upper = min(max(wanted.top(), available.top() + top),
                available.bottom() + 1 - side - size.height())
    return QRect(QPoint(left, upper), size)


def fit_window(window: QWidget, wanted: QRect) -> None:
    """Give `window` the geometry `wanted`, kept within the screen it would open on."""
    available = screen_at(wanted.center(), window).availableGeometry()
    window.setGeometry(fitted_rect(wanted, available))


def fit_dialog(dialog: QWidget, wanted: QSize, parent: QWidget | None) -> None:
    """Size a new window to `wanted` where the screen allows, centred over `parent`."""
    anchor = (parent.window().frameGeometry().center() if parent is not None
              else QGuiApplication.primaryScreen().availableGeometry().center())
    available = screen_at(anchor, parent).availableGeometry()
    rect = QRect(QPoint(0, 0), fitted_size(wanted, available))
    rect.moveCenter(anchor)
    dialog.setGeometry(fitted_rect(rect, available))
