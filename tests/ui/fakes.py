"""Telnyx-like events for the window's tests, and the one fake session (re-exported).

Events are real webhook bodies parsed by ``parse_envelope`` and applied to the real ``Store``;
the session facade and its ops are faked in tests/support/fake_session.py.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from console.events.models import Envelope, parse_envelope
from console.state.store import Store
from tests.support.fake_session import (
    CONFIGURED_CLIENT,
    PATH_OK,
    FakeJournal,
    FakeOps,
    FakeSecrets,
    FakeSession,
    connected_health,
)

_ids = itertools.count(1)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class Events:
    """Builds Telnyx-shaped webhooks. Times start a minute ago (so ended rows are 'recent')."""

    def __init__(self, start: datetime | None = None):
        self.t0 = start or (datetime.now(UTC) - timedelta(seconds=60))
        self.seconds = 0.0

    def _at(self) -> datetime:
        self.seconds += 0.1
        return self.t0 + timedelta(seconds=self.seconds)

    def body(self, event_type: str, payload: dict[str, Any], in_payload: bool = False) -> dict:
        data: dict[str, Any] = {
            "record_type": "event",
            "event_type": event_type,
            "id": str(uuid.UUID(int=next(_ids))),
            "payload": dict(payload),
        }
        moment = iso(self._at())
        if in_payload:
            data["payload"]["occurred_at"] = moment
        else:
            data["occurred_at"] = moment
        return {"data": data, "meta": {"attempt": 1, "delivered_to": "https://x.test/webhooks"}}

    def envelope(self, event_type: str, payload: dict[str, Any], **kw: Any) -> Envelope:
        return parse_envelope(self.body(event_type, payload, **kw))

    @staticmethod
    def ids(ccid: str) -> dict[str, Any]:
        return {
            "call_control_id": ccid,
            "call_leg_id": f"{ccid}-leg",
            "call_session_id": f"{ccid}-session",
            "connection_id": "1234567890",
        }

    def call(self, event_type: str, ccid: str, **fields: Any) -> Envelope:
        payload = {**self.ids(ccid), "from": "+13125550100", "to": "+13125550199", **fields}
        return self.envelope(event_type, payload)

    def initiated(self, ccid: str, direction: str = "incoming", **fields: Any) -> Envelope:
        fields.setdefault("caller_id_name", "Ada Lovelace")
        return self.call(
            "call.initiated",
            ccid,
            direction=direction,
            state="parked" if direction == "incoming" else "bridging",
            start_time=iso(self.t0 + timedelta(seconds=self.seconds)),
            **fields,
        )

    def answered(self, ccid: str) -> Envelope:
        return self.call("call.answered", ccid, state="answered")

    def hangup(self, ccid: str, cause: str = "normal_clearing", source: str = "caller") -> Envelope:
        return self.call(
            "call.hangup",
            ccid,
            state="hangup",
            hangup_cause=cause,
            hangup_source=source,
            sip_hangup_cause="200",
        )

    def enqueued(self, ccid: str, queue: str, position: int, avg: int = 30) -> Envelope:
        return self.call(
            "call.enqueued",
            ccid,
            queue=queue,
            current_position=position,
            queue_avg_wait_time_secs=avg,
        )

    def dequeued(self, ccid: str, queue: str, reason: str = "bridged") -> Envelope:
        return self.call("call.dequeued", ccid, queue=queue, queue_position=1, reason=reason)

    def conference_created(self, conference_id: str, creator: str) -> Envelope:
        payload = {**self.ids(creator), "conference_id": conference_id}
        return self.envelope("conference.created", payload, in_payload=True)

    def joined(self, ccid: str, conference_id: str) -> Envelope:
        return self.call("conference.participant.joined", ccid, conference_id=conference_id)

    def left(self, ccid: str, conference_id: str) -> Envelope:
        return self.call("conference.participant.left", ccid, conference_id=conference_id)


def live_call(store: Store, events: Events, ccid: str, direction: str = "incoming", **kw) -> None:
    store.apply(events.initiated(ccid, direction, **kw))
    store.apply(events.answered(ccid))


__all__ = [
    "CONFIGURED_CLIENT",
    "PATH_OK",
    "Events",
    "FakeJournal",
    "FakeOps",
    "FakeSecrets",
    "FakeSession",
    "connected_health",
    "iso",
    "live_call",
]
