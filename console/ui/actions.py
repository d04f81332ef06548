"""Every operator action as a QAction: shortcut, icon, enable rules, and its async command."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from console.operations.errors import TransferCancelled
from console.operations.transfer import TransferState
from console.state.entities import Call, CallState, RecordingState
from console.ui import icons
from console.ui.action_specs import SPECS, TOGGLE_TEXTS, ActionContext
from console.ui.calls_model import is_up
from console.ui.formatting import caller_words, far_party, hangup_text, state_text
from console.ui.messages import action_failed, claim_taken, describe_error
from console.ui.multi_leg_actions import MultiLegHandlers
from console.ui.pending import PendingOps
from console.ui.ringing_calls import RingingCalls, rings_in
from console.ui.validation import check_dtmf, normalize_target

if TYPE_CHECKING:
    from console.operations.transfer import AttendedTransfer
    from console.session_api import CallOps, ConsoleApi
    from console.state.store import Store

__all__ = ["ENDED_NOTES_KEPT", "SPECS", "TOGGLE_TEXTS", "ActionContext", "CallActions"]

log = logging.getLogger(__name__)


#: Operator-ended calls whose note is kept (far more than the table shows at once).
ENDED_NOTES_KEPT = 1000


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
        # Calls a hangup/reject/kick was accepted for: their row stays pending ("ending…")
        # until the store says they ended, so a second press cannot fail on an ending call.
        self._ending: set[str] = set()
        self._dialled: dict[str, str] = {}  # ccid -> number: whose fate the status bar tells
        #: Why a call ended, when the operator ended it (the calls table's "Ended" cell).
        self.ended_notes: dict[str, str] = {}
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
        handlers = self._multi_leg = MultiLegHandlers(self)
        self.answer.triggered.connect(self._answer)
        self.reject.triggered.connect(self._reject)
        self.hangup.triggered.connect(self._hangup)
        self.hold.triggered.connect(self._hold)
        self.mute.triggered.connect(self._mute)
        self.record.triggered.connect(self._record)
        self.record_pause.triggered.connect(self._record_pause)
        self.transfer.triggered.connect(handlers.transfer)
        self.attended_transfer.triggered.connect(handlers.attended_transfer)
        self.complete_transfer.triggered.connect(handlers.complete_transfer)
        self.cancel_transfer.triggered.connect(handlers.cancel_transfer)
        self.bridge.triggered.connect(handlers.bridge)
        self.merge.triggered.connect(handlers.merge)
        self.add_participant.triggered.connect(handlers.add_participant)
        self.kick.triggered.connect(handlers.kick)
        self.end_conference.triggered.connect(handlers.end_conference)
        self.send_dtmf.triggered.connect(self._send_dtmf)
        self.pick.triggered.connect(self._pick)
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

    @staticmethod
    def _describe_target(action: QAction, verb: str, call: Call | None) -> None:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        who = caller_words(call) if call is not None else "the selected ringing call"
        action.setToolTip(f"{verb} {who} ({keys})")
        action.setStatusTip(f"{verb} {who}")

    def update(self) -> None:
        """Recompute every action's enabled/checked state from the selection and the store."""
        self._settle()
        calls = self._calls()
        busy = any(c.call_control_id in self.pending for c in calls)
        one = calls[0] if len(calls) == 1 else None
        up = bool(calls) and all(is_up(c) for c in calls) and not busy
        one_up = one is not None and is_up(one) and not busy
        # A call blind-transferred from here is connected to its target: holding, muting,
        # merging or transferring it again would break that connection.
        handed_off = any(self.transferred_to(c.call_control_id) for c in calls)
        movable = up and not handed_off
        one_movable = one_up and not handed_off
        transfer = self.current_transfer()
        ringing = self.ringing_target()
        self.answer.setEnabled(ringing is not None)
        self.reject.setEnabled(ringing is not None)
        self._describe_target(self.answer, "Answer", ringing)
        self._describe_target(self.reject, "Reject", ringing)
        self.hangup.setEnabled(bool(calls) and all(c.is_live for c in calls) and not busy)
        self.transfer.setEnabled(one_movable)
        self.attended_transfer.setEnabled(one_movable and transfer is None)
        ending = "transfer" in self._busy  # a complete or cancel is running
        consulting = transfer is not None and transfer.state is TransferState.CONSULTING
        self.complete_transfer.setEnabled(consulting and not ending)
        # Cancel works while the consult leg still rings, too: that is when it is most wanted.
        self.cancel_transfer.setEnabled(transfer is not None and not ending)
        self._toggle(self.hold, movable, bool(calls) and all(c.on_hold for c in calls))
        self._toggle(self.mute, movable, bool(calls) and all(c.muted for c in calls))
        recording = one.recording if one is not None else RecordingState.OFF
        self._toggle(self.record, one_up, recording is not RecordingState.OFF)
        self._toggle(
            self.record_pause,
            one_up and recording is not RecordingState.OFF,
            recording is RecordingState.PAUSED,
        )
        self.bridge.setEnabled(len(calls) == 2 and movable)
        self.merge.setEnabled(len(calls) >= 2 and movable)
        conference = self._conference_for_actions()
        live_conf = conference is not None and "conference" not in self._busy
        self.add_participant.setEnabled(live_conf)
        self.end_conference.setEnabled(
            self.context.selected_conference() is not None and "conference" not in self._busy
        )
        participant = self.context.selected_participant()
        self.kick.setEnabled(participant is not None and participant[1] not in self.pending)
        self.send_dtmf.setEnabled(one_up)
        waiter = self._waiter()
        self.pick.setEnabled(waiter is not None and waiter not in self.pending)

    def transferred_to(self, ccid: str) -> str | None:
        """Where this console blind-transferred the call (or the leg it was connected to)."""
        ops = self.session.ops
        return ops.transferred_to(ccid) if ops is not None else None

    def _settle(self) -> None:
        """Rows whose end was asked for stay pending until the store says they ended; a call
        dialled from here has its fate said once it is known."""
        for ccid in list(self._ending):
            call = self.store.call(ccid)
            if call is None or not call.is_live:
                self._ending.discard(ccid)
                self.pending.clear(ccid)
            elif self.pending.text(ccid) is None:
                self.pending.set(ccid, "ending…")
        for ccid, number in list(self._dialled.items()):
            call = self.store.call(ccid)
            if call is None:
                continue  # its call.initiated has not arrived yet
            if call.answered_at is not None or is_up(call):
                del self._dialled[ccid]
                self.context.show_status(f"Call to {number}: answered")
            elif not call.is_live:
                del self._dialled[ccid]
                if ccid in self.ended_notes:
                    self.context.show_status(f"Call to {number}: cancelled")
                else:
                    outcome = hangup_text(call.hangup_cause, call.hangup_source, call.direction)
                    self.context.notify_error(f"Call to {number}: {outcome}")

    def _ended_by_operator(self, ccid: str, note: str) -> Callable[[Any], None]:
        """on_success for a command that ends ``ccid``: keep its row pending until it has."""

        def done(_result: Any) -> None:
            self.ended_notes[ccid] = note
            self._ending.add(ccid)
            while len(self.ended_notes) > ENDED_NOTES_KEPT:  # a long shift: oldest go first
                del self.ended_notes[next(iter(self.ended_notes))]

        return done

    def _toggle(self, action: QAction, enabled: bool, checked: bool) -> None:
        off, on = TOGGLE_TEXTS[action.objectName().removeprefix("action_")]
        action.setEnabled(enabled)
        action.setChecked(checked)
        text = on if checked else off
        if action.text() != text:
            action.setText(text)

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

        def follow(ccid: Any) -> None:
            if isinstance(ccid, str) and ccid:
                self._dialled[ccid] = to

        return self.run(
            "Dial",
            lambda: self.ops.dial(to, from_),
            on_success=follow,
            done_text=f"Calling {to}…",
        )

    def idle(self) -> bool:
        return not self.tasks

    # --- handlers -------------------------------------------------------------------------

    def _one(self) -> Call | None:
        calls = self._calls()
        return calls[0] if len(calls) == 1 else None

    def _answer(self) -> None:
        call = self.ringing_target()
        if call:
            self.answer_call(call.call_control_id)

    def _reject(self) -> None:
        call = self.ringing_target()
        if call:
            self.reject_call(call.call_control_id)

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
                on_success=self._ended_by_operator(ccid, "Rejected by you"),
                done_text=f"Rejected {caller_words(call)}",
            )

    def _hangup(self) -> None:
        calls = [c for c in self._calls() if c.is_live]
        if len(calls) <= 1:
            self._hangup_calls([c.call_control_id for c in calls])
            return
        # Several calls at once: say which, and ask (a stray F8 must not end a whole desk).
        ringing = sum(1 for c in calls if c.state is CallState.RINGING)
        lines = [f"• {far_party(c)} ({_state_words(c)})" for c in calls]
        note = f"\n\n{ringing} of them still ringing." if ringing else ""
        ccids = [c.call_control_id for c in calls]
        self.context.confirm(
            "Hang up calls",
            f"Hang up these {len(calls)} calls?\n" + "\n".join(lines) + note,
            f"&Hang up {len(calls)} calls",
            lambda: self._hangup_calls(ccids),
        )

    def _hangup_calls(self, ccids: list[str]) -> None:
        for ccid in ccids:
            call = self.store.call(ccid)
            if call is not None and call.is_live and ccid not in self.pending:
                self.run(
                    "Hang up",
                    self._bound(ccid, lambda ops, c: ops.hangup(c)),
                    [ccid],
                    "hanging up…",
                    on_success=self._ended_by_operator(ccid, "Hung up by you"),
                    done_text=f"Hanging up {far_party(call)}…",
                )

    def _hold(self) -> None:
        calls = self._calls()
        release = bool(calls) and all(c.on_hold for c in calls)
        for call in calls:
            ccid = call.call_control_id
            if release:
                self._on_call("Unhold", ccid, "taking off hold…", lambda ops, c: ops.unhold(c))
            elif not call.on_hold:
                self._on_call("Hold", ccid, "holding…", lambda ops, c: ops.hold(c))
        self.update()  # the checked state follows the store, not the click

    def _mute(self) -> None:
        calls = self._calls()
        release = bool(calls) and all(c.muted for c in calls)
        for call in calls:
            ccid = call.call_control_id
            if release:
                self._on_call("Unmute", ccid, "unmuting…", lambda ops, c: ops.unmute(c))
            elif not call.muted:
                self._on_call("Mute", ccid, "muting…", lambda ops, c: ops.mute(c))
        self.update()

    def _record(self) -> None:
        call = self._one()
        if call is None:
            return
        ccid = call.call_control_id
        if call.recording is RecordingState.OFF:
            self.run("Record", lambda: self.ops.record_start(ccid), [ccid], "starting recording…")
        else:
            self.run("Stop recording", lambda: self.ops.record_stop(ccid), [ccid], "stopping…")
        self.update()

    def _record_pause(self) -> None:
        call = self._one()
        if call is None:
            return
        ccid = call.call_control_id
        if call.recording is RecordingState.PAUSED:
            self.run("Resume recording", lambda: self.ops.record_resume(ccid), [ccid], "resuming…")
        elif call.recording is RecordingState.RECORDING:
            self.run("Pause recording", lambda: self.ops.record_pause(ccid), [ccid], "pausing…")
        self.update()

    def _target_validator(self) -> Callable[[str], str]:
        return lambda text: normalize_target(text, self.context.default_country())

    def _send_dtmf(self) -> None:
        call = self._one()
        if call is None:
            return
        ccid = call.call_control_id
        self.context.open_prompt(
            "Send DTMF",
            "Digits to send (0–9, *, #, A–D; w = pause):",
            check_dtmf,
            lambda digits: self.send_digits(ccid, digits),
            "1234#",
        )

    def send_digits(self, ccid: str, digits: str) -> asyncio.Future:
        # No pending marker: DTMF is instant and must not disable the pad between key presses.
        return self.run("Send DTMF", lambda: self.ops.send_dtmf(ccid, digits))

    def _pick(self) -> None:
        ccid = self._waiter()
        if ccid:
            self.run("Pick", lambda: self.ops.pick_from_queue(ccid), [ccid], "picking up…")


def _state_words(call: Call) -> str:
    return state_text(call.state, call.direction).lower()


def taken_words(exc: Any) -> str:
    """'Taken by Alex (answering): nothing was done to the call.' (``exc``: a ClaimTaken)"""
    return f"{exc.user_message} ({exc.holder.action}): nothing was done to the call."
