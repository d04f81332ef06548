"""An event as the journal stores it: the row written for an envelope, and the record read back.

:func:`journal_row` turns an accepted envelope into the values of one ``events`` row (the
group commit builds these on the event loop, so the writer thread only inserts);
:class:`JournalRecord` is a row read back, with its envelope parsed on demand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .journal_schema import JournalError
from .models import Envelope, parse_envelope

_SQLITE_INT_MAX = 2**63 - 1


@dataclass(frozen=True)
class JournalRecord:
    """One journalled event (a row of the ``events`` table)."""

    seq: int
    event_id: str
    event_type: str
    occurred_at: str | None
    received_at: float
    attempt: int
    call_control_id: str | None
    call_leg_id: str | None
    call_session_id: str | None
    conference_id: str | None
    from_number: str | None
    to_number: str | None
    raw: str
    # The envelope parsed once, off the GUI thread, by whoever read the row (the journal tail).
    parsed: Envelope | None = field(default=None, compare=False, repr=False)

    def envelope(self) -> Envelope:
        return self.parsed if self.parsed is not None else parse_envelope(self.raw)


def storable_text(value: object) -> str | None:
    """A column value SQLite can store: lone surrogates (legal in JSON escapes) are replaced."""
    if value is None:
        return None
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.isoformat()


#: The columns of one ``events`` row but its seq, in ``INSERT_EVENT`` order.
JournalRow = tuple[
    str | None, str | None, str | None, float, int, str | None, str | None, str | None,
    str | None, str | None, str | None, str | None,
]  # fmt: skip


def journal_row(envelope: Envelope, raw: str | bytes, received_at: float) -> JournalRow:
    """The row that stores ``envelope`` (received as ``raw`` at ``received_at``).

    Raises :class:`JournalError` for values SQLite cannot hold.
    """
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    event = envelope.data
    payload = event.payload
    extra = payload.model_extra or {}
    attempt = min(max(int(envelope.attempt), 0), _SQLITE_INT_MAX)
    if not math.isfinite(received_at):
        raise JournalError(f"received_at is not a finite time: {received_at!r}")
    return (
        storable_text(event.id),
        storable_text(event.event_type),
        _iso(event.effective_occurred_at),
        float(received_at),
        attempt,
        storable_text(payload.call_control_id),
        storable_text(payload.call_leg_id),
        storable_text(payload.call_session_id),
        storable_text(getattr(payload, "conference_id", None) or extra.get("conference_id")),
        storable_text(payload.from_),
        storable_text(payload.to),
        storable_text(raw),
    )
