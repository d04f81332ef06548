"""When each call action is enabled, checked and what its tip names, recomputed from the
selection and the store (split out of console/ui/actions.py, issue 11).

``CallActions.update`` settles its bookkeeping and then calls :func:`refresh_actions`; the rules
read the selection through the actions (``_calls``, ``ringing_target``, ``current_transfer``)
so they see what the handlers will act on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from console.operations.transfer import TransferState
from console.state.entities import Call, RecordingState
from console.ui.action_specs import TOGGLE_TEXTS
from console.ui.call_cells import is_up
from console.ui.formatting import caller_words

if TYPE_CHECKING:
    from console.ui.actions import CallActions


def refresh_actions(a: CallActions) -> None:
    """Every action's enabled/checked state (and Answer's and Reject's tips) from now."""
    calls = a._calls()
    busy = any(c.call_control_id in a.pending for c in calls)
    one = calls[0] if len(calls) == 1 else None
    up = bool(calls) and all(is_up(c) for c in calls) and not busy
    one_up = one is not None and is_up(one) and not busy
    # A call blind-transferred from here is connected to its target: holding, muting,
    # merging or transferring it again would break that connection.
    handed_off = any(a.transferred_to(c.call_control_id) for c in calls)
    movable = up and not handed_off
    one_movable = one_up and not handed_off
    transfer = a.current_transfer()
    ringing = a.ringing_target()
    a.answer.setEnabled(ringing is not None)
    a.reject.setEnabled(ringing is not None)
    _describe_target(a.answer, "Answer", ringing)
    _describe_target(a.reject, "Reject", ringing)
    a.hangup.setEnabled(bool(calls) and all(c.is_live for c in calls) and not busy)
    a.transfer.setEnabled(one_movable)
    a.attended_transfer.setEnabled(one_movable and transfer is None)
    ending = "transfer" in a._busy  # a complete or cancel is running
    consulting = transfer is not None and transfer.state is TransferState.CONSULTING
    a.complete_transfer.setEnabled(consulting and not ending)
    # Cancel works while the consult leg still rings, too: that is when it is most wanted.
    a.cancel_transfer.setEnabled(transfer is not None and not ending)
    _toggle(a.hold, movable, bool(calls) and all(c.on_hold for c in calls))
    _toggle(a.mute, movable, bool(calls) and all(c.muted for c in calls))
    recording = one.recording if one is not None else RecordingState.OFF
    _toggle(a.record, one_up, recording is not RecordingState.OFF)
    _toggle(
        a.record_pause,
        one_up and recording is not RecordingState.OFF,
        recording is RecordingState.PAUSED,
    )
    a.bridge.setEnabled(len(calls) == 2 and movable)
    a.merge.setEnabled(len(calls) >= 2 and movable)
    conference = a._conference_for_actions()
    live_conf = conference is not None and "conference" not in a._busy
    a.add_participant.setEnabled(live_conf)
    a.end_conference.setEnabled(
        a.context.selected_conference() is not None and "conference" not in a._busy
    )
    participant = a.context.selected_participant()
    a.kick.setEnabled(participant is not None and participant[1] not in a.pending)
    a.send_dtmf.setEnabled(one_up)
    waiter = a._waiter()
    a.pick.setEnabled(waiter is not None and waiter not in a.pending)


def _describe_target(action: QAction, verb: str, call: Call | None) -> None:
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    who = caller_words(call) if call is not None else "the selected ringing call"
    action.setToolTip(f"{verb} {who} ({keys})")
    action.setStatusTip(f"{verb} {who}")


def _toggle(action: QAction, enabled: bool, checked: bool) -> None:
    off, on = TOGGLE_TEXTS[action.objectName().removeprefix("action_")]
    action.setEnabled(enabled)
    action.setChecked(checked)
    text = on if checked else off
    if action.text() != text:
        action.setText(text)
