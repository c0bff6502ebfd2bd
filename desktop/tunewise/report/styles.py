"""Paper sizes, colours, paragraph styles and the one way user text enters Paragraph markup."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from tunewise.report.fonts import register_fonts

Paper = Literal["a4", "letter"]
PAGE_SIZES: dict[Paper, tuple[float, float]] = {"a4": A4, "letter": LETTER}

# Territories that use US Letter (from the CLDR paper-size data); everywhere else uses A4.
LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "CR", "GT", "PA", "PR",
                                "SV", "VE", "DO", "NI", "BZ"})

MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#5F6B7A")
RULE = colors.HexColor("#C9D1DA")
ACCENT = colors.HexColor("#0B4F6C")  # headings, the highlighted decision path
ACCENT_LIGHT = colors.HexColor("#E3EEF3")
ZEBRA = colors.HexColor("#F4F6F8")
GOOD = colors.HexColor("#1E7B4F")
WARN = colors.HexColor("#9A5B00")
WARN_LIGHT = colors.HexColor("#FDF3E1")
BAD = colors.HexColor("#A3292A")
BAD_LIGHT = colors.HexColor("#FBE9E9")


def default_paper(environ: Mapping[str, str] | None = None) -> Paper:
    """Letter where the locale's territory uses it, else A4.

    POSIX precedence: LC_ALL overrides LC_PAPER, which overrides LANG.
    """
    env = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_PAPER", "LANG"):
        value = env.get(variable, "").strip()
        if not value:
            continue
        match = re.match(r"^[A-Za-z]{2,3}_([A-Za-z]{2})\b", value)
        if match is None:
            return "a4"  # "C", "POSIX" or a bare language: no territory to go by
        return "letter" if match.group(1).upper() in LETTER_TERRITORIES else "a4"
    return "a4"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    """User text made safe for canvas drawing: no control characters, tabs as spaces."""
    return _CONTROL.sub("", text.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n"))


def markup(text: str) -> str:
    """User text made safe for Paragraph markup: escaped, line breaks kept."""
    return escape(plain(text)).replace("\n", "<br/>")


@cache
def styles() -> dict[str, ParagraphStyle]:
    regular, bold = register_fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13.5, textColor=INK,
                          spaceAfter=5, alignment=TA_LEFT, splitLongWords=True)

    def derive(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "title": derive("title", fontName=bold, fontSize=22, leading=27, textColor=ACCENT,
                        spaceAfter=4),
        "subtitle": derive("subtitle", fontSize=11, leading=15, textColor=MUTED, spaceAfter=12),
        "h1": derive("h1", fontName=bold, fontSize=14, leading=18, textColor=ACCENT,
                     spaceBefore=14, spaceAfter=6, keepWithNext=1),
        "h2": derive("h2", fontName=bold, fontSize=10.5, leading=14, textColor=INK,
                     spaceBefore=8, spaceAfter=4, keepWithNext=1),
        "small": derive("small", fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=3),
        "cell": derive("cell", fontSize=8.5, leading=11, spaceAfter=0),
        "cell_bold": derive("cell_bold", fontName=bold, fontSize=8.5, leading=11, spaceAfter=0),
        "cell_right": derive("cell_right", fontSize=8.5, leading=11, spaceAfter=0,
                             alignment=TA_RIGHT),
        "cell_right_bold": derive("cell_right_bold", fontName=bold, fontSize=8.5, leading=11,
                                  spaceAfter=0, alignment=TA_RIGHT),
        "cell_muted": derive("cell_muted", fontSize=7.5, leading=9.5, textColor=MUTED,
                             spaceAfter=0),
        "head": derive("head", fontName=bold, fontSize=8, leading=10, textColor=colors.white,
                       spaceAfter=0),
        "head_right": derive("head_right", fontName=bold, fontSize=8, leading=10,
                             textColor=colors.white, spaceAfter=0, alignment=TA_RIGHT),
        "banner_label": derive("banner_label", fontName=bold, fontSize=8, leading=10,
                               textColor=colors.white, spaceAfter=2),
        "banner": derive("banner", fontName=bold, fontSize=14, leading=18,
                         textColor=colors.white, spaceAfter=0),
        "bullet": derive("bullet", leftIndent=12, bulletIndent=0, spaceAfter=3),
        "check": derive("check", fontSize=12, leading=12, spaceAfter=0),
    }
