"""Call history searched straight from the event journal, for tools and tests.

:func:`search_history` finds the calls whose events match a number, part of one or any call
id, then completes each from all of its session's events. It reads the journal, not the
history table (``table``), so it answers for events the table has not folded in; it is
separate from the folding (``entry``), which it uses for both passes.

The rows it reads are bounded, not the time: the journal indexes only ``seq`` and
``event_id`` (to keep each delivery's commit cheap), so each of its queries scans the
journal, once for the search and once per call session it completes. The console searches
the history table (``console/desk/history_search.py``), which is indexed for it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from console.events.journal import Journal, JournalRecord
from console.history.entry import CallHistoryEntry, build_history
from console.state.timeline import aware

#: Entries a search returns by default; the panel shows the newest this many calls.
DEFAULT_LIMIT = 500
#: Journal rows one search reads at most (before completing the legs it found).
MAX_RECORDS = 5000
#: Journal rows read to complete one call session (transcriptions can make sessions long).
MAX_RECORDS_PER_SESSION = 1000
_NUMBER_LIKE = re.compile(r"^[+\d\s().\-/]+$")


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
    Newest call first. What each query reads is bounded: at most ``max_records`` rows for the
    search and ``MAX_RECORDS_PER_SESSION`` for each of at most ``limit`` sessions.
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
