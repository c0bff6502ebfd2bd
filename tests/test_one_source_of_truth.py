"""Conclusions live in core: the app and the report only present the Assessment.

A static check over ui/ and report/ for the kinds of logic the first release wrote twice:
thresholds, verdicts worked out from answers, payback and crossing arithmetic, and the
flowchart's shape spelled out by question id.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PRESENTERS = [REPO / "desktop" / "tunewise" / "ui", REPO / "desktop" / "tunewise" / "report"]
# Names that only the engine may use: thresholds, the flowchart, payback and crossing helpers.
ENGINE_ONLY = {
    "FLOWCHART", "Thresholds", "few_shot_ratio", "few_shot_close_call", "examples_to_fine_tune",
    "examples_minimum", "long_prompt_tokens", "many_requests_per_day", "payback_days",
    "crossing", "featured_pairs", "VETOES", "SUGGESTIBLE", "DERIVED",
    "COMBINATION_RULES", "assess", "walk",
}
# Ordering these is deciding something (cheaper, passes, enough examples, pays back).
DECIDING_ATTRS = {"total_at_horizon", "per_request", "upfront", "ratio", "score", "target",
                  "example_count", "cumulative", "requests_per_day"}
# Comparing these with a literal id is re-deriving the verdict.
VERDICT_ATTRS = {"approach", "flowchart_outcome", "combination", "combination_candidate",
                 "stopped_at", "confidence", "question"}
QUESTION_IDS = {"q1", "q2", "q3", "q4"}


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(REPO)
    found: list[str] = []
    page_keys: set[int] = set()
    for node in ast.walk(tree):
        # `key = "q1"` binds a wizard page to its question; that is a name, not a rule.
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "key"):
            page_keys.add(id(node.value))
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name) and node.id in ENGINE_ONLY:
            found.append(f"{where}:{line} uses {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in ENGINE_ONLY:
            found.append(f"{where}:{line} uses .{node.attr}")
        elif isinstance(node, ast.alias) and node.name in ENGINE_ONLY:
            found.append(f"{where} imports {node.name}")
        elif isinstance(node, ast.Constant) and node.value in QUESTION_IDS \
                and id(node) not in page_keys:
            found.append(f"{where}:{line} spells out question {node.value!r}")
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            attrs = {o.attr for o in operands if isinstance(o, ast.Attribute)}
            ordering = any(isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE)
                           for op in node.ops)
            if ordering and attrs & DECIDING_ATTRS:
                found.append(f"{where}:{line} orders {sorted(attrs & DECIDING_ATTRS)}")
            literal = any(isinstance(o, ast.Constant) and isinstance(o.value, str)
                          for o in operands)
            if literal and attrs & VERDICT_ATTRS:
                found.append(f"{where}:{line} compares {sorted(attrs & VERDICT_ATTRS)} "
                             "with a literal")
    return found


def test_no_threshold_verdict_crossing_or_payback_logic_outside_core() -> None:
    problems = [p for folder in PRESENTERS for path in sorted(folder.rglob("*.py"))
                for p in _problems(path)]
    assert problems == []


def test_the_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = REPO / "desktop" / "tunewise" / "ui" / "_sample_for_test.py"
    sample.write_text(
        "from tunewise.core.flowchart import FLOWCHART\n"
        "class Page:\n    key = 'q1'\n"
        "def f(a, costs):\n"
        "    if a.flowchart_outcome == 'fine_tuning': pass\n"
        "    if costs.approaches['rag'].total_at_horizon <= 3: pass\n"
        "    return 'q3', costs.payback_days()\n", encoding="utf-8")
    try:
        problems = _problems(sample)
    finally:
        sample.unlink()
    assert len(problems) == 5, problems  # the import, its use, compare, order, 'q3', payback
