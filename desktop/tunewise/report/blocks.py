"""Small building blocks for the report's story: headings with bookmarks, tables, lists.

Every piece of user text passes through `styles.markup` (escaped) before it becomes a Paragraph;
the helpers here take plain strings and escape them, or take markup that the report wrote itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from tunewise.report.script import BidiParagraph, has_rtl, visual
from tunewise.report.styles import ACCENT, RULE, ZEBRA, markup, plain, styles

# A table row taller than a page may split inside the row, leaving at least this much (points)
# on either side; without it reportlab gives up on the whole document.
SPLIT_IN_ROW = 30


class Heading(Paragraph):  # type: ignore[misc]  # reportlab has no type hints
    """A section heading that also becomes an entry in the PDF's outline (bookmarks).

    A heading is one line of thought: line breaks in user text (a plan's name) become spaces,
    so it never grows taller than a page and never needs splitting.
    """

    def __init__(self, text: str, key: str, *, level: int = 0, style: str = "h1") -> None:
        text = " ".join(text.split("\n"))
        super().__init__(markup(visual(text)), styles()[style])
        self.outline_title = text
        self.outline_key = key
        self.outline_level = level


def para(text: str, style: str = "body") -> Flowable:
    """A paragraph of plain (user or report) text, escaped; right-to-left script shaped."""
    return text_paragraph(text, styles()[style])


def text_paragraph(text: str, style: ParagraphStyle, **kw: object) -> Flowable:
    """Plain text as a Paragraph, or as a BidiParagraph when it holds right-to-left script."""
    if has_rtl(text) and not kw:
        return BidiParagraph(plain(text), style)
    return Paragraph(markup(text), style, **kw)


LINES_PER_PIECE = 24
CHARS_PER_PIECE = 2400


def _pieces(text: str) -> list[str]:
    """Long text in pieces of a few lines each, cut at line ends (or spaces, if it must)."""
    pieces: list[str] = []
    lines: list[str] = []
    size = 0
    for line in text.split("\n"):
        while len(line) > CHARS_PER_PIECE:
            cut = line.rfind(" ", CHARS_PER_PIECE // 2, CHARS_PER_PIECE)
            cut = cut + 1 if cut > 0 else CHARS_PER_PIECE
            pieces.extend(["\n".join([*lines, line[:cut]])] if lines else [line[:cut]])
            lines, size, line = [], 0, line[cut:]
        if lines and (len(lines) >= LINES_PER_PIECE or size + len(line) > CHARS_PER_PIECE):
            pieces.append("\n".join(lines))
            lines, size = [], 0
        lines.append(line)
        size += len(line)
    pieces.append("\n".join(lines))
    return pieces


def long_text(text: str, style: str = "body") -> list[Flowable]:
    """User text of any length the schema allows (10,000 characters, thousands of lines).

    One Paragraph that long is laid out again for every page it is split over; pieces of a
    couple of dozen lines each keep a long note to one layout pass.
    """
    pieces = _pieces(text)
    if len(pieces) == 1:
        return [para(text, style)]
    base = styles()[style]
    joined = ParagraphStyle(f"{base.name}-piece", parent=base, spaceAfter=0)
    out = [text_paragraph(piece, joined) for piece in pieces[:-1]]
    out.append(text_paragraph(pieces[-1], base))
    return out


def rich(markup_text: str, style: str = "body") -> Paragraph:
    """A paragraph of markup the report composed; any user text inside must be pre-escaped."""
    return Paragraph(markup_text, styles()[style])


def bullets(items: Sequence[str], style: str = "bullet") -> list[Flowable]:
    return [Paragraph(markup(visual(item)), styles()[style], bulletText="•") for item in items]


Cell: TypeAlias = str | Flowable


def table(rows: Sequence[Sequence[Cell]], widths: Sequence[float], *,
          header: Sequence[str] | None = None, right: Sequence[int] = (),
          highlight: Sequence[int] = (), header_colour: colors.Color = ACCENT,
          zebra: bool = True) -> Table:
    """A report table: strings become wrapped, escaped paragraphs; numbers align right.

    `right` lists column indexes to right-align; `highlight` lists body row indexes to stress.
    """
    s = styles()
    data: list[list[Cell]] = []
    if header is not None:
        data.append([Paragraph(markup(h), s["head_right" if i in right else "head"])
                     for i, h in enumerate(header)])
    offset = 1 if header is not None else 0
    for r, row in enumerate(rows):
        stressed = r in highlight
        cells: list[Cell] = []
        for i, cell in enumerate(row):
            if isinstance(cell, str):
                name = ("cell_right" if i in right else "cell") + ("_bold" if stressed else "")
                cells.append(text_paragraph(cell, s[name]))
            else:
                cells.append(cell)
        data.append(cells)
    result = Table(data, colWidths=list(widths), repeatRows=offset, hAlign="LEFT",
                   splitInRow=SPLIT_IN_ROW)
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, offset), (-1, -1), 0.4, RULE),
    ]
    if header is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), header_colour))
    if zebra:
        for r in range(len(rows)):
            if r % 2 == 1:
                commands.append(("BACKGROUND", (0, r + offset), (-1, r + offset), ZEBRA))
    for r in highlight:
        commands.append(("BACKGROUND", (0, r + offset), (-1, r + offset),
                         colors.HexColor("#E3EEF3")))
        commands.append(("LINEBEFORE", (0, r + offset), (0, r + offset), 2.5, ACCENT))
    result.setStyle(TableStyle(commands))
    return result


def key_values(pairs: Sequence[tuple[str, Cell]], width: float, key_share: float = 0.3) -> Table:
    """Label / value rows, labels in bold."""
    s = styles()
    rows: list[list[Cell]] = []
    for key, value in pairs:
        cell = text_paragraph(value, s["cell"]) if isinstance(value, str) else value
        rows.append([Paragraph(markup(key), s["cell_bold"]), cell])
    result = Table(rows, colWidths=[width * key_share, width * (1 - key_share)], hAlign="LEFT",
                   splitInRow=SPLIT_IN_ROW)
    result.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]))
    return result


def boxed(flowables: list[Flowable], width: float, *, fill: colors.Color,
          edge: colors.Color) -> Table:
    """Flowables in a tinted box with a coloured left edge (callouts, the recommendation)."""
    result = Table([[flowables]], colWidths=[width], hAlign="LEFT")
    result.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("LINEBEFORE", (0, 0), (0, -1), 3, edge),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]))
    return result


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def gap(height: float = 6) -> Spacer:
    return Spacer(1, height)
