"""The call history table: one row per call leg, written as calls end, searched by index.

Rows live in the console database (``console/db``), keyed by ``call_key``: the leg's call
control id, or ``leg:<call_leg_id>`` for a leg only ever named by its leg id. A row is written
(upserted) when its leg ends and again when a late event adds to it (a recording saved after
the hangup), so the table grows by the calls that end, never by re-reading the journal.

Search is indexed, whatever the table's size:

* ``call_history_text`` is an FTS5 table with the trigram tokenizer over the parties (numbers
  as written and as bare digits, caller names) and the ids, so "5550100" finds "+13125550100"
  and a name fragment finds the name, by index (``LIKE '%…%'`` on an FTS5 trigram column uses
  it). Its rowid is the history row's rowid, so rewriting a row's text is a lookup, not a scan;
* exact ids go through the primary key and the session / leg id indexes;
* pages are read newest first by keyset on ``(started_at, call_key)``, so page 100 costs what
  page 1 costs.

Other components (the operator's notes and dispositions) keep their own tables keyed by the
same ``call_key``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from console.db import Schema, migrate
from console.history.entry import CallHistoryEntry

HISTORY_SCHEMA = Schema(
    "history",
    [
        """
        CREATE TABLE call_history (
            call_key         TEXT PRIMARY KEY,
            call_control_id  TEXT,
            call_leg_id      TEXT,
            call_session_id  TEXT,
            direction        TEXT,
            from_number      TEXT,
            to_number        TEXT,
            caller_name      TEXT,
            started_at       REAL,     -- Unix time; the leg's start, else its first event
            answered_at      REAL,
            ended_at         REAL,
            hangup_cause     TEXT,
            hangup_source    TEXT,
            sip_hangup_cause TEXT,
            recording_urls   TEXT NOT NULL DEFAULT '[]',   -- JSON lists
            recording_count  INTEGER NOT NULL DEFAULT 0,
            conference_ids   TEXT NOT NULL DEFAULT '[]',
            queue_names      TEXT NOT NULL DEFAULT '[]',
            first_seen_at    REAL,
            last_seen_at     REAL,
            journal_seq      INTEGER   -- the newest journal row folded into this one
        );
        CREATE INDEX call_history_newest ON call_history(started_at DESC, call_key DESC);
        CREATE INDEX call_history_session ON call_history(call_session_id);
        CREATE INDEX call_history_leg ON call_history(call_leg_id);
        CREATE VIRTUAL TABLE call_history_fts USING fts5(
            call_key UNINDEXED, parties, ids, tokenize = 'trigram'
        );
        """,
        """
        CREATE TABLE history_progress (
            slot        INTEGER PRIMARY KEY CHECK (slot = 1),
            journal_seq INTEGER NOT NULL    -- every journal row up to here is folded in
        );
        """,
        # The first search table was keyed by an UNINDEXED call_key: rewriting one row's text
        # scanned the whole table (57 ms a call at 100,000 calls). Keyed by rowid instead.
        """
        CREATE VIRTUAL TABLE call_history_text USING fts5(parties, ids, tokenize = 'trigram');
        INSERT INTO call_history_text (rowid, parties, ids)
            SELECT h.rowid, f.parties, f.ids
            FROM call_history_fts AS f JOIN call_history AS h ON h.call_key = f.call_key;
        DROP TABLE call_history_fts;
        """,
    ],
)

_COLUMNS = (
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
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM call_history"
_UPSERT = (
    "INSERT INTO call_history ("
    + ", ".join(_COLUMNS)
    + ") VALUES ("
    + ", ".join("?" for _ in _COLUMNS)
    + ") ON CONFLICT(call_key) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[1:])
)
#: The shortest text the trigram index can look up; shorter text scans the parties instead.
MIN_INDEXED_TEXT = 3


@dataclass(frozen=True)
class PageMark:
    """Where a page ended: the next page starts after this row (newest first)."""

    started_at: float
    call_key: str


def call_key(entry: CallHistoryEntry) -> str:
    """The key of a history row: the call control id, else ``leg:<call_leg_id>``."""
    if entry.call_control_id:
        return entry.call_control_id
    if entry.call_leg_id:
        return f"leg:{entry.call_leg_id}"
    raise ValueError("a history entry needs a call control id or a call leg id")


def digits(text: str | None) -> str:
    return "".join(c for c in text or "" if c.isdigit())


class HistoryTable:
    """Read and write ``call_history`` on one connection (one per thread)."""

    def __init__(self, conn: sqlite3.Connection, *, migrate_schema: bool = True):
        self._db = conn
        if migrate_schema:
            migrate(conn, HISTORY_SCHEMA)

    # --- writing ---------------------------------------------------------------------------

    def upsert(
        self,
        entries: Iterable[tuple[CallHistoryEntry, int | None]],
        *,
        journal_seq: int | None = None,
    ) -> int:
        """Write ``(entry, journal_seq)`` pairs in one transaction; returns how many."""
        rows = [(_row(entry, seq), entry) for entry, seq in entries]
        if not rows and journal_seq is None:
            return 0
        db = self._db
        db.execute("BEGIN")
        try:
            for row, entry in rows:
                # The upsert keeps an existing row's rowid, which keys its search text.
                (rowid,) = db.execute(_UPSERT + " RETURNING rowid", row).fetchone()
                db.execute("DELETE FROM call_history_text WHERE rowid = ?", (rowid,))
                db.execute(
                    "INSERT INTO call_history_text (rowid, parties, ids) VALUES (?, ?, ?)",
                    (rowid, _parties(entry), _ids(entry)),
                )
            if journal_seq is not None:
                db.execute(
                    "INSERT INTO history_progress (slot, journal_seq) VALUES (1, ?) "
                    "ON CONFLICT (slot) DO UPDATE SET journal_seq = excluded.journal_seq",
                    (int(journal_seq),),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return len(rows)

    def folded_through(self) -> int:
        """The journal sequence folded into the table so far (0: nothing yet)."""
        row = self._db.execute("SELECT journal_seq FROM history_progress WHERE slot = 1").fetchone()
        return int(row[0]) if row else 0

    # --- reading ---------------------------------------------------------------------------

    def get(self, key: str) -> CallHistoryEntry | None:
        row = self._db.execute(_SELECT + " WHERE call_key = ?", (key,)).fetchone()
        return _entry(row) if row else None

    def get_by_leg_id(self, call_leg_id: str) -> CallHistoryEntry | None:
        row = self._db.execute(
            _SELECT + " WHERE call_leg_id = ? ORDER BY started_at DESC LIMIT 1", (call_leg_id,)
        ).fetchone()
        return _entry(row) if row else None

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM call_history").fetchone()[0])

    def page(
        self,
        text: str | None = None,
        *,
        since: float | None = None,
        until: float | None = None,
        after: PageMark | None = None,
        limit: int = 200,
    ) -> list[CallHistoryEntry]:
        """Newest first: the calls matching ``text`` that started in [since, until], after
        ``after`` (the last row of the previous page).

        ``text`` is a number or part of one (any punctuation), a name or part of one, or any
        call control / leg / session / conference id.
        """
        clauses: list[str] = []
        params: list[object] = []
        text = (text or "").strip()
        if text:
            clause, values = _match(self._db, text)
            clauses.append(clause)
            params += values
        if since is not None:
            clauses.append("coalesce(started_at, first_seen_at) >= ?")
            params.append(since)
        if until is not None:
            clauses.append("coalesce(started_at, first_seen_at) <= ?")
            params.append(until)
        if after is not None:
            clauses.append("(started_at < ? OR (started_at = ? AND call_key < ?))")
            params += [after.started_at, after.started_at, after.call_key]
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = f"{_SELECT}{where} ORDER BY started_at DESC, call_key DESC LIMIT ?"
        params.append(max(int(limit), 0))
        return [_entry(row) for row in self._db.execute(sql, params)]

    def calls_with(self, number: str, *, limit: int = 20) -> list[CallHistoryEntry]:
        """The newest calls from or to exactly ``number`` (E.164 as stored)."""
        rows = self._db.execute(
            _SELECT + " WHERE rowid IN (SELECT rowid FROM call_history_text "
            "WHERE parties LIKE ?) AND (from_number = ? OR to_number = ?) "
            "ORDER BY started_at DESC, call_key DESC LIMIT ?",
            (f"%{_like(number)}%", number, number, max(int(limit), 0)),
        )
        return [_entry(row) for row in rows]


def mark_of(entry: CallHistoryEntry) -> PageMark:
    """The page mark just after ``entry`` (pass it as ``after`` for the next page)."""
    when = entry.started_at or entry.first_seen_at
    return PageMark(when.timestamp() if when else float("-inf"), call_key(entry))


def _match(db: sqlite3.Connection, text: str) -> tuple[str, list[object]]:
    """The WHERE clause for a search text, in the form the index can answer.

    A rare text: the rows whose search text (trigram index) or ids (primary key, leg and
    session indexes) match, as a set of rowids. A text too short for a trigram, or so common
    that sorting all its hits would cost more than the page: the newest rows are walked (by the
    ``call_history_newest`` index) and tested, stopping at the page's end.
    """
    needle = digits(text) if number_like(text) else text
    pattern, id_pattern = f"%{_like(needle)}%", f"%{_like(text)}%"
    if len(needle) >= MIN_INDEXED_TEXT and not is_common(db, pattern):
        hits = (
            "rowid IN (SELECT rowid FROM call_history_text WHERE parties LIKE ?"
            " UNION SELECT rowid FROM call_history_text WHERE ids LIKE ?"
            " UNION SELECT rowid FROM call_history WHERE call_key = ?"
            " UNION SELECT rowid FROM call_history WHERE call_leg_id = ?"
            " UNION SELECT rowid FROM call_history WHERE call_session_id = ?)"
        )
        return hits, [pattern, id_pattern, text, text, text]
    walk = (
        "(from_number LIKE ? OR to_number LIKE ? OR caller_name LIKE ?"
        " OR call_key LIKE ? OR call_leg_id LIKE ? OR call_session_id LIKE ?)"
    )
    values: list[object] = [pattern, pattern, pattern, id_pattern, id_pattern, id_pattern]
    return walk, values


#: More trigram hits than this and walking the newest rows fills a page sooner than sorting.
COMMON_HITS = 1000


def is_common(db: sqlite3.Connection, pattern: str, hits: int | None = None) -> bool:
    """Whether at least ``hits`` (default COMMON_HITS) parties match ``pattern``: then a walk
    over the newest rows fills a page sooner than the index's hits can be sorted."""
    hits = COMMON_HITS if hits is None else hits
    row = db.execute(
        "SELECT count(*) FROM (SELECT 1 FROM call_history_text WHERE parties LIKE ? LIMIT ?)",
        (pattern, hits),
    ).fetchone()
    return int(row[0]) >= hits


def number_like(text: str) -> bool:
    """Text that is a phone number as typed (digits and punctuation): searched as digits."""
    return any(c.isdigit() for c in text) and all(c.isdigit() or c in "+ ().-/" for c in text)


def _like(text: str) -> str:
    # LIKE on an FTS5 trigram column cannot take ESCAPE: drop the wildcards instead.
    return text.replace("%", "").replace("_", "")


def _parties(entry: CallHistoryEntry) -> str:
    words = [entry.from_number, entry.to_number, entry.caller_name]
    words += [digits(entry.from_number), digits(entry.to_number)]
    return " | ".join(w for w in words if w)


def _ids(entry: CallHistoryEntry) -> str:
    ids = [entry.call_control_id, entry.call_leg_id, entry.call_session_id]
    ids += list(entry.conference_ids)
    return " | ".join(i for i in ids if i)


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


def _row(entry: CallHistoryEntry, seq: int | None) -> tuple[object, ...]:
    return (
        call_key(entry),
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


def _entry(row: Sequence[object]) -> CallHistoryEntry:
    r = dict(zip(_COLUMNS, row, strict=True))
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
