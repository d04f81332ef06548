"""Call history from the event journal: events folded into one row per call leg.

:func:`build_history` folds journal records into :class:`CallHistoryEntry` rows (the recorder
folds live events the same way, through ``_Leg`` and ``_apply``). Searching the journal lives
in ``journal_search``, the CSV format in ``export``, the stored table in ``table``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from console.events.journal import JournalRecord
from console.events.models import EventParseError
from console.state.timeline import DEFAULT_RANK, RANK, aware


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
