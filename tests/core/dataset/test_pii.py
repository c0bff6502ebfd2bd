"""Personal data: what counts as an e-mail, phone, card number or IBAN, and what does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.dataset.helpers import chat, write_jsonl
from tunewise.core.dataset.inspect import inspect
from tunewise.core.dataset.pii import find, iban_valid, luhn


def test_luhn_and_iban_checksums() -> None:
    assert luhn("4111111111111111") and not luhn("4111111111111112")
    assert luhn("79927398713") and not luhn("79927398710")
    assert iban_valid("GB82 WEST 1234 5698 7654 32")
    assert not iban_valid("GB82 WEST 1234 5698 7654 33")
    assert iban_valid("DE89370400440532013000") and not iban_valid("DE89370400440532013001")


@pytest.mark.parametrize(("text", "expected"), [
    ("mail jo.smith+news@example.co.uk today", {"email": 1}),
    ("two: a@b.io and c_d@mail.example.org", {"email": 2}),
    ("not an address: user@ or @example.com or a@b", {}),
    ("card 4111 1111 1111 1111 please", {"card": 1}),
    ("card 4111-1111-1111-1111", {"card": 1}),
    ("card 4111111111111112 fails Luhn", {}),
    ("pay to GB82 WEST 1234 5698 7654 32 now", {"iban": 1}),
    ("pay to GB82WEST12345698765432", {"iban": 1}),
    ("pay to GB82 WEST 1234 5698 7654 33 (bad check digits)", {}),
    ("call +44 20 7946 0958", {"phone": 1}),
    ("call (555) 123-4567 or 555-123-4567", {"phone": 2}),
    ("appelez le 06 12 34 56 78 ou 0612345678", {"phone": 2}),
    ("order 123456789012 shipped", {}),
    ("on 2024-12-01 and 12/05/2024 at 10:30", {}),
    ("server 192.168.100.200 is down", {}),
    ("pi is 3.14159265358979", {}),
    ("it costs 1,299,000,000 dollars", {}),
])
def test_what_is_found(text: str, expected: dict[str, int]) -> None:
    assert find(text) == expected


def test_counts_per_kind_and_lines_in_a_file(tmp_path: Path) -> None:
    records = [chat("My mail is jo@example.org", "Thanks."),                    # email
               chat("Nothing personal here.", "Good."),
               chat("Card 4111 1111 1111 1111, mail jo@example.org", "Noted."),  # card+email
               chat("Ring +44 20 7946 0958", "Will do."),                        # phone
               chat("IBAN DE89 3704 0044 0532 0130 00", "Received.")]            # iban
    report = inspect(write_jsonl(tmp_path / "pii.jsonl", records))
    pii = report.pii
    assert pii.count == 4
    assert pii.kinds == {"email": 2, "phone": 1, "card": 1, "iban": 1}
    assert pii.lines == {"email": [1, 3], "phone": [4], "card": [3], "iban": [5]}
