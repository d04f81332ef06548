"""Typed models of Telnyx v2 webhooks: the envelope and the payload of every call/conference event.

Field names follow ``spec3.yml`` (components ``Call*``/``Conference*`` event schemas). Every
payload field is optional, as in the spec, and unknown fields are kept (``extra="allow"``) so a
field Telnyx adds later never rejects an event. Enumerated values (hangup causes, states...) are
plain strings for the same reason: a new cause must not turn a webhook into a 400.

An event whose ``event_type`` is not modelled here parses as :class:`GenericEvent`; it is never
rejected. ``parse_envelope`` dispatches on ``data.event_type`` through :data:`EVENT_MODELS`.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)


def decode_client_state(value: str | None) -> str | None:
    """``client_state`` is base64 on the wire; return its text for display (or None)."""
    if not value:
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.hex()


class RecordingUrls(_Model):
    mp3: str | None = None
    wav: str | None = None


class Payload(_Model):
    """Fields shared by call and conference events (all optional)."""

    call_control_id: str | None = None
    call_leg_id: str | None = None
    call_session_id: str | None = None
    client_state: str | None = None
    connection_id: str | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    # Conference events carry occurred_at inside the payload instead of in ``data``.
    occurred_at: datetime | None = None

    @property
    def client_state_text(self) -> str | None:
        return decode_client_state(self.client_state)


# --- call.* payloads -----------------------------------------------------------------------


class CallInitiatedPayload(Payload):
    direction: str | None = None  # incoming | outgoing
    state: str | None = None  # parked | bridging
    caller_id_name: str | None = None
    start_time: datetime | None = None
    call_screening_result: str | None = None
    connection_codecs: str | None = None
    offered_codecs: str | None = None
    shaken_stir_attestation: str | None = None
    shaken_stir_validated: bool | None = None
    custom_headers: list[dict[str, Any]] | None = None
    sip_headers: list[dict[str, Any]] | None = None
    tags: list[str] | None = None


class CallAnsweredPayload(Payload):
    state: str | None = None
    start_time: datetime | None = None
    custom_headers: list[dict[str, Any]] | None = None
    sip_headers: list[dict[str, Any]] | None = None
    tags: list[str] | None = None


class CallQualityStats(_Model):
    inbound: dict[str, Any] | None = None
    outbound: dict[str, Any] | None = None


class CallHangupPayload(Payload):
    state: str | None = None
    hangup_cause: str | None = None
    hangup_source: str | None = None  # caller | callee | unknown
    sip_hangup_cause: str | None = None
    start_time: datetime | None = None
    call_quality_stats: CallQualityStats | None = None
    custom_headers: list[dict[str, Any]] | None = None
    sip_headers: list[dict[str, Any]] | None = None
    tags: list[str] | None = None


class CallRecordingSavedPayload(Payload):
    channels: str | None = None
    recording_started_at: datetime | None = None
    recording_ended_at: datetime | None = None
    recording_urls: RecordingUrls | None = None
    public_recording_urls: RecordingUrls | None = None
    # Not in the spec schema, but present in payloads Telnyx delivers (API-NOTES §4.3).
    recording_id: str | None = None
    format: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None


class CallRecordingErrorPayload(Payload):
    reason: str | None = None


class CallRecordingTranscriptionSavedPayload(Payload):
    calling_party_type: str | None = None
    recording_id: str | None = None
    recording_transcription_id: str | None = None
    status: str | None = None
    transcription_text: str | None = None


class CallPlaybackPayload(Payload):
    media_name: str | None = None
    media_url: str | None = None
    overlay: bool | None = None
    status: str | None = None
    status_detail: str | None = None


class CallSpeakPayload(Payload):
    status: str | None = None


class CallGatherEndedPayload(Payload):
    digits: str | None = None
    status: str | None = None


class CallDtmfReceivedPayload(Payload):
    digit: str | None = None


class CallMachineResultPayload(Payload):
    result: str | None = None


class CallEnqueuedPayload(Payload):
    queue: str | None = None
    current_position: int | None = None
    queue_avg_wait_time_secs: int | None = None


class CallDequeuedPayload(Payload):
    queue: str | None = None
    queue_position: int | None = None
    reason: str | None = None  # bridged | bridging-in-process | hangup | leave | timeout
    wait_time_secs: int | None = None


class StreamingPayload(Payload):
    stream_url: str | None = None
    stream_id: str | None = None
    failure_reason: str | None = None
    stream_params: dict[str, Any] | None = None
    stream_type: str | None = None


class CallForkPayload(Payload):
    stream_type: str | None = None


class CallReferPayload(Payload):
    sip_notify_response: int | None = None


class CallCostPart(_Model):
    billed_duration_secs: int | None = None
    call_part: str | None = None  # e.g. call-control, pstn-outbound
    cost: str | None = None  # decimal as text, as Telnyx sends money
    currency: str | None = None
    rate: str | None = None


class CallCostPayload(Payload):
    billed_duration_secs: int | None = None
    billing_group_id: str | None = None
    cost_parts: list[CallCostPart] | None = None
    status: str | None = None  # success | error
    total_cost: str | None = None


class AIGatherMessage(_Model):
    role: str | None = None  # assistant | user
    content: str | None = None


class CallAIGatherPayload(Payload):
    """``call.ai_gather.message_history_updated`` (and the base of the other AI gather events)."""

    message_history: list[AIGatherMessage] | None = None


class CallAIGatherPartialResultsPayload(CallAIGatherPayload):
    partial_results: dict[str, Any] | None = None


class CallAIGatherEndedPayload(CallAIGatherPayload):
    result: dict[str, Any] | None = None  # shaped by the gather command's JSON schema
    status: str | None = None  # valid | invalid


class CallConversationEndedPayload(Payload):
    assistant_id: str | None = None
    calling_party_type: str | None = None  # pstn | sip
    conversation_id: str | None = None
    duration_sec: int | None = None
    llm_model: str | None = None
    reason: str | None = None
    stt_model: str | None = None
    tts_model_id: str | None = None
    tts_provider: str | None = None
    tts_voice_id: str | None = None


class ConversationInsightResult(_Model):
    insight_id: str | None = None
    # Free text, or an object when the insight was defined with a JSON schema.
    result: str | dict[str, Any] | None = None


class CallConversationInsightsGeneratedPayload(Payload):
    calling_party_type: str | None = None  # pstn | sip
    insight_group_id: str | None = None
    results: list[ConversationInsightResult] | None = None


class CallDeepfakeDetectionResultPayload(Payload):
    result: str | None = None  # real | fake | silence_timeout
    score: float | None = None
    consistency: float | None = None


class CallDeepfakeDetectionErrorPayload(Payload):
    # detection_timeout | rtp_timeout | dfd_connection_error | dfd_stream_error
    error_message: str | None = None


class TranscriptionData(_Model):
    confidence: float | None = None
    is_final: bool | None = None
    transcript: str | None = None
    transcription_track: str | None = None  # inbound | outbound


class CallTranscriptionPayload(Payload):
    transcription_data: TranscriptionData | None = None


class SiprecStoppedPayload(Payload):
    hangup_cause: str | None = None


class SiprecFailedPayload(Payload):
    failure_cause: str | None = None


# --- conference.* payloads -----------------------------------------------------------------


class ConferencePayload(Payload):
    conference_id: str | None = None
    creator_call_session_id: str | None = None
    media_name: str | None = None
    media_url: str | None = None


class ConferenceEndedPayload(ConferencePayload):
    reason: str | None = None  # all_left | host_left | time_exceeded


class ConferenceRecordingSavedPayload(ConferencePayload):
    channels: str | None = None
    format: str | None = None
    recording_id: str | None = None
    recording_started_at: datetime | None = None
    recording_ended_at: datetime | None = None
    recording_urls: RecordingUrls | None = None
    public_recording_urls: RecordingUrls | None = None


# --- envelope ------------------------------------------------------------------------------


class EventMeta(_Model):
    attempt: int = 1
    delivered_to: str | None = None


class Event(_Model):
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


class Envelope(_Model):
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


#: event_type -> the Event subclass that parses it (the discriminator table).
EVENT_MODELS: dict[str, type[Event]] = {
    event_type: _event_class(_class_name(event_type), payload)
    for event_type, payload in _PAYLOADS.items()
}


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
