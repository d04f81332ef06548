"""Typed models of Telnyx v2 webhooks: the envelope and the payload of every call/conference event.

Field names follow ``spec3.yml`` (components ``Call*``/``Conference*`` event schemas). Every
payload field is optional, as in the spec, and unknown fields are kept (``extra="allow"``) so a
field Telnyx adds later never rejects an event. Enumerated values (hangup causes, states...) are
plain strings for the same reason: a new cause must not turn a webhook into a 400.

An event whose ``event_type`` is not modelled here parses as :class:`GenericEvent`; it is never
rejected. ``parse_envelope`` dispatches on ``data.event_type`` through :data:`EVENT_MODELS`.

The payload classes live in ``payloads.py`` (the shared base and the conference payloads) and
``call_payloads.py`` (the call.* family); this module holds the envelope, the dispatch table and
the parser, and imports every payload back so that callers import all of it from here.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar

from pydantic import Field, ValidationError, create_model

from console.events.call_payloads import (
    AIGatherMessage,
    CallAIGatherEndedPayload,
    CallAIGatherPartialResultsPayload,
    CallAIGatherPayload,
    CallAnsweredPayload,
    CallConversationEndedPayload,
    CallConversationInsightsGeneratedPayload,
    CallCostPart,
    CallCostPayload,
    CallDeepfakeDetectionErrorPayload,
    CallDeepfakeDetectionResultPayload,
    CallDequeuedPayload,
    CallDtmfReceivedPayload,
    CallEnqueuedPayload,
    CallForkPayload,
    CallGatherEndedPayload,
    CallHangupPayload,
    CallInitiatedPayload,
    CallMachineResultPayload,
    CallPlaybackPayload,
    CallQualityStats,
    CallRecordingErrorPayload,
    CallRecordingSavedPayload,
    CallRecordingTranscriptionSavedPayload,
    CallReferPayload,
    CallSpeakPayload,
    CallTranscriptionPayload,
    ConversationInsightResult,
    SiprecFailedPayload,
    SiprecStoppedPayload,
    StreamingPayload,
    TranscriptionData,
)
from console.events.payloads import (
    ConferenceEndedPayload,
    ConferencePayload,
    ConferenceRecordingSavedPayload,
    Payload,
    RecordingUrls,
    WireModel,
    decode_client_state,
    payload_field,
)

__all__ = [
    "EVENT_MODELS",
    "AIGatherMessage",
    "CallAIGatherEndedPayload",
    "CallAIGatherPartialResultsPayload",
    "CallAIGatherPayload",
    "CallAnsweredPayload",
    "CallConversationEndedPayload",
    "CallConversationInsightsGeneratedPayload",
    "CallCostPart",
    "CallCostPayload",
    "CallDeepfakeDetectionErrorPayload",
    "CallDeepfakeDetectionResultPayload",
    "CallDequeuedPayload",
    "CallDtmfReceivedPayload",
    "CallEnqueuedPayload",
    "CallForkPayload",
    "CallGatherEndedPayload",
    "CallHangupPayload",
    "CallInitiatedPayload",
    "CallMachineResultPayload",
    "CallPlaybackPayload",
    "CallQualityStats",
    "CallRecordingErrorPayload",
    "CallRecordingSavedPayload",
    "CallRecordingTranscriptionSavedPayload",
    "CallReferPayload",
    "CallSpeakPayload",
    "CallTranscriptionPayload",
    "ConferenceEndedPayload",
    "ConferencePayload",
    "ConferenceRecordingSavedPayload",
    "ConversationInsightResult",
    "Envelope",
    "Event",
    "EventMeta",
    "EventParseError",
    "GenericEvent",
    "Payload",
    "RecordingUrls",
    "SiprecFailedPayload",
    "SiprecStoppedPayload",
    "StreamingPayload",
    "TranscriptionData",
    "decode_client_state",
    "parse_envelope",
    "payload_field",
]


# --- envelope ------------------------------------------------------------------------------


class EventMeta(WireModel):
    attempt: int = 1
    delivered_to: str | None = None


class Event(WireModel):
    """``data`` of a webhook. Subclasses fix the payload type for one event_type."""

    payload_model: ClassVar[type[Payload]] = Payload

    record_type: str = "event"
    event_type: str
    id: str
    occurred_at: datetime | None = None
    # Only call.conversation.ended has it (beside occurred_at) in the spec.
    created_at: datetime | None = None
    payload: Payload = Field(default_factory=Payload)

    @property
    def effective_occurred_at(self) -> datetime | None:
        """When it happened: ``data.occurred_at``, else the conference events' payload field."""
        return self.occurred_at or self.payload.occurred_at or self.created_at


class GenericEvent(Event):
    """An event_type this console does not model: kept, shown and journalled, never rejected."""


class Envelope(WireModel):
    data: Event
    meta: EventMeta | None = None
    # Set when a known event_type did not fit its typed model and parsed as GenericEvent.
    parse_warning: str | None = Field(default=None, exclude=True)

    @property
    def event_id(self) -> str:
        return self.data.id

    @property
    def event_type(self) -> str:
        return self.data.event_type

    @property
    def attempt(self) -> int:
        return self.meta.attempt if self.meta else 1


def _event_class(name: str, payload: type[Payload]) -> type[Event]:
    model = create_model(
        name, __base__=Event, __module__=__name__, payload=(payload, Field(default_factory=payload))
    )
    model.payload_model = payload
    return model


_PAYLOADS: dict[str, type[Payload]] = {
    "call.initiated": CallInitiatedPayload,
    "call.answered": CallAnsweredPayload,
    "call.hangup": CallHangupPayload,
    "call.bridged": Payload,
    "call.hold": Payload,
    "call.unhold": Payload,
    "call.recording.saved": CallRecordingSavedPayload,
    "call.recording.error": CallRecordingErrorPayload,
    "call.recording.transcription.saved": CallRecordingTranscriptionSavedPayload,
    "call.playback.started": CallPlaybackPayload,
    "call.playback.ended": CallPlaybackPayload,
    "call.speak.started": CallSpeakPayload,
    "call.speak.ended": CallSpeakPayload,
    "call.gather.ended": CallGatherEndedPayload,
    "call.dtmf.received": CallDtmfReceivedPayload,
    "call.machine.detection.ended": CallMachineResultPayload,
    "call.machine.greeting.ended": CallMachineResultPayload,
    "call.machine.premium.detection.ended": CallMachineResultPayload,
    "call.machine.premium.greeting.ended": CallMachineResultPayload,
    "call.enqueued": CallEnqueuedPayload,
    "call.dequeued": CallDequeuedPayload,
    "streaming.started": StreamingPayload,
    "streaming.stopped": StreamingPayload,
    "streaming.failed": StreamingPayload,
    "call.fork.started": CallForkPayload,
    "call.fork.stopped": CallForkPayload,
    "call.refer.started": CallReferPayload,
    "call.refer.completed": CallReferPayload,
    "call.refer.failed": CallReferPayload,
    "call.cost": CallCostPayload,
    "call.transcription": CallTranscriptionPayload,
    "call.ai_gather.ended": CallAIGatherEndedPayload,
    "call.ai_gather.message_history_updated": CallAIGatherPayload,
    "call.ai_gather.partial_results": CallAIGatherPartialResultsPayload,
    "call.conversation.ended": CallConversationEndedPayload,
    "call.conversation_insights.generated": CallConversationInsightsGeneratedPayload,
    "call.deepfake_detection.result": CallDeepfakeDetectionResultPayload,
    "call.deepfake_detection.error": CallDeepfakeDetectionErrorPayload,
    "siprec.started": Payload,
    "siprec.stopped": SiprecStoppedPayload,
    "siprec.failed": SiprecFailedPayload,
    "conference.created": ConferencePayload,
    "conference.ended": ConferenceEndedPayload,
    "conference.floor.changed": ConferencePayload,
    "conference.participant.joined": ConferencePayload,
    "conference.participant.left": ConferencePayload,
    "conference.participant.playback.started": ConferencePayload,
    "conference.participant.playback.ended": ConferencePayload,
    "conference.participant.speak.started": ConferencePayload,
    "conference.participant.speak.ended": ConferencePayload,
    "conference.playback.started": ConferencePayload,
    "conference.playback.ended": ConferencePayload,
    "conference.speak.started": ConferencePayload,
    "conference.speak.ended": ConferencePayload,
    "conference.recording.saved": ConferenceRecordingSavedPayload,
}


def _class_name(event_type: str) -> str:
    parts = event_type.replace("_", ".").split(".")
    return "".join(p.capitalize() for p in parts) + "Event"


class _EventModels(Mapping[str, type[Event]]):
    """event_type -> its Event subclass, each made the first time it is asked for.

    Making all 56 pydantic models up front took ~30 ms of every start, before the window was
    shown; most consoles only ever see a handful of event types. Thread-safe: the journal's
    tail may be parsed off the GUI thread.
    """

    def __init__(self, payloads: Mapping[str, type[Payload]]) -> None:
        self._payloads = payloads
        self._models: dict[str, type[Event]] = {}
        self._lock = threading.Lock()

    def __getitem__(self, event_type: str) -> type[Event]:
        model = self._models.get(event_type)
        if model is None:
            payload = self._payloads[event_type]  # KeyError for an unmodelled type
            with self._lock:
                model = self._models.get(event_type)
                if model is None:
                    model = _event_class(_class_name(event_type), payload)
                    self._models[event_type] = model
        return model

    def __contains__(self, event_type: object) -> bool:
        return event_type in self._payloads

    def __iter__(self) -> Iterator[str]:
        return iter(self._payloads)

    def __len__(self) -> int:
        return len(self._payloads)


#: event_type -> the Event subclass that parses it (the discriminator table).
EVENT_MODELS: Mapping[str, type[Event]] = _EventModels(_PAYLOADS)


class EventParseError(ValueError):
    """The body is not a Telnyx v2 event; ``reason`` says why in words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(root)"
    return f"{where}: {first['msg']}"


def parse_envelope(body: bytes | str | dict[str, Any]) -> Envelope:
    """Parse a webhook body (raw bytes, text or decoded JSON) into a typed :class:`Envelope`.

    Raises :class:`EventParseError` only when the body is not a v2 event at all (not JSON, no
    ``data``/``event_type``/``id``, or common fields of the wrong type). A known event whose
    payload does not fit its typed model (a field changed type upstream) is kept as a
    :class:`GenericEvent` with ``parse_warning`` set: Telnyx does not retry a 4xx, so
    rejecting it would lose a genuine, signed event.
    """
    if isinstance(body, bytes | str):
        try:
            document = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise EventParseError(f"body is not JSON: {exc}") from None
        except RecursionError:
            # json.loads recurses per nesting level; "[[[[..." of 1 MiB overflows the stack.
            raise EventParseError("body is not JSON: nested too deeply") from None
    else:
        document = body
    if not isinstance(document, dict):
        raise EventParseError("body is not a JSON object")
    data = document.get("data")
    if not isinstance(data, dict):
        raise EventParseError("no 'data' object: not a Telnyx v2 event")
    event_type = data.get("event_type")
    if not isinstance(event_type, str) or not event_type:
        raise EventParseError("data.event_type is missing")
    if not isinstance(data.get("id"), str) or not data["id"]:
        raise EventParseError("data.id is missing")
    warning = None
    meta_doc = document.get("meta")
    try:
        meta = EventMeta.model_validate(meta_doc) if meta_doc is not None else None
    except ValidationError as exc:
        # meta is delivery bookkeeping outside the spec; an odd one must not cost the event.
        meta = None
        warning = f"meta ignored ({_first_error(exc)})"
    model = EVENT_MODELS.get(event_type, GenericEvent)
    try:
        event = model.model_validate(data)
    except ValidationError as exc:
        if model is GenericEvent:
            raise EventParseError(f"invalid {event_type} event at {_first_error(exc)}") from None
        warning = f"{event_type} does not fit its model ({_first_error(exc)}); kept as generic"
        if meta is None and meta_doc is not None:
            warning = f"{warning}; meta ignored"
        try:
            event = GenericEvent.model_validate(data)
        except ValidationError as exc2:
            raise EventParseError(f"invalid {event_type} event at {_first_error(exc2)}") from None
    return Envelope(data=event, meta=meta, parse_warning=warning)
