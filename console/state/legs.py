"""How one call leg's timeline folds into a :class:`Call` (pure: it sees no other leg).

Cross-leg facts (who it is bridged to, its conference's mute/hold, its queue position) are
added afterwards by ``projection.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import timedelta

from console.state.entities import Call, CallState, RecordingState
from console.state.facts import (
    HANGUP_UNOBSERVED,
    BridgeMark,
    LegGone,
    LegSeen,
    RecordingMark,
)
from console.state.slim import SlimPayload
from console.state.timeline import Entry, aware

#: Entries that prove a leg exists. Media, DTMF, cost... events about a leg we never saw are
#: kept (they carry client_state) but do not conjure up a call row: call.cost, for one, comes
#: after the hangup and would otherwise resurrect a pruned call as a live one.
LIFECYCLE_KINDS = frozenset(
    {
        "call.initiated",
        "call.answered",
        "call.bridged",
        "call.hangup",
        "call.hold",
        "call.unhold",
        "call.enqueued",
        "call.dequeued",
        "call.recording.saved",
        "call.recording.error",
        "conference.participant.joined",
        "conference.participant.left",
        "resync.leg",
    }
)


def proves_leg(entries: Iterable[Entry]) -> bool:
    return any(e.kind in LIFECYCLE_KINDS for e in entries)


class LegFold:
    """A leg's fold in progress: :attr:`call` is the leg as the entries stepped so far say."""

    def __init__(self, call_control_id: str) -> None:
        self.call = Call(call_control_id=call_control_id, needs_resync=True)
        self.known_start = False  # call.initiated or a resync told us about it
        self.seen = False  # some lifecycle entry came before the current one

    def copy(self) -> LegFold:
        """The same fold, stepping on without touching this one's ``call`` (the store's row)."""
        other = LegFold.__new__(LegFold)  # every attribute is set here
        other.call = copy.copy(self.call)
        other.call.recordings = list(self.call.recordings)  # appended to; the items never change
        other.known_start, other.seen = self.known_start, self.seen
        return other

    @property
    def live(self) -> bool:
        # Once ENDED, always ENDED: a late event (or one stamped after the hangup by a skewed
        # clock) must not revive the leg.
        return self.call.state is not CallState.ENDED

    def step(self, entry: Entry) -> None:
        if isinstance(entry.payload, SlimPayload):  # a webhook
            self._take_common(entry.payload)
        if entry.is_webhook:
            last = self.call.last_event_at
            self.call.last_event_at = entry.at if last is None else max(last, entry.at)
        handler = _HANDLERS.get(entry.kind)
        if handler is not None:
            handler(self, entry)
        if entry.kind in LIFECYCLE_KINDS:
            self.seen = True
        self.call.needs_resync = not self.known_start

    def _take_common(self, p: SlimPayload) -> None:
        c = self.call
        c.call_leg_id = c.call_leg_id or p.call_leg_id
        c.call_session_id = c.call_session_id or p.call_session_id
        c.connection_id = c.connection_id or p.connection_id
        c.from_number = c.from_number or p.from_
        c.to_number = c.to_number or p.to
        # Telnyx echoes the latest client_state on every webhook; "" means none was set.
        c.client_state = p.client_state_text or c.client_state

    def _leave_queue(self) -> None:
        c = self.call
        c.queue_name = c.queue_position = c.enqueued_at = None

    def _leave_everything(self) -> None:
        self.call.conference_id = None
        self._leave_queue()

    # --- webhooks ------------------------------------------------------------------------

    def initiated(self, e: Entry) -> None:
        p, c = e.payload, self.call
        c.direction = p.direction or c.direction
        c.from_number = p.from_ or c.from_number  # the initiating event is authoritative
        c.to_number = p.to or c.to_number
        c.caller_name = p.caller_id_name or c.caller_name
        c.started_at = aware(p.start_time) if p.start_time else e.at
        self.known_start = True

    def answered(self, e: Entry) -> None:
        c = self.call
        c.answered_at = c.answered_at or e.at
        self._fill_start(e)
        if self.live and c.state is CallState.RINGING:
            c.state = CallState.ANSWERED

    def bridged(self, e: Entry) -> None:
        if self.live:
            self.call.state = CallState.BRIDGED
            self.call.bridged_at = e.at
            self._leave_queue()  # a bridged leg waits no more, even if call.dequeued is late

    def enqueued(self, e: Entry) -> None:
        if self.live:
            c, p = self.call, e.payload
            c.state = CallState.QUEUED
            c.queue_name = p.queue
            c.queue_position = p.current_position
            c.enqueued_at = e.at

    def dequeued(self, e: Entry) -> None:
        c, p = self.call, e.payload
        if p.queue is not None and c.queue_name not in (None, p.queue):
            return  # it has since been put in another queue
        self._leave_queue()
        if self.live and c.state is CallState.QUEUED:
            c.state = CallState.PARKED  # call.bridged follows when it was dequeued to a bridge

    def joined(self, e: Entry) -> None:
        if self.live:
            self.call.conference_id = e.payload.conference_id
            self.call.state = CallState.IN_CONFERENCE
            self._leave_queue()

    def left(self, e: Entry) -> None:
        c, conference_id = self.call, e.payload.conference_id
        if conference_id is not None and c.conference_id not in (None, conference_id):
            return  # it has since joined another conference
        c.conference_id = None
        if self.live and c.state is CallState.IN_CONFERENCE:
            c.state = CallState.PARKED  # leave parks the leg; it is not hung up

    def hangup(self, e: Entry) -> None:
        self._fill_start(e)
        if not self.live:
            return
        c, p = self.call, e.payload
        c.state = CallState.ENDED
        c.ended_at = e.at
        c.hangup_cause = p.hangup_cause
        c.hangup_source = p.hangup_source
        c.sip_hangup_cause = p.sip_hangup_cause
        c.recording = RecordingState.OFF
        self._leave_everything()

    def recording_saved(self, e: Entry) -> None:
        c = self.call
        c.recordings.append(replace(e.payload.recording, call_control_id=c.call_control_id))
        c.recording = RecordingState.OFF

    def recording_error(self, e: Entry) -> None:
        self.call.recording = RecordingState.OFF

    def _fill_start(self, e: Entry) -> None:
        start = e.payload.start_time
        if self.call.started_at is None and start is not None:
            self.call.started_at = aware(start)

    # --- confirmations and resyncs -------------------------------------------------------

    def mark_recording(self, e: Entry) -> None:
        mark: RecordingMark = e.payload
        if self.live:
            self.call.recording = mark.state

    def mark_bridge(self, e: Entry) -> None:
        mark: BridgeMark = e.payload
        self.call.bridged_to = mark.other_call_control_id

    def resync_seen(self, e: Entry) -> None:
        seen: LegSeen = e.payload
        c = self.call
        c.call_leg_id = c.call_leg_id or seen.call_leg_id
        c.call_session_id = c.call_session_id or seen.call_session_id
        c.from_number = c.from_number or seen.from_
        c.to_number = c.to_number or seen.to
        c.client_state = seen.client_state or c.client_state
        self.known_start = True
        if not self.live:
            return  # a hangup webhook is more trustworthy than a listing that lags behind
        if not self.seen:  # a leg we learn of from the resync itself
            c.state = CallState.ANSWERED
            if c.started_at is None and seen.call_duration is not None:
                c.started_at = e.at - timedelta(seconds=seen.call_duration)
            c.repaired = True
        if seen.conference_id != c.conference_id:
            c.conference_id = seen.conference_id
            if seen.conference_id is not None:
                c.state = CallState.IN_CONFERENCE
            elif c.state is CallState.IN_CONFERENCE:
                c.state = CallState.PARKED
            c.repaired = True
        if seen.queue_name != c.queue_name:
            c.queue_name = seen.queue_name
            if seen.queue_name is not None:
                c.state = CallState.QUEUED
            elif c.state is CallState.QUEUED:
                c.state = CallState.PARKED
            c.repaired = True
        if seen.queue_name is not None:
            c.queue_position = seen.queue_position or c.queue_position
            c.enqueued_at = c.enqueued_at or (aware(seen.enqueued_at) if seen.enqueued_at else e.at)

    def resync_gone(self, e: Entry) -> None:
        assert isinstance(e.payload, LegGone)
        if not (self.live and self.seen):
            return  # already over, or it began after the snapshot was taken
        c = self.call
        c.state = CallState.ENDED
        c.ended_at = e.at  # the latest it can have ended
        c.hangup_cause = HANGUP_UNOBSERVED
        c.hangup_source = "unknown"
        c.recording = RecordingState.OFF
        c.repaired = True
        self._leave_everything()
        self.known_start = True


_HANDLERS: dict[str, Callable[[LegFold, Entry], None]] = {
    "call.initiated": LegFold.initiated,
    "call.answered": LegFold.answered,
    "call.bridged": LegFold.bridged,
    "call.enqueued": LegFold.enqueued,
    "call.dequeued": LegFold.dequeued,
    "conference.participant.joined": LegFold.joined,
    "conference.participant.left": LegFold.left,
    "call.hangup": LegFold.hangup,
    "call.recording.saved": LegFold.recording_saved,
    "call.recording.error": LegFold.recording_error,
    "mark.recording": LegFold.mark_recording,
    "mark.bridge": LegFold.mark_bridge,
    "resync.leg": LegFold.resync_seen,
    "resync.leg_absent": LegFold.resync_gone,
}
