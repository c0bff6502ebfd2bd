"""Labels for every id Tunewise uses (approaches, questions, signs) and the qualitative rows.

The GUI, the report and the CLI all take their words from here so the three agree; the
sentences about one assessment are in explain.py.
"""

from __future__ import annotations

import math

APPROACH_LABELS: dict[str, str] = {
    "prompt_engineering": "Prompt engineering",
    "rag": "Retrieval (RAG)",
    "fine_tuning": "Fine-tuning",
    "fine_tuning+rag": "Fine-tuning + RAG",
    "fine_tuning+prompt_engineering": "Fine-tuning + prompting",
    "all_three": "All three combined",
    "collect_data": "Collect data (prompting meanwhile)",
    "revisit_problem": "Revisit the problem definition",
    "answer_questions": "Answer the questions first",
}

# Outcomes in the small flowchart beside the wizard, where room is short.
OUTCOME_SHORT: dict[str, str] = {
    "prompt_engineering": "Prompt engineering",
    "rag": "RAG",
    "revisit_problem": "Revisit the problem",
    "fine_tuning": "Fine-tune",
    "collect_data": "Collect data, prompt meanwhile",
    "answer_questions": "Answer the questions",
}

CONFIDENCE_LABELS: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}

SIGN_LABELS: dict[str, str] = {
    "style_voice": "A fixed tone or voice",
    "domain_jargon": "Specialist vocabulary",
    "output_format": "A strict output format",
    "latency": "Tight latency budget",
    "cost_at_scale": "Cost at high volume",
    "task_reasoning": "A set way of reasoning",
    "small_dataset": "Too few good examples",
    "changing_requirements": "Requirements still moving",
    "general_knowledge": "Needs broad or current facts",
    "no_eval_criteria": "No way to measure quality yet",
    "no_gpu_budget": "No GPU budget for the training run",
}

SIGN_HELP: dict[str, str] = {
    "style_voice": "Every answer must sound the same way: clinical, on-brand, formal.",
    "domain_jargon": "Your field's terms trip the base model up or come out stilted.",
    "output_format": "Outputs must match an exact schema, template or layout every time.",
    "latency": "A long instruction prompt makes each response too slow.",
    "cost_at_scale": "Many requests a day, each carrying a long prompt you pay for again.",
    "task_reasoning": "The model has to follow your team's method step by step.",
    "small_dataset": "Worked out from your example count and quality.",
    "changing_requirements": "What 'good' means changes every week or two.",
    "general_knowledge": "Answers depend on facts that are broad, large or change often.",
    "no_eval_criteria": "Nobody can yet say how a good answer is told from a bad one.",
    "no_gpu_budget": "Worked out from the GPU plan: whether the model and method fit the card.",
}

MAINTENANCE_BURDEN: dict[str, str] = {
    "prompt_engineering": "Low",
    "rag": "High",
    "fine_tuning": "Medium",
    "fine_tuning+rag": "High",
    "fine_tuning+prompt_engineering": "Medium",
    "all_three": "High",
}
MAINTENANCE_WHY: dict[str, str] = {
    "prompt_engineering": "edit the prompt and ship",
    "rag": "chunking, embeddings and index refreshes",
    "fine_tuning": "periodic retraining and evaluation",
    "fine_tuning+rag": "retraining plus an index to keep fresh",
    "fine_tuning+prompt_engineering": "retraining plus prompt upkeep",
    "all_three": "model, index and prompt all need care",
}
QUALITY_CONSISTENCY: dict[str, str] = {
    "prompt_engineering": "Medium",
    "rag": "Medium-High",
    "fine_tuning": "High",
    "fine_tuning+rag": "High",
    "fine_tuning+prompt_engineering": "High",
    "all_three": "High",
}


def lower_label(label: str) -> str:
    """A label inside a sentence: 'Fine-tuning + RAG' -> 'fine-tuning + RAG' (acronyms kept)."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def money(value: float) -> str:
    """USD with thousands separators; sub-cent amounts keep enough digits to mean something;
    a negative amount reads -$1,234.50 (a gap between two costs can be)."""
    if value < 0:
        return "-" + money(-value)
    value = abs(value)  # -0.0 reads $0.00
    if abs(value) < 1 and value != 0:
        return f"${value:,.5f}".rstrip("0").rstrip(".") if abs(value) < 0.01 else f"${value:,.4f}"
    return f"${value:,.2f}"


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def short_money(value: float) -> str:
    """Axis labels: $0, $750, $12k, $1.5M, $3B, $250T; beyond that $2.5 times 10 to the 27."""
    if value >= 1e15:
        exponent = math.floor(math.log10(value))
        mantissa = value / 10.0**exponent
        if round(mantissa, 2) >= 10:
            mantissa, exponent = mantissa / 10, exponent + 1
        text = f"{mantissa:.2f}".rstrip("0").rstrip(".")
        return f"${text}\N{MULTIPLICATION SIGN}10{str(exponent).translate(_SUPERSCRIPT)}"
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            text = f"{value / size:.2f}".rstrip("0").rstrip(".")
            return f"${text}{suffix}"
    return f"${value:,.0f}"


def percent(value: float) -> str:
    return f"{value * 100:.1f}%".replace(".0%", "%")


def headline(approach: str, combination: str | None) -> str:
    main = APPROACH_LABELS[approach]
    if combination:
        return f"{main}, best combined as {lower_label(APPROACH_LABELS[combination])}"
    return main
