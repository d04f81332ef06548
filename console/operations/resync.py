"""A REST snapshot of what is live (calls, conferences + participants, queues) for the store."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from console.state.snapshot import (
    ActiveCallSnapshot,
    ConferenceSnapshot,
    ParticipantSnapshot,
    QueueCallSnapshot,
    QueueSnapshot,
    Snapshot,
)

log = logging.getLogger(__name__)

#: Conference statuses that are not over (GET /conferences?filter[status]=...).
LIVE_CONFERENCE_STATUSES = ("in_progress", "init")


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


async def fetch_snapshot(
    client: Any, connection_id: str, *, now: Callable[[], datetime] | None = None
) -> Snapshot:
    """Everything live on the connection, as one :class:`Snapshot` taken "now".

    ``taken_at`` is the moment before the first request: a webhook that happened after it
    still counts in the store, so a leg that starts or ends while the lists are fetched is
    not lost either way. ``now`` is the API side's clock (events are stamped with it): the
    local clock for Telnyx, the simulator's faster clock in demo mode.
    """
    taken_at = (now or (lambda: datetime.now(UTC)))()
    active = [
        ActiveCallSnapshot(
            call_control_id=c.call_control_id,
            call_leg_id=c.call_leg_id,
            call_session_id=c.call_session_id,
            call_duration=c.call_duration,
            client_state=c.client_state,
        )
        for c in await client.connections.list_active_calls(connection_id)
    ]
    conferences = []
    seen: set[str] = set()
    for status in LIVE_CONFERENCE_STATUSES:
        for conf in await client.conferences.list_all(filter_status=status):
            if conf.id in seen:
                continue
            # Another application's conferences are not ours to show.
            if conf.connection_id and conf.connection_id != connection_id:
                continue
            seen.add(conf.id)
            participants = [
                ParticipantSnapshot(
                    call_control_id=p.call_control_id,
                    call_leg_id=p.call_leg_id,
                    participant_id=p.id,
                    muted=bool(p.muted),
                    on_hold=bool(p.on_hold),
                    status=p.status or "joined",
                    joined_at=_when(p.created_at),
                )
                for p in await client.conferences.list_participants(conf.id)
                if p.call_control_id
            ]
            conferences.append(
                ConferenceSnapshot(
                    id=conf.id,
                    name=conf.name,
                    status=conf.status,
                    created_at=_when(conf.created_at),
                    end_reason=conf.end_reason,
                    participants=participants,
                )
            )
    queues = []
    for queue in await client.queues.list_all():
        calls = [
            QueueCallSnapshot(
                call_control_id=q.call_control_id,
                call_leg_id=q.call_leg_id,
                call_session_id=q.call_session_id,
                from_=q.from_,
                to=q.to,
                queue_position=q.queue_position,
                wait_time_secs=q.wait_time_secs,
                enqueued_at=_when(q.enqueued_at),
            )
            for q in await client.queues.list_calls(queue.name)
            if q.connection_id in (None, connection_id)
        ]
        queues.append(
            QueueSnapshot(
                name=queue.name,
                average_wait_time_secs=queue.average_wait_time_secs,
                max_size=queue.max_size,
                calls=calls,
            )
        )
    return Snapshot(taken_at=taken_at, active_calls=active, conferences=conferences, queues=queues)
