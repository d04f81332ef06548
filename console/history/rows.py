"""A history row in SQLite and back: the ``call_history`` columns, the upsert and select
statements, and the conversion between a :class:`CallHistoryEntry` and its row.

Times are stored as Unix seconds and lists as JSON; a row read back that holds something
unexpected (a value of the wrong type, broken JSON) becomes an empty field, never an error.
Separate from the table (``table``), which decides when rows are written and which are read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from console.history.entry import CallHistoryEntry

COLUMNS = (
    "call_key",
    "call_control_id",
    "call_leg_id",
    "call_session_id",
    "direction",
    "from_number",
    "to_number",
    "caller_name",
    "started_at",
    "answered_at",
    "ended_at",
    "hangup_cause",
    "hangup_source",
    "sip_hangup_cause",
    "recording_urls",
    "recording_count",
    "conference_ids",
    "queue_names",
    "first_seen_at",
    "last_seen_at",
    "journal_seq",
)
SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM call_history"
UPSERT = (
    "INSERT INTO call_history ("
    + ", ".join(COLUMNS)
    + ") VALUES ("
    + ", ".join("?" for _ in COLUMNS)
    + ") ON CONFLICT(call_key) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
)


def _unix(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _time(value: object) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int | float) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _strings(value: object) -> tuple[str, ...]:
    try:
        items = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return ()
    return tuple(v for v in items if isinstance(v, str)) if isinstance(items, list) else ()


def row_values(key: str, entry: CallHistoryEntry, seq: int | None) -> tuple[object, ...]:
    """The row for ``entry`` under ``key`` (see ``table.call_key``), folded through ``seq``."""
    return (
        key,
        entry.call_control_id,
        entry.call_leg_id,
        entry.call_session_id,
        entry.direction,
        entry.from_number,
        entry.to_number,
        entry.caller_name,
        _unix(entry.started_at or entry.first_seen_at),
        _unix(entry.answered_at),
        _unix(entry.ended_at),
        entry.hangup_cause,
        entry.hangup_source,
        entry.sip_hangup_cause,
        json.dumps(list(entry.recording_urls)),
        entry.recording_count,
        json.dumps(list(entry.conference_ids)),
        json.dumps(list(entry.queue_names)),
        _unix(entry.first_seen_at),
        _unix(entry.last_seen_at),
        seq,
    )


def entry_from_row(row: Sequence[object]) -> CallHistoryEntry:
    """The entry a ``call_history`` row (its values in ``COLUMNS`` order) holds."""
    r = dict(zip(COLUMNS, row, strict=True))
    count = r["recording_count"]
    return CallHistoryEntry(
        call_control_id=_text(r["call_control_id"]),
        call_leg_id=_text(r["call_leg_id"]),
        call_session_id=_text(r["call_session_id"]),
        direction=_text(r["direction"]),
        from_number=_text(r["from_number"]),
        to_number=_text(r["to_number"]),
        caller_name=_text(r["caller_name"]),
        started_at=_time(r["started_at"]),
        answered_at=_time(r["answered_at"]),
        ended_at=_time(r["ended_at"]),
        hangup_cause=_text(r["hangup_cause"]),
        hangup_source=_text(r["hangup_source"]),
        sip_hangup_cause=_text(r["sip_hangup_cause"]),
        recording_urls=_strings(r["recording_urls"]),
        recording_count=count if isinstance(count, int) else 0,
        conference_ids=_strings(r["conference_ids"]),
        queue_names=_strings(r["queue_names"]),
        first_seen_at=_time(r["first_seen_at"]),
        last_seen_at=_time(r["last_seen_at"]),
    )
