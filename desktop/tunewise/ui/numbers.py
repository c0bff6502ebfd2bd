"""Numbers as the user types and reads them, in the user's locale (QLocale).

Group and decimal separators follow the locale. A percent sign (on a share) and the `k` and `M`
suffixes (on large counts and sums) are understood exactly where a field allows them; anything
else is refused with a message rather than guessed at. So `92,50` is not a number in an English
locale (its group separator is misplaced), `50k` is 50,000 where a suffix is allowed and refused
elsewhere, and `150%` of a share is 1.5, which the model then refuses as out of range.

Scaling goes through Decimal, so `0.3k` is exactly 300 and `7%` exactly 0.07.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QLocale

SUFFIXES: dict[str, Decimal] = {"k": Decimal(1000), "K": Decimal(1000), "M": Decimal(1_000_000)}
"""What `50k` and `2M` mean. A lower-case `m` is not here: it could be read as milli."""

SPACES = (" ", "\u00a0", "\u202f")
"""Spaces a user may type where the locale groups digits with one (fr_FR uses U+202F)."""


@dataclass(frozen=True)
class NumberKind:
    """What a number field accepts beyond plain digits."""

    integer: bool = False
    optional: bool = False
    percent: bool = False  # a share or fraction: "25%" is 0.25
    suffixes: bool = False  # a large count or sum: "50k" is 50,000
    money: bool = False  # a "$" before or after the amount is allowed


class ParseError(ValueError):
    """The text is not a number this field takes; the message names the field and what to type."""


def examples(locale: QLocale | None = None) -> str:
    """How numbers are written here, e.g. '1,500 or 0.25' (en_US) or '1.500 or 0,25' (de_DE)."""
    loc = locale or QLocale()
    return f"{loc.toString(1500)} or {loc.toString(0.25, 'f', 2)}"


def parse_number(text: str, kind: NumberKind, label: str = "This field",
                 locale: QLocale | None = None) -> float | int | None:
    """The number `text` spells in the locale, or ParseError; '' is None when optional."""
    loc = locale or QLocale()
    body = text.strip()
    if not body:
        if kind.optional:
            return None
        raise ParseError(f"{label} needs a number.")
    scale = Decimal(1)
    percent_sign = next((s for s in dict.fromkeys((loc.percent(), "%")) if body.endswith(s)), "")
    if percent_sign:
        if not kind.percent:
            raise ParseError(f"{label} is not a share: type it without “%”.")
        body, scale = body[: -len(percent_sign)].rstrip(), Decimal("0.01")
    elif body[-1] in SUFFIXES:
        if not kind.suffixes:
            raise ParseError(f"{label} takes the number in full, without “k” or “M”.")
        body, scale = body[:-1].rstrip(), SUFFIXES[body[-1]]
    if kind.money:
        body = body.removeprefix("$").removesuffix("$").strip()
    group = loc.groupSeparator()
    if group in SPACES:
        for space in SPACES:
            body = body.replace(space, group)
    value, ok = loc.toDouble(body)
    if not ok or not body or not math.isfinite(value):
        raise ParseError(f"{label} needs a number written like {examples(loc)}.")
    # repr() is the shortest text that reads back as the same double: the digits as typed.
    exact = Decimal(repr(value)) * scale
    if kind.integer:
        if exact != exact.to_integral_value():
            raise ParseError(f"{label} must be a whole number.")
        return int(exact)
    return float(exact)


def format_number(value: float | int | None, integer: bool = False,
                  locale: QLocale | None = None) -> str:
    """A number as the locale writes it, with every digit it has and no more ('' for None)."""
    if value is None:
        return ""
    loc = locale or QLocale()
    if integer or (float(value).is_integer() and abs(value) < 1e15):
        return loc.toString(int(value))
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return loc.toString(float(value), "f", decimals)
