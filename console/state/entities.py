"""What the console knows about calls, conferences and queues: plain data owned by the store.

Only :class:`console.state.store.Store` creates or mutates these objects; everyone else reads
them (the UI models read them in ``data()``). No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CallState(StrEnum):
    RINGING = "ringing"  # inbound offered / outbound dialling, not answered yet
    ANSWERED = "answered"
    BRIDGED = "bridged"
    IN_CONFERENCE = "in conference"
    QUEUED = "queued"
    PARKED = "parked"  # answered, then left a conference or bridge: up but connected to nothing
    ENDED = "ended"

    @property
    def is_live(self) -> bool:
        return self is not CallState.ENDED


class RecordingState(StrEnum):
    OFF = "off"
    RECORDING = "recording"
    PAUSED = "paused"


@dataclass
class Recording:
    """A saved recording (from call.recording.saved / conference.recording.saved or REST)."""

    recording_id: str | None
    mp3_url: str | None = None
    wav_url: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    channels: str | None = None
    call_control_id: str | None = None
    conference_id: str | None = None

    @property
    def url(self) -> str | None:
        return self.wav_url or self.mp3_url


@dataclass
class Call:
    """One call leg, keyed by its call_control_id."""

    call_control_id: str
    call_leg_id: str | None = None
    call_session_id: str | None = None
    connection_id: str | None = None
    direction: str | None = None  # "incoming" | "outgoing" (Telnyx's words)
    from_number: str | None = None
    to_number: str | None = None
    caller_name: str | None = None
    state: CallState = CallState.RINGING
    started_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    hangup_cause: str | None = None
    hangup_source: str | None = None
    sip_hangup_cause: str | None = None
    recording: RecordingState = RecordingState.OFF
    recordings: list[Recording] = field(default_factory=list)
    client_state: str | None = None  # decoded text, for display
    conference_id: str | None = None
    queue_name: str | None = None
    queue_position: int | None = None
    enqueued_at: datetime | None = None
    bridged_to: str | None = None  # call_control_id of the other leg
    bridged_at: datetime | None = None  # last call.bridged: pairs legs of one session
    muted: bool = False  # mirrors its conference participant
    on_hold: bool = False  # mirrors its conference participant
    needs_resync: bool = False  # learnt of from an event for a leg we never saw start
    repaired: bool = False  # state corrected by a REST resync, not by a webhook
    last_event_at: datetime | None = None  # newest occurred_at applied to this leg

    @property
    def is_live(self) -> bool:
        return self.state.is_live


@dataclass
class Participant:
    """A call leg's membership of a conference (keyed by conference_id + call_control_id)."""

    conference_id: str
    call_control_id: str
    call_leg_id: str | None = None
    participant_id: str | None = None  # REST participant id, when a resync told us
    joined_at: datetime | None = None
    left_at: datetime | None = None
    muted: bool = False
    on_hold: bool = False

    @property
    def present(self) -> bool:
        return self.left_at is None

    @property
    def key(self) -> tuple[str, str]:
        return (self.conference_id, self.call_control_id)


@dataclass
class Conference:
    conference_id: str
    name: str | None = None
    created_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: str | None = None
    recording: RecordingState = RecordingState.OFF
    recordings: list[Recording] = field(default_factory=list)
    participants: dict[str, Participant] = field(default_factory=dict)  # by call_control_id
    repaired: bool = False

    @property
    def is_live(self) -> bool:
        return self.ended_at is None

    def present_participants(self) -> list[Participant]:
        return [p for p in self.participants.values() if p.present]


@dataclass
class QueueEntry:
    call_control_id: str
    position: int | None = None
    enqueued_at: datetime | None = None


@dataclass
class Queue:
    name: str
    entries: dict[str, QueueEntry] = field(default_factory=dict)  # by call_control_id
    average_wait_secs: int | None = None  # as Telnyx last reported it
    max_size: int | None = None

    def waiting(self) -> list[QueueEntry]:
        return sorted(self.entries.values(), key=lambda e: (e.position or 0, e.call_control_id))
