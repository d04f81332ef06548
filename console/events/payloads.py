"""The base of every webhook payload model, and the conference.* payloads.

``WireModel`` fixes how every Telnyx webhook model reads (unknown fields kept, frozen, aliases
accepted); ``Payload`` holds the fields call and conference events share. They live apart from
the envelope and the dispatch table in ``models.py`` so that the call payloads
(``call_payloads.py``) and the conference payloads here can build on them without importing the
parser. Every name is importable from :mod:`console.events.models` too.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class WireModel(BaseModel):
    """What every webhook model shares: unknown fields kept, immutable, names or aliases."""

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


class RecordingUrls(WireModel):
    mp3: str | None = None
    wav: str | None = None


class Payload(WireModel):
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


def payload_field(payload: Payload, name: str) -> Any:
    """``payload.<name>`` if its model or the webhook has that field, else None.

    ``getattr(model, name, None)`` on a pydantic model that lacks the field raises and catches
    an AttributeError inside pydantic: asked a few times per webhook (the store, the event log)
    that was their largest single cost with thousands of live calls.
    """
    value = payload.__dict__.get(name)
    if value is None and payload.__pydantic_extra__:
        value = payload.__pydantic_extra__.get(name)
    return value


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
