"""The desk's own queries on the history table, shaped for a search box over 100,000s of rows.

``HistoryTable.page`` matches a text against ids with ``call_control_id = ?``, a column with
no index, inside an OR: SQLite then reads every row (≈50 ms at 100,000 calls, whatever the
text). Here each way a call can match is its own indexed lookup — the trigram index over the
parties, the same over the ids, the primary key, the session and leg id indexes — and only the
union of their keys is read, newest first. A text too short for a trigram walks the newest
rows and stops at the limit, and so does a text so common that the union would be large.
"""

from __future__ import annotations

import sqlite3

from console.desk.numbers import digits
from console.desk.schema import MIN_INDEXED_TEXT, like_pattern
from console.history import CallHistoryEntry, HistoryTable


def _number_like(text: str) -> bool:
    return any(c.isdigit() for c in text) and all(c.isdigit() or c in "+ ().-/" for c in text)


#: More trigram hits than this and walking the newest rows finds the first page sooner.
BROAD = 1000


def _broad(conn: sqlite3.Connection, pattern: str) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM call_history_text WHERE parties LIKE ? LIMIT ?)",
        (pattern, BROAD),
    ).fetchone()
    return int(row[0]) >= BROAD


def history_keys(conn: sqlite3.Connection, text: str, *, limit: int = 50) -> list[str]:
    """The keys of the newest calls whose parties or ids contain ``text`` (or equal it)."""
    text = " ".join((text or "").split())
    if not text:
        return []
    needle = digits(text) if _number_like(text) else text
    # A short text cannot use the trigram index; a common one ("Lee", "312") matches so many
    # rows that sorting them all costs more than reading the newest rows until a page is full.
    if len(needle) < MIN_INDEXED_TEXT or _broad(conn, like_pattern(needle)):
        pattern = like_pattern(needle)
        rows = conn.execute(
            "SELECT call_key FROM call_history WHERE from_number LIKE ? OR to_number LIKE ? "
            "OR caller_name LIKE ? OR call_key = ? "
            "ORDER BY started_at DESC, call_key DESC LIMIT ?",
            (pattern, pattern, pattern, text, limit),
        )
        return [str(r[0]) for r in rows]
    rows = conn.execute(
        "WITH hits(row) AS ("
        " SELECT rowid FROM call_history_text WHERE parties LIKE :parties"
        " UNION SELECT rowid FROM call_history_text WHERE ids LIKE :ids"
        " UNION SELECT rowid FROM call_history WHERE call_key = :text"
        " UNION SELECT rowid FROM call_history WHERE call_session_id = :text"
        " UNION SELECT rowid FROM call_history WHERE call_leg_id = :text"
        ") SELECT h.call_key FROM call_history h JOIN hits ON h.rowid = hits.row "
        "ORDER BY h.started_at DESC, h.call_key DESC LIMIT :limit",
        {
            "parties": like_pattern(needle),
            "ids": like_pattern(text),
            "text": text,
            "limit": limit,
        },
    )
    return [str(r[0]) for r in rows]


def calls_with_number(conn: sqlite3.Connection, number: str, *, limit: int = 10) -> list[str]:
    """Keys of the newest calls from or to exactly ``number``, through the parties index."""
    rows = conn.execute(
        "WITH hits(row) AS (SELECT rowid FROM call_history_text WHERE parties LIKE ?) "
        "SELECT h.call_key FROM call_history h JOIN hits ON h.rowid = hits.row "
        "WHERE h.from_number = ? OR h.to_number = ? "
        "ORDER BY h.started_at DESC, h.call_key DESC LIMIT ?",
        (like_pattern(number), number, number, limit),
    )
    return [str(r[0]) for r in rows]


def load(history: HistoryTable, keys: list[str]) -> list[CallHistoryEntry]:
    """The entries of ``keys`` in that order (each one primary-key lookup)."""
    entries = (history.get(key) for key in keys)
    return [e for e in entries if e is not None]
