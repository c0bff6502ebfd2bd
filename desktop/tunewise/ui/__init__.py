"""The desktop app: PySide6 and pyqtgraph live here and nowhere else.

On CPython before 3.12, PySide6 6.12 returns None from every void method (setText, drawLine,
setPen, ...) without taking a reference to it, so each call lowers None's reference count by one.
Python 3.12 made None immortal and does not notice; on 3.11 a few thousand calls (one repaint of
the cost chart makes hundreds) bring the count to zero and the process aborts with "Fatal Python
error: none_dealloc". Until the app runs on 3.12+ or a fixed PySide6, None is given the same
effective immortality here, before any Qt call: its count is raised so far that it cannot reach
zero. This changes nothing else: None is never freed in a healthy interpreter anyway.
"""

from __future__ import annotations

import ctypes
import sys

_IMMORTAL_MARGIN = 1 << 60


def _keep_singletons_alive() -> None:
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    # True and False suffer the same way (seen as "bool_dealloc" when the interpreter exits).
    for singleton in (None, True, False, NotImplemented, Ellipsis):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _IMMORTAL_MARGIN:
            refcount.value += _IMMORTAL_MARGIN


_keep_singletons_alive()
