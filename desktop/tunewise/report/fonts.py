"""The bundled DejaVu Sans font, registered once with reportlab.

reportlab's built-in Helvetica only covers Latin-1; DejaVu Sans prints Greek, Cyrillic and
accented Latin. Both faces are embedded (subset) in every report, so the PDF looks the same on
any machine.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from tunewise.paths import resource

REGULAR = "TunewiseSans"
BOLD = "TunewiseSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the regular and bold faces (once per process); return their names."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(resource("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(resource("fonts", "DejaVuSans-Bold.ttf"))))
    # <b> and <i> in Paragraph markup look the family up; there is no italic face bundled, so
    # italic maps to the upright faces rather than failing.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
