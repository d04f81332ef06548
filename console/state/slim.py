"""What the store keeps of a webhook payload: only the fields the folds read.

A parsed payload carries SIP headers, call-quality stats, codecs, tags... (~4.7 KB per event
once parsed), none of which the state shows. Timelines keep every event of a leg until it is
pruned, so they hold a :class:`SlimPayload` instead of the parsed payload.

A fold that reads a new payload field needs it added here.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from console.events.models import (
    CallRecordingSavedPayload,
    ConferenceRecordingSavedPayload,
    Payload,
    decode_client_state,
)
from console.state.entities import Recording
from console.state.recordings import recording_from


class SlimPayload(NamedTuple):
    """The fields of a webhook payload that ``legs.py`` and ``conferences.py`` read, under the
    payload's own names; None where the event type's model does not have the field.

    A tuple rather than a dataclass: it is built for every webhook, and a tuple is built fastest.
    """

    # Every webhook: the ids and parties each leg fold step takes (``LegFold._take_common``).
    call_control_id: str | None
    call_leg_id: str | None
    call_session_id: str | None
    connection_id: str | None
    from_: str | None
    to: str | None
    client_state: str | None  # base64, as sent
    # conference.*
    conference_id: str | None
    reason: str | None  # conference.ended
    # call.initiated / call.answered / call.hangup
    direction: str | None
    caller_id_name: str | None
    start_time: datetime | None
    # call.hangup
    hangup_cause: str | None
    hangup_source: str | None
    sip_hangup_cause: str | None
    # call.enqueued / call.dequeued
    queue: str | None
    current_position: int | None
    # *.recording.saved, without the call_control_id / conference_id that the fold fills in
    recording: Recording | None

    @property
    def client_state_text(self) -> str | None:
        return decode_client_state(self.client_state)


#: Every field but ``recording`` is the payload field of the same name.
_COPIED = SlimPayload._fields[:-1]
#: The first fields, which every webhook of a leg repeats (see ``like`` below).
_REPEATED = SlimPayload._fields.index("client_state") + 1


def slim(payload: Payload, like: SlimPayload | None = None) -> SlimPayload:
    """Keep what the folds read of ``payload``; drop the rest.

    ``like``: an earlier webhook of the same leg. Each webhook parses into its own copies of
    the leg's ids, numbers and client_state (~0.5 KB); where they are equal, the result keeps
    the earlier one's strings instead, so a leg holds one copy of each.
    """
    # pydantic keeps the declared fields in __dict__, and every field a fold reads is declared
    # on the models of the event types it reads it from: a missing key is a field the event
    # type does not have. (getattr(payload, name, None) says the same, ten times slower.)
    values = list(map(payload.__dict__.get, _COPIED))
    if like is not None:
        for i in range(_REPEATED):
            if values[i] == like[i]:
                values[i] = like[i]
    recording = None
    if isinstance(payload, CallRecordingSavedPayload | ConferenceRecordingSavedPayload):
        recording = recording_from(payload)
    return SlimPayload._make((*values, recording))
