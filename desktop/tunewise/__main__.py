"""Command-line entry: no arguments opens the GUI; subcommands do headless work.

    tunewise                      open the app
    tunewise FILE                 open FILE in the app
    tunewise evaluate FILE [--json] [--scenario NAME] [--draws N] [--seed N]
    tunewise report FILE -o OUT.pdf [--paper a4|letter]
    tunewise schema
    tunewise offerings [--json]
    tunewise prices update [--url URL]  |  tunewise prices status [--json]
    tunewise prices install-offerings FILE  |  tunewise prices reset
    tunewise dataset inspect FILE [--format F] [--input-column C --output-column C]
                     [--encoding o200k_base|cl100k_base] [--context-limit N] [--model M] [--json]
    tunewise dataset split FILE --seed N --out DIR [--few-shot 20] [--held-out 50] [--force]
                     [--format F] [--input-column C --output-column C]
    tunewise experiment run --dataset FILE (--base-url URL | --preset NAME) --model M
                     [--scorer S] [--scorer-option K=V ...] [--system-prompt FILE]
                     [--few-shot 20] [--held-out 50] [--seed N] [--concurrency 4]
                     [--max-cost USD] [--results FILE] [--project PLAN] [--json]
    tunewise gpu estimate --model ID --method full|full-bf16|lora|qlora --seq N [--batch N]
                     [--no-checkpointing] [--lora-rank R] [--gpu ID] [--json]
    tunewise gpu list-models [--json]  |  tunewise gpu list-gpus [--json]

Bad input exits with code 2 and one clear line on stderr, never a traceback: a file that is
not a project, a dataset that cannot be read as one (missing, a folder or a pipe, empty,
binary, of no format that can be told; bad lines inside a dataset are reported, not fatal),
an output that would replace the project, output that cannot be written (a full disk, a
closed pipe, a terminal encoding that cannot show the plan's text), an API key the endpoint
refuses (401/403, naming the endpoint) and an endpoint no request could reach. Text from the
command line or a file is escaped and shortened before it is echoed. API keys are never taken
on the command line (other users can read it): TUNEWISE_API_KEY, the provider's variable, or
the OS keyring.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

# Before numpy loads: the app's matrices are small (the Monte Carlo's are 10,000 x ~100), and
# OpenBLAS's threads only add stalls on a busy 2-core machine (435 ms against 157 ms measured).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tunewise import __version__, cli_gpu

if TYPE_CHECKING:
    from tunewise.core.experiment.model import ExperimentResult
    from tunewise.core.project import Project
    from tunewise.core.scenarios import ScenarioComparison
    from tunewise.core.uncertainty import UncertaintyResult

SUBCOMMANDS = ("evaluate", "report", "schema", "offerings", "prices", "dataset", "experiment",
               "gpu")
# The dataset subcommand's choices, checked when it runs (so building the parser imports
# nothing); tests/core/dataset/test_cli.py checks they match core.dataset's own lists.
DATASET_FORMAT_CHOICES = ("chat", "prompt_completion", "alpaca", "sharegpt", "preference", "csv",
                          "tsv")
ENCODING_CHOICES = ("o200k_base", "cl100k_base")
# The experiment subcommand's choices, likewise (tests/core/experiment/test_cli.py checks them).
SCORER_CHOICES = ("exact", "normalised", "contains", "regex", "numeric", "json_valid",
                  "json_schema", "json_fields", "judge")
PRESET_CHOICES = ("openai", "azure", "gemini", "together", "fireworks", "mistral", "vllm",
                  "ollama", "lmstudio", "llama.cpp")
# Not in --help: a self-check for release builds and CI, not something users need.
SMOKE_TEST = "--smoke-test"
EXIT_BAD_INPUT = 2
MAX_MESSAGE = 400
# Anything that would break the one line or reach the terminal as a command: C0 and C1
# controls, line and paragraph separators, and direction overrides.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(message: str, limit: int = MAX_MESSAGE) -> str:
    """A message made safe for one terminal line: escapes shown as text, length capped."""
    safe = _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", message)
    return safe if len(safe) <= limit else safe[:limit - 1] + "…"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"tunewise: {one_line(message)}\n")


def _fail(message: str) -> int:
    text = f"tunewise: {one_line(message)}\n"
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):  # no stderr to speak of; the exit code still says it
        pass
    return EXIT_BAD_INPUT


def _silence_stdout() -> None:
    """After stdout failed, point it at the null device so the exit does not fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def _encodable(text: str) -> bool:
    """Whether stdout can take the text as it is set up (a cp1252 console cannot take Cyrillic)."""
    if getattr(sys.stdout, "errors", "strict") != "strict":
        return True  # the user chose to replace or escape what does not fit
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _emit(text: str) -> int:
    """Write the command's output; 0, or 2 with one line on stderr if it cannot be written."""
    if not _encodable(text):
        return _fail(f"the output has characters this terminal's encoding "
                     f"({sys.stdout.encoding}) cannot show; set PYTHONIOENCODING=utf-8 or use "
                     "--json.")
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except OSError as error:
        _silence_stdout()
        return _fail(f"could not write the output: {error.strerror or error}.")
    return 0


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tunewise", description="Plan how to customise an LLM, and its cost.")
    parser.add_argument("--version", action="version", version=f"tunewise {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    evaluate = sub.add_parser("evaluate", help="print the recommendation and cost summary")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--json", action="store_true", help="one JSON document on stdout")
    evaluate.add_argument("--scenario", default=None, metavar="NAME",
                          help="evaluate this scenario of the plan instead of the plan")
    evaluate.add_argument("--draws", type=_count, default=None, metavar="N",
                          help="Monte Carlo draws (default: the plan's)")
    evaluate.add_argument("--seed", type=_count, default=None, metavar="N",
                          help="Monte Carlo seed (default: the plan's)")
    report = sub.add_parser("report", help="write the planning report as PDF")
    report.add_argument("file", type=Path)
    report.add_argument("-o", "--output", type=Path, required=True)
    report.add_argument("--paper", choices=("a4", "letter"), default=None)
    sub.add_parser("schema", help="print the JSON Schema of project files")
    offerings = sub.add_parser("offerings", help="list the fine-tuning offerings catalogue")
    offerings.add_argument("--json", action="store_true", help="one JSON document on stdout")
    prices = sub.add_parser("prices", help="show, update or replace the price data")
    actions = prices.add_subparsers(dest="action", required=True, parser_class=_Parser)
    update = actions.add_parser("update", help="fetch genai-prices' latest inference prices")
    update.add_argument("--url", default=None, help="where to fetch from (default: "
                        "genai-prices' published data, or $TUNEWISE_PRICES_URL)")
    update.add_argument("--timeout", type=float, default=20.0)
    status = actions.add_parser("status", help="which price data is in use, and its dates")
    status.add_argument("--json", action="store_true")
    install = actions.add_parser("install-offerings",
                                 help="use a newer offerings catalogue file")
    install.add_argument("file", type=Path)
    actions.add_parser("reset", help="go back to the price data that ships with Tunewise")
    _add_dataset(sub)
    _add_experiment(sub)
    cli_gpu.add_parser(sub)
    return parser


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"cannot be negative: {value}")
    return value


def _positive(text: str) -> int:
    value = _count(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _add_dataset(sub: argparse._SubParsersAction[_Parser]) -> None:
    dataset = sub.add_parser("dataset", help="inspect or split a file of examples")
    actions = dataset.add_subparsers(dest="action", required=True, parser_class=_Parser)
    inspect = actions.add_parser("inspect", help="check, count and deduplicate the examples")
    split = actions.add_parser("split", help="write few-shot, held-out and training files "
                               "from the good examples")
    for action in (inspect, split):
        action.add_argument("file", type=Path)
        action.add_argument("--format", choices=DATASET_FORMAT_CHOICES, default=None,
                            help="the file's format (default: told from the file)")
        action.add_argument("--input-column", default=None, help="CSV/TSV: the input column")
        action.add_argument("--output-column", default=None, help="CSV/TSV: the output column")
    inspect.add_argument("--encoding", choices=ENCODING_CHOICES, default="o200k_base")
    inspect.add_argument("--context-limit", type=_positive, default=None,
                         help="the model's context in tokens; longer examples are invalid")
    inspect.add_argument("--model", default=None, help="the model to be tuned; counts for "
                         "models other than OpenAI's are an o200k approximation")
    inspect.add_argument("--json", action="store_true", help="one JSON document on stdout")
    split.add_argument("--few-shot", type=_count, default=20)
    split.add_argument("--held-out", type=_count, default=50)
    split.add_argument("--seed", type=int, required=True)
    split.add_argument("--out", type=Path, required=True, help="the folder to write to")
    split.add_argument("--force", action="store_true", help="replace existing split files")


def _money(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an amount of dollars: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of dollars of at least 0: {text!r}")
    return value


def _add_experiment(sub: argparse._SubParsersAction[_Parser]) -> None:
    experiment = sub.add_parser("experiment", help="run the few-shot test against a model")
    actions = experiment.add_subparsers(dest="action", required=True, parser_class=_Parser)
    run = actions.add_parser("run", help="ask the held-out examples with the few-shot examples "
                             "in the prompt and score the answers")
    run.add_argument("--dataset", type=Path, required=True, help="the team's examples file")
    run.add_argument("--base-url", default=None, help="an OpenAI-compatible endpoint, e.g. "
                     "https://api.openai.com/v1")
    run.add_argument("--preset", choices=PRESET_CHOICES, default=None,
                     help="a known endpoint (its URL and usual key variable)")
    run.add_argument("--model", required=True)
    run.add_argument("--scorer", choices=SCORER_CHOICES, default="exact")
    run.add_argument("--scorer-option", action="append", default=[], metavar="K=V",
                     help="an option of the scorer, e.g. pattern=... or tolerance=0.5")
    run.add_argument("--judge-base-url", default=None, help="the judge scorer's endpoint, when "
                     "not the tested one (key: TUNEWISE_JUDGE_API_KEY or the keyring)")
    run.add_argument("--system-prompt", type=Path, default=None, help="a file with the "
                     "system prompt to put first")
    run.add_argument("--few-shot", type=_count, default=20)
    run.add_argument("--held-out", type=_positive, default=50)
    run.add_argument("--seed", type=int, default=0, help="the split's seed (default 0)")
    run.add_argument("--concurrency", type=_positive, default=4)
    run.add_argument("--max-cost", type=_money, default=None, help="stop before the run "
                     "spends more than this many dollars")
    run.add_argument("--results", type=Path, default=None, help="the results file (default: "
                     "beside the dataset, named by the settings; the same run resumes it)")
    run.add_argument("--project", type=Path, default=None,
                     help="record the measured score in this plan's Q1")
    run.add_argument("--format", choices=DATASET_FORMAT_CHOICES, default=None)
    run.add_argument("--input-column", default=None, help="CSV/TSV: the input column")
    run.add_argument("--output-column", default=None, help="CSV/TSV: the output column")
    run.add_argument("--json", action="store_true", help="one JSON document on stdout (the "
                     "estimate goes to stderr)")


def _evaluate(args: argparse.Namespace) -> int:
    from tunewise.core import scenarios, uncertainty
    from tunewise.core.evaluation import evaluate, to_json, to_text, uncertainty_json
    from tunewise.core.inputs import InputError
    from tunewise.core.prices import PriceError
    from tunewise.core.storage import ProjectFileError, load_project

    try:
        project = load_project(args.file)
        _check_draws(project, args.draws, args.seed)
        spec = project.uncertainty
        ranges = dict(spec.ranges)
        chosen: str | None = None
        if args.scenario is not None:
            scenario = scenarios.find(project, args.scenario)
            chosen = scenario.name
            result = scenarios.evaluate_scenario(project, chosen)
            ranges = scenarios.open_ranges(project, scenario)
        else:
            result = evaluate(project)
        spread = uncertainty.simulate(
            result, ranges, distribution=spec.distribution,
            draws=spec.draws if args.draws is None else args.draws,
            seed=spec.seed if args.seed is None else args.seed)
        comparison = scenarios.compare(project, plan=None if chosen else result)
    except (ProjectFileError, PriceError, InputError) as error:
        return _fail(str(error))
    if args.json:
        doc = {**to_json(result), "scenario": chosen, **uncertainty_json(spread),
               "scenarios": _scenarios_json(comparison)}
        text = json.dumps(doc, indent=2, ensure_ascii=False)
        if not _encodable(text):  # \u escapes say the same thing in any encoding
            text = json.dumps(doc, indent=2, ensure_ascii=True)
        return _emit(text)
    head: list[str] = []
    if chosen is not None:
        found = next(r for r in comparison.rows[1:] if r.name == chosen)
        head = [f"Scenario: {chosen}" + (f" ({'; '.join(found.changes)})" if found.changes
                                         else ""), ""]
    lines = [*head, to_text(result), "", *_uncertainty_lines(spread)]
    if project.scenarios:
        lines += ["", *_scenario_lines(comparison)]
    return _emit("\n".join(lines))


def _check_draws(project: Project, draws: int | None, seed: int | None) -> None:
    """--draws and --seed within the bounds the plan's own fields have, or InputError."""
    from pydantic import ValidationError

    from tunewise.core.inputs import InputError
    from tunewise.core.project import Uncertainty

    given = {name: value for name, value in (("draws", draws), ("seed", seed))
             if value is not None}
    try:
        Uncertainty.model_validate({**project.uncertainty.model_dump(), **given})
    except ValidationError as error:
        problem = error.errors()[0]
        raise InputError(f"--{problem['loc'][0]}: {problem['msg']}") from None


def _scenarios_json(comparison: ScenarioComparison) -> list[dict[str, object]]:
    return [{"name": r.name, "note": r.note, "changes": r.changes, "headline": r.headline,
             "approach": r.approach, "combination": r.combination,
             "recommended_row": r.recommended_row, "cheapest": r.cheapest,
             "totals": {k: round(v, 2) + 0.0 for k, v in r.totals.items()},
             "errors": r.errors} for r in comparison.rows]


def _uncertainty_lines(spread: UncertaintyResult) -> list[str]:
    from tunewise.core.texts import APPROACH_LABELS, money, percent

    lines = [f"Uncertainty ({spread.draws:,} draws, {spread.distribution}, seed {spread.seed};"
             f" totals over {spread.horizon_days:,} days, USD):",
             f"  {'Approach':<34}{'P10':>14}{'P50':>14}{'P90':>14}{'Cheapest':>10}"]
    for approach, q in spread.total_at_horizon.items():
        chance = spread.cheapest_probability.get(approach, 0.0)
        lines.append(f"  {APPROACH_LABELS[approach]:<34}{money(q.p10):>14}{money(q.p50):>14}"
                     f"{money(q.p90):>14}{percent(chance):>10}")
    lines += [f"  - {sentence}" for sentence in spread.sentences]
    if spread.sensitivity and spread.recommended and spread.runner_up:
        lines.append(f"  Most sensitive (gap of {APPROACH_LABELS[spread.recommended]} to "
                     f"{APPROACH_LABELS[spread.runner_up]} at the horizon, input low to high):")
        for s in spread.sensitivity[:3]:
            lines.append(f"    {s.label}: {money(s.diff_low)} to {money(s.diff_high)} "
                         f"(swing {money(s.swing)})"
                         + (f"; {APPROACH_LABELS[s.flips]} becomes cheapest" if s.flips
                            else ""))
    if spread.few_shot is not None:
        lines.append(f"  Few-shot: {spread.few_shot.sentence}")
    return lines


def _scenario_lines(comparison: ScenarioComparison) -> list[str]:
    from tunewise.core.scenarios import cheapest_words
    from tunewise.core.texts import APPROACH_LABELS, money

    lines = [f"Scenarios (totals over {comparison.horizon_days:,} days, USD):"]
    for r in comparison.rows:
        lines.append(f"  {r.name}: {r.headline}; cheapest: {cheapest_words(r)}")
        if r.changes:
            lines.append(f"      changes: {'; '.join(r.changes)}")
        totals = ", ".join(f"{APPROACH_LABELS[k]} {money(v)}" for k, v in r.totals.items())
        lines.append(f"      {totals}" if totals else "      no approach could be priced")
    return lines


def _output_problem(source: Path, output: Path) -> str | None:
    """Why writing the report to `output` would destroy something, if it would."""
    from tunewise.core.storage import EXTENSION, quoted

    if output.suffix.lower() == EXTENSION:
        return (f"the report is a PDF; {quoted(output.name)} is a project file name. "
                "Choose an output name ending in .pdf.")
    try:
        same = os.path.samefile(source, output)
    except OSError:
        same = source.resolve() == output.resolve()
    if same:
        return (f"the output {quoted(output.name)} is the project file itself; choose another "
                "name for the report.")
    return None


def _report(args: argparse.Namespace) -> int:
    from tunewise.core.prices import PriceError
    from tunewise.core.storage import ProjectFileError, load_project

    try:
        from tunewise.report.pdf import write_report
    except ImportError as error:
        return _fail(f"the report module is not available in this build ({error}).")
    from tunewise.core.storage import quoted

    problem = _output_problem(args.file, args.output)
    if problem is not None:
        return _fail(problem)
    try:
        project = load_project(args.file)
        write_report(project, args.output, paper=args.paper, project_path=args.file)
    except (ProjectFileError, PriceError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"could not write {quoted(str(args.output), 120)}: "
                     f"{error.strerror or error}.")
    return _emit(f"Wrote {args.output}")


def _schema() -> int:
    from tunewise.core.project import Project

    return _emit(json.dumps(Project.model_json_schema(), indent=2))


def _offerings(args: argparse.Namespace) -> int:
    from tunewise.core.market import MarketError, default_market, offerings_document, offerings_text

    try:
        market = default_market()
    except MarketError as error:
        return _fail(str(error))
    if args.json:
        return _emit(json.dumps(offerings_document(market), indent=2, ensure_ascii=False))
    return _emit(offerings_text(market))


def _prices(args: argparse.Namespace) -> int:
    from tunewise.core import price_update
    from tunewise.core.market import MarketError, install_catalogue, remove_installed_catalogue
    from tunewise.core.prices import PriceCatalog, reload_price_data

    if args.action == "update":
        try:
            got = price_update.update_inference_prices(args.url, timeout=args.timeout)
        except price_update.PriceUpdateError as error:
            return _fail(str(error))
        except OSError as error:
            return _fail(f"could not keep the new prices: {error.strerror or error}.")
        return _emit(f"Updated inference prices from {got.url}: {got.providers} providers, "
                     f"{got.models} models, as of {got.fetched.isoformat()}.")
    if args.action == "install-offerings":
        try:
            market = install_catalogue(args.file)
        except MarketError as error:
            return _fail(str(error))
        except OSError as error:
            return _fail(f"could not install the catalogue: {error.strerror or error}.")
        reload_price_data()
        return _emit(f"Installed the offerings catalogue of {market.as_of.isoformat()} "
                     f"({len(market.offerings)} offerings).")
    if args.action == "reset":
        try:
            price_update.forget_fetched()
            remove_installed_catalogue()
        except OSError as error:
            return _fail(f"could not remove the fetched price data: {error.strerror or error}.")
        reload_price_data()
        return _emit("Back to the price data that ships with Tunewise.")
    try:
        catalog = PriceCatalog()
    except MarketError as error:
        return _fail(str(error))
    from datetime import UTC, datetime

    today = datetime.now(UTC).date()
    stale = catalog.stale(today)
    if args.json:
        return _emit(json.dumps({
            "inference_as_of": catalog.inference_as_of.isoformat(),
            "inference_origin": catalog.snapshot_origin,
            "offerings_as_of": catalog.market.as_of.isoformat(),
            "offerings_file": str(catalog.market.path),
            "offerings_installed": catalog.market.installed,
            "embeddings_as_of": catalog.table_as_of,
            "stale": [{"what": w, "as_of": d.isoformat(), "age_days": a} for w, d, a in stale],
        }, indent=2))
    lines = [f"Prices in use: {catalog.as_of}."]
    lines += [f"Warning: {w} are from {d.isoformat()} ({a:,} days old)." for w, d, a in stale]
    return _emit("\n".join(lines))


def _dataset(args: argparse.Namespace) -> int:
    from tunewise.core.dataset.formats import DatasetError
    from tunewise.core.dataset.tokens import TokenizerError

    try:
        if args.action == "split":
            from tunewise.core.dataset.split import split

            result = split(args.file, few_shot=args.few_shot, held_out=args.held_out,
                           seed=args.seed, out_dir=args.out, format=args.format,
                           input_column=args.input_column, output_column=args.output_column,
                           force=args.force)
        else:
            from tunewise.core.dataset.inspect import inspect

            report = inspect(args.file, format=args.format, input_column=args.input_column,
                             output_column=args.output_column, encoding=args.encoding,
                             context_limit=args.context_limit, model=args.model)
    except (DatasetError, TokenizerError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{error.filename or args.file}: {error.strerror or error}.")
    if args.action == "split":
        names = ", ".join(Path(path).name for path in result.files.values())
        kept = " (CSV/TSV input is written as CSV/TSV)" if not names.endswith(".jsonl") else ""
        return _emit(f"Wrote {result.few_shot:,} few-shot, {result.held_out:,} held-out and "
                     f"{result.train:,} training examples (seed {result.seed}) to {args.out}: "
                     f"{names}{kept}")
    if args.json:
        text = json.dumps(report.to_json(), indent=2, ensure_ascii=False)
        if not _encodable(text):
            text = json.dumps(report.to_json(), indent=2, ensure_ascii=True)
        return _emit(text)
    from tunewise.core.dataset.summary import report_text

    return _emit(report_text(report))


def _note(text: str, json_mode: bool) -> None:
    """A line for the user before the result: stderr in --json mode, so stdout stays one
    document."""
    stream = sys.stderr if json_mode else sys.stdout
    try:
        stream.write(one_line(text, 1000) + "\n")
        stream.flush()
    except (OSError, ValueError, UnicodeEncodeError):
        pass


def _experiment(args: argparse.Namespace) -> int:
    from tunewise.core.experiment.client import PRESETS, ChatError, check_base_url

    preset = PRESETS.get(args.preset) if args.preset else None
    base_url = args.base_url or (preset.base_url if preset else None)
    if base_url is None:
        return _fail(preset.note if preset and preset.note else
                     "give the endpoint with --base-url URL or --preset NAME.")
    options: dict[str, str] = {}
    for item in args.scorer_option:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            return _fail(f"a scorer option is NAME=VALUE, not {item!r}.")
        options[name.strip()] = value
    try:
        base_url = check_base_url(base_url)
        judge_url = check_base_url(args.judge_base_url) if args.judge_base_url else None
        from tunewise.core.experiment.scorers import make_scorer

        make_scorer(args.scorer, options, judge_model=args.model)
    except ValueError as error:
        return _fail(f"{error}.")
    system_prompt = None
    if args.system_prompt is not None:
        try:
            system_prompt = args.system_prompt.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return _fail(f"cannot read the system prompt {args.system_prompt}: "
                         f"{getattr(error, 'strerror', None) or error}.")
    project = None
    if args.project is not None:
        from tunewise.core.storage import ProjectFileError, load_project

        try:
            project = load_project(args.project)
        except ProjectFileError as error:
            return _fail(str(error))
    try:
        return _run_experiment(args, base_url, judge_url, preset, options, system_prompt,
                               project)
    except ChatError as error:
        return _fail(str(error))


def _run_experiment(args: argparse.Namespace, base_url: str, judge_url: str | None,
                    preset: object, options: dict[str, str], system_prompt: str | None,
                    project: object) -> int:
    from datetime import date

    from tunewise.core.dataset.formats import DatasetError
    from tunewise.core.dataset.tokens import TokenizerError
    from tunewise.core.experiment import keys, runner
    from tunewise.core.experiment.client import ChatClient, Preset, endpoint_host
    from tunewise.core.project import Project

    assert preset is None or isinstance(preset, Preset)
    assert project is None or isinstance(project, Project)
    found = keys.find_key(endpoint_host(base_url), preset)
    judge_key = (keys.find_key(endpoint_host(judge_url), None,
                               variable=keys.JUDGE_KEY_VARIABLE).key if judge_url else None)
    try:
        prepared = runner.prepare(args.dataset, few_shot=args.few_shot, held_out=args.held_out,
                                  seed=args.seed, system_prompt=system_prompt,
                                  format=args.format, input_column=args.input_column,
                                  output_column=args.output_column)
        guess = runner.estimate_prepared(prepared, args.model, scorer=args.scorer,
                                         judge_model=options.get("model", args.model))
    except (DatasetError, TokenizerError, ValueError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{error.filename or args.dataset}: {error.strerror or error}.")
    money = f"about ${guess.cost_usd:,.4f}" if guess.cost_usd is not None else guess.note
    _note(f"Estimated: {guess.requests:,} requests, ~{guess.input_tokens:,} input and "
          f"~{guess.output_tokens:,} output tokens; {money}.", args.json)
    with ChatClient(base_url, api_key=found.key) as client:
        judge_client = ChatClient(judge_url, api_key=judge_key) if judge_url else None
        try:
            path = args.results or runner.results_file(
                args.dataset, prepared, client=client, model=args.model, scorer=args.scorer,
                scorer_options=options, judge_client=judge_client, seed=args.seed,
                format=args.format, input_column=args.input_column,
                output_column=args.output_column)
            result = runner.run(
                args.dataset, client=client, model=args.model, scorer=args.scorer,
                scorer_options=options, few_shot=args.few_shot, held_out=args.held_out,
                seed=args.seed, concurrency=args.concurrency, max_cost=args.max_cost,
                results_path=path, judge_client=judge_client, system_prompt=system_prompt,
                format=args.format, input_column=args.input_column,
                output_column=args.output_column, prepared=prepared)
        except KeyboardInterrupt:
            return _fail("interrupted; the answers so far are kept in the results file and "
                         "the same command resumes.")
        except (DatasetError, ValueError) as error:
            return _fail(str(error))
        except OSError as error:
            return _fail(f"{error.filename or path}: {error.strerror or error}.")
        finally:
            if judge_client is not None:
                judge_client.close()
    if result.n == 0 and result.errors:
        first = next(e.error for e in result.examples if e.error)
        return _fail(f"no held-out example was answered ({result.errors} errors; the first: "
                     f"{first}); the results are in {path}.")
    lines = [f"Results: {path}"]
    if project is not None and result.n:
        from tunewise.core.storage import ProjectFileError, save_project

        project.answers.few_shot_measured = runner.measured(result, date.today())
        project.answers.few_shot_model = args.model
        try:
            save_project(project, args.project)
        except ProjectFileError as error:
            return _fail(str(error))
        lines.append(f"Recorded in {args.project} (Q1).")
    if args.json:
        text = json.dumps(result.to_json(), indent=2, ensure_ascii=False)
        return _emit(text if _encodable(text) else json.dumps(result.to_json(), indent=2))
    return _emit("\n".join(_experiment_lines(result) + lines))


def _experiment_lines(result: ExperimentResult) -> list[str]:
    low, high = result.ci95
    lines = [f"Few-shot test of {result.model} at {result.endpoint_host}: {result.few_shot} "
             f"few-shot examples, {result.held_out} held out (seed {result.seed}), scorer "
             f"{result.scorer}",
             f"Score: {result.passed} of {result.n} passed = {result.score:.1%} (95% interval "
             f"{low:.1%} to {high:.1%})",
             f"Errors: {result.errors} (left out of the score)",
             f"Tokens: {result.input_tokens:,} in, {result.output_tokens:,} out; cost " + (
                 f"${result.cost_usd:,.4f}" if result.cost_usd is not None else "unknown "
                 "(no price for this model)"),
             f"Latency: p50 {result.latency_p50_ms:,.0f} ms, p95 {result.latency_p95_ms:,.0f} "
             "ms"]
    if result.stopped_at_cost_cap:
        lines.append(f"Stopped at the cost cap of ${result.max_cost_usd:,.2f}: "
                     f"{result.held_out - len(result.examples)} examples were not asked.")
    if result.cancelled:
        lines.append("Cancelled; the same command resumes.")
    return lines


def _gpu(args: argparse.Namespace) -> int:
    try:
        out = cli_gpu.run(args)
    except cli_gpu.BadInput as error:
        return _fail(str(error))
    if isinstance(out, str):
        return _emit(out)
    text = json.dumps(out, indent=2, ensure_ascii=False)
    return _emit(text if _encodable(text) else json.dumps(out, indent=2))


def _smoke_test(extra: list[str]) -> int:
    """Hidden `--smoke-test`: run the real window offscreen on the example (see smoke.py)."""
    if extra:
        return _fail(f"--smoke-test takes no other arguments, not '{extra[0]}'.")
    from tunewise.ui.smoke import run

    return run()


def gui_main(argv: Sequence[str] | None = None) -> int:
    """Start the desktop app, optionally opening one file."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == [SMOKE_TEST]:
        return _smoke_test(args_list[1:])
    from tunewise.ui.app import run

    return run(args_list)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in SUBCOMMANDS and args_list[0] not in
                         ("-h", "--help", "--version")):
        return gui_main(args_list)
    args = _build_parser().parse_args(args_list)
    if args.command == "evaluate":
        return _evaluate(args)
    if args.command == "report":
        return _report(args)
    if args.command == "offerings":
        return _offerings(args)
    if args.command == "prices":
        return _prices(args)
    if args.command == "dataset":
        return _dataset(args)
    if args.command == "experiment":
        return _experiment(args)
    if args.command == "gpu":
        return _gpu(args)
    return _schema()


if __name__ == "__main__":
    sys.exit(main())
