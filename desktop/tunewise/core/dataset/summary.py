"""A DatasetReport in plain text, as `tunewise dataset inspect` prints it without --json."""

from __future__ import annotations

from collections import Counter

from tunewise.core.dataset.formats import label
from tunewise.core.dataset.model import DatasetReport

MAX_PROBLEM_LINES = 20


def _size(size: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def report_text(report: DatasetReport) -> str:
    """Every figure of the report, one subject a line, then the first problems."""
    tokens = report.tokens
    lines = [
        f"{report.file.name}: {label(report.format)}, {report.records:,} records, "
        f"{_size(report.file.size)}, SHA-256 {report.file.sha256}",
        f"Measured on {report.measured_on.isoformat()}"
        + (" (cancelled: the figures cover the part read)" if report.cancelled else ""),
    ]
    kinds = Counter(p.kind for p in report.invalid)
    by_kind = ", ".join(f"{kind} {count:,}" for kind, count in kinds.most_common())
    lines.append(f"Valid: {report.valid:,}; invalid: {report.invalid_count:,}"
                 + (f" ({by_kind})" if by_kind else ""))
    lines.append(f"Duplicates: {report.duplicates:,} exact, {report.near_duplicates:,} near; "
                 f"good examples: {report.good_examples:,}")
    approximate = " (an approximation: the model is not OpenAI's)" if tokens.approximate else ""
    lines.append(f"Tokens ({tokens.encoding}){approximate}: {tokens.total:,} over valid "
                 f"examples; per example mean {tokens.mean:,.0f}, median {tokens.p50:,.0f}, "
                 f"p95 {tokens.p95:,.0f}, max {tokens.max:,}")
    lines.append(f"Training set: {report.training_tokens:,} tokens in good examples (one "
                 f"epoch); per example {report.mean_input_tokens:,.0f} input and "
                 f"{report.mean_output_tokens:,.0f} output tokens on average")
    if report.context_limit is not None:
        lines.append(f"Over the context of {report.context_limit:,} tokens: "
                     f"{report.over_context:,}")
    pii = report.pii
    found = ", ".join(f"{kind} {count:,}" for kind, count in pii.kinds.items())
    lines.append(f"Personal data: {pii.count:,} examples ({found})")
    if report.labels is not None:
        lines.append("Labels: " + ", ".join(f"{name!r} {count:,}"
                                            for name, count in report.labels.items()))
    if report.invalid:
        lines.append("Problems:")
        lines += [f"  line {p.line}: {p.problem}" for p in report.invalid[:MAX_PROBLEM_LINES]]
        if len(report.invalid) > MAX_PROBLEM_LINES:
            lines.append(f"  … {len(report.invalid) - MAX_PROBLEM_LINES:,} more problems "
                         "(--json lists them)")
    return "\n".join(lines)
