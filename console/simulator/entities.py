"""The simulated account's records (applications, calls, conferences, queues, recordings)."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .clock import iso
from .phones import Outcome


def new_call_control_id() -> str:
    # Telnyx ids look like "v3:<urlsafe base64>"; clients must treat them as opaque.
    return "v3:" + secrets.token_urlsafe(30)


def new_uuid() -> str:
    return str(uuid.uuid4())


def new_numeric_id() -> str:
    return str(secrets.randbelow(9 * 10**18) + 10**18)


@dataclass
class Application:
    """A Call Control application (the spec's CallControlApplication)."""

    id: str
    fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    def to_api(self) -> dict[str, Any]:
        return {
            **self.fields,
            "id": self.id,
            "record_type": "call_control_application",
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }


@dataclass
class Activity:
    """A playback or speak running on a call (or a conference)."""

    kind: str  # playback | speak
    media_url: str | None = None
    media_name: str | None = None
    overlay: bool = False
    task: asyncio.Task[Any] | None = None


@dataclass
class Recording:
    id: str
    source: str  # call | conference
    format: str
    channels: str
    started_at: datetime
    connection_id: str
    call_control_id: str | None = None
    call_leg_id: str | None = None
    call_session_id: str | None = None
    conference_id: str | None = None
    from_: str | None = None
    to: str | None = None
    client_state: str = ""
    ended_at: datetime | None = None
    paused_since: datetime | None = None
    paused_secs: float = 0.0
    initiated_by: str = "StartCallRecordingAPI"

    @property
    def duration_secs(self) -> float:
        if self.ended_at is None:
            return 0.0
        return max(0.0, (self.ended_at - self.started_at).total_seconds() - self.paused_secs)

    def urls(self, media_base: str) -> dict[str, str]:
        return {
            "wav": f"{media_base}/{self.id}.wav",
            "mp3": f"{media_base}/{self.id}.mp3",
        }

    def to_api(self, media_base: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "record_type": "recording",
            "source": self.source,
            "status": "completed",
            "channels": self.channels,
            "connection_id": self.connection_id,
            "created_at": iso(self.ended_at or self.started_at),
            "updated_at": iso(self.ended_at or self.started_at),
            "recording_started_at": iso(self.started_at),
            "recording_ended_at": iso(self.ended_at or self.started_at),
            "duration_millis": int(self.duration_secs * 1000),
            "download_urls": self.urls(media_base),
            "initiated_by": self.initiated_by,
        }
        for key, value in (
            ("call_control_id", self.call_control_id),
            ("call_leg_id", self.call_leg_id),
            ("call_session_id", self.call_session_id),
            ("conference_id", self.conference_id),
            ("from", self.from_),
            ("to", self.to),
        ):
            if value is not None:
                data[key] = value
        return data


@dataclass
class Call:
    """One call leg."""

    call_control_id: str
    call_leg_id: str
    call_session_id: str
    connection_id: str
    direction: str  # incoming | outgoing
    from_: str
    to: str
    start_time: datetime
    caller_name: str = ""
    client_state: str = ""
    answered: bool = False
    answered_at: datetime | None = None
    ended: bool = False
    end_time: datetime | None = None
    hangup_cause: str | None = None
    hangup_source: str | None = None
    webhook_url: str | None = None
    webhook_failover_url: str | None = None
    bridged_with: str | None = None
    park_after_unbridge: bool = False
    hold_after_unbridge: bool = False
    on_hold: bool = False
    conference_id: str | None = None
    queue_name: str | None = None
    recording: Recording | None = None
    activity: Activity | None = None
    streaming: bool = False
    outcome: Outcome | None = None
    transfer_from: str | None = None  # for a transfer's new leg: the leg being transferred
    transfer_park_after_unbridge: bool = False
    hangup_after: float | None = None  # the remote party hangs up this long after answer
    hangup_after_tracked: bool = True
    gather_digits: str = "1"
    supervisor_role: str | None = None
    timers: dict[str, asyncio.Task[Any]] = field(default_factory=dict)

    @property
    def alive(self) -> bool:
        return not self.ended

    def state(self) -> str:
        """A one-word state for truth(): parked, ringing, active, bridged, conference, queued..."""
        if self.ended:
            return "ended"
        if not self.answered:
            return "parked" if self.direction == "incoming" else "ringing"
        if self.conference_id:
            return "conference"
        if self.queue_name:
            return "queued"
        if self.bridged_with:
            return "bridged"
        return "held" if self.on_hold else "active"

    def duration_secs(self, now: datetime) -> int:
        end = self.end_time or now
        return max(0, int((end - self.start_time).total_seconds()))

    def to_api(self, now: datetime) -> dict[str, Any]:
        data: dict[str, Any] = {
            "record_type": "call",
            "call_control_id": self.call_control_id,
            "call_leg_id": self.call_leg_id,
            "call_session_id": self.call_session_id,
            "is_alive": self.alive,
            "client_state": self.client_state,
            "start_time": iso(self.start_time),
            "call_duration": self.duration_secs(now),
        }
        if self.end_time is not None:
            data["end_time"] = iso(self.end_time)
        return data


@dataclass
class Participant:
    id: str
    call_control_id: str
    call_leg_id: str
    conference_id: str
    created_at: datetime
    updated_at: datetime
    muted: bool = False
    on_hold: bool = False
    status: str = "joined"
    end_conference_on_exit: bool = False
    soft_end_conference_on_exit: bool = False
    whisper_call_control_ids: list[str] = field(default_factory=list)
    supervisor_role: str = "none"
    beep_enabled: str | None = None
    held_for_start: bool = False  # on hold only because the conference has not started

    def to_list_item(self, conference_name: str) -> dict[str, Any]:
        """The spec's ``Participant`` (list endpoint)."""
        return {
            "record_type": "participant",
            "id": self.id,
            "call_control_id": self.call_control_id,
            "call_leg_id": self.call_leg_id,
            "conference": {"id": self.conference_id, "name": conference_name},
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "end_conference_on_exit": self.end_conference_on_exit,
            "soft_end_conference_on_exit": self.soft_end_conference_on_exit,
            "muted": self.muted,
            "on_hold": self.on_hold,
            "status": self.status,
            "whisper_call_control_ids": list(self.whisper_call_control_ids),
        }

    def to_resource(self) -> dict[str, Any]:
        """The spec's ``ConferenceParticipant`` (single-participant endpoints)."""
        return {
            "id": self.id,
            "call_control_id": self.call_control_id,
            "call_leg_id": self.call_leg_id,
            "conference_id": self.conference_id,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "end_conference_on_exit": self.end_conference_on_exit,
            "soft_end_conference_on_exit": self.soft_end_conference_on_exit,
            "muted": self.muted,
            "on_hold": self.on_hold,
            "status": self.status,
            "whisper_call_control_ids": list(self.whisper_call_control_ids),
        }


@dataclass
class Conference:
    id: str
    name: str
    connection_id: str
    created_at: datetime
    expires_at: datetime
    creator_call_control_id: str
    creator_call_session_id: str
    region: str | None = None
    status: str = "in_progress"  # init | in_progress | completed
    end_reason: str | None = None
    ended_by: dict[str, str] | None = None
    updated_at: datetime | None = None
    max_participants: int | None = None
    participants: dict[str, Participant] = field(default_factory=dict)  # by call_control_id
    recording: Recording | None = None
    activity: Activity | None = None
    timers: dict[str, asyncio.Task[Any]] = field(default_factory=dict)

    @property
    def ended(self) -> bool:
        return self.status == "completed"

    def joined(self) -> list[Participant]:
        return [p for p in self.participants.values() if p.status == "joined"]

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "record_type": "conference",
            "id": self.id,
            "name": self.name,
            "connection_id": self.connection_id,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at or self.created_at),
            "expires_at": iso(self.expires_at),
            "status": self.status,
        }
        if self.region:
            data["region"] = self.region
        if self.end_reason:
            data["end_reason"] = self.end_reason
        if self.ended_by:
            data["ended_by"] = dict(self.ended_by)
        return data


@dataclass
class QueuedCall:
    call_control_id: str
    enqueued_at: datetime
    keep_after_hangup: bool = False
    timer: asyncio.Task[Any] | None = None


@dataclass
class Queue:
    id: str
    name: str
    max_size: int
    created_at: datetime
    updated_at: datetime
    calls: list[QueuedCall] = field(default_factory=list)

    def average_wait(self, now: datetime) -> int:
        if not self.calls:
            return 0
        total = sum((now - c.enqueued_at).total_seconds() for c in self.calls)
        return int(total / len(self.calls))

    def position(self, call_control_id: str) -> int | None:
        for index, queued in enumerate(self.calls, start=1):
            if queued.call_control_id == call_control_id:
                return index
        return None

    def to_api(self, now: datetime) -> dict[str, Any]:
        return {
            "record_type": "queue",
            "id": self.id,
            "name": self.name,
            "max_size": self.max_size,
            "current_size": len(self.calls),
            "average_wait_time_secs": self.average_wait(now),
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }
