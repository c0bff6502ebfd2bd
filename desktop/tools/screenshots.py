"""PNGs of every wizard page and the dashboard: light, dark and at device pixel ratio 2.

    python desktop/tools/screenshots.py OUT_DIR

Writes OUT_DIR/light/NN-page.png and OUT_DIR/dark/NN-page.png (the same window after the
application palette turned dark, which also shows that every page follows a palette change at
run time), then runs itself again in a subprocess with QT_SCALE_FACTOR=2 for OUT_DIR/2x/ (one
QApplication per process). Each set also holds the dashboard with a 10-year horizon and the
crosshair on day 1,000, and the chart as the PNG export writes it; the fine-tuning tab with its
offering and the advanced sections open; the plan moved onto an offering that closes within
the horizon (the forced move under the table and on the chart); and the offering chooser and
the Show Offerings window (a closing row, then a closed one, selected); the GPU panel on the
Constraints page (a run that fits an own card, one that does not) and the GPU analysis tab; the
Import Examples dialog's summary, problems and token histogram, its split options, and the Q4
page with measured figures (one typed over) and with the examples file gone; the Run the
Few-Shot Test dialog after a run (with failing examples and an error), its scorer options, and
the Q1 page with the measured score; ranges and scenarios (the bands under the lines, the
Uncertainty tab with its tornado, the Scenarios comparison, a scenario shown on the chart, and
the Ranges and Scenarios dialogs). The light dashboard is also saved as OUT_DIR/dashboard.png
for the README.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# Screenshots never touch the machine's keyring (a locked one would wait for a password).
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

WIDTH, HEIGHT = 1280, 800
SCALE_ENV = "TUNEWISE_SCREENSHOT_ONLY"


def settle(app: Any) -> None:
    for _ in range(3):
        app.processEvents()


def capture_pages(app: Any, window: Any, out: Path) -> list[Path]:
    """Every page of the wizard, then the chart's other states and its PNG export."""
    from tunewise.core.fieldpath import Attr

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for index, page in enumerate(window.wizard.pages):
        window.wizard.show_page(page.key)
        settle(app)
        path = out / f"{index:02d}-{page.key}.png"
        window.grab().save(str(path))
        written.append(path)
    dashboard = window.wizard.dashboard
    horizon = window.controller.project.costs.horizon_days
    window.controller.set_value(Attr("costs", "horizon_days"), 3650, "Screenshot")
    settle(app)
    dashboard.chart.show_day(1000)
    settle(app)
    window.grab().save(str(out / f"{len(written):02d}-results-10-years.png"))
    dashboard.chart.show_day(None)
    window.controller.set_value(Attr("costs", "horizon_days"), horizon, "Screenshot")
    settle(app)
    dashboard.chart.image(1600).save(str(out / "chart-export.png"))  # as Export > PNG writes it
    capture_market(app, window, out, len(written) + 1)
    capture_gpu(app, window, out)
    capture_dataset(app, window, out)
    capture_experiment(app, window, out)
    capture_uncertainty(app, window, out)
    return written


def capture_uncertainty(app: Any, window: Any, out: Path) -> None:
    """Issue 16: ranges on three inputs (the bands under the lines and the Uncertainty tab
    with its tornado), then two scenarios (the Scenarios comparison tab, one scenario shown
    on the chart), and the Ranges and Scenarios dialogs; all undone afterwards."""
    import time

    from PySide6.QtWidgets import QScrollArea

    from tunewise.core.fieldpath import Attr
    from tunewise.core.project import Range, Scenario, Uncertainty

    c = window.controller
    steps = c.undo_stack.index()
    dashboard = window.wizard.dashboard
    view = dashboard.uncertainty
    requests = c.project.costs.requests_per_day
    ranges = {"costs.requests_per_day": Range(low=requests * 0.5, likely=requests,
                                              high=requests * 3),
              "costs.approaches.fine_tuning.engineering_hours": Range(low=40, likely=80,
                                                                      high=200),
              "costs.approaches.rag.price_multiplier": Range(low=0.8, likely=1, high=1.5)}
    c.set_value(Attr("uncertainty"), Uncertainty(ranges=ranges), "Screenshot")
    c.set_value(Attr("scenarios"), [
        Scenario(name="3x traffic", note="the launch goes well",
                 overrides={"costs.requests_per_day": float(requests * 3)}),
        Scenario(name="Cheaper prompting model",
                 overrides={"costs.approaches.prompt_engineering.model": "gpt-4.1-mini"}),
    ], "Screenshot")
    window.wizard.show_page("results")

    def wait_for_bands(result: bool = True) -> None:
        deadline = time.monotonic() + 20
        while ((view.runner.busy() or (result and view.result is None))
               and time.monotonic() < deadline):
            app.processEvents()
            time.sleep(0.01)
        settle(app)

    wait_for_bands()
    window.grab().save(str(out / "results-bands.png"))
    dashboard.sections.setCurrentWidget(view.panel)
    settle(app)
    window.grab().save(str(out / "results-uncertainty-tab.png"))
    panel = view.panel.findChild(QScrollArea).widget()  # the whole tab, scrolled or not
    panel.grab().save(str(out / "uncertainty-panel.png"))
    dashboard.sections.setCurrentWidget(view.comparison)
    view.refresh_comparison()
    settle(app)
    window.grab().save(str(out / "results-scenarios-tab.png"))
    view.show_scenario("3x traffic")
    wait_for_bands()
    window.grab().save(str(out / "results-scenario-shown.png"))
    view.show_scenario(None)
    dashboard.sections.setCurrentIndex(0)
    from tunewise.ui.uncertainty.ranges_dialog import RangesDialog
    from tunewise.ui.uncertainty.scenarios_dialog import ScenariosDialog

    for name, dialog in (("ranges-dialog", RangesDialog(c, window)),
                         ("scenarios-dialog", ScenariosDialog(c, window))):
        dialog.show()
        settle(app)
        dialog.grab().save(str(out / f"{name}.png"))
        dialog.close()
        dialog.deleteLater()
    while c.undo_stack.index() > steps:
        c.undo_stack.undo()
    wait_for_bands(result=False)


def capture_gpu(app: Any, window: Any, out: Path) -> None:
    """The GPU panel on the Constraints page: a run that fits an own card, then one that does
    not; and the GPU analysis tab on the results page when the analysis is registered."""
    from PySide6.QtWidgets import QScrollArea

    from tunewise.core.fieldpath import Attr

    c = window.controller
    steps = c.undo_stack.index()
    page = window.wizard.page_of("constraints")
    scroll = page.findChild(QScrollArea)

    def gpu(**values: Any) -> list[tuple[Attr, Any]]:
        return [(Attr("costs", "gpu", name), value) for name, value in values.items()]

    for name, values in (("fits", gpu(access="own", gpu="rtx-4080", method="qlora")),
                         ("short", gpu(method="lora", seq_len=4096))):
        c.set_values(values, "Screenshot")
        window.wizard.show_page("constraints")
        settle(app)
        scroll.verticalScrollBar().setValue(page.gpu.y() - 8)
        settle(app)
        window.grab().save(str(out / f"constraints-gpu-{name}.png"))
    dashboard = window.wizard.dashboard
    tab = dashboard.panels.get("gpu")
    if tab is not None:
        c.undo_stack.undo()  # back to the run that fits
        window.wizard.show_page("results")
        dashboard.sections.setCurrentWidget(tab)
        settle(app)
        window.grab().save(str(out / "results-gpu-tab.png"))
        dashboard.sections.setCurrentIndex(0)
    while c.undo_stack.index() > steps:
        c.undo_stack.undo()
    settle(app)


def sample_examples(path: Path) -> Path:
    """A small support-tickets file with what an import finds: copies, problems, an e-mail."""
    import json
    import random

    rng = random.Random(11)
    words = ["account", "billing", "refund", "invoice", "password", "reset", "login", "error",
             "plan", "upgrade", "card", "charge", "order", "delivery", "address", "cancel",
             "subscription", "trial", "email", "support"]

    def text(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n))

    lines = []
    for i in range(260):
        user, answer = text(rng.randint(8, 60)), text(rng.randint(20, 160))
        if i == 40:
            user += " reach me at sam.lee@example.com"
        lines.append(json.dumps({"messages": [
            {"role": "system", "content": "You answer support tickets for Acme Cloud."},
            {"role": "user", "content": user}, {"role": "assistant", "content": answer}]}))
    lines += lines[3:9]  # exact copies
    lines.insert(120, "{\"messages\": [")  # cut short
    lines.insert(200, json.dumps({"messages": [{"role": "user", "content": "Hello?"}]}))
    lines.insert(230, json.dumps({"messages": [{"role": "assistant", "content": "Hi"},
                                               {"role": "user", "content": "Thanks"}]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def capture_dataset(app: Any, window: Any, out: Path) -> None:
    """The import dialog's three tabs and the split options, then the Q4 page with the
    measured figures (one typed over), and the note when the file has gone."""
    import time

    from tunewise.core.fieldpath import Attr

    with tempfile.TemporaryDirectory() as folder:
        source = sample_examples(Path(folder) / "support-tickets.jsonl")
        dialog = window.import_examples(source)
        dialog.resize(900, 700)
        dialog.start()
        deadline = time.monotonic() + 60
        while dialog.running() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        settle(app)
        for name, tab in (("summary", dialog.summary), ("problems", dialog.problems),
                          ("histogram", dialog.histogram)):
            dialog.tabs.setCurrentWidget(tab)
            settle(app)
            dialog.grab().save(str(out / f"import-{name}.png"))
        options = dialog.export_split()
        settle(app)
        if options is not None:
            options.grab().save(str(out / "import-split-options.png"))
            options.reject()
        c = window.controller
        steps = c.undo_stack.index()
        dialog.use_in_plan()
        dialog.close()
        window.wizard.show_page("q4")
        c.set_value(Attr("answers", "example_count"), 300, "Screenshot")
        section = window.wizard.page_of("q4").dataset
        settle(app)
        window.grab().save(str(out / "q4-measured.png"))
        source.unlink()
        section.recheck()
        deadline = time.monotonic() + 10
        while section.checking() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        settle(app)
        window.grab().save(str(out / "q4-file-missing.png"))
        while c.undo_stack.index() > steps:
            c.undo_stack.undo()
        settle(app)


def sample_run() -> Any:
    """A finished few-shot run as the core returns it: 52 held out, 2 of them errors."""
    from datetime import UTC, datetime

    from tunewise.core.experiment.model import ExampleResult, ExperimentResult

    examples = []
    for i in range(52):
        question = (f"Ticket {1000 + i}: my invoice for March shows a charge I do not "
                    "recognise, and the refund I was promised last week has not arrived yet.")
        expected = "billing_refund" if i % 3 else "billing_dispute"
        if i in (7, 31):
            examples.append(ExampleResult(index=i, line=i + 1, input=question,
                                          expected=expected, output=None, passed=None,
                                          error="api.example.com did not answer in time"))
            continue
        passed = i % 4 != 1 or i > 40
        output = expected if passed else "account_access"
        examples.append(ExampleResult(index=i, line=i + 1, input=question, expected=expected,
                                      output=output, passed=passed, input_tokens=1800,
                                      output_tokens=4, latency_ms=420.0))
    from tunewise.core.stats import wilson

    n = sum(1 for e in examples if e.passed is not None)
    passed = sum(1 for e in examples if e.passed)
    return ExperimentResult(n=n, passed=passed, score=passed / n, ci95=wilson(passed, n),
                            errors=2, input_tokens=93_600, output_tokens=208, cost_usd=0.0142,
                            latency_p50_ms=420.0, latency_p95_ms=910.0, model="gpt-4o-mini",
                            endpoint_host="api.openai.com", scorer="exact", few_shot=20,
                            held_out=52, seed=7, started=datetime(2026, 11, 29, 9, tzinfo=UTC),
                            finished=datetime(2026, 11, 29, 9, 1, tzinfo=UTC),
                            examples=examples)


def capture_experiment(app: Any, window: Any, out: Path) -> None:
    """The few-shot test dialog after a run, the failed rows, a scorer's options, and Q1
    with the measured score."""
    from datetime import date

    window.wizard.show_page("q1")
    dialog = window.wizard.page_of("q1").open_experiment()
    dialog.resize(960, 820)
    dialog.url_edit.setText("https://api.openai.com/v1")
    dialog.model_combo.setCurrentText("gpt-4o-mini")
    dialog.estimate_label.setText("52 requests, about 93,812 tokens: about $0.0142.")
    dialog._finished(sample_run(), "")  # as the worker reports a finished run
    settle(app)
    dialog.grab().save(str(out / "experiment-results.png"))
    dialog.results.show_only("failed")
    dialog.scorer_combo.setCurrentIndex(dialog.scorer_combo.findData("judge"))
    settle(app)
    dialog.grab().save(str(out / "experiment-failed-judge.png"))
    dialog.results.show_only("all")
    dialog.scorer_combo.setCurrentIndex(dialog.scorer_combo.findData("exact"))
    c = window.controller
    steps = c.undo_stack.index()
    dialog.use_score(date(2026, 11, 29))
    dialog.close()
    settle(app)
    window.grab().save(str(out / "q1-measured.png"))
    while c.undo_stack.index() > steps:
        c.undo_stack.undo()
    settle(app)


def capture_market(app: Any, window: Any, out: Path, index: int) -> None:
    """The fine-tuning tab, a forced move in the results, and the two offerings dialogs."""
    from PySide6.QtWidgets import QScrollArea

    from tunewise.core.fieldpath import ApproachInput
    from tunewise.core.prices import default_catalog
    from tunewise.ui.market.offerings import OfferingChooser, OfferingsWindow

    costs = window.wizard.page_of("costs")
    window.wizard.show_page("costs")
    costs.tabs.setCurrentIndex(2)
    costs.price_sections["fine_tuning"].set_open(True)
    costs.training_section.set_open(True)
    settle(app)
    scroll = costs.findChild(QScrollArea)
    scroll.verticalScrollBar().setValue(costs.tabs.y() - 8)  # the tab, from its top
    settle(app)
    window.grab().save(str(out / f"{index:02d}-costs-fine-tuning.png"))
    # An offering that stops taking training jobs within the horizon: the forced move.
    c = window.controller
    c.set_values([(ApproachInput(a, name), value) for a in ("fine_tuning",)
                  for name, value in (("model", "gpt-4o-mini"), ("provider", "openai"),
                                      ("deployment", "serverless"))], "Screenshot")
    window.wizard.show_page("costs")
    settle(app)
    scroll.verticalScrollBar().setValue(costs.tabs.y() - 8)
    settle(app)
    window.grab().save(str(out / f"{index + 1:02d}-costs-closing-offering.png"))
    window.wizard.show_page("results")
    settle(app)
    window.grab().save(str(out / f"{index + 2:02d}-results-forced-move.png"))
    c.undo_stack.undo()
    costs.price_sections["fine_tuning"].set_open(False)
    costs.training_section.set_open(False)
    market = default_catalog().market
    on = c.evaluation.costs.start_date
    chooser = OfferingChooser(market, on, "openai/gpt-4o-mini/serverless", window, "Fine-tuning")
    chooser.resize(1180, 680)
    chooser.show()
    settle(app)
    chooser.grab().save(str(out / "offering-chooser.png"))
    chooser.browser.select("openai/gpt-4.1-nano/serverless")
    settle(app)
    chooser.grab().save(str(out / "offering-chooser-closed.png"))
    chooser.close()
    chooser.deleteLater()
    offerings = OfferingsWindow(market, on, window)
    offerings.resize(1180, 680)
    offerings.show()
    offerings.browser.table.sortByColumn(0, offerings.browser.table.horizontalHeader()
                                         .sortIndicatorOrder())
    offerings.browser.select("azure-openai/gpt-4.1-mini/standard")
    settle(app)
    offerings.grab().save(str(out / "offerings.png"))
    offerings.close()
    offerings.deleteLater()


def capture(out: Path, *, dark_too: bool) -> dict[str, list[Path]]:
    """Screenshots in this process's QApplication: light into out/light (or out itself for the
    2x run), then the same window dark into out/dark."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["tunewise-screenshots"])
    app.setStyle("Fusion")  # the same look on every platform, and a palette it fully follows
    from tunewise.paths import example_project
    from tunewise.ui.mainwindow import MainWindow
    from tunewise.ui.theme import dark_palette

    sets: dict[str, list[Path]] = {}
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "screenshots.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        window.load(example_project("support-bot"))
        window.resize(WIDTH, HEIGHT)
        window.show()
        sets["light"] = capture_pages(app, window, out / "light" if dark_too else out)
        if dark_too:
            light = app.palette()
            app.setPalette(dark_palette())
            settle(app)
            sets["dark"] = capture_pages(app, window, out / "dark")
            app.setPalette(light)
        window.controller.undo_stack.setClean()
        window.close()
    return sets


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python desktop/tools/screenshots.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    if os.environ.get(SCALE_ENV):
        capture(out, dark_too=False)
        return 0
    sets = capture(out, dark_too=True)
    shutil.copyfile(sets["light"][-1], out / "dashboard.png")
    env = dict(os.environ, QT_SCALE_FACTOR="2", **{SCALE_ENV: "1"})
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = subprocess.run([sys.executable, __file__, str(out / "2x")],
                            env=env, check=False)
    if result.returncode != 0:
        return result.returncode
    for path in sorted(out.rglob("*.png")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
