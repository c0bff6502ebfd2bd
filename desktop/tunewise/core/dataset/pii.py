"""Personal data in examples: e-mail addresses, phone numbers, card numbers and IBANs.

Found by pattern and then checked, so that order numbers, dates and prices do not count:
- a card number is 13-19 digits, optionally grouped with spaces or dashes, passing Luhn;
- an IBAN is a country code, two check digits and 11-30 letters or digits (groups of four may
  be spaced), passing the ISO 13616 mod-97 check;
- a phone number has 9-15 digits and looks like one: it starts with "+" (international), or
  is grouped with spaces, dashes, dots or a bracketed area code, or is one run of 10-11
  digits starting with 0 (a national number). Dates, dotted IP addresses, decimals and plain
  long numbers (an order id) are not phone numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tunewise.core.dataset.model import PiiFindings, PiiKind

KINDS: tuple[PiiKind, ...] = ("email", "phone", "card", "iban")
MAX_LINES = 100  # lines kept per kind

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
                    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
# Anything number-like: digits, with +, brackets, spaces, dashes or dots between them.
_NUMBER = re.compile(r"(?<![\w.+/-])\+?\(?\d[\d ().-]{6,24}\d(?![\w/]|[.,]\d)")
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_IP = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_GROUPS = re.compile(r"\d+")


def luhn(digits: str) -> bool:
    """The Luhn check of a string of digits."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if i % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def iban_valid(text: str) -> bool:
    """The ISO 13616 mod-97 check (spaces ignored)."""
    compact = text.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


def _card(candidate: str, digits: str) -> bool:
    if not 13 <= len(digits) <= 19 or "+" in candidate or "(" in candidate:
        return False
    if "." in candidate:
        return False
    return luhn(digits)


def _phone(candidate: str, digits: str) -> bool:
    if not 9 <= len(digits) <= 15:
        return False
    if _DATE.search(candidate) or _IP.fullmatch(candidate):
        return False
    if candidate.startswith("+"):
        return True
    groups = _GROUPS.findall(candidate)
    if len(groups) == 1:  # one run of digits: only a national number starting with 0
        return digits.startswith("0") and 10 <= len(digits) <= 11
    if any(len(g) > 5 for g in groups[1:]):  # 3.14159265, 12 345678901
        return False
    return "." not in candidate or all(2 <= len(g) <= 4 for g in groups)


# Bytes that can sit between the digits of a phone or card number: deleted before looking for
# a long run of digits; every other byte becomes a space, so words split the runs.
_SEPARATORS = b" ().-+"
_DIGITS = b"0123456789"
_ONLY_DIGITS = bytes(c if c in _DIGITS else 32 for c in range(256))


def _has_long_number(text: str) -> bool:
    """Whether the text has 9 or more digits joined only by separators: phone and card numbers
    need that, and so do IBANs (every country's account part has a run of 9+ digits). Cheap,
    so the patterns only run on the few texts that can match."""
    runs = text.encode("utf-8", "surrogatepass").translate(_ONLY_DIGITS, _SEPARATORS).split()
    return bool(runs) and max(map(len, runs)) >= 9


def find(text: str) -> dict[PiiKind, int]:
    """Occurrences of each kind in one text (kinds not found are left out)."""
    found: dict[PiiKind, int] = {}
    if "@" in text:
        emails = len(_EMAIL.findall(text))
        if emails:
            found["email"] = emails
    if not _has_long_number(text):
        return found
    shaped: list[tuple[int, int]] = []  # IBAN-shaped text, valid or not, is not a phone
    for match in _IBAN.finditer(text):
        shaped.append(match.span())
        if iban_valid(match.group()):
            found["iban"] = found.get("iban", 0) + 1
    for match in _NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in shaped):
            continue
        candidate = match.group().rstrip(" .-(")
        digits = "".join(_GROUPS.findall(candidate))
        if _card(candidate, digits):
            found["card"] = found.get("card", 0) + 1
        elif _phone(candidate, digits):
            found["phone"] = found.get("phone", 0) + 1
    return found


@dataclass
class PiiTally:
    """Personal data over a file: occurrences per kind, lines per kind, examples with any."""

    examples: int = 0
    kinds: dict[PiiKind, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    lines: dict[PiiKind, list[int]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def add(self, text: str, line: int) -> None:
        found = find(text)
        if not found:
            return
        self.examples += 1
        for kind, count in found.items():
            self.kinds[kind] += count
            kept = self.lines[kind]
            if len(kept) < MAX_LINES:
                kept.append(line)

    def findings(self) -> PiiFindings:
        return PiiFindings(count=self.examples, kinds=dict(self.kinds),
                           lines={k: list(v) for k, v in self.lines.items()})
