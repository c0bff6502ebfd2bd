"""The report's costs as a reader sees them once offerings have lifecycles (issue 12).

A small made-up catalogue (built here, so its round numbers cannot drift) carries an offering
that stops taking training jobs before the plan's second retrain, and names the offering the
plan moves to. Money is worked out by hand in each test; the text checked is what pypdf reads
back from the PDF.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pypdf
import pytest

from tests.core.helpers import bare_approach, fine_tuning_answers
from tunewise.core.evaluation import evaluate
from tunewise.core.market import CatalogueFile, Market
from tunewise.core.prices import PriceCatalog
from tunewise.core.project import (
    APPROACHES,
    USES_FINE_TUNING,
    Answers,
    CostInputs,
    PriceOverride,
    Project,
    RetrievalInputs,
    TrainingInputs,
)
from tunewise.report.pdf import build_report

CHECKED = "2026-11-20"


def _offering(model: str, training: float, **extra: Any) -> dict[str, Any]:
    return {
        "provider": "acme", "base_model": model, "deployment": "serverless",
        "methods": ["sft"], "training": {"sft": {"per_mtok": training}},
        "inference": {"input": 1.0, "cached_input": 0.5, "output": 2.0},
        "sources": [{"url": f"https://example.test/{model}", "checked": CHECKED,
                     "says": f"{model} tuning is listed at ${training:g} per million"}],
        **extra,
    }


CATALOGUE: dict[str, Any] = {
    "as_of": "2026-11-01",
    "currency": "USD",
    "providers": {"acme": {"name": "Acme AI", "batch_discount": 0.5,
                           "sources": [{"url": "https://example.test/acme-batch",
                                        "checked": CHECKED, "says": "Batches cost half."}]}},
    "offerings": [
        _offering("tiny-1", 2.0, hosting_per_hour=0.5, storage_per_month=3.0,
                  new_training_until="2027-02-10", inference_until="2027-12-31",
                  migrate_to="acme/tiny-2/serverless", notes="Tiny-1 is the older line.",
                  disagreements="One page says training closes a week later."),
        _offering("tiny-2", 4.0),
        _offering("unused-3", 9.0),
    ],
}


@pytest.fixture
def catalog(tmp_path: Path) -> PriceCatalog:
    market = Market(CatalogueFile.model_validate(CATALOGUE), tmp_path / "offerings.json")
    return PriceCatalog(market=market)


def plan(**answers: Any) -> Project:
    """1,000 requests a day for a year from 2026-12-01, retraining every three months.

    Inference runs on a model priced by hand ($1 in, $2 out per 1M); fine-tuning on Acme's
    tiny-1. One training run is 1M tokens x 2 epochs; evaluating a model costs $100.
    """
    approaches = {}
    for approach in APPROACHES:
        if approach in USES_FINE_TUNING:
            approaches[approach] = bare_approach(
                "tiny-1", provider="acme", deployment="serverless", system_prompt_tokens=100,
                engineering_hours=100)
        else:
            approaches[approach] = bare_approach("plain-model", system_prompt_tokens=1000)
    costs = CostInputs(
        requests_per_day=1000, horizon_days=365, start_date=date(2026, 12, 1), hourly_rate=100,
        approaches=approaches,
        training=TrainingInputs(training_tokens=1_000_000, epochs=2, evaluation_cost=100,
                                retrain_every_months=3),
        retrieval=RetrievalInputs(corpus_tokens=0, reindex_every_months=0),
        price_overrides={"plain-model": PriceOverride(input=1.0, output=2.0)})
    return Project(answers=Answers(**(answers or fine_tuning_answers())), costs=costs)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def report_text(catalog: PriceCatalog) -> str:
    return text_of(build_report(plan(), paper="a4", clock=lambda: at(date(2026, 11, 28)),
                                catalog=catalog))


def test_each_approach_says_what_it_runs_on(report_text: str) -> None:
    assert "What each approach runs on" in report_text
    assert "Fine-tuning Acme AI tiny-1 (serverless) No caching or batching." in report_text
    assert "Prompt engineering plain-model No caching or batching." in report_text


def test_the_forced_move_shows_its_date_day_and_cost(report_text: str,
                                                     catalog: PriceCatalog) -> None:
    # Retrains fall on days 92, 183 and 274 (the day after each 3 x 365/12-day mark). Training
    # on tiny-1 closes 2027-02-10, day 71, so the day-92 retrain (2026-12-01 + 92 days =
    # 2027-03-03) moves the plan to tiny-2: 1M tokens x 2 epochs x $4 = $8, plus $100 to
    # evaluate the new model, $108.00.
    assert ("2027-03-03 day 92 Forced move Forced move from Acme AI tiny-1 (serverless) to "
            "Acme AI tiny-2 (serverless)") in report_text
    assert "$108.00" in report_text
    assert "takes its last new training jobs on 2027-02-10 (day 71)" in report_text
    # Later retrains run on tiny-2, at the same $108.00; so says the cost model too.
    assert ("Retrain on Acme AI tiny-2 (serverless) Fine-tuning, Fine-tuning + RAG, "
            "Fine-tuning + prompting, All three combined 2027-06-02 (day 183), 2027-09-01 "
            "(day 274) $108.00") in report_text
    events = evaluate(plan(), catalog, today=date(2026, 11, 28)).costs.approaches[
        "fine_tuning"].events
    assert [(e.day, e.kind, round(e.cost, 2)) for e in events] == [
        (92, "migration", 108.0), (183, "retrain", 108.0), (274, "retrain", 108.0)]


def test_the_breakdowns_show_evaluation_hosting_and_storage(report_text: str) -> None:
    # Upfront: the first run on tiny-1 is 1M x 2 x $2 = $4.00; evaluating it $100.00.
    assert "First training run $0.00 $0.00 $4.00 $4.00 $4.00 $4.00" in report_text
    assert "Evaluating the first model $0.00 $0.00 $100.00 $100.00 $100.00 $100.00" \
        in report_text
    # Hosting at $0.50 an hour, used or not: 0.5 x 24 x 365 / 12 = $365.00 a month; storage $3.
    assert "Hosting the tuned model $0.00 $0.00 $365.00 $365.00 $365.00 $365.00" in report_text
    assert "Storing the tuned model $0.00 $0.00 $3.00 $3.00 $3.00 $3.00" in report_text


def test_the_plan_start_and_the_price_dates_are_printed(report_text: str,
                                                        catalog: PriceCatalog) -> None:
    inference = catalog.inference_as_of.isoformat()
    assert (f"The plan starts on 2026-12-01 (day 0); inference prices as of {inference}, "
            "fine-tuning offerings catalogue of 2026-11-01.") in report_text
    assert "Old price data" not in report_text


def test_old_price_data_gets_a_warning_box(catalog: PriceCatalog) -> None:
    today = date(2027, 6, 1)
    text = text_of(build_report(plan(), paper="a4", clock=lambda: at(today), catalog=catalog))
    assert "Old price data. Some of the prices behind this report are more than 120 days old" \
        in text
    # The catalogue of 2026-11-01 is 30 + 31 + 31 + 28 + 31 + 30 + 31 = 212 days old on
    # 2027-06-01.
    assert "Fine-tuning offerings: as of 2026-11-01, 212 days old." in text
    inference_age = (today - catalog.inference_as_of).days
    assert f"Inference prices: as of {catalog.inference_as_of.isoformat()}, " \
           f"{inference_age:,} days old." in text
    assert "tunewise prices update" in text
    assert "Some of this price data is old: see the warning under Costs." in text  # summary


def test_a_cheaper_alternative_is_named_where_warnings_and_costs_are(
        catalog: PriceCatalog) -> None:
    # Fine-tuning carries 100 engineering hours ($10,000) and $365 a month of hosting; prompting
    # costs (1,000 x $1 + 0 x $2) / 1M = $0.001 a request, $365 over the year: cheaper.
    evaluation = evaluate(plan(), catalog, today=date(2026, 11, 28))
    assert evaluation.costs.approaches["prompt_engineering"].total_at_horizon == \
        pytest.approx(365.0)
    found = [w for w in evaluation.assessment.warnings if w.id == "cheaper_alternative"]
    assert found, [w.id for w in evaluation.assessment.warnings]
    message = re.sub(r"\s+", " ", found[0].message)
    assert "$365.00" in message
    text = text_of(build_report(plan(), paper="a4", clock=lambda: at(date(2026, 11, 28)),
                                catalog=catalog))
    # Once in Blockers and warnings, once under the comparison of the costs.
    assert text.count(message) == 2


def test_the_sources_of_the_offerings_used_are_listed(report_text: str) -> None:
    assert "Where the prices come from" in report_text
    assert "From the offerings catalogue of 2026-11-01" in report_text
    for model, price in (("tiny-1", 2), ("tiny-2", 4)):
        assert (f"https://example.test/{model} {CHECKED} “{model} tuning is listed at ${price} "
                "per million”") in report_text
    assert "Chosen for Fine-tuning, Fine-tuning + RAG" in report_text
    assert ("Where a forced move takes Fine-tuning, Fine-tuning + RAG, Fine-tuning + "
            "prompting, All three combined.") in report_text
    assert "Notes Tiny-1 is the older line." in report_text
    assert "Where sources disagree One page says training closes a week later." in report_text
    assert "Last new training jobs 2027-02-10" in report_text
    assert "Alternative named Acme AI tiny-2 (serverless)" in report_text
    assert "supervised: $2.00 per 1M training tokens, times epochs" in report_text
    # The provider's own source is listed once, with its caching and batching rules.
    assert "Acme AI: caching and batching" in report_text and "Batch requests 50% off" \
        in report_text
    assert "https://example.test/acme-batch" in report_text
    # An offering the plan does not use is not.
    assert "unused-3" not in report_text


def test_a_plan_with_no_move_says_nothing_closes(catalog: PriceCatalog) -> None:
    project = plan()
    project.costs.training.retrain_every_months = 0
    text = text_of(build_report(project, paper="a4", clock=lambda: at(date(2026, 11, 28)),
                                catalog=catalog))
    # Training closes 2027-02-10, within the year, but no retrain needs it: a finding, no move.
    assert "takes its last new training jobs on 2027-02-10 (day 71)" in text
    assert "Forced moves and endings" not in text
    # tiny-2 is named as the alternative, but the plan never goes there: no block of its own.
    assert "Alternative named Acme AI tiny-2 (serverless)" in text
    assert "https://example.test/tiny-2" not in text
