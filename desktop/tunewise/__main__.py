"""Command-line entry: no arguments opens the GUI; subcommands do headless work.

    tunewise                      open the app
    tunewise FILE                 open FILE in the app
    tunewise evaluate FILE [--json]
    tunewise report FILE -o OUT.pdf [--paper a4|letter]
    tunewise schema

Bad input exits with code 2 and one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tunewise import __version__

SUBCOMMANDS = ("evaluate", "report", "schema")
# Not in --help: a self-check for release builds and CI, not something users need.
SMOKE_TEST = "--smoke-test"
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"tunewise: {message}\n")


def _fail(message: str) -> int:
    print(f"tunewise: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tunewise", description="Plan how to customise an LLM, and its cost.")
    parser.add_argument("--version", action="version", version=f"tunewise {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    evaluate = sub.add_parser("evaluate", help="print the recommendation and cost summary")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--json", action="store_true", help="one JSON document on stdout")
    report = sub.add_parser("report", help="write the planning report as PDF")
    report.add_argument("file", type=Path)
    report.add_argument("-o", "--output", type=Path, required=True)
    report.add_argument("--paper", choices=("a4", "letter"), default=None)
    sub.add_parser("schema", help="print the JSON Schema of project files")
    return parser


def _evaluate(args: argparse.Namespace) -> int:
    from tunewise.core.evaluation import evaluate, to_json, to_text
    from tunewise.core.prices import PriceError
    from tunewise.core.storage import ProjectFileError, load_project

    try:
        project = load_project(args.file)
        result = evaluate(project)
    except (ProjectFileError, PriceError) as error:
        return _fail(str(error))
    if args.json:
        print(json.dumps(to_json(result), indent=2, ensure_ascii=False))
    else:
        print(to_text(result))
    return 0


def _report(args: argparse.Namespace) -> int:
    from tunewise.core.prices import PriceError
    from tunewise.core.storage import ProjectFileError, load_project

    try:
        from tunewise.report.pdf import write_report
    except ImportError as error:
        return _fail(f"the report module is not available in this build ({error}).")
    try:
        project = load_project(args.file)
        write_report(project, args.output, paper=args.paper)
    except (ProjectFileError, PriceError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"could not write '{args.output}': {error.strerror or error}.")
    print(f"Wrote {args.output}")
    return 0


def _schema() -> int:
    from tunewise.core.project import Project

    print(json.dumps(Project.model_json_schema(), indent=2))
    return 0


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
    return _schema()


if __name__ == "__main__":
    sys.exit(main())
