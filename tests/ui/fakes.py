"""Boundary fakes for the window: a session facade with recording ops, and Telnyx-like events.

Events are real webhook bodies parsed by ``parse_envelope`` and applied to the real ``Store``;
only the session facade (console/session.py's shape) and its ops are faked.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from console.config import Settings
from console.console_metrics import ConsoleMetrics
from console.events.models import Envelope, parse_envelope
from console.events.receiver import ReceivedEvent, Rejection
from console.operations.health import Health
from console.operations.transfer import AttendedTransfer, TransferState
from console.state.entities import RecordingState
from console.state.store import Store

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


class FakeOps:
    """Records every command; ``fail[name]`` raises; ``confirm`` applies the store's side.

    Method and parameter names are those of ``console.operations.Operations`` (checked by
    tests/ui/test_fakes_match.py); attended transfers are real ``AttendedTransfer`` objects.
    """

    def __init__(self, store: Store):
        self._store = store
        self.calls: list[tuple[str, tuple]] = []
        self.fail: dict[str, BaseException] = {}
        self.gate: asyncio.Event | None = None  # when set, commands wait for it (pending)
        self.transfers: list[AttendedTransfer] = []  # every transfer started, newest last
        self.confirm = True
        self._transferred: dict[str, str] = {}  # blind transfers, as Operations remembers them

    @property
    def attended_transfers(self) -> list[AttendedTransfer]:
        """As the real property: the transfers still in progress."""
        return [t for t in self.transfers if not t.state.is_final]

    async def _do(self, name: str, *args: Any) -> Any:
        self.calls.append((name, args))
        if self.gate is not None:
            await self.gate.wait()
        if name in self.fail:
            raise self.fail[name]
        return None

    def names(self) -> list[str]:
        return [name for name, _args in self.calls]

    async def dial(self, to: str, from_: str) -> str:
        await self._do("dial", to, from_)
        return "v3:dialled"

    async def answer(self, call_control_id):
        await self._do("answer", call_control_id)

    async def reject(self, call_control_id):
        await self._do("reject", call_control_id)

    async def hangup(self, call_control_id):
        await self._do("hangup", call_control_id)

    async def transfer(self, call_control_id, to):
        await self._do("transfer", call_control_id, to)
        self._transferred[call_control_id] = to

    def transferred_to(self, call_control_id):
        return self._transferred.get(call_control_id)

    async def start_attended_transfer(self, call_control_id, to):
        await self._do("start_attended_transfer", call_control_id, to)
        transfer = AttendedTransfer(
            transfer_id=f"xfer-{next(_ids)}",
            caller_call_control_id=call_control_id,
            target=to,
            state=TransferState.CONSULTING,
            consult_call_control_id="v3:consult",
        )
        self.transfers.append(transfer)
        return transfer

    async def complete_attended_transfer(self, transfer):
        await self._do("complete_attended_transfer", transfer)
        transfer.state = TransferState.COMPLETED
        return transfer

    async def cancel_attended_transfer(self, transfer):
        await self._do("cancel_attended_transfer", transfer)
        transfer.state = TransferState.CANCELLED
        return transfer

    async def _mark(self, name: str, ccid: str, **flags: bool) -> None:
        await self._do(name, ccid)
        call = self._store.call(ccid)
        if self.confirm and call is not None and call.conference_id:
            self._store.mark_participants(call.conference_id, [ccid], **flags)

    async def hold(self, call_control_id):
        await self._mark("hold", call_control_id, on_hold=True)

    async def unhold(self, call_control_id):
        await self._mark("unhold", call_control_id, on_hold=False)

    async def mute(self, call_control_id):
        await self._mark("mute", call_control_id, muted=True)

    async def unmute(self, call_control_id):
        await self._mark("unmute", call_control_id, muted=False)

    async def record_start(self, call_control_id):
        await self._do("record_start", call_control_id)
        if self.confirm:
            self._store.mark_call_recording(call_control_id, RecordingState.RECORDING)

    async def record_stop(self, call_control_id):
        await self._do("record_stop", call_control_id)
        if self.confirm:
            self._store.mark_call_recording(call_control_id, RecordingState.OFF)

    async def record_pause(self, call_control_id):
        await self._do("record_pause", call_control_id)
        if self.confirm:
            self._store.mark_call_recording(call_control_id, RecordingState.PAUSED)

    async def record_resume(self, call_control_id):
        await self._do("record_resume", call_control_id)
        if self.confirm:
            self._store.mark_call_recording(call_control_id, RecordingState.RECORDING)

    async def bridge(self, a, b):
        await self._do("bridge", a, b)

    async def merge(self, call_control_ids):
        await self._do("merge", list(call_control_ids))
        return "conf-merged"

    async def add_participant(self, conference_id, to):
        await self._do("add_participant", conference_id, to)
        return "v3:added"

    async def kick(self, conference_id, call_control_id):
        await self._do("kick", conference_id, call_control_id)

    async def end_conference(self, conference_id):
        await self._do("end_conference", conference_id)

    async def send_dtmf(self, call_control_id, digits):
        await self._do("send_dtmf", call_control_id, digits)

    async def pick_from_queue(self, call_control_id):
        await self._do("pick_from_queue", call_control_id)


def connected_health(**changes: Any) -> Health:
    """A real ``Health`` snapshot as a connected console shows it (the session's own type, so
    the fake cannot drift from it; change it with ``FakeSession.health_changed``)."""
    return Health(
        receiver_url="http://127.0.0.1:8765/webhooks/telnyx",
        tunnel_state="up",
        tunnel_url="https://abc.ngrok.app",
        api_reachable=True,
    ).with_(**changes)


@dataclass
class FakeJournal:
    """``rows`` newest first, as ``Journal.recent`` answers (JournalRecord-shaped objects)."""

    rows: list[Any] = field(default_factory=list)

    def recent(self, limit=200, event_type=None, call_control_id=None):
        rows = [
            row
            for row in self.rows
            if (event_type is None or getattr(row, "event_type", event_type) == event_type)
            and (
                call_control_id is None
                or getattr(row, "call_control_id", call_control_id) == call_control_id
            )
        ]
        return rows[:limit]


class FakeSession:
    """The facade console/session.py offers the window, with hooks to push events in."""

    def __init__(self, settings: Settings | None = None):
        self.store = Store()
        self.settings = settings or Settings(
            from_numbers=["+13125550100", "+13125550101"], default_country="US"
        )
        self.ops = FakeOps(self.store)
        self.health = connected_health()
        self.journal = FakeJournal()
        self.metrics = ConsoleMetrics()
        self.demo = False
        self.applied: list[tuple[Settings, dict]] = []
        self.apply_error: BaseException | None = None
        self.applications = [("111", "Front desk"), ("222", "Night line")]
        self.applications_error: BaseException | None = None
        self._event_cbs: list = []
        self._rejected_cbs: list = []
        self._health_cbs: list = []

    def on_event(self, callback) -> Callable[[], None]:
        return _add(self._event_cbs, callback)

    def on_rejected(self, callback) -> Callable[[], None]:
        return _add(self._rejected_cbs, callback)

    def on_health(self, callback) -> Callable[[], None]:
        return _add(self._health_cbs, callback)

    def deliver(self, envelope: Envelope, attempt: int = 1) -> None:
        """As the receiver would: apply to the store, then tell the listeners."""
        self.store.apply(envelope)
        raw = envelope.model_dump_json(by_alias=True, exclude_none=True)
        received = ReceivedEvent(received_at=time.time(), attempt=attempt, raw=raw)
        for cb in list(self._event_cbs):
            cb(envelope, received)

    def reject(self, reason: str = "bad signature", detail: str = "Ed25519 check failed"):
        rejection = Rejection(
            time=time.time(), remote="203.0.113.9", reason=reason, detail=detail, status=403
        )
        for cb in list(self._rejected_cbs):
            cb(rejection)

    def health_changed(self, **values: Any) -> None:
        self.health = self.health.with_(**values)  # replaced, never mutated, as the session does
        for cb in list(self._health_cbs):
            cb()

    async def apply_settings(
        self, settings, api_key=None, public_key=None, ngrok_authtoken=None, broker_password=None
    ):
        await asyncio.sleep(0)
        if self.apply_error is not None:
            raise self.apply_error
        secrets = {"api_key": api_key, "public_key": public_key, "ngrok_authtoken": ngrok_authtoken}
        if broker_password is not None:  # team mode's secret, only when the Team page set one
            secrets["broker_password"] = broker_password
        self.applied.append((settings, secrets))
        self.settings = settings
        return []  # the real session returns notes for the operator

    async def list_applications(self):
        await asyncio.sleep(0)
        if self.applications_error is not None:
            raise self.applications_error
        return list(self.applications)


def _add(listeners: list, callback) -> Callable[[], None]:
    """Register ``callback``; return its unsubscribe function (as the real session does)."""
    listeners.append(callback)

    def remove() -> None:
        if callback in listeners:
            listeners.remove(callback)

    return remove
