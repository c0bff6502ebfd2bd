"""Running the few-shot test from the Q1 page: the dialog, its worker, the plan.

The shared Chat Completions server (tests/chat_server.py) on 127.0.0.1 answers
deterministically: the answer to "question N" is "answer N" when N is even and "wrong" when
it is odd, so the pass count of any held-out
draw is counted here from the questions the server was asked. The real worker runs the real
core; only the server is a stand-in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.chat_server import ChatServer
from tunewise.core.experiment.model import ExperimentResult
from tunewise.paths import user_data_dir
from tunewise.ui.dataset.worker import Job
from tunewise.ui.experiment.dialog import ExperimentDialog

KEY = "sk-typed-in-the-dialog-4242"
WAIT_MS = 30_000  # the first estimate loads the tokenizer
QUESTION = re.compile(r"question (\d+)")


def question(n: int) -> str:
    return f"question {n}: what about case {n * 7919 % 1000}?"


def serve(**options: Any) -> ChatServer:
    """The shared test server, right on even questions: 'answer N' to 'question N'."""
    return ChatServer({question(n): f"answer {n}" for n in range(0, 40, 2)}, default="wrong",
                      **options)


def asked(server: ChatServer) -> list[int]:
    """The question numbers of every request the server had, repeats included."""
    return sorted(int(QUESTION.search(q).group(1))  # type: ignore[union-attr]
                  for q, count in server.requests.items() for _ in range(count))


def host(server: ChatServer) -> str:
    return f"127.0.0.1:{server.port}"


@pytest.fixture(autouse=True)
def no_thread_left() -> Iterator[None]:
    yield
    assert Job.wait_for_all(10_000)


@pytest.fixture(autouse=True)
def no_stored_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """No key from the machine running the tests: no variables, an empty keyring."""
    for name in ("TUNEWISE_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with serve() as found:
        yield found


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """40 chat examples: 'question N' answered 'answer N'."""
    path = tmp_path / "data" / "tickets.jsonl"
    path.parent.mkdir()
    lines = [json.dumps({"messages": [
        {"role": "user", "content": question(n)},
        {"role": "assistant", "content": f"answer {n}"}]}) for n in range(40)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def open_dialog(ui: Any) -> ExperimentDialog:
    """Click Run the Few-Shot Test… on the Q1 page."""
    ui.window.wizard.show_page("q1")
    page = ui.window.wizard.page_of("q1")
    ui.qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    found = ui.window.findChildren(ExperimentDialog)
    assert len(found) == 1 and found[0].isVisible()
    dialog: ExperimentDialog = found[0]
    return dialog


def set_up(dialog: ExperimentDialog, examples: Path, server: ChatServer, *,
           model: str = "team-model", held_out: int = 10, concurrency: int = 2) -> None:
    dialog.file_edit.setText(str(examples))
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData(""))  # your own URL
    dialog.url_edit.setText(server.base_url)
    dialog.url_edit.editingFinished.emit()
    dialog.model_combo.setCurrentText(model)
    dialog.key_edit.setText(KEY)
    dialog.few_shot_spin.setValue(5)
    dialog.held_out_spin.setValue(held_out)
    dialog.seed_spin.setValue(3)
    dialog.concurrency_spin.setValue(concurrency)


def run_in(ui: Any, dialog: ExperimentDialog) -> None:
    ui.qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.running()
    ui.qtbot.waitUntil(lambda: not dialog.running(), timeout=WAIT_MS)


def passes_by_hand(numbers: list[int]) -> int:
    return sum(1 for n in set(numbers) if n % 2 == 0)


def test_a_run_fills_the_table_and_the_pass_rate(ui: Any, examples: Path, server: ChatServer,
                                                 dialog_log: Any) -> None:
    dialog = open_dialog(ui)
    set_up(dialog, examples, server)
    run_in(ui, dialog)
    assert dialog.error.text() == ""
    result = dialog.run_result
    assert isinstance(result, ExperimentResult)
    numbers = asked(server)
    assert len(numbers) == len(set(numbers)) == 10  # each held-out example once
    passed = passes_by_hand(numbers)
    assert (result.n, result.passed, result.errors) == (10, passed, 0)
    rows = dialog.results.rows()
    assert len(rows) == 10
    assert sorted(int(QUESTION.search(r[0]).group(1)) for r in rows) == numbers  # type: ignore[union-attr]
    for given, expected, output, ok in rows:
        n = int(QUESTION.search(given).group(1))  # type: ignore[union-attr]
        assert expected == f"answer {n}"
        assert (output, ok) == ((f"answer {n}", "Yes") if n % 2 == 0 else ("wrong", "No"))
    assert f"{passed} of 10 passed" in dialog.status.text()
    assert f"Score {passed * 10}%" in dialog.status.text()
    dialog.results.show_only("failed")
    assert [r[3] for r in dialog.results.rows()] == ["No"] * (10 - passed)
    dialog.results.show_only("errors")
    assert dialog.results.rows() == []
    # The key went to the server in the header, and the results file lives in the app's
    # data folder, not beside the examples or the plan.
    assert set(server.authorizations) == {f"Bearer {KEY}"}
    assert dialog.results_path is not None
    assert dialog.results_path.parent == user_data_dir() / "experiments"
    assert KEY not in dialog.results_path.read_text(encoding="utf-8")
    assert list(examples.parent.iterdir()) == [examples]
    # A model without a known price costs nothing anyone can estimate: no question asked.
    assert dialog_log.of("confirm") == []


def test_a_system_prompt_file_opens_every_request(ui: Any, examples: Path, server: ChatServer,
                                                  tmp_path: Path) -> None:
    prompt = tmp_path / "system.txt"
    prompt.write_text("You answer Acme tickets in one line.", encoding="utf-8")
    dialog = open_dialog(ui)
    set_up(dialog, examples, server, held_out=4)
    dialog.prompt_edit.setText(str(prompt))
    run_in(ui, dialog)
    assert dialog.error.text() == ""
    assert len(server.bodies) == 4
    for body in server.bodies:
        first, *turns = body["messages"]
        assert first == {"role": "system", "content": "You answer Acme tickets in one line."}
        assert [t["role"] for t in turns[:4]] == ["user", "assistant", "user", "assistant"]
    prompt.write_bytes(b"\xff\xfe not text")
    ui.qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert not dialog.running()
    assert dialog.error.text() == "The system prompt: system.txt is not UTF-8 text."


def test_use_this_score_sets_the_measured_score_in_one_undo_step(
        ui: Any, examples: Path, server: ChatServer) -> None:
    dialog = open_dialog(ui)
    set_up(dialog, examples, server)
    run_in(ui, dialog)
    c = ui.window.controller
    before = c.project.model_copy(deep=True)
    steps = c.undo_stack.index()
    assert dialog.use_button.isEnabled()
    ui.qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    m = c.project.answers.few_shot_measured
    passed = passes_by_hand(asked(server))
    assert m is not None
    assert (m.n, m.passed, m.score, m.model) == (10, passed, passed / 10, "team-model")
    assert m.endpoint_host == host(server)
    assert m.few_shot == 5
    assert len(m.failing) == min(5, 10 - passed)
    assert c.project.answers.few_shot_model == "team-model"
    # A new plan's prompting is on the default model, so it follows (as typing the model does).
    assert c.project.costs.approach("prompt_engineering").model == "team-model"
    assert c.undo_stack.index() == steps + 1
    # The Q1 page shows it.
    page = ui.window.wizard.page_of("q1")
    assert page.measured.isVisibleTo(page)
    assert f"{passed} of 10 held-out examples passed on team-model" in page.measured.text()
    c.undo_stack.undo()
    assert c.project.answers.few_shot_measured is None
    assert c.project.answers.few_shot_model == before.answers.few_shot_model
    assert c.project.costs == before.costs
    assert not page.measured.isVisibleTo(page)


def test_cancel_stops_promptly_and_run_resumes_without_asking_again(
        ui: Any, examples: Path) -> None:
    with serve(delay=0.3) as slow:
        dialog = open_dialog(ui)
        set_up(dialog, examples, slow, held_out=20, concurrency=1)
        ui.qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
        ui.qtbot.waitUntil(lambda: len(asked(slow)) >= 3, timeout=WAIT_MS)
        at_cancel = len(asked(slow))
        ui.qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        assert not dialog.running() and dialog.run_button.isEnabled()
        assert "Cancelled" in dialog.status.text()
        stopping = dialog.stopping
        assert stopping is not None
        ui.qtbot.waitUntil(lambda: not stopping.running(), timeout=5000)
        first = asked(slow)
        assert len(first) <= at_cancel + 1  # the request in flight, then nothing more
        assert 3 <= len(first) < 20
        run_in(ui, dialog)
        result = dialog.run_result
        assert result is not None and result.n == 20
        every = asked(slow)
        # Answers kept from the first run are not asked (or paid for) again; at most the one
        # in flight at Cancel, whose answer may have been dropped, is asked once more.
        assert len(every) - len(set(every)) <= 1
        assert len(set(every)) == 20


def test_a_refused_key_names_the_endpoint(ui: Any, examples: Path, dialog_log: Any) -> None:
    with serve(status=401) as refusing:
        dialog = open_dialog(ui)
        set_up(dialog, examples, refusing)
        run_in(ui, dialog)
        errors = dialog_log.of("error")
        assert len(errors) == 1
        _parent, _title, message = errors[0]
        assert host(refusing) in message and "refused the API key" in message
        assert KEY not in message and KEY not in dialog.error.text()
        assert host(refusing) in dialog.error.text()
        assert len(asked(refusing)) <= 2  # stopped at once, not once per example
        assert dialog.run_result is None and not dialog.use_button.isEnabled()


def test_a_priced_run_asks_first_and_declining_sends_nothing(
        ui: Any, examples: Path, server: ChatServer, dialog_log: Any) -> None:
    dialog = open_dialog(ui)
    set_up(dialog, examples, server, model="gpt-4o-mini")
    dialog_log.confirm = False
    ui.qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    ui.qtbot.waitUntil(lambda: not dialog.running(), timeout=WAIT_MS)
    (question_asked,) = dialog_log.of("confirm")
    assert question_asked[1] == "Run the Few-Shot Test"
    assert "This run will cost about $" in question_asked[2]
    assert asked(server) == []
    dialog_log.confirm = True
    run_in(ui, dialog)
    assert len(dialog_log.of("confirm")) == 2
    assert len(set(asked(server))) == 10


def test_the_typed_key_is_not_in_the_saved_plan(ui: Any, examples: Path, server: ChatServer,
                                                tmp_path: Path, dialog_log: Any) -> None:
    dialog = open_dialog(ui)
    set_up(dialog, examples, server)
    run_in(ui, dialog)
    dialog.use_score()
    dialog_log.save_name = tmp_path / "plan.tunewise"
    assert ui.window.save_as()
    saved = (tmp_path / "plan.tunewise").read_text(encoding="utf-8")
    assert json.loads(saved)["answers"]["few_shot_measured"]["model"] == "team-model"
    assert KEY not in saved
    for path in user_data_dir().parent.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_remember_in_keyring_keeps_the_typed_key_for_the_endpoint_only(
        ui: Any, examples: Path, server: ChatServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from tunewise.core.experiment import keys

    kept: list[tuple[str, str]] = []
    monkeypatch.setattr(keys, "remember", lambda host, key: kept.append((host, key)))
    dialog = open_dialog(ui)
    set_up(dialog, examples, server)
    run_in(ui, dialog)
    assert kept == []  # not ticked: nothing kept
    dialog.remember_box.setChecked(True)
    run_in(ui, dialog)
    assert kept == [(host(server), KEY)]
