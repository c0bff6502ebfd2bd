"""A horizontal stacked bar of one GPU's training memory, drawn against the card's memory.

The parts are memory.py's (weights, optimiser state, gradients, activations, overhead), each in
an Okabe-Ito hue moved just far enough from the window colour to stand 3:1 off it, so the bar
reads on a light and a dark window and follows a palette change while the app runs. A vertical
mark stands at one card's memory: the figure drawn is what each GPU holds, since a data-parallel
run keeps a whole copy on every card. Sizes are painted in logical pixels, which Qt scales by
the device pixel ratio, so lines and text keep their weight at 2x. Whether the run fits is the
core's answer (`feasibility.fit`, or `MemoryRow.fits`); the bar only draws and words it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from tunewise.core.gpu import feasibility, memory
from tunewise.core.gpu.analysis import MemoryRow
from tunewise.core.gpu.catalogue import Gpu
from tunewise.report.series import MEMORY_PART_COLOURS
from tunewise.ui.numbers import format_number
from tunewise.ui.theme import MARK_CONTRAST, mix, readable

# (part as memory.MemoryEstimate.parts() names it, label, hue); the bar stacks them in order.
PARTS: tuple[tuple[str, str, str], ...] = tuple(
    (key, label, MEMORY_PART_COLOURS[key]) for key, label in memory.PART_LABELS.items())
PART_LABELS = {key: label for key, label, _ in PARTS}


def gb(value_gib: float) -> str:
    """'10.8 GB' in the user's locale, always with one decimal (GiB, as cards report memory)."""
    return f"{QLocale().toString(float(value_gib), 'f', 1)} GB"


@dataclass(frozen=True)
class Breakdown:
    """What the bar draws: one GPU's memory at its peak by part, and the card it is compared
    with. The parts add up to the peak (memory.MemoryEstimate.parts): of gradients and
    activations only the larger is held at the peak, so the other is 0 and left out."""

    parts: tuple[tuple[str, float], ...]  # (part, GiB), in PARTS order
    total_gib: float  # the core's peak
    capacity_gib: float | None  # one card's memory; None when there is no card to compare
    card: str  # the card's name for the mark ("NVIDIA GeForce RTX 4080")
    fits: bool | None  # the core's answer for one card; None without a card
    cards: int = 1  # how many the plan has: past one, "does not fit" is about one card

    def summary(self) -> str:
        """'about 10.8 GB of 16 GB — fits', '… — does not fit: 2.3 GB short'."""
        need = f"about {gb(self.total_gib)}"
        if self.capacity_gib is None or self.fits is None:
            return f"{need} on each GPU"
        of = f"{need} of {format_number(self.capacity_gib)} GB"
        if self.fits:
            return f"{of} — fits"
        where = " on one card" if self.cards > 1 else ""
        return f"{of} — does not fit{where}: {gb(self.total_gib - self.capacity_gib)} short"

    def legend(self) -> list[tuple[str, str]]:
        """(part, words) as the legend shows them: ("weights", "Weights 5.3 GB")."""
        return [(key, f"{PART_LABELS[key]} {gb(size)}") for key, size in self.parts if size > 0]

    def described(self) -> str:
        """Every figure in words, for a screen reader and the tooltip."""
        parts = ", ".join(text for _, text in self.legend())
        against = f" against one {self.card}" if self.capacity_gib is not None else ""
        return f"Memory on each GPU{against}: {parts}; {self.summary()}."


def from_estimate(estimate: memory.MemoryEstimate, gpu: Gpu | None,
                  cards: int = 1) -> Breakdown:
    sizes = estimate.parts()
    parts = tuple((key, sizes[key] / memory.GIB) for key, _, _ in PARTS)
    if gpu is None:
        return Breakdown(parts, estimate.total_gib, None, "", None)
    return Breakdown(parts, estimate.total_gib, gpu.memory_gib, gpu.name,
                     feasibility.fit(estimate, gpu).fits, cards)


def from_row(row: MemoryRow, capacity_gib: float | None, card: str,
             cards: int = 1) -> Breakdown:
    parts = (("weights", row.weights_gib), ("trainable_state", row.trainable_state_gib),
             ("gradients", row.gradients_gib), ("activations", row.activations_gib),
             ("overhead", row.overhead_gib))
    return Breakdown(parts, row.total_gib, capacity_gib if row.fits is not None else None,
                     card, row.fits, cards)


def part_colours(palette: QPalette) -> dict[str, QColor]:
    window = palette.color(QPalette.ColorRole.Window)
    return {key: readable(QColor(hue), window, MARK_CONTRAST) for key, _, hue in PARTS}


@dataclass(frozen=True)
class _Layout:
    mark_label: QRectF
    bar: QRectF
    legend: list[tuple[QRectF, QRectF, str, str]]  # swatch, text box, part, text
    height: float


class MemoryBar(QWidget):
    """The stacked bar, the card's mark and a legend with each part's GB."""

    PAD = 2.0
    GAP = 6.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.breakdown: Breakdown | None = None
        self.setAccessibleName("Training memory on each GPU")
        sizing = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizing.setHeightForWidth(True)
        self.setSizePolicy(sizing)
        self.setMinimumWidth(240)

    def set_breakdown(self, breakdown: Breakdown | None) -> None:
        self.breakdown = breakdown
        words = breakdown.described() if breakdown is not None else ""
        self.setAccessibleDescription(words)
        self.setToolTip(words)
        self.updateGeometry()
        self.update()

    # ---- geometry -----------------------------------------------------------------------

    def legend(self) -> list[tuple[str, str]]:
        """(part, words) as the legend draws them: ("weights", "Weights 5.3 GB")."""
        return [] if self.breakdown is None else self.breakdown.legend()

    def _layout(self, width: float) -> _Layout:
        fm = QFontMetricsF(self.font())
        line = fm.height()
        top = self.PAD
        mark_label = QRectF(self.PAD, top, width - 2 * self.PAD, line)
        bar = QRectF(self.PAD, top + line + 4, max(width - 2 * self.PAD, 1.0),
                     max(20.0, line * 1.4))
        y = bar.bottom() + 4 + self.GAP
        x = self.PAD
        swatch = round(line * 0.75)
        legend: list[tuple[QRectF, QRectF, str, str]] = []
        for key, text in self.legend():
            item_width = swatch + 5 + fm.horizontalAdvance(text) + 2
            if x > self.PAD and x + item_width > width - self.PAD:
                x, y = self.PAD, y + line + 3
            legend.append((QRectF(x, y + (line - swatch) / 2, swatch, swatch),
                           QRectF(x + swatch + 5, y, item_width - swatch - 5, line), key, text))
            x += item_width + 14
        height = (y + line if legend else bar.bottom() + 4) + self.PAD
        return _Layout(mark_label, bar, legend, height)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(self._layout(float(width)).height + 0.999)

    def sizeHint(self) -> QSize:
        return QSize(420, self.heightForWidth(420))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.heightForWidth(240))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange,
                            QEvent.Type.StyleChange):
            self.updateGeometry()
            self.update()

    # ---- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        b = self.breakdown
        if b is None:
            return
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        text = readable(palette.color(QPalette.ColorRole.WindowText), window)
        outline = readable(mix(text, window, 0.35), window, MARK_CONTRAST)
        colours = part_colours(palette)
        layout = self._layout(float(self.width()))
        bar = layout.bar
        scale = max(b.total_gib, b.capacity_gib or 0.0, 1e-9) * 1.04

        def x_of(gib: float) -> float:
            return bar.left() + bar.width() * min(gib / scale, 1.0)

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font())
        # The empty track, then each part, with a thin line in the window colour between parts.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(mix(window, text, 0.06))
        painter.drawRect(bar)
        start = 0.0
        for key, size in b.parts:
            left, right = x_of(start), x_of(start + size)
            painter.setBrush(colours[key])
            painter.drawRect(QRectF(left, bar.top(), max(right - left, 0.0), bar.height()))
            start += size
        # A thin line in the window colour where one part ends and the next begins.
        painter.setPen(QPen(window, 1.0))
        start = 0.0
        for _key, size in b.parts[:-1]:
            start += size
            if size > 0:
                painter.drawLine(QPointF(x_of(start), bar.top()),
                                 QPointF(x_of(start), bar.bottom()))
        if b.capacity_gib is not None:
            cap = x_of(b.capacity_gib)
            if b.total_gib > b.capacity_gib:
                # What the card cannot hold, hatched over.
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QBrush(window, Qt.BrushStyle.BDiagPattern))
                painter.drawRect(QRectF(cap, bar.top(), x_of(b.total_gib) - cap, bar.height()))
            painter.setPen(QPen(text, 2.0))
            painter.drawLine(QPointF(cap, bar.top() - 4), QPointF(cap, bar.bottom() + 4))
            label = f"{b.card}: {format_number(b.capacity_gib)} GB"
            fm = QFontMetricsF(self.font())
            width = fm.horizontalAdvance(label) + 2
            room = layout.mark_label
            # Right-aligned to the mark when it fits on its left, else starting at the mark.
            left = cap - width - 3 if cap - width - 3 >= room.left() else cap + 4
            left = max(room.left(), min(left, room.right() - width))
            painter.setPen(text)
            painter.drawText(QRectF(left, room.top(), width, room.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        painter.setPen(QPen(outline, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(bar)
        for swatch, box, key, words in layout.legend:
            painter.setPen(QPen(outline, 1.0))
            painter.setBrush(colours[key])
            painter.drawRect(swatch)
            painter.setPen(text)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             words)
        painter.end()
