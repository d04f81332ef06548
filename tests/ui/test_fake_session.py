"""The UI tests' fake session must not drift from the real one: mypy checks it statically.

An end-to-end test once found ``console/ui/actions.py`` reading ``ops.attended_transfers`` and
``t.caller_ccid``/``t.consult_ccid``: names that existed only in the fakes, so the UI tests
passed against a shape the real ``console.operations`` did not have. The window is now typed
against ``console.session_api.ConsoleApi`` and the fakes are assigned to those Protocols in
tests/support/fake_session_check.py, which mypy checks with the rest (``[tool.mypy] files``).
These tests run that check inside the suite, prove it catches a drifted fake, and check what
a Protocol cannot: the objects a fake hands out are the real types, and console/ui never
reads a test-only hook.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from mypy import api as mypy_api

from console.events.receiver import ReceivedEvent, Rejection
from console.operations.health import Health
from console.operations.transfer import AttendedTransfer
from console.state.store import Store
from tests.support.fake_session import FakeOps, FakeSession
from tests.support.qt import run_task
from tests.ui.fakes import Events

ROOT = Path(__file__).resolve().parents[2]
UI_SOURCES = ROOT / "console" / "ui"
CHECK = ROOT / "tests" / "support" / "fake_session_check.py"

#: Test-only controls of the fakes; the real classes lack them and console/ui must not read them.
HOOKS = {
    "session": {
        "deliver",
        "reject",
        "health_changed",
        "applied",
        "apply_error",
        "applications",
        "applications_error",
        "path_result",
        "path_error",
        "gate",
        "resync_reasons",
        "resync_error",
        "took_over",
    },
    "ops": {"calls", "fail", "gate", "confirm", "names", "operator_legs"},
}


def _mypy(*files: Path) -> tuple[str, int]:
    stdout, stderr, status = mypy_api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--no-error-summary", *map(str, files)]
    )
    return stdout + stderr, status


def test_mypy_finds_the_fakes_faithful(monkeypatch):
    monkeypatch.chdir(ROOT)
    output, status = _mypy(CHECK)
    assert status == 0, output


def test_mypy_catches_a_drifted_fake(monkeypatch, tmp_path):
    """The shapes of the original bug: a sync method the window awaits, a missing member."""
    monkeypatch.chdir(ROOT)
    drifted = tmp_path / "drifted_fake.py"
    drifted.write_text(
        textwrap.dedent(
            """
            from console.session_api import CallOps, ConsoleApi
            from console.state.store import Store
            from tests.support.fake_session import FakeOps, FakeSession


            class OldSession(FakeSession):
                def test_webhook_path(self) -> str:  # type: ignore[override]
                    return "ok"


            class OldOps(FakeOps):
                attended_transfers = None  # type: ignore[assignment]


            session: ConsoleApi = OldSession()
            ops: CallOps = OldOps(Store())
            """
        ),
        encoding="utf-8",
    )
    output, status = _mypy(drifted)
    assert status == 1
    assert 'variable has type "ConsoleApi"' in output and "test_webhook_path" in output
    assert 'variable has type "CallOps"' in output and "attended_transfers" in output


def test_fake_ops_hand_out_real_attended_transfers(qtbot):
    ops = FakeOps(Store())
    transfer = run_task(qtbot, ops.start_attended_transfer("v3:a", "+13125550177"))
    assert type(transfer) is AttendedTransfer
    assert (transfer.caller_ccid, transfer.consult_ccid) == ("v3:a", "v3:consult")
    assert ops.attended_transfers == [transfer]
    assert run_task(qtbot, ops.complete_attended_transfer(transfer)) is transfer
    assert ops.attended_transfers == [] and ops.transfers == [transfer]  # as the real property


def test_fake_session_hands_the_window_real_objects():
    session = FakeSession()
    assert type(session.health) is Health
    got: list[Any] = []
    unsubscribe = [
        session.on_event(lambda envelope, received: got.append(received)),
        session.on_rejected(got.append),
        session.on_health(lambda: got.append(session.health)),
    ]
    assert all(callable(u) for u in unsubscribe)  # the real session returns unsubscribers
    session.deliver(Events().initiated("v3:a"), attempt=2)
    session.reject()
    before = session.health
    session.health_changed(api_reachable=False)
    received, rejection, health = got
    assert type(received) is ReceivedEvent and received.attempt == 2
    assert type(rejection) is Rejection
    assert type(health) is Health and health is not before and before.api_reachable is True
    for u in unsubscribe:
        u()
    session.deliver(Events().initiated("v3:b"))
    assert len(got) == 3


@pytest.mark.parametrize("owner", sorted(HOOKS))
def test_console_ui_never_reads_a_test_hook(owner):
    pattern = re.compile(rf"\b{owner}\.({'|'.join(sorted(HOOKS[owner]))})\b")
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(UI_SOURCES.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []
