"""Call history from the event journal: one row per call leg, search, and CSV export."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from console.events.journal import Journal, JournalRecord
from console.events.models import EventParseError
from console.state.timeline import DEFAULT_RANK, RANK, aware

#: Entries a search returns by default; the panel shows the newest this many calls.
DEFAULT_LIMIT = 500
#: Journal rows one search reads at most (before completing the legs it found).
MAX_RECORDS = 5000
#: Journal rows read to complete one call session (transcriptions can make sessions long).
MAX_RECORDS_PER_SESSION = 1000

CSV_COLUMNS = (
    "call_control_id",
    "call_leg_id",
    "call_session_id",
    "direction",
    "from",
    "to",
    "caller_name",
    "started_at",
    "answered_at",
    "ended_at",
    "duration_secs",
    "hangup_cause",
    "hangup_source",
    "sip_hangup_cause",
    "recording_urls",
    "conference_ids",
    "queue_names",
)

# Spreadsheets run a cell starting with these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"^[+\d\s().\-/]+$")


@dataclass(frozen=True)
class CallHistoryEntry:
    """What the journal says about one call leg, from first event to hangup."""

    call_control_id: str | None
    call_leg_id: str | None = None
    call_session_id: str | None = None
    direction: str | None = None  # "incoming" | "outgoing"
    from_number: str | None = None
    to_number: str | None = None
    caller_name: str | None = None
    started_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    hangup_cause: str | None = None
    hangup_source: str | None = None
    sip_hangup_cause: str | None = None
    recording_urls: tuple[str, ...] = ()  # wav and mp3 of each recording
    recording_count: int = 0
    conference_ids: tuple[str, ...] = ()
    queue_names: tuple[str, ...] = ()
    first_seen_at: datetime | None = None  # oldest event of the leg: the fallback start
    last_seen_at: datetime | None = None

    @property
    def call_id(self) -> str:
        """The id an operator copies: the call control id, else the leg id."""
        return self.call_control_id or self.call_leg_id or ""

    @property
    def ended(self) -> bool:
        return self.ended_at is not None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def when(self) -> datetime | None:
        return self.started_at or self.first_seen_at

    @property
    def duration_secs(self) -> float | None:
        """Talk time (answered to hangup); None if never answered or not ended."""
        if self.answered_at is None or self.ended_at is None:
            return None
        # Telnyx stamps events on different hosts: never a negative duration.
        return max(0.0, (self.ended_at - self.answered_at).total_seconds())


@dataclass
class _Leg:
    key: str
    call_control_id: str | None = None
    call_leg_id: str | None = None
    call_session_id: str | None = None
    direction: str | None = None
    from_number: str | None = None
    to_number: str | None = None
    caller_name: str | None = None
    started_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    hangup_cause: str | None = None
    hangup_source: str | None = None
    sip_hangup_cause: str | None = None
    recording_urls: list[str] = field(default_factory=list)
    recording_count: int = 0
    conference_ids: list[str] = field(default_factory=list)
    queue_names: list[str] = field(default_factory=list)
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    is_call: bool = False  # only legs with a call.* event become rows
    #: The row last written for this leg (the recorder skips rewriting an unchanged one).
    written: CallHistoryEntry | None = field(default=None, compare=False, repr=False)

    def freeze(self) -> CallHistoryEntry:
        return CallHistoryEntry(
            call_control_id=self.call_control_id,
            call_leg_id=self.call_leg_id,
            call_session_id=self.call_session_id,
            direction=self.direction,
            from_number=self.from_number,
            to_number=self.to_number,
            caller_name=self.caller_name,
            started_at=self.started_at,
            answered_at=self.answered_at,
            ended_at=self.ended_at,
            hangup_cause=self.hangup_cause,
            hangup_source=self.hangup_source,
            sip_hangup_cause=self.sip_hangup_cause,
            recording_urls=tuple(self.recording_urls),
            recording_count=self.recording_count,
            conference_ids=tuple(self.conference_ids),
            queue_names=tuple(self.queue_names),
            first_seen_at=self.first_seen_at,
            last_seen_at=self.last_seen_at,
        )


def _add_unique(items: list[str], value: Any) -> None:
    if isinstance(value, str) and value and value not in items:
        items.append(value)


def _record_time(record: JournalRecord, occurred: datetime | None) -> datetime:
    if occurred is not None:
        return aware(occurred)
    # conference.recording.saved has no time at all: when it reached us is the best we know.
    return datetime.fromtimestamp(record.received_at, UTC)


def _get(payload: Any, name: str) -> Any:
    """A payload field, also from an event kept as generic (its fields are then extras)."""
    value = getattr(payload, name, None)
    if value is None:
        value = (payload.model_extra or {}).get(name)
    return value


def _url(urls: Any, kind: str) -> Any:
    return urls.get(kind) if isinstance(urls, dict) else getattr(urls, kind, None)


def _apply(leg: _Leg, kind: str, payload: Any, at: datetime) -> None:
    leg.first_seen_at = at if leg.first_seen_at is None else min(leg.first_seen_at, at)
    leg.last_seen_at = at if leg.last_seen_at is None else max(leg.last_seen_at, at)
    leg.call_control_id = leg.call_control_id or payload.call_control_id
    leg.call_leg_id = leg.call_leg_id or payload.call_leg_id
    leg.call_session_id = leg.call_session_id or payload.call_session_id
    if kind.startswith("call."):
        leg.is_call = True
    if kind == "call.initiated":
        # The first call.initiated (in time order) describes the leg; later ones add nothing.
        leg.direction = leg.direction or _get(payload, "direction")
        leg.from_number = leg.from_number or payload.from_
        leg.to_number = leg.to_number or payload.to
        leg.caller_name = leg.caller_name or _get(payload, "caller_id_name")
        if leg.started_at is None:
            start = _get(payload, "start_time")
            leg.started_at = aware(start) if isinstance(start, datetime) else at
    elif kind == "call.answered":
        leg.answered_at = at if leg.answered_at is None else min(leg.answered_at, at)
    elif kind == "call.hangup":
        if leg.ended_at is None or at < leg.ended_at:
            leg.ended_at = at
            leg.hangup_cause = _get(payload, "hangup_cause")
            leg.hangup_source = _get(payload, "hangup_source")
            leg.sip_hangup_cause = _get(payload, "sip_hangup_cause")
    elif kind == "call.recording.saved":
        leg.recording_count += 1
        for urls in (_get(payload, "recording_urls"), _get(payload, "public_recording_urls")):
            if urls is not None:
                _add_unique(leg.recording_urls, _url(urls, "wav"))
                _add_unique(leg.recording_urls, _url(urls, "mp3"))
    elif kind in ("call.enqueued", "call.dequeued"):
        _add_unique(leg.queue_names, _get(payload, "queue"))
    # Any event may be the only one that names the parties (a leg first seen mid-call).
    if kind.startswith("call.") and kind != "call.initiated":
        leg.from_number = leg.from_number or payload.from_
        leg.to_number = leg.to_number or payload.to
    _add_unique(leg.conference_ids, _get(payload, "conference_id"))


def build_history(records: Iterable[JournalRecord]) -> list[CallHistoryEntry]:
    """Fold journal records into one entry per call leg, oldest call first.

    Duplicates (same event id) count once, and events are applied in the order they happened
    (occurred_at, then lifecycle rank), not the order they arrived, so a late call.answered
    never hides a hangup. Rows that no longer parse are skipped.
    """
    unique: dict[str, JournalRecord] = {}
    for record in records:
        unique.setdefault(record.event_id, record)
    # call.recording.saved names only the leg id (no call_control_id in the spec): map it.
    by_leg_id = {
        r.call_leg_id: r.call_control_id
        for r in unique.values()
        if r.call_leg_id and r.call_control_id
    }
    parsed = []
    for record in unique.values():
        try:
            envelope = record.envelope()
        except EventParseError:
            continue
        at = _record_time(record, envelope.data.effective_occurred_at)
        rank = RANK.get(record.event_type, DEFAULT_RANK)
        parsed.append(((at, rank, record.seq), record, envelope))
    parsed.sort(key=lambda item: item[0])

    legs: dict[str, _Leg] = {}
    for (at, _rank, _seq), record, envelope in parsed:
        ccid = record.call_control_id or by_leg_id.get(record.call_leg_id or "")
        key = ccid or (f"leg:{record.call_leg_id}" if record.call_leg_id else None)
        if key is None:
            continue
        leg = legs.get(key)
        if leg is None:
            leg = legs[key] = _Leg(key=key, call_control_id=ccid)
        _apply(leg, envelope.data.event_type, envelope.data.payload, at)
    entries = [leg.freeze() for leg in legs.values() if leg.is_call]
    never = datetime.max.replace(tzinfo=UTC)
    entries.sort(key=lambda e: (e.when or never, e.call_id))
    return entries


def _unix(value: datetime | float | None) -> float | None:
    if value is None or isinstance(value, int | float):
        return value
    return aware(value).timestamp()


def _matching_records(
    journal: Journal,
    text: str,
    since: float | None,
    until: float | None,
    limit: int,
) -> list[JournalRecord]:
    bounds: dict[str, Any] = {"since": since, "until": until, "limit": limit}
    if not text:
        return journal.history(**bounds)
    if _NUMBER_LIKE.match(text) and any(c.isdigit() for c in text):
        # Numbers are stored in E.164: "(312) 555-0100" must find "+13125550100".
        digits = "".join(c for c in text if c.isdigit())
        return journal.history(number=digits, **bounds)
    # An id, or a SIP URI / name-like address in from/to.
    found = {r.seq: r for r in journal.history(call_id=text, **bounds)}
    for record in journal.history(number=text, **bounds):
        found.setdefault(record.seq, record)
    return [found[seq] for seq in sorted(found)]


def search_history(
    journal: Journal,
    text: str | None = None,
    since: datetime | float | None = None,
    until: datetime | float | None = None,
    limit: int = DEFAULT_LIMIT,
    *,
    max_records: int = MAX_RECORDS,
) -> list[CallHistoryEntry]:
    """The newest ``limit`` calls matching ``text`` (a number, part of one, or any call id).

    ``since``/``until`` (datetimes or Unix times) bound when events reached the console; a call
    with any event in the range is listed. Each call found is then completed from all of its
    session's events, so a search by number still shows the recording of that call (whose
    event names no number) and a call that began before ``since`` shows its real start.
    Newest call first. Every query is bounded: at most ``max_records`` rows for the search and
    ``MAX_RECORDS_PER_SESSION`` for each of at most ``limit`` sessions.
    """
    text = (text or "").strip()
    matched = _matching_records(journal, text, _unix(since), _unix(until), max_records)
    wanted = build_history(matched)
    if not wanted:
        return []
    wanted.sort(key=_newest_first)
    wanted = wanted[: max(int(limit), 0)]
    # A leg found by its leg id alone (a recording event) gets its call control id on completion.
    keys = {e.call_control_id for e in wanted} | {e.call_leg_id for e in wanted}
    keys.discard(None)

    complete: dict[int, JournalRecord] = {r.seq: r for r in matched}
    groups = {e.call_session_id or e.call_control_id or e.call_leg_id for e in wanted}
    for group in sorted(g for g in groups if g):
        for record in journal.history(call_id=group, limit=MAX_RECORDS_PER_SESSION):
            complete.setdefault(record.seq, record)
    entries = [
        e
        for e in build_history(complete.values())
        if e.call_control_id in keys or e.call_leg_id in keys
    ]
    entries.sort(key=_newest_first)
    return entries


def _newest_first(entry: CallHistoryEntry) -> tuple[float, str]:
    when = entry.when
    return (-(when.timestamp() if when else float("-inf")), entry.call_id)


# --- CSV -------------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return aware(moment).astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_row(entry: CallHistoryEntry) -> list[str]:
    duration = entry.duration_secs
    values = (
        entry.call_control_id,
        entry.call_leg_id,
        entry.call_session_id,
        entry.direction,
        entry.from_number,
        entry.to_number,
        entry.caller_name,
        _iso(entry.started_at or entry.first_seen_at),
        _iso(entry.answered_at),
        _iso(entry.ended_at),
        "" if duration is None else f"{duration:.0f}",
        entry.hangup_cause,
        entry.hangup_source,
        entry.sip_hangup_cause,
        " ".join(entry.recording_urls),
        " ".join(entry.conference_ids),
        " ".join(entry.queue_names),
    )
    return [safe_cell(v) for v in values]


def _write(entries: Sequence[CallHistoryEntry], handle: IO[str]) -> int:
    writer = csv.writer(handle, lineterminator="\r\n")  # RFC 4180, what spreadsheets expect
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(csv_row(entry))
    return len(entries)


def export_csv(
    entries: Iterable[CallHistoryEntry], file_or_path: str | os.PathLike[str] | IO[str]
) -> int:
    """Write ``entries`` as CSV (header row, ISO-8601 UTC times); returns the number of rows.

    A path is written atomically (a temporary file renamed over it), in UTF-8 with a BOM so
    spreadsheet programs read caller names with accents correctly.
    """
    rows = list(entries)
    if not isinstance(file_or_path, str | os.PathLike):
        return _write(rows, file_or_path)
    path = Path(file_or_path)
    buffer = io.StringIO(newline="")
    _write(rows, buffer)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(buffer.getvalue())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return len(rows)
