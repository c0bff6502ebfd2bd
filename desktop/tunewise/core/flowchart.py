"""The decision flowchart as data: its questions in order, where each answer leads, its outcomes,
the thresholds its rules use and the words for each.

The engine (decision.py) walks a Flowchart; the app's diagram and the report's vector flowchart
draw the `Diagram` the engine makes from it, so a question added here, or a threshold changed,
shows up in the verdict, on screen and on paper alike. The shape is a spine: each question
either leaves to the right for one outcome or carries on down to the next question, and the
last one carries on to `final_outcome`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Literal

from tunewise.core.project import Answers
from tunewise.core.results import FewShotCheck

Answer = Literal["yes", "no", "untested"]
Outcome = Literal["prompt_engineering", "rag", "revisit_problem", "fine_tuning", "collect_data"]
# Where the walk ends when it reaches a question that has no answer yet.
UNANSWERED = "answer_questions"


@dataclass(frozen=True)
class Thresholds:
    """Every number the rules compare against; the wording takes its numbers from here too."""

    # The rule of thumb: few-shot prompting that reaches 90% of the quality target may be enough.
    few_shot_ratio: float = 0.90
    # Within this distance of that line the experiment is treated as a close call.
    few_shot_close_call: float = 0.05
    # Fine-tuning wants this many good examples; below the lower figure it is likely to overfit.
    examples_to_fine_tune: int = 200
    examples_minimum: int = 100
    # Only just past the mark: fewer than examples_to_fine_tune times this.
    borderline_data_factor: float = 1.25
    # "A long system prompt": prompt engineering's fixed prompt, in tokens.
    long_prompt_tokens: int = 1500
    # "Thousands of requests a day".
    many_requests_per_day: int = 1000

    def words(self) -> dict[str, str]:
        """The thresholds as they appear in sentences: '90%', '200'."""
        return dict(_threshold_words(self))


@functools.cache
def _threshold_words(t: Thresholds) -> tuple[tuple[str, str], ...]:
    """The words of a set of thresholds, worked out once per set (they are frozen)."""
    out: dict[str, str] = {}
    for name, value in asdict(t).items():
        if isinstance(value, float) and value <= 1:
            out[name] = f"{value * 100:.0f}%"
        else:
            out[name] = f"{value:,}"
    return tuple(out.items())


# A rule gives the question's answer, or None while the user has not answered it.
AnswerRule = Callable[[Answers, FewShotCheck | None, Thresholds], Answer | None]


@dataclass(frozen=True)
class Question:
    id: str
    short: str  # a few words for the diagram; may name thresholds as {examples_to_fine_tune}
    label: str  # the whole question
    rule: AnswerRule
    exit_on: Literal["yes", "no"]  # the answer that leaves the spine
    exit_to: Outcome


@dataclass(frozen=True)
class Flowchart:
    questions: tuple[Question, ...]
    final_outcome: Outcome
    thresholds: Thresholds = field(default_factory=Thresholds)

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    def order(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def short(self, question: Question) -> str:
        return question.short.format(**self.thresholds.words())

    def label(self, question: Question) -> str:
        return question.label.format(**self.thresholds.words())

    def continue_to(self, question: Question) -> str:
        """Where the spine answer leads: the next question, or the final outcome."""
        index = self.questions.index(question)
        if index + 1 < len(self.questions):
            return self.questions[index + 1].id
        return self.final_outcome

    def next_after(self, question: Question, answer: Answer) -> str:
        # "Not tried yet" carries on as if the answer were no.
        routed = "yes" if answer == "yes" else "no"
        return question.exit_to if routed == question.exit_on else self.continue_to(question)

    def outcomes(self) -> tuple[str, ...]:
        """Every outcome in drawing order: the side exits, then the final one."""
        found = [q.exit_to for q in self.questions]
        return (*dict.fromkeys(found), self.final_outcome)


def _few_shot(a: Answers, check: FewShotCheck | None, t: Thresholds) -> Answer | None:
    if check is not None:  # a measured experiment beats the plain answer
        return "yes" if check.passes else "no"
    return a.few_shot_adequate


def _yes_no(value: bool | None) -> Answer | None:
    return None if value is None else "yes" if value else "no"


def _knowledge(a: Answers, check: FewShotCheck | None, t: Thresholds) -> Answer | None:
    return _yes_no(a.knowledge_gap)


def _behaviour(a: Answers, check: FewShotCheck | None, t: Thresholds) -> Answer | None:
    return _yes_no(a.behavior_gap)


def _examples(a: Answers, check: FewShotCheck | None, t: Thresholds) -> Answer | None:
    if a.example_count is None:
        return None
    if a.example_count < t.examples_to_fine_tune:
        return "no"  # too few, however good they are
    return _yes_no(a.examples_high_quality)


FLOWCHART = Flowchart(
    questions=(
        Question("q1", "Few-shot enough?", "Does few-shot prompting already do the job?",
                 _few_shot, exit_on="yes", exit_to="prompt_engineering"),
        Question("q2", "Knowledge gap?", "Is the gap mostly missing knowledge?",
                 _knowledge, exit_on="yes", exit_to="rag"),
        Question("q3", "Behaviour gap?", "Is the gap behaviour, style, format or reasoning?",
                 _behaviour, exit_on="no", exit_to="revisit_problem"),
        Question("q4", "{examples_to_fine_tune}+ good examples?",
                 "Are there {examples_to_fine_tune} or more high-quality examples?",
                 _examples, exit_on="yes", exit_to="fine_tuning"),
    ),
    final_outcome="collect_data",
)
