"""Webhook emission: the event envelopes for calls and conferences and where they are sent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .clock import iso
from .delivery import Target
from .entities import Call, Conference, new_uuid

if TYPE_CHECKING:
    from .world import World

# Conference events whose spec schema carries occurred_at inside payload, not in data.
PAYLOAD_OCCURRED_AT = {
    "conference.created",
    "conference.ended",
    "conference.floor.changed",
    "conference.participant.playback.started",
    "conference.participant.playback.ended",
    "conference.participant.speak.started",
    "conference.participant.speak.ended",
    "conference.playback.started",
    "conference.playback.ended",
    "conference.speak.started",
    "conference.speak.ended",
    "conference.recording.saved",
}
NO_CALL_IDS = {
    "conference.playback.started",
    "conference.playback.ended",
    "conference.speak.started",
    "conference.speak.ended",
}


class WebhookEmitter:
    """The World's ``webhooks`` part: build each event and hand it to the deliverer."""

    def __init__(self, world: World) -> None:
        self.world = world

    def target_for(self, call: Call | None, connection_id: str) -> Target:
        app = self.world.apps.get(connection_id)
        fields = app.fields if app else {}
        url = (call.webhook_url if call else None) or fields.get("webhook_event_url")
        failover = (call.webhook_failover_url if call else None) or fields.get(
            "webhook_event_failover_url"
        )
        return Target(
            url=url,
            failover_url=failover or None,
            api_version=str(fields.get("webhook_api_version", "2")),
            timeout=fields.get("webhook_timeout_secs") or None,
        )

    def _submit(
        self, key: str, data: dict[str, Any], call: Call | None, connection_id: str
    ) -> None:
        self.world.deliverer.submit(key, data, lambda: self.target_for(call, connection_id))

    def common(self, call: Call) -> dict[str, Any]:
        return {
            "call_control_id": call.call_control_id,
            "call_leg_id": call.call_leg_id,
            "call_session_id": call.call_session_id,
            "connection_id": call.connection_id,
            "client_state": call.client_state,
        }

    def emit(self, call: Call, event_type: str, **fields: Any) -> dict[str, Any]:
        payload = self.common(call)
        payload.update({"from": call.from_, "to": call.to})
        payload.update({k.rstrip("_"): v for k, v in fields.items() if v is not None})
        data = {
            "record_type": "event",
            "event_type": event_type,
            "id": new_uuid(),
            "occurred_at": iso(self.world.now()),
            "payload": payload,
        }
        self._submit(call.call_control_id, data, call, call.connection_id)
        return data

    def emit_conf(
        self, conf: Conference, event_type: str, call: Call | None = None, **fields: Any
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"connection_id": conf.connection_id}
        if call is not None and event_type not in NO_CALL_IDS:
            payload.update(self.common(call))
        payload["conference_id"] = conf.id
        payload.update({k: v for k, v in fields.items() if v is not None})
        data: dict[str, Any] = {"record_type": "event", "event_type": event_type, "id": new_uuid()}
        occurred = iso(self.world.now())
        if event_type in PAYLOAD_OCCURRED_AT:
            payload["occurred_at"] = occurred
        else:
            data["occurred_at"] = occurred
        data["payload"] = payload
        key = call.call_control_id if call is not None else conf.id
        self._submit(key, data, call, conf.connection_id)
        return data
