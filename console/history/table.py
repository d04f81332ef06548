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
* exact ids go through the primary key and the session / leg id indexes, and an exact number
  (a ringing caller's other calls, how many today) through an index per party, newest first;
* pages are read newest first by keyset on ``(started_at, call_key)``, so page 100 costs what
  page 1 costs.

Other components (the operator's notes and dispositions) keep their own tables keyed by the
same ``call_key``.

This module holds the schema and :class:`HistoryTable` (when rows are written, which are read);
a row's columns and their conversion live in ``rows``, the search text and the choice between
the index and the walk in ``text_index``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from console.db import Schema, migrate
from console.history.entry import CallHistoryEntry
from console.history.rows import SELECT, UPSERT, entry_from_row, row_values
from console.history.text_index import ids_text, match_clause, parties_text

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
        # A ringing call looks up its caller's other calls and counts them: through the
        # trigram index that read every row sharing a trigram with the number (~1.5 ms a
        # query at 100,000 calls, four per ring, on the GUI thread). An exact number has
        # its own index per side, walked newest first.
        """
        CREATE INDEX call_history_from ON call_history(from_number, started_at DESC, call_key DESC);
        CREATE INDEX call_history_to ON call_history(to_number, started_at DESC, call_key DESC);
        """,
    ],
)


def _newest_on(side: str) -> str:
    """The newest rows with ``side`` (a number column) equal to ``:number``, off its index."""
    return (
        f"SELECT * FROM (SELECT call_key, started_at FROM call_history WHERE {side} = :number "
        "ORDER BY started_at DESC, call_key DESC LIMIT :limit)"
    )


#: Keys of the newest calls from or to exactly ``:number``: each side reads at most ``:limit``
#: rows of its index, so a caller with thousands of calls costs what one with two does.
KEYS_WITH_NUMBER = (
    f"SELECT call_key FROM ({_newest_on('from_number')} UNION {_newest_on('to_number')}) "
    "ORDER BY started_at DESC, call_key DESC LIMIT :limit"
)
#: How many calls from or to exactly ``:number`` started at or after ``:since``.
COUNT_WITH_NUMBER = (
    "SELECT count(*) FROM ("
    "SELECT rowid FROM call_history WHERE from_number = :number AND started_at >= :since "
    "UNION SELECT rowid FROM call_history WHERE to_number = :number AND started_at >= :since)"
)


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
        rows = [(row_values(call_key(entry), entry, seq), entry) for entry, seq in entries]
        if not rows and journal_seq is None:
            return 0
        db = self._db
        db.execute("BEGIN")
        try:
            for row, entry in rows:
                # The upsert keeps an existing row's rowid, which keys its search text.
                (rowid,) = db.execute(UPSERT + " RETURNING rowid", row).fetchone()
                self._index_text(rowid, parties_text(entry), ids_text(entry))
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

    def _index_text(self, rowid: int, parties: str, ids: str) -> None:
        """Give the row its search text, rewriting it only when it changed: most rewrites of
        a row (answered, ended, a recording saved) change neither parties nor ids, and an FTS5
        delete and insert costs ~5 times the lookup that finds the text already there (19 µs
        against 4 µs a row, measured on 20,000 rows)."""
        db = self._db
        stored = db.execute(
            "SELECT parties, ids FROM call_history_text WHERE rowid = ?", (rowid,)
        ).fetchone()
        if stored == (parties, ids):
            return
        if stored is not None:
            db.execute("DELETE FROM call_history_text WHERE rowid = ?", (rowid,))
        db.execute(
            "INSERT INTO call_history_text (rowid, parties, ids) VALUES (?, ?, ?)",
            (rowid, parties, ids),
        )

    def folded_through(self) -> int:
        """The journal sequence folded into the table so far (0: nothing yet)."""
        row = self._db.execute("SELECT journal_seq FROM history_progress WHERE slot = 1").fetchone()
        return int(row[0]) if row else 0

    # --- reading ---------------------------------------------------------------------------

    def get(self, key: str) -> CallHistoryEntry | None:
        row = self._db.execute(SELECT + " WHERE call_key = ?", (key,)).fetchone()
        return entry_from_row(row) if row else None

    def get_by_leg_id(self, call_leg_id: str) -> CallHistoryEntry | None:
        row = self._db.execute(
            SELECT + " WHERE call_leg_id = ? ORDER BY started_at DESC LIMIT 1", (call_leg_id,)
        ).fetchone()
        return entry_from_row(row) if row else None

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
            clause, values = match_clause(self._db, text)
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
        sql = f"{SELECT}{where} ORDER BY started_at DESC, call_key DESC LIMIT ?"
        params.append(max(int(limit), 0))
        return [entry_from_row(row) for row in self._db.execute(sql, params)]

    def keys_with_number(self, number: str, *, limit: int = 20) -> list[str]:
        """Keys of the newest calls from or to exactly ``number`` (as stored), newest first."""
        rows = self._db.execute(KEYS_WITH_NUMBER, {"number": number, "limit": max(int(limit), 0)})
        return [str(row[0]) for row in rows]

    def count_with_number(self, number: str, *, since: float) -> int:
        """How many calls from or to exactly ``number`` started at or after ``since``."""
        row = self._db.execute(COUNT_WITH_NUMBER, {"number": number, "since": float(since)})
        return int(row.fetchone()[0])


def mark_of(entry: CallHistoryEntry) -> PageMark:
    """The page mark just after ``entry`` (pass it as ``after`` for the next page)."""
    when = entry.started_at or entry.first_seen_at
    return PageMark(when.timestamp() if when else float("-inf"), call_key(entry))
