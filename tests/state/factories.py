"""Webhook bodies shaped like Telnyx's (API-NOTES §4.4), parsed by the real ``parse_envelope``."""

from __future__ import annotations

import base64
import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from console.events.models import Envelope, parse_envelope
from console.state.store import Store

T0 = datetime(2024, 3, 15, 7, 41, 9, 931675, tzinfo=UTC)
CONNECTION_ID = "2386325531927775048"
_ids = itertools.count(1)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def new_id() -> str:
    return str(uuid.UUID(int=next(_ids)))


def body(
    event_type: str,
    seconds: float,
    payload: dict[str, Any],
    *,
    event_id: str | None = None,
    time_in_payload: bool = False,
) -> dict[str, Any]:
    """A full v2 envelope. Some conference events carry occurred_at inside payload (§4.1)."""
    data: dict[str, Any] = {
        "record_type": "event",
        "event_type": event_type,
        "id": event_id or new_id(),
        "payload": dict(payload),
    }
    if time_in_payload:
        data["payload"]["occurred_at"] = iso(at(seconds))
    else:
        data["occurred_at"] = iso(at(seconds))
    return {"data": data, "meta": {"attempt": 1, "delivered_to": "https://example.com/webhooks"}}


def envelope(*args: Any, **kwargs: Any) -> Envelope:
    return parse_envelope(body(*args, **kwargs))


@dataclass
class Leg:
    """One call leg's ids, and the webhooks Telnyx would send about it."""

    name: str
    session: str | None = None
    from_: str = "+15418556816"
    to: str = "+12568349765"
    client_state: str = ""

    @property
    def ccid(self) -> str:
        return f"v3:{self.name}-ccid"

    @property
    def leg_id(self) -> str:
        return f"{self.name}-leg"

    @property
    def session_id(self) -> str:
        return self.session or f"{self.name}-session"

    def ids(self, *, with_ccid: bool = True) -> dict[str, Any]:
        ids = {
            "call_leg_id": self.leg_id,
            "call_session_id": self.session_id,
            "client_state": self.client_state,
            "connection_id": CONNECTION_ID,
        }
        if with_ccid:
            ids["call_control_id"] = self.ccid
        return ids

    def event(self, event_type: str, seconds: float, **fields: Any) -> Envelope:
        event_id = fields.pop("event_id", None)
        payload = {**self.ids(), "from": self.from_, "to": self.to, **fields}
        return envelope(event_type, seconds, payload, event_id=event_id)

    def initiated(self, seconds: float, direction: str = "incoming", **fields: Any) -> Envelope:
        return self.event(
            "call.initiated",
            seconds,
            direction=direction,
            state="parked" if direction == "incoming" else "bridging",
            caller_id_name="Ada Lovelace",
            start_time=iso(at(seconds)),
            **fields,
        )

    def answered(self, seconds: float, **fields: Any) -> Envelope:
        return self.event("call.answered", seconds, state="answered", **fields)

    def bridged(self, seconds: float, **fields: Any) -> Envelope:
        return self.event("call.bridged", seconds, **fields)

    def hangup(
        self,
        seconds: float,
        cause: str = "normal_clearing",
        source: str = "caller",
        **fields: Any,
    ) -> Envelope:
        return self.event(
            "call.hangup",
            seconds,
            state="hangup",
            hangup_cause=cause,
            hangup_source=source,
            sip_hangup_cause="200",
            call_quality_stats=None,
            **fields,
        )

    def recording_saved(self, seconds: float, recording_id: str = "rec-1") -> Envelope:
        # As in the spec: no call_control_id, so the store must find the leg by call_leg_id.
        payload = {
            **self.ids(with_ccid=False),
            "channels": "single",
            "recording_id": recording_id,
            "recording_started_at": iso(at(seconds - 5)),
            "recording_ended_at": iso(at(seconds)),
            "recording_urls": {"mp3": None, "wav": f"https://example.com/{recording_id}.wav"},
            "public_recording_urls": {"mp3": None, "wav": None},
        }
        return envelope("call.recording.saved", seconds, payload)

    def recording_error(self, seconds: float) -> Envelope:
        payload = {**self.ids(with_ccid=False), "reason": "Internal server error"}
        return envelope("call.recording.error", seconds, payload)

    def enqueued(self, seconds: float, queue: str, position: int, avg: int = 0) -> Envelope:
        return self.event(
            "call.enqueued",
            seconds,
            queue=queue,
            current_position=position,
            queue_avg_wait_time_secs=avg,
        )

    def dequeued(
        self, seconds: float, queue: str, position: int = 1, reason: str = "bridged"
    ) -> Envelope:
        return self.event(
            "call.dequeued",
            seconds,
            queue=queue,
            queue_position=position,
            reason=reason,
            wait_time_secs=int(seconds),
        )

    def joined(self, seconds: float, conference_id: str) -> Envelope:
        return self.event("conference.participant.joined", seconds, conference_id=conference_id)

    def left(self, seconds: float, conference_id: str) -> Envelope:
        return self.event("conference.participant.left", seconds, conference_id=conference_id)

    def dtmf(self, seconds: float, digit: str = "1") -> Envelope:
        return self.event("call.dtmf.received", seconds, digit=digit)


def conference_event(
    event_type: str, conference_id: str, seconds: float, creator: Leg | None = None, **fields: Any
) -> Envelope:
    """conference.created/ended/playback/speak/recording.saved: time inside payload (§4.3)."""
    payload: dict[str, Any] = {
        "conference_id": conference_id,
        "connection_id": CONNECTION_ID,
        **fields,
    }
    if creator is not None:
        payload |= creator.ids()
        payload["creator_call_session_id"] = creator.session_id
    return envelope(event_type, seconds, payload, time_in_payload=True)


def state_of(store: Store) -> tuple[dict, dict, dict]:
    return dict(store.calls), dict(store.conferences), dict(store.queues)


def scenario() -> list[Envelope]:
    """A caller queued, taken into a conference with an agent, then transferred and hung up."""
    caller = Leg("caller")
    agent = Leg("agent", from_="+12568349765", to="sip:agent@example.com")
    transfer = Leg("xfer", session=caller.session_id, to="+15550001111")
    other = Leg("other")
    return [
        caller.initiated(0),
        caller.answered(1),
        caller.enqueued(2, "support", 1, avg=10),
        other.initiated(3),
        other.answered(3.5),
        other.enqueued(4, "support", 2, avg=12),
        caller.dequeued(10, "support", reason="bridged"),
        conference_event("conference.created", "conf-1", 10.5, creator=caller),
        caller.joined(11, "conf-1"),
        agent.initiated(11, direction="outgoing"),
        agent.answered(14),
        agent.joined(15, "conf-1"),
        caller.left(40, "conf-1"),
        agent.left(41, "conf-1"),
        conference_event("conference.ended", "conf-1", 41, creator=caller, reason="all_left"),
        agent.hangup(42),
        transfer.initiated(45, direction="outgoing"),
        transfer.answered(50),
        caller.bridged(50.5),
        transfer.bridged(50.5),
        caller.recording_saved(60),
        transfer.hangup(90, source="callee"),
        caller.hangup(90),
        other.dtmf(95),
    ]
