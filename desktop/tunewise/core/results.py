"""What the decision engine concludes, as frozen pydantic models: the Assessment and its parts.

These types have their own module so that the engine (decision.py) and the wording (explain.py)
can both use them without importing each other. The GUI, the report and the CLI render an
Assessment as it is; every conclusion they show is a field here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tunewise.core.project import ApproachId


class Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PathStep(Result):
    question: str
    answer: str  # "yes", "no" or "untested"
    detail: str  # the answer in words, with the arithmetic where there is any


class Signal(Result):
    id: str
    present: bool
    suggested: bool = False  # what the numbers suggest, for signs the numbers can suggest
    suggestible: bool = False  # whether the cost inputs can suggest this sign at all
    derived: bool = False  # a sign against worked out from other answers, never asked directly
    user_answer: bool | None = None
    counted_as: str = ""  # how the sign was counted, in words ("present (not answered)")
    note: str = ""
    detail: str = ""  # a derived sign's reason, with its numbers
    lift: str = ""  # what would lift a derived sign


class Reason(Result):
    id: str
    message: str
    weight: int = 1  # higher is stronger; the report quotes the strongest


class Issue(Result):
    """A blocker or a warning: what is wrong and how to lift it."""

    id: str
    message: str
    lift: str = ""


class FewShotCheck(Result):
    score: float
    target: float
    ratio: float
    line: float  # the share of the target that counts as good enough
    passes: bool
    explanation: str
    # When Tunewise ran the test itself: the sample and its 95% interval, in score terms.
    measured: bool = False
    n: int | None = None
    low: float | None = None
    high: float | None = None
    close_call: bool = False  # the line (line x target) lies inside the interval
    settle_n: int | None = None  # held-out examples that would settle a close call


class Counterfactual(Result):
    change: str
    approach: str
    combination: str | None
    sentence: str  # the change and where it leads, ready to show


class DiagramQuestion(Result):
    """One question of the flowchart as drawn: its words, the answer given and its exits."""

    id: str
    short: str
    label: str
    answer: str | None  # the answer that routed the walk; None if unanswered or not reached
    state: str  # "answered", "unanswered" (the walk waits for it) or "not_reached"
    shown: str  # the answer as drawn beside the question: "yes", "no", "not tried", "?" or ""
    exit_on: str  # the answer that leaves the spine
    exit_to: str  # the outcome that answer leads to
    continue_to: str  # the next question, or the final outcome under the last question


class DiagramEdge(Result):
    source: str
    target: str
    answer: str
    side: bool  # an exit to the right; otherwise down the spine
    taken: bool
    tentative: bool = False  # taken on a guess ("not tried" carries on as if no)


class Diagram(Result):
    """The flowchart with the walk through it, for every renderer to draw alike."""

    questions: list[DiagramQuestion]
    final_outcome: str  # the outcome under the last question
    edges: list[DiagramEdge]
    outcome: str  # where the walk ended
    approach: str  # what is recommended (differs from outcome when a blocker rules it out)
    outcome_labels: dict[str, str]
    outcome_short: dict[str, str]

    def question(self, question_id: str) -> DiagramQuestion | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def blocked(self) -> bool:
        return self.approach != self.outcome

    def describe(self) -> str:
        """The walk in words, for tooltips and screen readers."""
        reached = [q for q in self.questions if q.state != "not_reached"]
        steps = [f"{q.short} {q.shown}" for q in reached]
        stopped = reached[-1].id if reached else ""
        return "; ".join(steps) + f". Stopped at {stopped}: {self.outcome_labels[self.outcome]}."


class Payback(Result):
    """When the recommended approach earns back its extra upfront cost against prompting."""

    approach: ApproachId
    against: ApproachId
    day: float | None  # None when it does not within the horizon (or never needs to)
    sentence: str


class Crossing(Result):
    """A break-even point worth pointing at: the recommendation's or prompting's lines."""

    day: float
    cost: float  # the cumulative cost where the lines meet
    a: ApproachId
    b: ApproachId
    cheaper_after: ApproachId
    sentence: str


class Assessment(Result):
    flowchart_outcome: str
    approach: str
    combination: str | None
    combination_candidate: str | None
    combination_missing: list[str]
    stopped_at: str
    path: list[PathStep]
    diagram: Diagram
    few_shot_check: FewShotCheck | None
    signals_for: list[Signal]
    signals_against: list[Signal]
    reasons_for: list[Reason]
    reasons_against: list[Reason]
    blockers: list[Issue]
    warnings: list[Issue]
    fine_tuning_considered: bool
    constraints_summary: str
    confidence: str
    confidence_label: str
    confidence_reasons: list[str]
    next_steps: list[Reason]
    what_would_change: list[Counterfactual]
    headline: str
    # The cost row the recommendation commits to (None when there is nothing to build yet).
    recommended_row: ApproachId | None
    recommended_row_note: str
    # What each part of the (candidate) combination carries, or why none is recommended.
    combination_parts: list[tuple[str, str]] = []
    combination_note: str = ""
    combination_cost_note: str = ""
    payback: Payback | None = None
    crossings: list[Crossing] = []
    crossings_sentence: str = ""

    def present_signals_for(self) -> list[str]:
        return [s.id for s in self.signals_for if s.present]

    def present_signals_against(self) -> list[str]:
        return [s.id for s in self.signals_against if s.present]

    def strongest_reasons(self, count: int = 3) -> list[Reason]:
        ranked = sorted(self.reasons_for, key=lambda r: -r.weight)
        return ranked[:count]
