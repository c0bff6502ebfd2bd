"""Small building blocks for the report's story: headings with bookmarks, tables, lists.

Every piece of user text passes through `styles.markup` (escaped) before it becomes a Paragraph;
the helpers here take plain strings and escape them, or take markup that the report wrote itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from tunewise.report.styles import ACCENT, RULE, ZEBRA, markup, styles


class Heading(Paragraph):  # type: ignore[misc]  # reportlab has no type hints
    """A section heading that also becomes an entry in the PDF's outline (bookmarks)."""

    def __init__(self, text: str, key: str, *, level: int = 0, style: str = "h1") -> None:
        super().__init__(markup(text), styles()[style])
        self.outline_title = text
        self.outline_key = key
        self.outline_level = level


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain (user or report) text, escaped."""
    return Paragraph(markup(text), styles()[style])


def rich(markup_text: str, style: str = "body") -> Paragraph:
    """A paragraph of markup the report composed; any user text inside must be pre-escaped."""
    return Paragraph(markup_text, styles()[style])


def bullets(items: Sequence[str], style: str = "bullet") -> list[Flowable]:
    return [Paragraph(markup(item), styles()[style], bulletText="•") for item in items]


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
                cells.append(Paragraph(markup(cell), s[name]))
            else:
                cells.append(cell)
        data.append(cells)
    result = Table(data, colWidths=list(widths), repeatRows=offset, hAlign="LEFT")
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
        cell = Paragraph(markup(value), s["cell"]) if isinstance(value, str) else value
        rows.append([Paragraph(markup(key), s["cell_bold"]), cell])
    result = Table(rows, colWidths=[width * key_share, width * (1 - key_share)], hAlign="LEFT")
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
