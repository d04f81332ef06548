"""The JetStream stream the relay publishes to, and how one journal record travels in it.

One stream (``TELNYX_EVENTS`` by default) holds the subjects ``<prefix>.<relay name>``: each
relay publishes on its own subject, so the last message *of that subject* tells a relay how far
it got (header ``Telnyx-Relay-Seq``), even when a second (failover) relay publishes into the same
stream. Consoles read the whole stream (``<prefix>.>``); the stream sequence is their cursor.

A message is the event body exactly as Telnyx sent it, with headers:

* ``Nats-Msg-Id``: the Telnyx event id, so the server drops a republished copy within the
  stream's duplicate window (a publish that timed out but was stored, or two relays that both
  received one event);
* ``Telnyx-Relay-Seq``: the relay journal's sequence of the event;
* ``Telnyx-Received-At``: when the relay received it (Unix time), kept in the console's record.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from nats.js import JetStreamContext, api
from nats.js.errors import NotFoundError

from console.events.journal import JournalRecord, journal_row
from console.events.models import parse_envelope

MSG_ID_HEADER = "Nats-Msg-Id"
RELAY_SEQ_HEADER = "Telnyx-Relay-Seq"
RECEIVED_AT_HEADER = "Telnyx-Received-At"

DEFAULT_STREAM = "TELNYX_EVENTS"
DEFAULT_SUBJECT_PREFIX = "telnyx.events"

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_PREFIX = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")


@dataclass(frozen=True)
class StreamSettings:
    """Where events go and how long the broker keeps them.

    ``max_age_secs`` bounds how long a console may be offline and still catch up from the
    stream; past it the console's cursor falls behind the stream's first sequence and it runs a
    REST resync instead. ``max_msgs`` (None: no limit) is mostly for tests of that case.
    """

    name: str = DEFAULT_STREAM
    subject_prefix: str = DEFAULT_SUBJECT_PREFIX
    max_age_secs: float = 3 * 86400
    duplicate_window_secs: float = 120.0
    max_msgs: int | None = None
    replicas: int = 1

    def __post_init__(self) -> None:
        if not _TOKEN.match(self.name):
            raise ValueError(f"stream name {self.name!r}: letters, digits, '-' and '_' only")
        if not _PREFIX.match(self.subject_prefix):
            raise ValueError(f"subject prefix {self.subject_prefix!r}: dot-separated words only")
        if self.duplicate_window_secs > self.max_age_secs:
            raise ValueError("the duplicate window cannot be longer than the stream's max age")

    @property
    def all_subjects(self) -> str:
        return f"{self.subject_prefix}.>"

    def relay_subject(self, relay_name: str) -> str:
        return f"{self.subject_prefix}.{check_relay_name(relay_name)}"

    def config(self) -> api.StreamConfig:
        return api.StreamConfig(
            name=self.name,
            subjects=[self.all_subjects],
            storage=api.StorageType.FILE,
            retention=api.RetentionPolicy.LIMITS,
            max_age=self.max_age_secs,
            max_msgs=self.max_msgs if self.max_msgs is not None else -1,
            duplicate_window=self.duplicate_window_secs,
            num_replicas=self.replicas,
        )


def check_relay_name(name: str) -> str:
    if not _TOKEN.match(name):
        raise ValueError(f"relay name {name!r}: 1-64 letters, digits, '-' or '_'")
    return name


async def ensure_stream(js: JetStreamContext, settings: StreamSettings) -> api.StreamInfo:
    """The stream's info, creating the stream first if the broker does not have it."""
    try:
        return await js.stream_info(settings.name)
    except NotFoundError:
        return await js.add_stream(settings.config())


def message_headers(record: JournalRecord, relay_name: str) -> dict[str, str]:
    return {
        MSG_ID_HEADER: record.event_id,
        RELAY_SEQ_HEADER: str(record.seq),
        RECEIVED_AT_HEADER: repr(record.received_at),
    }


def relay_seq_of(headers: Mapping[str, str] | None) -> int:
    """The relay journal sequence a message carries (0 if it has none)."""
    try:
        return int((headers or {}).get(RELAY_SEQ_HEADER, "0"))
    except ValueError:
        return 0


def record_from_message(
    stream_seq: int, data: bytes, headers: Mapping[str, str] | None
) -> JournalRecord:
    """The console's record of one stream message: ``seq`` is the *stream* sequence.

    Raises :class:`~console.events.models.EventParseError` for a body that is not an event
    (nothing the relay publishes; a stranger publishing on the subject could).
    """
    raw = data.decode("utf-8")
    try:
        received_at = float((headers or {}).get(RECEIVED_AT_HEADER, "0"))
    except ValueError:
        received_at = 0.0
    row = journal_row(parse_envelope(raw), raw, received_at)
    return JournalRecord(stream_seq, *row)  # type: ignore[arg-type]
