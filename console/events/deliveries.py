"""What the webhook receiver reports, without the receiver: why a delivery was refused, the
facts that travel with an accepted event, the counters, and the journal seam it writes through.

Kept apart from ``receiver`` (aiohttp) so the window's process, which only reads these from
the ingest child, starts without loading the HTTP server.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from .models import Envelope
from .signature import SignatureError

DEFAULT_PATH = "/webhooks/telnyx"
HEALTH_PATH = "/healthz"


class Reason:
    """Why a delivery was rejected: the keys of ``ReceiverStats.rejected``."""

    MISSING_HEADER = SignatureError.MISSING_HEADER
    MALFORMED_HEADER = SignatureError.MALFORMED_HEADER
    BAD_SIGNATURE = SignatureError.BAD_SIGNATURE
    STALE_TIMESTAMP = SignatureError.STALE_TIMESTAMP
    MALFORMED_KEY = SignatureError.MALFORMED_KEY
    NO_PUBLIC_KEY = "no public key configured"
    BODY_TOO_LARGE = "body too large"
    BODY_TIMEOUT = "body not received in time"
    BODY_UNREADABLE = "body could not be read"
    NOT_UTF8 = "body is not UTF-8"
    NOT_JSON = "body is not JSON"
    NOT_AN_EVENT = "not a Telnyx event"
    JOURNAL_FAILED = "journal write failed"
    MALFORMED_HTTP = "malformed HTTP request"
    NOT_FOUND = "unknown path"
    METHOD_NOT_ALLOWED = "method not allowed"
    INTERNAL_ERROR = "internal error"


class EventJournal(Protocol):
    """Where the receiver makes an event durable before answering.

    ``commit`` returns once the event is on disk: its journal sequence, or None when its event
    id was already stored (a redelivery). Raising answers 503, so Telnyx retries.
    :class:`console.ingest.group_commit.GroupCommitJournal` shares one commit between
    concurrent deliveries; :class:`console.events.journal.Journal` writes inline.
    """

    async def commit(self, envelope: Envelope, raw: str, received_at: float) -> int | None: ...


@dataclass(frozen=True)
class ReceivedEvent:
    """Delivery facts that travel with an accepted event to ``on_event``."""

    received_at: float  # local Unix time
    attempt: int  # meta.attempt (1 = first try)
    raw: str  # the body exactly as received
    seq: int | None = None  # the journal's sequence for this event
    duplicate: bool = False  # always False in on_event: duplicates are not dispatched
    remote: str | None = None
    verified: bool = True  # False when verification is switched off
    signed_at: int | None = None  # telnyx-timestamp, when verified
    delivery_delay: float | None = None  # received_at - occurred_at, seconds


@dataclass(frozen=True)
class Rejection:
    """A delivery that got no 2xx (or a request that was not a delivery)."""

    time: float
    remote: str | None
    reason: str  # one of Reason
    detail: str
    status: int
    body_excerpt: str = ""  # first 2 KB of what was read, undecodable bytes replaced
    method: str = "POST"
    path: str = ""


@dataclass
class ReceiverStats:
    """Counters for the status bar and ``/healthz``."""

    accepted: int = 0
    duplicates: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    retries_seen: int = 0  # deliveries with meta.attempt > 1 (accepted or duplicate)
    dispatch_errors: int = 0  # on_event raised
    parse_warnings: int = 0  # known events kept as GenericEvent
    last_event_at: float | None = None  # local time of the last accepted event
    last_delivery_delay: float | None = None  # seconds from occurred_at to receipt
    last_rejection_at: float | None = None
    started_at: float | None = None

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rejected_total"] = self.rejected_total
        return data
