"""What the console reads back from Telnyx: tolerant models of the ``data`` objects.

Field names follow spec3.yml. Only identifiers are required; everything else is optional and
unknown fields are kept (``extra="allow"``), so a field Telnyx adds later neither breaks parsing
nor gets lost. Timestamps stay ISO 8601 strings as sent.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class ResponseModel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


def decode_client_state(value: str | None) -> str | None:
    """The plain text behind a base64 ``client_state`` (None if absent or not our encoding)."""
    if not value:
        return None
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def encode_client_state(text: str) -> str:
    """Base64 of the UTF-8 text, as Telnyx requires for ``client_state``."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


class _ClientStateMixin(BaseModel):
    client_state: str | None = None

    @property
    def client_state_text(self) -> str | None:
        """``client_state`` decoded back to the text given to the command that set it."""
        return decode_client_state(self.client_state)


class CommandResult(ResponseModel):
    """Answer to a call or conference command: ``result`` is ``"ok"`` on success.

    ``command_id`` is the id the client sent (None for commands whose schema has none).
    """

    result: str | None = None
    recording_id: str | None = None  # answer with record="record-from-answer"
    command_id: str | None = None


class Call(_ClientStateMixin, ResponseModel):
    """``GET /calls/{call_control_id}`` (``Call``)."""

    call_control_id: str
    call_leg_id: str | None = None
    call_session_id: str | None = None
    is_alive: bool | None = None
    record_type: str | None = None
    call_duration: int | None = None
    start_time: str | None = None
    end_time: str | None = None


class DialResult(Call):
    """``POST /calls`` (``CallWithRecordingId``); ``is_alive`` is always false here."""

    recording_id: str | None = None
    command_id: str | None = None


class ActiveCall(_ClientStateMixin, ResponseModel):
    """One entry of ``GET /connections/{connection_id}/active_calls`` (no from/to there)."""

    call_control_id: str
    call_leg_id: str | None = None
    call_session_id: str | None = None
    call_duration: int | None = None
    record_type: str | None = None


class ConferenceEndedBy(ResponseModel):
    call_control_id: str | None = None
    call_session_id: str | None = None


class Conference(ResponseModel):
    """``Conference``: status is ``init``, ``in_progress`` or ``completed``."""

    id: str
    name: str | None = None
    status: str | None = None
    region: str | None = None
    connection_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    expires_at: str | None = None
    end_reason: str | None = None
    ended_by: ConferenceEndedBy | None = None
    record_type: str | None = None
    command_id: str | None = None  # set by create: the id the client sent


class ParticipantConference(ResponseModel):
    id: str | None = None
    name: str | None = None


class Participant(ResponseModel):
    """A conference participant (list: ``Participant``; retrieve/update: ``ConferenceParticipant``).

    The list nests ``conference: {id, name}`` where retrieve has ``conference_id``;
    :attr:`conference_ref` gives the id either way.
    """

    id: str | None = None
    call_control_id: str | None = None
    call_leg_id: str | None = None
    conference: ParticipantConference | None = None
    conference_id: str | None = None
    label: str | None = None
    status: str | None = None  # joining | joined | left
    muted: bool | None = None
    on_hold: bool | None = None
    end_conference_on_exit: bool | None = None
    soft_end_conference_on_exit: bool | None = None
    whisper_call_control_ids: list[str] | None = None
    created_at: str | None = None
    updated_at: str | None = None
    record_type: str | None = None

    @property
    def conference_ref(self) -> str | None:
        if self.conference_id:
            return self.conference_id
        return self.conference.id if self.conference else None


class Queue(ResponseModel):
    """``Queue``."""

    id: str | None = None
    name: str
    current_size: int | None = None
    max_size: int | None = None
    average_wait_time_secs: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    record_type: str | None = None


class QueueCall(ResponseModel):
    """``QueueCall``: a call waiting in a queue."""

    call_control_id: str
    call_leg_id: str | None = None
    call_session_id: str | None = None
    connection_id: str | None = None
    from_: str | None = Field(None, alias="from")
    to: str | None = None
    queue_id: str | None = None
    queue_position: int | None = None
    wait_time_secs: int | None = None
    enqueued_at: str | None = None
    is_alive: bool | None = None
    record_type: str | None = None


class ApplicationInbound(ResponseModel):
    channel_limit: int | None = None
    shaken_stir_enabled: bool | None = None
    sip_subdomain: str | None = None
    sip_subdomain_receive_settings: str | None = None


class ApplicationOutbound(ResponseModel):
    channel_limit: int | None = None
    outbound_voice_profile_id: str | None = None


class CallControlApplication(ResponseModel):
    """``CallControlApplication``."""

    id: str
    application_name: str | None = None
    active: bool | None = None
    webhook_event_url: str | None = None
    webhook_event_failover_url: str | None = None
    webhook_api_version: str | None = None
    webhook_timeout_secs: int | None = None
    anchorsite_override: str | None = None
    dtmf_type: str | None = None
    first_command_timeout: bool | None = None
    first_command_timeout_secs: int | None = None
    call_cost_in_webhooks: bool | None = None
    redact_dtmf_debug_logging: bool | None = None
    inbound: ApplicationInbound | None = None
    outbound: ApplicationOutbound | None = None
    tags: list[str] | None = None
    created_at: str | None = None
    updated_at: str | None = None
    record_type: str | None = None


class RecordingDownloadUrls(ResponseModel):
    mp3: str | None = None
    wav: str | None = None


class Recording(ResponseModel):
    """``RecordingResponseData``; ``download_urls`` are short-lived links from Telnyx."""

    id: str
    call_control_id: str | None = None
    call_leg_id: str | None = None
    call_session_id: str | None = None
    conference_id: str | None = None
    connection_id: str | None = None
    channels: str | None = None
    source: str | None = None  # call | conference
    status: str | None = None
    duration_millis: int | None = None
    from_: str | None = Field(None, alias="from")
    to: str | None = None
    initiated_by: str | None = None
    download_urls: RecordingDownloadUrls | None = None
    recording_started_at: str | None = None
    recording_ended_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    record_type: str | None = None


ModelT = TypeVar("ModelT", bound=BaseModel)


def parse_data(model: type[ModelT], body: Any, **extra: Any) -> ModelT:
    """Validate ``body["data"]`` (the spec's envelope) into ``model``."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        data = {}
    return model.model_validate({**data, **extra})
