"""Recording entries built from call.recording.saved / conference.recording.saved payloads."""

from __future__ import annotations

from console.events.models import (
    CallRecordingSavedPayload,
    ConferenceRecordingSavedPayload,
    Payload,
)
from console.state.entities import Recording
from console.state.timeline import aware


def recording_from(
    payload: Payload, *, call_control_id: str | None = None, conference_id: str | None = None
) -> Recording:
    """A Recording from a *.recording.saved payload (read defensively: see API-NOTES §4.3)."""
    assert isinstance(payload, CallRecordingSavedPayload | ConferenceRecordingSavedPayload)
    # recording_urls expire after 10 minutes; public_recording_urls (when enabled) do not.
    urls = payload.recording_urls
    public = payload.public_recording_urls
    started = payload.recording_started_at
    ended = payload.recording_ended_at
    return Recording(
        recording_id=payload.recording_id,
        mp3_url=(urls and urls.mp3) or (public and public.mp3) or None,
        wav_url=(urls and urls.wav) or (public and public.wav) or None,
        started_at=aware(started) if started else None,
        ended_at=aware(ended) if ended else None,
        channels=payload.channels,
        call_control_id=call_control_id,
        conference_id=conference_id,
    )
