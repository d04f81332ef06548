"""What a REST resync saw: Qt-free, client-independent records the store reconciles against.

Whoever polls the REST API (active calls, conferences + participants, queues + their calls) fills
these in; the store never talks to the API itself. A snapshot is taken to be *complete*: a live
leg, participant or queued call that it does not list has gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ActiveCallSnapshot:
    """One row of ``GET /connections/{id}/active_calls``."""

    call_control_id: str
    call_leg_id: str | None = None
    call_session_id: str | None = None
    call_duration: int | None = None  # seconds
    client_state: str | None = None  # base64, as the API returns it


@dataclass(frozen=True)
class ParticipantSnapshot:
    """One row of ``GET /conferences/{id}/participants``."""

    call_control_id: str
    call_leg_id: str | None = None
    participant_id: str | None = None
    muted: bool = False
    on_hold: bool = False
    status: str | None = "joined"  # joining | joined | left
    joined_at: datetime | None = None  # the participant's created_at

    @property
    def present(self) -> bool:
        return self.status != "left"


@dataclass(frozen=True)
class ConferenceSnapshot:
    """One row of ``GET /conferences`` with its participants."""

    id: str
    name: str | None = None
    status: str | None = None  # init | in_progress | completed
    created_at: datetime | None = None
    end_reason: str | None = None
    participants: list[ParticipantSnapshot] = field(default_factory=list)

    @property
    def is_live(self) -> bool:
        return self.status != "completed"


@dataclass(frozen=True)
class QueueCallSnapshot:
    """One row of ``GET /queues/{name}/calls``."""

    call_control_id: str
    call_leg_id: str | None = None
    call_session_id: str | None = None
    from_: str | None = None
    to: str | None = None
    queue_position: int | None = None
    wait_time_secs: int | None = None
    enqueued_at: datetime | None = None


@dataclass(frozen=True)
class QueueSnapshot:
    """One row of ``GET /queues`` with its calls."""

    name: str
    average_wait_time_secs: int | None = None
    max_size: int | None = None
    calls: list[QueueCallSnapshot] = field(default_factory=list)


@dataclass(frozen=True)
class Snapshot:
    taken_at: datetime
    active_calls: list[ActiveCallSnapshot] = field(default_factory=list)
    conferences: list[ConferenceSnapshot] = field(default_factory=list)
    queues: list[QueueSnapshot] = field(default_factory=list)
