"""The desk's own queries on the history table, shaped for a search box over 100,000s of rows.

Each way a call can match is its own indexed lookup — the trigram index over the parties, the
same over the ids, the primary key, the session and leg id indexes — and only the union of
their keys is read, newest first. A text too short for a trigram walks the newest rows and
stops at the limit, and so does a text so common that the union would be large (the test
``HistoryTable.page`` uses too: ``console.history.text_index.is_common``).
``history_page`` is the same for the history panel's own search box (its date range and page
marks included), with the calls whose notes, disposition or tags match in the union.
"""

from __future__ import annotations

import sqlite3

from console.desk.numbers import digits
from console.desk.schema import MIN_INDEXED_TEXT, like_pattern
from console.history import CallHistoryEntry, HistoryTable, PageMark
from console.history.text_index import COMMON_HITS, is_common, number_like

#: More trigram hits than this and walking the newest rows finds the first page sooner.
BROAD = COMMON_HITS


def _broad(conn: sqlite3.Connection, pattern: str) -> bool:
    return is_common(conn, pattern, BROAD)


def history_keys(conn: sqlite3.Connection, text: str, *, limit: int = 50) -> list[str]:
    """The keys of the newest calls whose parties or ids contain ``text`` (or equal it)."""
    text = " ".join((text or "").split())
    if not text:
        return []
    needle = digits(text) if number_like(text) else text
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


def load(history: HistoryTable, keys: list[str]) -> list[CallHistoryEntry]:
    """The entries of ``keys`` in that order (each one primary-key lookup)."""
    entries = (history.get(key) for key in keys)
    return [e for e in entries if e is not None]


def _noted(text: str) -> tuple[str, list[object]]:
    """A subquery of the call keys whose wrap-up (notes, disposition, tags) contains ``text``.
    A text too short for the trigram index matches a whole disposition ("ok") only."""
    if len(text) >= MIN_INDEXED_TEXT:
        return (
            "SELECT w.call_key FROM desk_wrapups_fts f JOIN desk_wrapups w ON w.rowid = f.rowid"
            " WHERE f.body LIKE ?",
            [like_pattern(text)],
        )
    return "SELECT call_key FROM desk_wrapups WHERE disposition = ? COLLATE NOCASE", [text]


def _window(
    since: float | None, until: float | None, after: PageMark | None, prefix: str = ""
) -> tuple[list[str], list[object]]:
    """The history panel's date range and page mark, as ``HistoryTable.page`` writes them."""
    clauses: list[str] = []
    params: list[object] = []
    if since is not None:
        clauses.append(f"coalesce({prefix}started_at, {prefix}first_seen_at) >= ?")
        params.append(since)
    if until is not None:
        clauses.append(f"coalesce({prefix}started_at, {prefix}first_seen_at) <= ?")
        params.append(until)
    if after is not None:
        clauses.append(
            f"({prefix}started_at < ? OR ({prefix}started_at = ? AND {prefix}call_key < ?))"
        )
        params += [after.started_at, after.started_at, after.call_key]
    return clauses, params


def page_keys(
    conn: sqlite3.Connection,
    text: str,
    *,
    since: float | None = None,
    until: float | None = None,
    after: PageMark | None = None,
    limit: int = 200,
) -> list[str]:
    """Keys of a page of the history panel: calls whose parties, ids or wrap-up contain
    ``text``, newest first, in the date range, after the page mark. One query, each way of
    matching by its own index (as :func:`history_keys`), so it does not read every row."""
    text = " ".join((text or "").split())
    if not text:
        return []
    needle = digits(text) if number_like(text) else text
    noted, noted_params = _noted(text)
    limit = max(int(limit), 0)
    if len(needle) < MIN_INDEXED_TEXT or _broad(conn, like_pattern(needle)):
        # Short or common: many rows match, so walking the newest ones fills a page soon.
        pattern = like_pattern(needle)
        clauses, params = _window(since, until, after)
        where = " AND ".join(
            [
                "(from_number LIKE ? OR to_number LIKE ? OR caller_name LIKE ? OR call_key = ?"
                f" OR call_key IN ({noted}))",
                *clauses,
            ]
        )
        rows = conn.execute(
            f"SELECT call_key FROM call_history WHERE {where} "
            "ORDER BY started_at DESC, call_key DESC LIMIT ?",
            [pattern, pattern, pattern, text, *noted_params, *params, limit],
        )
        return [str(r[0]) for r in rows]
    clauses, params = _window(since, until, after, prefix="h.")
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = conn.execute(
        "WITH hits(row) AS ("
        " SELECT rowid FROM call_history_text WHERE parties LIKE ?"
        " UNION SELECT rowid FROM call_history_text WHERE ids LIKE ?"
        " UNION SELECT rowid FROM call_history WHERE call_key = ?"
        " UNION SELECT rowid FROM call_history WHERE call_session_id = ?"
        " UNION SELECT rowid FROM call_history WHERE call_leg_id = ?"
        f" UNION SELECT rowid FROM call_history WHERE call_key IN ({noted})"
        ") SELECT h.call_key FROM call_history h JOIN hits ON h.rowid = hits.row"
        f"{where} ORDER BY h.started_at DESC, h.call_key DESC LIMIT ?",
        [
            like_pattern(needle),
            like_pattern(text),
            text,
            text,
            text,
            *noted_params,
            *params,
            limit,
        ],
    )
    return [str(r[0]) for r in rows]


def history_page(
    conn: sqlite3.Connection,
    history: HistoryTable,
    text: str | None = None,
    *,
    since: float | None = None,
    until: float | None = None,
    after: PageMark | None = None,
    limit: int = 200,
) -> list[CallHistoryEntry]:
    """``HistoryTable.page`` that also finds calls by their notes, disposition and tags,
    through the indexes (the table's own text search reads every row at 100,000 calls)."""
    if not (text or "").strip():
        return history.page(None, since=since, until=until, after=after, limit=limit)
    keys = page_keys(conn, text or "", since=since, until=until, after=after, limit=limit)
    return load(history, keys)
