"""Typed payloads of the call.*, streaming.* and siprec.* webhooks (one class an event family).

Field names follow ``spec3.yml``'s ``Call*`` event schemas; every field is optional and
enumerated values are plain strings, as the note in ``models.py`` explains. They are apart from
the envelope and parser in ``models.py`` because they are the bulk of the spec's surface and
change only when Telnyx adds a field. Every name is importable from :mod:`console.events.models`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from console.events.payloads import Payload, RecordingUrls, WireModel


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


class CallQualityStats(WireModel):
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


class CallCostPart(WireModel):
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


class AIGatherMessage(WireModel):
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


class ConversationInsightResult(WireModel):
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


class TranscriptionData(WireModel):
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
