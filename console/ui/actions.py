"""Every operator action as a QAction: shortcut, icon, and its async command.

``CallActions`` builds the actions, reads the selection for them and runs their commands (the
pending rows, the status bar's words, what became of a dialled call); when each is enabled is
decided in console/ui/action_rules.py, what each does in console/ui/single_leg_actions.py and
console/ui/multi_leg_actions.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from console.operations.errors import TransferCancelled
from console.state.entities import Call, CallState
from console.ui import icons
from console.ui.action_outcomes import CallOutcomes
from console.ui.action_rules import refresh_actions
from console.ui.action_specs import SPECS, TOGGLE_TEXTS, ActionContext
from console.ui.formatting import caller_words
from console.ui.messages import action_failed, claim_taken, describe_error
from console.ui.multi_leg_actions import MultiLegHandlers
from console.ui.pending import PendingOps
from console.ui.ringing_calls import RingingCalls, rings_in
from console.ui.single_leg_actions import SingleLegHandlers
from console.ui.validation import normalize_target

if TYPE_CHECKING:
    from console.operations.transfer import AttendedTransfer
    from console.session_api import CallOps, ConsoleApi
    from console.state.store import Store

__all__ = ["SPECS", "TOGGLE_TEXTS", "ActionContext", "CallActions"]

log = logging.getLogger(__name__)


class CallActions(QObject):
    """Builds the QActions, keeps their enabled/checked state true to the selection and store,
    and runs each command as an asyncio task whose failure becomes a readable message."""

    finished = Signal(str, bool)  # action label, succeeded

    def __init__(
        self,
        session: ConsoleApi,
        context: ActionContext,
        pending: PendingOps,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.context = context
        self.pending = pending
        # The ringing calls, kept from the store's changes (the window applies each batch).
        self.ringing = RingingCalls(session.store)
        self.tasks: set[asyncio.Future] = set()
        self.last_task: asyncio.Future | None = None
        self._busy: set[str] = set()  # actions without a call row (conference, transfer)
        # What became of the calls ended or dialled from here (console/ui/action_outcomes.py).
        self.outcomes = CallOutcomes(lambda ccid: self.store.call(ccid), pending, context)
        self.ended_notes = self.outcomes.ended_notes
        self.all: dict[str, QAction] = {}
        # One typed attribute per action, so a type checker (and a reader) can follow them.
        self.dial: QAction = self._make("dial")
        self.answer: QAction = self._make("answer")
        self.reject: QAction = self._make("reject")
        self.hangup: QAction = self._make("hangup")
        self.hold: QAction = self._make("hold")
        self.mute: QAction = self._make("mute")
        self.record: QAction = self._make("record")
        self.record_pause: QAction = self._make("record_pause")
        self.transfer: QAction = self._make("transfer")
        self.attended_transfer: QAction = self._make("attended_transfer")
        self.complete_transfer: QAction = self._make("complete_transfer")
        self.cancel_transfer: QAction = self._make("cancel_transfer")
        self.bridge: QAction = self._make("bridge")
        self.merge: QAction = self._make("merge")
        self.add_participant: QAction = self._make("add_participant")
        self.kick: QAction = self._make("kick")
        self.end_conference: QAction = self._make("end_conference")
        self.send_dtmf: QAction = self._make("send_dtmf")
        self.pick: QAction = self._make("pick")
        self.settings: QAction = self._make("settings")
        for name in ("hold", "mute", "record", "record_pause"):
            self.all[name].setCheckable(True)
        self.dial.triggered.connect(lambda: context.focus_dialer())
        self.settings.triggered.connect(lambda: context.open_settings())
        one = self._single_leg = SingleLegHandlers(self)
        self.answer.triggered.connect(one.answer)
        self.reject.triggered.connect(one.reject)
        self.hangup.triggered.connect(one.hangup)
        self.hold.triggered.connect(one.hold)
        self.mute.triggered.connect(one.mute)
        self.record.triggered.connect(one.record)
        self.record_pause.triggered.connect(one.record_pause)
        handlers = self._multi_leg = MultiLegHandlers(self)
        self.transfer.triggered.connect(handlers.transfer)
        self.attended_transfer.triggered.connect(handlers.attended_transfer)
        self.complete_transfer.triggered.connect(handlers.complete_transfer)
        self.cancel_transfer.triggered.connect(handlers.cancel_transfer)
        self.bridge.triggered.connect(handlers.bridge)
        self.merge.triggered.connect(handlers.merge)
        self.add_participant.triggered.connect(handlers.add_participant)
        self.kick.triggered.connect(handlers.kick)
        self.end_conference.triggered.connect(handlers.end_conference)
        self.send_dtmf.triggered.connect(one.send_dtmf)
        self.pick.triggered.connect(one.pick)
        self.update()

    def _make(self, name: str) -> QAction:
        text, icon_name, shortcut, tip = SPECS[name]
        action = QAction(icons.icon(icon_name or ""), text, self)
        action.setObjectName(f"action_{name}")
        action.setShortcut(QKeySequence(shortcut))
        plain = text.replace("&", "").rstrip("…")
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{plain} ({keys})\n{tip}")
        action.setStatusTip(tip)
        action.setWhatsThis(tip)
        self.all[name] = action
        return action

    # --- groups for menus and toolbars ------------------------------------------------------

    CALL_MENU = (
        "dial answer reject hangup | hold mute send_dtmf | record record_pause | "
        "transfer attended_transfer complete_transfer cancel_transfer"
    )
    # End conference stands apart from Kick: a slip between them ends everyone's call.
    CONFERENCE_MENU = "bridge merge | add_participant kick | end_conference | pick"
    CONFERENCE_CONTEXT_MENU = "add_participant kick | end_conference"
    TOOLBAR = (
        "answer reject hangup | hold mute record | transfer attended_transfer "
        "complete_transfer cancel_transfer | bridge merge | send_dtmf"
    )
    CONTEXT_MENU = (
        "answer reject hangup | hold mute record record_pause send_dtmf | transfer "
        "attended_transfer complete_transfer cancel_transfer | bridge merge pick"
    )

    def group(self, spec: str) -> list[QAction | None]:
        """Actions named in ``spec``; None marks a separator."""
        return [None if word == "|" else self.all[word] for word in spec.split()]

    # --- state ----------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        return self.session.store

    @property
    def ops(self) -> CallOps:
        ops = self.session.ops
        if ops is None:  # the session builds its operations when it starts
            raise ValueError("The console is still connecting; try again in a moment.")
        return ops

    def _calls(self) -> list[Call]:
        calls = (self.store.call(c) for c in self.context.selected_ccids())
        return [c for c in calls if c is not None]

    def current_transfer(self) -> AttendedTransfer | None:
        """The attended transfer the selection is part of; else the only one in progress."""
        ops = self.session.ops
        transfers = list(ops.attended_transfers) if ops is not None else []
        selected = set(self.context.selected_ccids())
        for transfer in transfers:
            if {transfer.caller_ccid, transfer.consult_ccid} & selected:
                return transfer
        return transfers[0] if len(transfers) == 1 else None

    def ringing_target(self) -> Call | None:
        """The call Answer and Reject act on: the selected ringing incoming call, or, when the
        selection holds none, the oldest one ringing — so one key answers without a click."""
        calls = self._calls()
        if len(calls) == 1 and rings_in(calls[0]):
            return None if calls[0].call_control_id in self.pending else calls[0]
        if any(rings_in(c) for c in calls):
            return None  # several ringing calls selected: which one is meant is unclear
        waiting = (c for c in self.ringing.calls() if c.call_control_id not in self.pending)
        return next(waiting, None)  # oldest first

    def update(self) -> None:
        """Recompute every action's enabled/checked state from the selection and the store."""
        self.outcomes.settle()
        refresh_actions(self)

    def transferred_to(self, ccid: str) -> str | None:
        """Where this console blind-transferred the call (or the leg it was connected to)."""
        ops = self.session.ops
        return ops.transferred_to(ccid) if ops is not None else None

    def _conference_for_actions(self) -> str | None:
        cid = self.context.selected_conference()
        if cid is None:
            calls = self._calls()
            if len(calls) == 1 and calls[0].conference_id and calls[0].is_live:
                cid = calls[0].conference_id
        conference = self.store.conferences.get(cid) if cid else None
        return cid if conference is not None and conference.is_live else None

    def _waiter(self) -> str | None:
        ccid = self.context.selected_waiter()
        if ccid:
            return ccid
        calls = self._calls()
        if len(calls) == 1 and calls[0].state is CallState.QUEUED:
            return calls[0].call_control_id
        return None

    # --- running commands -----------------------------------------------------------------

    def run(
        self,
        label: str,
        make: Callable[[], Awaitable[Any]],
        ccids: Iterable[str] = (),
        pending_text: str | None = None,
        busy_key: str | None = None,
        on_success: Callable[[Any], None] | None = None,
        done_text: str | None = None,
    ) -> asyncio.Future:
        """Start a command without blocking the window; mark its rows pending meanwhile.

        ``done_text`` is what the status bar says when it succeeded (default "<label>: done");
        say what happened to the call, not that Telnyx accepted a command.
        """
        ccids = list(ccids)
        for ccid in ccids:
            self.pending.set(ccid, pending_text or f"{label.lower()}…")
        if busy_key:
            self._busy.add(busy_key)
        self.update()
        task = asyncio.ensure_future(self._run(label, make, ccids, busy_key, on_success, done_text))
        self.tasks.add(task)
        self.last_task = task
        task.add_done_callback(self.tasks.discard)
        return task

    async def _run(self, label, make, ccids, busy_key, on_success, done_text) -> None:
        ok = False
        try:
            result = await make()
            if on_success is not None:
                on_success(result)
            ok = True
            self.context.show_status(done_text or f"{label}: done")
        except asyncio.CancelledError:
            raise
        except TransferCancelled as exc:  # the operator's own choice: words, not a failure
            self.context.show_status(describe_error(exc))
        except Exception as exc:  # every failure becomes words, never a traceback
            taken = claim_taken(exc)
            if taken is not None:  # a colleague won the call first: said; nothing was done
                self.context.show_status(taken_words(taken))
                self.context.notify_info(taken_words(taken))
            else:
                self.context.notify_error(action_failed(label, exc))
        finally:
            for ccid in ccids:
                self.pending.clear(ccid)
            if busy_key:
                self._busy.discard(busy_key)
            self.update()
            self.finished.emit(label, ok)

    def _on_call(
        self,
        label: str,
        ccid: str,
        pending_text: str,
        command: Callable[[Any, str], Awaitable[Any]],
    ) -> asyncio.Future:
        """``command(ops, ccid)`` for one call: binds the ccid now (a loop over the selection
        would otherwise hand every closure the last one) and the operations when it runs."""
        return self.run(label, self._bound(ccid, command), [ccid], pending_text)

    def _bound(
        self, ccid: str, command: Callable[[Any, str], Awaitable[Any]]
    ) -> Callable[[], Awaitable[Any]]:
        return lambda: command(self.ops, ccid)

    def place_call(self, to: str, from_: str) -> asyncio.Future:
        """Place a call; the status bar then says what became of it (answered, busy...)."""
        return self.run(
            "Dial",
            lambda: self.ops.dial(to, from_),
            on_success=self.outcomes.follow_dial(to),
            done_text=f"Calling {to}…",
        )

    def idle(self) -> bool:
        return not self.tasks

    # --- handlers -------------------------------------------------------------------------

    def _one(self) -> Call | None:
        calls = self._calls()
        return calls[0] if len(calls) == 1 else None

    def _still_ringing(self, ccid: str) -> Call | None:
        call = self.store.call(ccid)
        if call is None or not rings_in(call) or ccid in self.pending:
            return None
        return call

    def answer_call(self, ccid: str) -> None:
        """Answer this ringing call (the popup's button names it; F5 picks one itself)."""
        if self._still_ringing(ccid) is not None:
            self.run("Answer", lambda: self.ops.answer(ccid), [ccid], "answering…")

    def reject_call(self, ccid: str) -> None:
        call = self._still_ringing(ccid)
        if call is not None:
            self.run(
                "Reject",
                lambda: self.ops.reject(ccid),
                [ccid],
                "rejecting…",
                on_success=self.outcomes.ended_by_operator(ccid, "Rejected by you"),
                done_text=f"Rejected {caller_words(call)}",
            )

    def _target_validator(self) -> Callable[[str], str]:
        return lambda text: normalize_target(text, self.context.default_country())

    def send_digits(self, ccid: str, digits: str) -> asyncio.Future:
        # No pending marker: DTMF is instant and must not disable the pad between key presses.
        return self.run("Send DTMF", lambda: self.ops.send_dtmf(ccid, digits))


def taken_words(exc: Any) -> str:
    """'Taken by Alex (answering): nothing was done to the call.' (``exc``: a ClaimTaken)"""
    return f"{exc.user_message} ({exc.holder.action}): nothing was done to the call."
