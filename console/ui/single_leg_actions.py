"""The call actions that act on the selected call or calls one by one: answer, reject, hang
up, hold, mute, record, send DTMF and pick from a queue (split out of console/ui/actions.py,
issue 11, beside console/ui/multi_leg_actions.py).

Each handler reads the selection through the ``CallActions`` it serves and runs its command with
``CallActions.run``, so the pending rows, the status bar and the error words are the same as for
every other action; a hang-up of several calls asks first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.state.entities import Call, CallState, RecordingState
from console.ui.formatting import far_party, state_text
from console.ui.validation import check_dtmf

if TYPE_CHECKING:
    from console.ui.actions import CallActions


class SingleLegHandlers:
    def __init__(self, actions: CallActions) -> None:
        self._a = actions

    def answer(self) -> None:
        a = self._a
        call = a.ringing_target()
        if call:
            a.answer_call(call.call_control_id)

    def reject(self) -> None:
        a = self._a
        call = a.ringing_target()
        if call:
            a.reject_call(call.call_control_id)

    def hangup(self) -> None:
        a = self._a
        calls = [c for c in a._calls() if c.is_live]
        if len(calls) <= 1:
            self.hangup_calls([c.call_control_id for c in calls])
            return
        # Several calls at once: say which, and ask (a stray F8 must not end a whole desk).
        ringing = sum(1 for c in calls if c.state is CallState.RINGING)
        lines = [f"• {far_party(c)} ({_state_words(c)})" for c in calls]
        note = f"\n\n{ringing} of them still ringing." if ringing else ""
        ccids = [c.call_control_id for c in calls]
        a.context.confirm(
            "Hang up calls",
            f"Hang up these {len(calls)} calls?\n" + "\n".join(lines) + note,
            f"&Hang up {len(calls)} calls",
            lambda: self.hangup_calls(ccids),
        )

    def hangup_calls(self, ccids: list[str]) -> None:
        a = self._a
        for ccid in ccids:
            call = a.store.call(ccid)
            if call is not None and call.is_live and ccid not in a.pending:
                a.run(
                    "Hang up",
                    a._bound(ccid, lambda ops, c: ops.hangup(c)),
                    [ccid],
                    "hanging up…",
                    on_success=a.outcomes.ended_by_operator(ccid, "Hung up by you"),
                    done_text=f"Hanging up {far_party(call)}…",
                )

    def hold(self) -> None:
        a = self._a
        calls = a._calls()
        release = bool(calls) and all(c.on_hold for c in calls)
        for call in calls:
            ccid = call.call_control_id
            if release:
                a._on_call("Unhold", ccid, "taking off hold…", lambda ops, c: ops.unhold(c))
            elif not call.on_hold:
                a._on_call("Hold", ccid, "holding…", lambda ops, c: ops.hold(c))
        a.update()  # the checked state follows the store, not the click

    def mute(self) -> None:
        a = self._a
        calls = a._calls()
        release = bool(calls) and all(c.muted for c in calls)
        for call in calls:
            ccid = call.call_control_id
            if release:
                a._on_call("Unmute", ccid, "unmuting…", lambda ops, c: ops.unmute(c))
            elif not call.muted:
                a._on_call("Mute", ccid, "muting…", lambda ops, c: ops.mute(c))
        a.update()

    def record(self) -> None:
        a = self._a
        call = a._one()
        if call is None:
            return
        ccid = call.call_control_id
        if call.recording is RecordingState.OFF:
            a.run("Record", lambda: a.ops.record_start(ccid), [ccid], "starting recording…")
        else:
            a.run("Stop recording", lambda: a.ops.record_stop(ccid), [ccid], "stopping…")
        a.update()

    def record_pause(self) -> None:
        a = self._a
        call = a._one()
        if call is None:
            return
        ccid = call.call_control_id
        if call.recording is RecordingState.PAUSED:
            a.run("Resume recording", lambda: a.ops.record_resume(ccid), [ccid], "resuming…")
        elif call.recording is RecordingState.RECORDING:
            a.run("Pause recording", lambda: a.ops.record_pause(ccid), [ccid], "pausing…")
        a.update()

    def send_dtmf(self) -> None:
        a = self._a
        call = a._one()
        if call is None:
            return
        ccid = call.call_control_id
        a.context.open_prompt(
            "Send DTMF",
            "Digits to send (0–9, *, #, A–D; w = pause):",
            check_dtmf,
            lambda digits: a.send_digits(ccid, digits),
            "1234#",
        )

    def pick(self) -> None:
        a = self._a
        ccid = a._waiter()
        if ccid:
            a.run("Pick", lambda: a.ops.pick_from_queue(ccid), [ccid], "picking up…")


def _state_words(call: Call) -> str:
    return state_text(call.state, call.direction).lower()
