"""An operator at the window: selects rows, presses actions, reads what the window shows.

Waits are on conditions only (``qtbot.waitUntil``) with generous timeouts; nothing is timed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt

from console.ui.calls_model import COL_ENDED, COL_FLAGS, COL_FROM, COL_STATE, COL_TO
from console.ui.conferences_model import COL_NAME as CONF_COL_NAME
from console.ui.conferences_model import COL_STATUS as CONF_COL_STATUS
from tests.support.qt import run_task

WAIT_MS = 15_000  # generous: a condition, never a timing assertion
LONG_RING = 100_000.0  # simulated seconds an unanswered inbound call keeps ringing
PENDING = "⏳"


class Operator:
    def __init__(self, qtbot, window, session, transport=None):
        self.qtbot = qtbot
        self.transport = transport
        self.window = window
        self.session = session
        self.sim = session.simulator
        self.outcomes: list[tuple[str, bool]] = []
        self.errors: list[str] = []
        window.actions.finished.connect(lambda label, ok: self.outcomes.append((label, ok)))
        notices = set(getattr(session.health, "notices", ()) or ())
        window.notifications.shown.connect(
            lambda text: None if text in notices else self.errors.append(text)
        )

    # --- reading the window -----------------------------------------------------------------

    def text(self, ccid: str, col: int) -> str:
        model = self.window.calls_model
        row = model.row_of(ccid)
        assert row is not None, f"no row for {ccid}"
        return model.index(row, col).data(Qt.ItemDataRole.DisplayRole) or ""

    def state(self, ccid: str) -> str:
        return self.text(ccid, COL_STATE)

    def flags(self, ccid: str) -> str:
        return self.text(ccid, COL_FLAGS)

    def ended(self, ccid: str) -> str:
        return self.text(ccid, COL_ENDED)

    def row(self, ccid: str) -> dict[str, str]:
        return {
            "from": self.text(ccid, COL_FROM),
            "to": self.text(ccid, COL_TO),
            "state": self.state(ccid),
            "flags": self.flags(ccid),
            "ended": self.ended(ccid),
        }

    def has_row(self, ccid: str) -> bool:
        return self.window.calls_model.row_of(ccid) is not None

    def conference_rows(self) -> dict[str, dict[str, str]]:
        """conference_id -> {participant ccid: its Status cell} as the conferences panel shows."""
        model = self.window.conferences_model
        shown: dict[str, dict[str, str]] = {}
        for cid in model.conference_ids():
            shown[cid] = {}
            for ccid in model.participant_ids(cid):
                idx = model.index_of_participant(cid, ccid, CONF_COL_STATUS)
                shown[cid][ccid] = idx.data(Qt.ItemDataRole.DisplayRole)
        return shown

    def conference_title(self, cid: str) -> tuple[str, str]:
        model = self.window.conferences_model
        name = model.index_of_conference(cid, CONF_COL_NAME).data(Qt.ItemDataRole.DisplayRole)
        status = model.index_of_conference(cid, CONF_COL_STATUS).data(Qt.ItemDataRole.DisplayRole)
        return name, status

    # --- waiting ------------------------------------------------------------------------------

    def wait(self, condition, timeout: int = WAIT_MS) -> None:
        self.qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)

    def wait_row(self, ccid: str) -> None:
        self.wait(lambda: self.has_row(ccid))

    def wait_state(self, ccid: str, text: str) -> None:
        self.wait(lambda: self.has_row(ccid) and self.state(ccid) == text)

    def run(self, coro: Any, timeout: int = WAIT_MS) -> Any:
        return run_task(self.qtbot, coro, timeout=timeout)

    # --- acting -------------------------------------------------------------------------------

    def inbound(self, from_: str = "+13125550142", caller_name: str = "Pat Caller") -> str:
        """A call arrives and rings until answered; returns its ccid once its row shows it."""
        ccid = self.run(
            self.sim.place_inbound_call(from_=from_, caller_name=caller_name, ring_secs=LONG_RING)
        )
        self.wait_state(ccid, "Ringing")
        return ccid

    def press(self, name: str, *ccids: str) -> asyncio.Future:
        """Select ``ccids`` (if given) and trigger the action; returns the task it started."""
        if ccids:
            self.window.select_calls(ccids)
        action = self.window.actions.all[name]
        assert action.isEnabled(), f"{name} is disabled"
        before = self.window.actions.last_task
        asked = self.window.last_confirm
        action.trigger()
        if self.window.last_confirm is not asked:  # a destructive action asks first: agree
            confirm = self.window.last_confirm
            assert confirm is not None and confirm.isVisible()
            confirm.yes_button.click()
        task = self.window.actions.last_task
        assert task is not None and task is not before, f"{name} started no command"
        return task

    def prompt(self, name: str, value: str, *ccids: str) -> asyncio.Future:
        """Press an action that asks for a value (transfer target...), type it, press OK."""
        if ccids:
            self.window.select_calls(ccids)
        action = self.window.actions.all[name]
        assert action.isEnabled(), f"{name} is disabled"
        before = self.window.last_prompt
        action.trigger()
        assert self.window.last_prompt is not before, f"{name} opened no prompt"
        return self.answer_prompt(value)

    def answer_prompt(self, value: str) -> asyncio.Future:
        prompt = self.window.last_prompt
        assert prompt is not None and prompt.isVisible()
        before = self.window.actions.last_task
        prompt.line_edit.setText(value)
        assert prompt.ok_button.isEnabled(), prompt.error_label.text()
        prompt.accept()
        task = self.window.actions.last_task
        assert task is not None and task is not before
        return task

    def finish(self, task: asyncio.Future, ok: bool = True) -> None:
        """Wait for the command; it must have succeeded (or failed, with ``ok=False``)."""
        self.wait(task.done)
        assert task.exception() is None  # failures become words, never escape the task
        label, succeeded = self.outcomes[-1]
        if ok:
            assert succeeded, f"{label} failed: {self.errors[-1:]}"
        else:
            assert not succeeded, f"{label} unexpectedly succeeded"
        self.wait(self.window.actions.idle)

    def act(self, name: str, *ccids: str, pending: str | None = None) -> None:
        """Press, see the rows pending, wait for success."""
        task = self.press(name, *ccids)
        if pending is not None:
            for ccid in ccids:
                assert self.state(ccid) == f"{PENDING} {pending}", self.row(ccid)
        self.finish(task)

    def answered_inbound(self, **kw: Any) -> str:
        ccid = self.inbound(**kw)
        self.act("answer", ccid, pending="answering…")
        self.wait_state(ccid, "Answered")
        return ccid

    # --- the simulator's side -----------------------------------------------------------------

    def truth(self) -> dict[str, Any]:
        return self.sim.truth()

    def settle(self) -> None:
        self.run(self.sim.wait_idle(10.0))
