"""User text as the report prints it: right-to-left scripts shaped and in reading order, and
the characters the report's font cannot print, by name.

A PDF holds glyphs in drawing order. Arabic and Hebrew are typed in logical order, so printed
as typed they come out backwards, and Arabic letters unjoined. Lines holding right-to-left
letters are therefore shaped (arabic-reshaper picks each letter's joined form) and reordered
(python-bidi's Unicode bidirectional algorithm) one printed line at a time: a paragraph is
wrapped first, in logical order, and each line then put in visual order, so a long note
wraps in the order it is read.

The bundled DejaVu Sans has Latin, Greek, Cyrillic, Arabic, Hebrew and many symbols, but no
Chinese, Japanese or Korean and not every emoji; rather than print silent boxes, the report
names the characters it cannot print.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_display
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph

from tunewise.core.project import Project
from tunewise.report.fonts import register_fonts

_RTL = frozenset({"R", "AL"})
_STRONG = frozenset({"L", "R", "AL"})
MAX_NAMED = 12


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in _RTL for char in text)


def starts_rtl(text: str) -> bool:
    """Whether the text's first letter with a direction is right-to-left (its base direction)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG:
            return kind in _RTL
    return False


def shaped(text: str) -> str:
    """Arabic letters in their joined forms; other text unchanged."""
    return str(arabic_reshaper.reshape(text)) if has_rtl(text) else text


def visual_line(line: str) -> str:
    """One printed line in drawing order (shaping first, if it has not been done)."""
    if not has_rtl(line):
        return line
    return str(get_display(shaped(line), base_dir="R" if starts_rtl(line) else "L"))


def visual(text: str) -> str:
    """Text for a single printed line (a header, a chart label), in drawing order."""
    return "\n".join(visual_line(line) for line in text.split("\n"))


class BidiParagraph(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """A paragraph of user text holding right-to-left script.

    Wrapped in logical order at the width it is given, then each line put in visual order,
    right-aligned when the text starts right-to-left; the lines are then an ordinary
    Paragraph, which splits across pages as usual.
    """

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self._inner: Paragraph | None = None
        self._width: float | None = None

    def _paragraph(self, width: float) -> Paragraph:
        if self._inner is None or self._width != width:
            lines: list[str] = []
            for logical in self.text.split("\n"):
                if not logical.strip():
                    lines.append("")
                    continue
                base = "R" if starts_rtl(logical) else "L"
                for piece in simpleSplit(shaped(logical), self.style.fontName,
                                         self.style.fontSize, width) or [""]:
                    lines.append(str(get_display(piece, base_dir=base)))
            style = self.style
            if starts_rtl(self.text):
                style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
            self._inner = Paragraph("<br/>".join(escape(line) for line in lines), style)
            self._width = width
        return self._inner

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return tuple(self._paragraph(available_width).wrap(available_width, available_height))

    def split(self, available_width: float, available_height: float) -> list[Any]:
        return list(self._paragraph(available_width).split(available_width, available_height))

    def draw(self) -> None:
        if self._inner is not None:
            self._inner.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)


# ---- characters the font cannot print --------------------------------------------------------

def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def project_text(project: Project) -> Iterator[str]:
    """Every piece of text in a project that the report may print."""
    yield from _strings(project.model_dump(mode="json"))


def unprintable(texts: Iterable[str]) -> list[str]:
    """The characters in `texts` that the report's fonts have no glyph for, by code point.

    Line breaks and tabs are layout, not glyphs; other control characters are dropped before
    printing, so neither counts.
    """
    regular, bold = register_fonts()
    faces = [pdfmetrics.getFont(name).face.charToGlyph for name in (regular, bold)]
    seen: dict[str, None] = {}
    for text in texts:
        for char in set(shaped(text)):
            if char in seen or unicodedata.category(char) == "Cc":
                continue
            if any(ord(char) not in face for face in faces):
                seen[char] = None
    return sorted(seen, key=ord)


def character_name(char: str) -> str:
    """'CJK UNIFIED IDEOGRAPH-4F60 (U+4F60)'."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    return f"{name} ({code})" if name else code


def unprintable_sentence(chars: list[str]) -> str:
    """What the report says about characters it cannot print; '' when there are none."""
    if not chars:
        return ""
    named = ", ".join(character_name(char) for char in chars[:MAX_NAMED])
    more = len(chars) - MAX_NAMED
    tail = f", and {more} more" if more > 0 else ""
    return (f"The report's font has no glyph for {len(chars)} character"
            f"{'s' if len(chars) != 1 else ''} in this plan, so "
            f"{'they print' if len(chars) != 1 else 'it prints'} as an empty box: "
            f"{named}{tail}. The plan file keeps them as typed.")
