"""What each cell of a call's row in the calls table says: the columns, their text and
tooltips, the timer's colour, the row's tint and the flags' badges (with their icon strip).

Split out of console/ui/calls_model.py (issue 11): the model keeps the rows (which calls, in
which order, updated incrementally) and asks this module what a cell of a call shows. What a
cell reads besides the call (pending commands, the operator's notes, the timer's thresholds...)
comes from the model through the small :class:`CallRows` protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap

from console.state.entities import Call, CallState, RecordingState
from console.ui import formatting as fmt
from console.ui import icons

if TYPE_CHECKING:
    from console.ui.pending import PendingOps

COL_DIRECTION, COL_FROM, COL_TO, COL_STATE, COL_DURATION, COL_FLAGS, COL_WHERE, COL_ENDED = range(8)
# Columns say what they hold: the other party (the caller, or the number dialled) takes the
# width; "Line" is the console's own number (always one of yours), kept narrow.
HEADERS = ["", "Call with", "Line", "State", "Time", "Flags", "Where", "Ended"]
TIPS = {
    COL_DIRECTION: "Incoming or outgoing",
    COL_FROM: "The other party: the caller of an incoming call, the number an outgoing one dialled",
    COL_TO: "Your number the call uses: the one dialled by the caller, or your caller ID",
    COL_STATE: "What the call is doing now",
    COL_DURATION: "How long the call has been connected (ringing time before that)",
    COL_FLAGS: "On hold, muted, recording, in a conference, repaired by a resync",
    COL_WHERE: "Who the call is connected with: queue, conference or bridged party",
    COL_ENDED: "Why a recently ended call ended (kept for a short while)",
}
_ICON_SIZE = 16


class CallRows(Protocol):
    """What a cell reads from the calls model besides the call itself."""

    store: Any
    pending: PendingOps
    is_operator_leg: fmt.IsOperatorLeg | None
    ended_notes: dict[str, str]
    transferred_to: Callable[[str], str | None]
    warn_after_secs: float
    alert_after_secs: float

    def held_for(self, call: Call) -> float | None: ...


def is_up(call: Call | None) -> bool:
    """Live and answered: what hold, mute, transfer, DTMF need."""
    return call is not None and call.state not in (CallState.RINGING, CallState.ENDED)


def badges(call: Call, in_conference: bool = False) -> list[tuple[str, str, str]]:
    """(word, tooltip, icon name) for each flag the call carries."""
    out = []
    if call.on_hold:
        out.append(("On hold", "The caller hears hold music", "hold"))
    if call.muted:
        out.append(("Muted", "The caller's audio is muted", "mute"))
    if call.recording is RecordingState.RECORDING:
        out.append(("Recording", "Recording", "recording"))
    elif call.recording is RecordingState.PAUSED:
        out.append(("Recording paused", "Recording paused", "pause"))
    if in_conference:
        out.append(("Conference", "In a conference with others", "conference"))
    if call.repaired:
        out.append(("Repaired", "State corrected by a resync with the Telnyx API", "repaired"))
    if call.needs_resync:
        out.append(("Resyncing", "Learnt of mid-call; fetching its state from the API", "repaired"))
    return out


_strips: dict[tuple[str, ...], QIcon] = {}


def icon_strip(names: tuple[str, ...]) -> QIcon:
    """The badges' icons side by side, as one icon (a cell has one decoration)."""
    strip = _strips.get(names)
    if strip is None:
        gap = 3
        pixmap = QPixmap(len(names) * (_ICON_SIZE + gap) - gap, _ICON_SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        for i, name in enumerate(names):
            icons.icon(name).paint(painter, i * (_ICON_SIZE + gap), 0, _ICON_SIZE, _ICON_SIZE)
        painter.end()
        strip = _strips[names] = QIcon(pixmap)
    return strip


def in_shared_conference(m: CallRows, call: Call) -> bool:
    """In a conference with someone besides the operator's own phone: a call the console
    moved into a conference of its own (to hold or mute it) is still a 1:1 call."""
    conference = m.store.conferences.get(call.conference_id) if call.conference_id else None
    if conference is None or not conference.is_live:
        return False
    if not (conference.name or "").startswith("console-call-"):
        return True
    is_operator = m.is_operator_leg
    return any(
        p.call_control_id != call.call_control_id
        and not (is_operator is not None and is_operator(p.call_control_id))
        for p in conference.present_participants()
    )


def row_badges(m: CallRows, call: Call) -> list[tuple[str, str, str]]:
    return badges(call, in_shared_conference(m, call))


def timer_level(m: CallRows, call: Call) -> str | None:
    secs = duration(call) or 0.0
    if not is_up(call):
        return None  # ringing time is not talk time
    if secs >= m.alert_after_secs:
        return "timer_alert"
    if secs >= m.warn_after_secs:
        return "timer_warn"
    return None


def tint(m: CallRows, call: Call) -> str | None:
    if not call.is_live:
        return None
    if call.state is CallState.RINGING and call.direction == "incoming":
        return "ringing"
    if call.on_hold:
        return "held"
    if (duration(call) or 0.0) >= m.alert_after_secs and is_up(call):
        return "long"
    return None


def display(m: CallRows, call: Call, col: int) -> str:
    if col == COL_DIRECTION:
        return fmt.direction_text(call.direction)
    if col == COL_FROM:  # the other party
        if call.direction == "outgoing":
            return fmt.party(call.to_number)
        return fmt.party(call.from_number, call.caller_name)
    if col == COL_TO:  # the console's own number on this call
        return (call.from_number if call.direction == "outgoing" else call.to_number) or ""
    if col == COL_STATE:
        pending = m.pending.text(call.call_control_id)
        if pending:
            return pending  # the hourglass is an icon: a glyph drew as a box in some fonts
        if call.on_hold and call.is_live:
            return f"On hold {fmt.format_duration(m.held_for(call))}"
        text = fmt.state_text(call.state, call.direction)
        if call.state is CallState.IN_CONFERENCE and not in_shared_conference(m, call):
            # Moved into a conference of its own (to hold or mute it): still a 1:1 call.
            text = fmt.state_text(CallState.ANSWERED)
        if call.state is CallState.QUEUED and call.queue_position:
            text += f" (#{call.queue_position})"
        return text
    if col == COL_DURATION:
        return fmt.format_duration(duration(call))
    if col == COL_FLAGS:
        return ""  # icons (DecorationRole); the words are in the tooltip and BADGES_ROLE
    if col == COL_WHERE:
        if call.queue_name:
            return f"Queue {call.queue_name}"
        if call.conference_id:
            conference = m.store.conferences.get(call.conference_id)
            return fmt.conference_place(call, conference, m.store.calls, m.is_operator_leg)
        target = m.transferred_to(call.call_control_id)
        if target and call.direction != "outgoing":
            return f"Transferred to {target}"
        if call.bridged_to:
            peer = m.store.call(call.bridged_to)
            return f"With {fmt.who(peer)}" if peer is not None else "With another call"
        return ""
    if col == COL_ENDED:
        return "" if call.is_live else ended_text(m, call)
    return ""


def ended_text(m: CallRows, call: Call) -> str:
    note = m.ended_notes.get(call.call_control_id)
    return note or fmt.hangup_text(call.hangup_cause, call.hangup_source, call.direction)


def duration(call: Call) -> float | None:
    if call.is_live:
        return fmt.seconds_between(call.answered_at or call.started_at, fmt.now())
    if call.answered_at is None:
        return None
    return fmt.seconds_between(call.answered_at, call.ended_at)


def tooltip(m: CallRows, call: Call, col: int) -> str | None:
    if col == COL_FLAGS:
        return "\n".join(f"{word}: {tip}" for word, tip, _n in row_badges(m, call)) or None
    if col == COL_ENDED and not call.is_live:
        tip = fmt.hangup_tooltip(
            call.hangup_cause, call.hangup_source, call.sip_hangup_cause, call.direction
        )
        note = m.ended_notes.get(call.call_control_id)
        return f"{note}\n{tip}" if note else tip
    if col == COL_WHERE and call.conference_id:
        conference = m.store.conferences.get(call.conference_id)
        name = conference.name if conference is not None and conference.name else ""
        if name.startswith("console-call-"):
            return f"Moved into its own conference ({name}) so it can be held or muted"
        return (
            f"Conference {name} ({call.conference_id})"
            if name
            else f"Conference {call.conference_id}"
        )
    if col in (COL_FROM, COL_DIRECTION, COL_STATE):
        tip = f"Call {call.call_control_id}\nStarted {fmt.format_time(call.started_at)}"
        if col == COL_FROM:  # the whole name and number when the column cuts them
            tip = f"{fmt.party(call.from_number, call.caller_name)}\n{tip}"
        return tip
    return None
