"""Facts the store learns outside webhooks: command confirmations and what a REST resync saw.

They are folded into a leg's or conference's timeline like events (see ``timeline.py``), so a
confirmation or a resync is ordered against the webhooks by time instead of overwriting them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from console.state.entities import RecordingState
from console.state.snapshot import ConferenceSnapshot

#: hangup_cause of a leg that a resync found gone without its call.hangup ever reaching us.
HANGUP_UNOBSERVED = "ended while not listening"


@dataclass(frozen=True)
class RecordingMark:
    """record_start/stop/pause/resume answered 200 (there is no "recording started" webhook)."""

    state: RecordingState


@dataclass(frozen=True)
class ParticipantMark:
    """Conference mute/unmute/hold/unhold answered 200 (there are no webhooks for these)."""

    call_control_ids: tuple[str, ...]  # empty: everyone present, as the API does
    muted: bool | None = None
    on_hold: bool | None = None


@dataclass(frozen=True)
class BridgeMark:
    """A bridge command answered 200: the only way to pair legs of different call sessions."""

    other_call_control_id: str


@dataclass(frozen=True)
class LegSeen:
    """A resync listed this leg as alive, here (conference, queue) or nowhere in particular."""

    call_leg_id: str | None = None
    call_session_id: str | None = None
    client_state: str | None = None  # decoded text
    call_duration: int | None = None
    from_: str | None = None
    to: str | None = None
    conference_id: str | None = None
    queue_name: str | None = None
    queue_position: int | None = None
    enqueued_at: datetime | None = None


@dataclass(frozen=True)
class LegGone:
    """A resync did not list this leg: it ended while we were not listening."""


@dataclass(frozen=True)
class ConferenceSeen:
    snapshot: ConferenceSnapshot


@dataclass(frozen=True)
class ConferenceGone:
    """A resync did not list this conference: it ended while we were not listening."""
