"""One module per registered analysis (named by its id), each with a function
`section(ctx, result) -> list[Flowable]` that prints the analysis's result.

See core/analyses.py and docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import importlib

from reportlab.platypus import Flowable

from tunewise.core.analyses import SECTION_PACKAGE
from tunewise.report.context import Context


def analysis_sections(ctx: Context) -> list[Flowable]:
    """The sections of every analysis the evaluation has a result for, in registry order."""
    story: list[Flowable] = []
    for analysis_id, result in ctx.evaluation.analyses.items():
        module = importlib.import_module(f"{SECTION_PACKAGE}.{analysis_id}")
        story += module.section(ctx, result)
    return story
