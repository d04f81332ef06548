"""Small pieces: wait_for, the audit log, stable ids, and no Qt in the Qt-free modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from console.operations import AuditLog, ConfirmationTimeout, wait_for
from console.operations.ids import own_conference_name, step_command_id
from console.state.changes import Changes

ROOT = Path(__file__).resolve().parents[2]


class FakeStore:
    def __init__(self):
        self.listeners = []
        self.value = 0

    def subscribe(self, listener):
        self.listeners.append(listener)

    def unsubscribe(self, listener):
        self.listeners.remove(listener)

    def bump(self):
        self.value += 1
        for listener in list(self.listeners):
            listener(Changes())


@pytest.mark.anyio
async def test_wait_for_wakes_on_changes_and_unsubscribes():
    import asyncio

    store = FakeStore()
    asyncio.get_running_loop().call_soon(store.bump)
    asyncio.get_running_loop().call_soon(store.bump)
    assert await wait_for(store, lambda: store.value >= 2 and store.value, within=5, what="x") == 2
    assert store.listeners == []


@pytest.mark.anyio
async def test_wait_for_times_out_with_words():
    store = FakeStore()
    with pytest.raises(ConfirmationTimeout, match="the thing happened"):
        await wait_for(store, lambda: None, within=0.01, what="the thing happened")
    assert store.listeners == []


@pytest.mark.anyio
async def test_wait_for_passes_on_the_conditions_error():
    import asyncio

    store = FakeStore()

    def condition():
        if store.value:
            raise LookupError("gone")

    asyncio.get_running_loop().call_soon(store.bump)
    with pytest.raises(LookupError):
        await wait_for(store, condition, within=5, what="x")


def test_audit_log_appends_json_lines(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record("hold", "ok", target="v3:a")
    log.record("attended transfer", "rolled back", target="v3:b", error="busy")
    entries = AuditLog(tmp_path / "audit.jsonl").entries()
    assert [(e.what, e.result, e.who) for e in entries] == [
        ("hold", "ok", "operator"),
        ("attended transfer", "rolled back", "operator"),
    ]
    assert entries[1].detail == {"error": "busy"}


def test_ids_are_stable():
    assert step_command_id("t1", "dial") == step_command_id("t1", "dial")
    assert step_command_id("t1", "dial") != step_command_id("t2", "dial")
    assert own_conference_name("v3:x") == own_conference_name("v3:x")


def test_operations_and_session_load_no_qt():
    code = (
        "import sys, console.session, console.operations\n"
        "import pkgutil, importlib\n"
        "for m in pkgutil.walk_packages(console.operations.__path__, 'console.operations.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'qasync'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
