"""The UI tests' fakes must not drift from the real session, operations and their objects.

An end-to-end test once found ``console/ui/actions.py`` reading ``ops.attended_transfers`` and
``t.caller_ccid``/``t.consult_ccid``: names that existed only in tests/ui/fakes.py, so the UI
tests passed against a shape the real ``console.operations`` did not have. Here every public
name a fake exposes must exist on its real counterpart (methods as methods, with the same
async-ness and parameter names; defaults may differ), and the objects a fake hands the window
(health snapshots, transfers, received events, rejections) are the real types.

Test-only controls (``ops.fail``, ``session.deliver``...) are listed in ``HOOKS``; they must
not exist on the real class, and ``console/ui`` must never read them.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from console.events.journal import Journal
from console.events.receiver import ReceivedEvent, Rejection
from console.operations import AttendedTransfer, Operations
from console.operations.health import Health
from console.session import ConsoleSession
from console.state.store import Store
from tests.support.qt import run_task
from tests.ui import fakes
from tests.ui.test_health_panel import FakeSession as HealthPanelSession
from tests.ui.test_history_panel import HistorySession as HistoryPanelSession
from tests.ui.test_window_docks import ToolsSession

UI_SOURCES = Path(__file__).resolve().parents[2] / "console" / "ui"


def _make_history_session(tmp_path: Path) -> HistoryPanelSession:
    return HistoryPanelSession(tmp_path)


# (fake factory, real class, test-only hooks the fake may add)
PAIRS: dict[str, tuple[Any, type, set[str]]] = {
    "FakeSession": (
        lambda _tmp: fakes.FakeSession(),
        ConsoleSession,
        {
            "deliver",
            "reject",
            "health_changed",
            "applied",
            "apply_error",
            "applications",
            "applications_error",
        },
    ),
    "ToolsSession": (
        lambda _tmp: ToolsSession(),
        ConsoleSession,
        {
            "deliver",
            "reject",
            "health_changed",
            "applied",
            "apply_error",
            "applications",
            "applications_error",
            "path_result",
            "path_error",
            "resync_reasons",
            "resync_error",
        },
    ),
    "health panel FakeSession": (
        lambda _tmp: HealthPanelSession(),
        ConsoleSession,
        {
            "listeners",
            "path_result",
            "path_error",
            "gate",
            "resync_reasons",
            "resync_error",
            "update",
        },
    ),
    "history panel HistorySession": (
        _make_history_session,
        ConsoleSession,
        {"deliver", "record", "close", "conn", "table"},
    ),
    "FakeOps": (
        lambda _tmp: fakes.FakeOps(Store()),
        Operations,
        {"calls", "fail", "gate", "confirm", "names"},
    ),
    "FakeJournal": (lambda _tmp: fakes.FakeJournal(), Journal, {"rows"}),
}


def public_names(obj: Any) -> set[str]:
    return {name for name in dir(obj) if not name.startswith("_")} - set(dir(object))


def real_names(cls: type) -> set[str]:
    """Class attributes, dataclass fields and every ``self.x = ...`` in the class's methods
    (instance attributes such as ``ConsoleSession.ops`` are only set once started)."""
    names = public_names(cls)
    if dataclasses.is_dataclass(cls):
        names |= {f.name for f in dataclasses.fields(cls)}
    for klass in cls.__mro__[:-1]:
        tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                targets = [node.target]
            else:
                continue
            for target in targets:
                for sub in ast.walk(target):
                    if (
                        isinstance(sub, ast.Attribute)
                        and isinstance(sub.value, ast.Name)
                        and sub.value.id == "self"
                    ):
                        names.add(sub.attr)
    return {name for name in names if not name.startswith("_")}


def is_method(cls: type, name: str) -> bool:
    return inspect.isfunction(inspect.getattr_static(cls, name, None))


def parameter_problems(fake: Any, real: Any) -> list[str]:
    """Positional order and names must agree for every parameter the fake takes; parameters
    only the real method has must be optional (the fake may omit them); defaults may differ."""
    ignore = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    fake_params = [p for p in inspect.signature(fake).parameters.values() if p.name != "self"]
    real_params = [p for p in inspect.signature(real).parameters.values() if p.name != "self"]
    problems = []
    for index, param in enumerate(fake_params):
        if param.kind in ignore:
            continue
        if index >= len(real_params):
            problems.append(f"takes {param.name!r}, which the real method has not")
            continue
        other = real_params[index]
        if other.name != param.name:
            problems.append(f"parameter {index + 1} is {param.name!r}, really {other.name!r}")
        elif (param.kind == param.KEYWORD_ONLY) != (other.kind == other.KEYWORD_ONLY):
            problems.append(f"{param.name!r} is keyword-only in one and not the other")
    for other in real_params[len(fake_params) :]:
        if other.kind not in ignore and other.default is inspect.Parameter.empty:
            problems.append(f"lacks the required parameter {other.name!r}")
    return problems


def drift(fake: Any, real: type, hooks: set[str]) -> list[str]:
    """Every way ``fake`` differs from ``real`` (an empty list when it is faithful)."""
    fake_cls = type(fake)
    known = real_names(real)
    problems = []
    for name in sorted(public_names(fake) - hooks):
        if name not in known:
            problems.append(f"{name}: no such attribute on {real.__qualname__}")
            continue
        fake_method, real_method = is_method(fake_cls, name), is_method(real, name)
        if fake_method != real_method:
            kinds = ("a method", "an attribute/property")
            problems.append(
                f"{name}: {kinds[not fake_method]} here, {kinds[not real_method]} really"
            )
            continue
        if not fake_method:
            continue
        fake_fn, real_fn = getattr(fake_cls, name), getattr(real, name)
        if inspect.iscoroutinefunction(fake_fn) != inspect.iscoroutinefunction(real_fn):
            really = "async" if inspect.iscoroutinefunction(real_fn) else "not async"
            problems.append(f"{name}: the real method is {really}")
        problems += [f"{name}: {p}" for p in parameter_problems(fake_fn, real_fn)]
    for hook in sorted(hooks):
        if hook in known:
            problems.append(f"{hook}: listed as a test hook but the real class has it")
    return problems


@pytest.mark.parametrize("label", list(PAIRS))
def test_fake_matches_the_real_class(label, tmp_path):
    factory, real, hooks = PAIRS[label]
    fake = factory(tmp_path)
    try:
        assert drift(fake, real, hooks) == [], f"{label} drifted from {real.__qualname__}"
        assert hooks <= public_names(fake), "a hook listed here is gone: drop it from HOOKS"
    finally:
        journal = getattr(fake, "journal", None)
        if isinstance(journal, Journal):
            journal.close()


def test_the_checker_catches_the_bug_that_motivated_it():
    """The fake shapes of the original bug: a transfer with names the real one lacked (then),
    ops with an attribute the real Operations lacked, a renamed parameter, a sync method."""

    class OldTransfer:
        caller_ccid = "v3:a"
        consult_leg = "v3:b"  # the real object has consult_ccid / consult_call_control_id

    class OldOps:
        pending_transfers = ()

        async def hangup(self, ccid):
            pass

        def mute(self, call_control_id):
            pass

        async def reject(self, call_control_id, cause, reason):
            pass

    assert drift(OldTransfer(), AttendedTransfer, set()) == [
        "consult_leg: no such attribute on AttendedTransfer"
    ]
    assert drift(OldOps(), Operations, set()) == [
        "hangup: parameter 1 is 'ccid', really 'call_control_id'",
        "mute: the real method is async",
        "pending_transfers: no such attribute on Operations",
        "reject: takes 'reason', which the real method has not",
    ]


def test_fake_ops_hand_out_real_attended_transfers(qtbot):
    ops = fakes.FakeOps(Store())
    transfer = run_task(qtbot, ops.start_attended_transfer("v3:a", "+13125550177"))
    assert type(transfer) is AttendedTransfer
    assert (transfer.caller_ccid, transfer.consult_ccid) == ("v3:a", "v3:consult")
    assert ops.attended_transfers == [transfer]
    assert run_task(qtbot, ops.complete_attended_transfer(transfer)) is transfer
    assert ops.attended_transfers == [] and ops.transfers == [transfer]  # as the real property


def test_fake_session_hands_the_window_real_objects():
    session = fakes.FakeSession()
    assert type(session.health) is Health
    got: list[Any] = []
    unsubscribe = [
        session.on_event(lambda envelope, received: got.append(received)),
        session.on_rejected(got.append),
        session.on_health(lambda: got.append(session.health)),
    ]
    assert all(callable(u) for u in unsubscribe)  # the real session returns unsubscribers
    session.deliver(fakes.Events().initiated("v3:a"), attempt=2)
    session.reject()
    before = session.health
    session.health_changed(api_reachable=False)
    received, rejection, health = got
    assert type(received) is ReceivedEvent and received.attempt == 2
    assert type(rejection) is Rejection
    assert type(health) is Health and health is not before and before.api_reachable is True
    for u in unsubscribe:
        u()
    session.deliver(fakes.Events().initiated("v3:b"))
    assert len(got) == 3


@pytest.mark.parametrize("label", list(PAIRS))
def test_console_ui_never_reads_a_test_hook(label):
    _factory, real, hooks = PAIRS[label]
    owner = "ops" if real is Operations else "journal" if real is Journal else "session"
    pattern = re.compile(rf"\b{owner}\.({'|'.join(sorted(hooks))})\b")
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(UI_SOURCES.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []
