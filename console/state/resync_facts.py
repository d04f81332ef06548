"""What a REST snapshot says about each leg it shows alive (the facts a resync entry carries).

A leg can appear in several listings (active calls, a conference's participants, a queue's
waiting calls); ``legs_in`` merges what each says, first value wins, into ``LegSeen`` fields.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from console.events.models import decode_client_state
from console.state.snapshot import Snapshot


def legs_in(snapshot: Snapshot) -> dict[str, dict[str, Any]]:
    """Every leg the snapshot shows alive, with what it says about each (LegSeen fields)."""
    seen: dict[str, dict[str, Any]] = defaultdict(dict)

    def fill(ccid: str, **facts: Any) -> None:
        known = seen[ccid]  # listed, even if with nothing but its id
        for name, value in facts.items():
            if value is not None:
                known.setdefault(name, value)

    for call in snapshot.active_calls:
        fill(
            call.call_control_id,
            call_leg_id=call.call_leg_id,
            call_session_id=call.call_session_id,
            client_state=decode_client_state(call.client_state),
            call_duration=call.call_duration,
        )
    for conference in snapshot.conferences:
        if conference.is_live:
            for p in conference.participants:
                if p.present:
                    fill(
                        p.call_control_id,
                        conference_id=conference.id,
                        call_leg_id=p.call_leg_id,
                    )
    for queue in snapshot.queues:
        for q in queue.calls:
            fill(
                q.call_control_id,
                queue_name=queue.name,
                queue_position=q.queue_position,
                enqueued_at=q.enqueued_at,
                call_leg_id=q.call_leg_id,
                call_session_id=q.call_session_id,
                from_=q.from_,
                to=q.to,
            )
    return dict(seen)
