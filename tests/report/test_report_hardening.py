"""The report prints whatever the schema accepts: long notes, right-to-left script, characters
its font lacks, and costs in the trillions and beyond. Regression tests of issue 11, items 7,
19 and 20; the text checked is what pypdf reads back from the PDF.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from tests.conftest import REPO
from tests.core.helpers import bare_approach, fine_tuning_answers
from tunewise.core.project import (
    SIGNS_AGAINST,
    SIGNS_FOR,
    Answers,
    CostInputs,
    Metadata,
    PriceOverride,
    Project,
)
from tunewise.core.storage import save_project
from tunewise.report.pdf import build_report


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _with_notes(project: Project, note: str) -> Project:
    copy = project.model_copy(deep=True)
    copy.answers.sign_notes = {sign: note for sign in (*SIGNS_FOR, *SIGNS_AGAINST)}
    return copy


# ---- 7: any note the schema accepts lays out -------------------------------------------------

@pytest.mark.parametrize("note", [
    ("word " * 396)[:1979] + "ENDNOTE",  # the 1,980 characters that broke the report
    ("lorem ipsum " * 900)[:9993] + "ENDNOTE",
    "W" * 9993 + "ENDNOTE",  # one word, no place to break a line
    "line\n" * 1998 + "ENDNOTE",
], ids=["1980 characters", "10000 characters", "one long word", "2000 lines"])
def test_the_longest_notes_print_in_full(support_bot: Project, note: str) -> None:
    project = _with_notes(support_bot, note)
    project.notes = note
    project.metadata.use_case = note
    text = text_of(build_report(project, paper="a4"))
    # Every note prints to its end: 11 sign notes, the plan's notes and its use case. (A word
    # longer than a line is broken anywhere, so the marker may be too.)
    assert text.replace(" ", "").count("ENDNOTE") == 13
    assert "Your notes in full" in text


def test_a_short_note_stays_in_its_table_row(support_bot: Project) -> None:
    text = text_of(build_report(_with_notes(support_bot, "Short and sweet."), paper="a4"))
    assert text.count("Short and sweet.") == 11 and "Your notes in full" not in text


def test_the_cli_prints_a_report_with_a_long_note(tmp_path: Path, support_bot: Project) -> None:
    path = tmp_path / "plan.tunewise"
    save_project(_with_notes(support_bot, "word " * 396), path)
    out = tmp_path / "plan.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "tunewise", "report", str(path), "-o", str(out)],
        capture_output=True, text=True, cwd=REPO, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO / "desktop")})
    assert (result.returncode, result.stderr) == (0, "")
    assert out.read_bytes().startswith(b"%PDF-")


# ---- 19: right-to-left script and characters the font lacks -----------------------------------

# pypdf reads right-to-left runs back into reading order (it reverses what is drawn right to
# left), so a correctly printed word reads back as typed, and one printed as typed (drawn in
# logical order, the old failure) reads back reversed.

def test_hebrew_prints_in_reading_order(support_bot: Project) -> None:
    project = support_bot.model_copy(deep=True)
    project.metadata.author = "שלום"  # shin, lamed, vav, final mem: read right to left
    text = text_of(build_report(project, paper="a4"))
    assert "\u05e9\u05dc\u05d5\u05dd" in text
    assert "\u05dd\u05d5\u05dc\u05e9" not in text


def test_arabic_prints_joined_and_in_reading_order(support_bot: Project) -> None:
    project = support_bot.model_copy(deep=True)
    project.metadata.author = "باب"  # ba, alef, ba ("door")
    text = text_of(build_report(project, paper="a4"))
    # Joined forms: initial ba, final alef, then an isolated ba (alef never joins forward).
    assert "\ufe91\ufe8e\ufe8f" in text
    assert "باب" not in text


def test_a_long_right_to_left_note_wraps_in_reading_order(support_bot: Project) -> None:
    letters = "אבגדהוזחטיכלמנסעפצקרשת"
    words = [a + b + c for a in letters[:5] for b in letters[5:10] for c in letters[10:16]]
    project = support_bot.model_copy(deep=True)
    project.notes = " ".join(words)  # 150 distinct words, several printed lines
    text = text_of(build_report(project, paper="a4"))
    # Read line by line, the note starts with its first words and ends with its last.
    positions = [text.find(f" {word} ") for word in (words[0], words[len(words) // 2],
                                                     words[-2])]
    assert -1 not in positions and positions == sorted(positions), positions


def test_characters_the_font_lacks_are_named(support_bot: Project) -> None:
    project = support_bot.model_copy(deep=True)
    project.metadata.author = "你好 🦊"
    text = text_of(build_report(project, paper="a4"))
    assert "The report's font has no glyph for 3 characters in this plan" in text
    for name in ("CJK UNIFIED IDEOGRAPH-4F60 (U+4F60)", "CJK UNIFIED IDEOGRAPH-597D (U+597D)",
                 "FOX FACE (U+1F98A)"):
        assert name in text


def test_a_plan_the_font_covers_says_nothing_about_glyphs(support_bot: Project) -> None:
    project = support_bot.model_copy(deep=True)
    project.metadata.author = "Zoë Ωmega Привет 😀"
    assert "has no glyph" not in text_of(build_report(project, paper="a4"))


# ---- 20: costs far beyond any real plan are still readable ------------------------------------

def _enormous() -> Project:
    dear = PriceOverride(input=10_000, output=10_000, fine_tuned_input=10_000,
                         fine_tuned_output=10_000)
    costs = CostInputs(
        requests_per_day=100_000_000, monthly_growth=2.0, horizon_days=3650,
        approaches={"prompt_engineering": bare_approach("big", user_input_tokens=2_000_000,
                                                        output_tokens=2_000_000),
                    "fine_tuning": bare_approach("big", user_input_tokens=2_000_000,
                                                 output_tokens=2_000_000)},
        price_overrides={"big": dear})
    return Project(metadata=Metadata(name="Enormous"), answers=Answers(**fine_tuning_answers()),
                   costs=costs)


def test_the_chart_labels_enormous_costs_readably() -> None:
    text = text_of(build_report(_enormous(), paper="a4"))
    labels = re.findall(r"\$\d+(?:\.\d+)?×10[⁰¹²³⁴⁵⁶⁷⁸⁹]+", text)
    assert len(labels) >= 3, labels
    assert "e+" not in text
