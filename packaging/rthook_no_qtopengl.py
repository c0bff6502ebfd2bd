"""Runtime hook of the frozen app: stand in for PySide6.QtOpenGL, which is not shipped.

pyqtgraph imports QtOpenGL by name when it loads (for PColorMeshItem's OpenGL path), but the
cost chart draws with QPainter and never touches it. The binding is 8.5 MB, so the bundle
leaves it out and this empty module answers the import; any real use raises ImportError.
QtOpenGLWidgets (0.1 MB) stays: pyqtgraph subclasses its QOpenGLWidget when it loads, and it
imports without the QtOpenGL binding.
"""

import sys
import types


class _NotShipped(types.ModuleType):
    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        raise ImportError(f"PySide6.QtOpenGL.{name} is not part of the Tunewise bundle")


sys.modules.setdefault("PySide6.QtOpenGL", _NotShipped("PySide6.QtOpenGL"))
