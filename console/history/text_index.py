"""How the history table is searched: the text each row is indexed by, and the WHERE clause
a search text becomes.

A row's parties (numbers as written and as bare digits, the caller name) and its ids go into
the ``call_history_text`` FTS5 trigram table; :func:`match_clause` turns what the operator
typed into the clause the index answers, or into a walk over the newest rows when the text is
too short for a trigram or too common to sort. Separate from the table's reading and writing
(``table``) because the desk's history search (``console/desk/history_search.py``) makes the
same choice with :func:`is_common` and :func:`number_like`.
"""

from __future__ import annotations

import sqlite3

from console.history.entry import CallHistoryEntry

#: The shortest text the trigram index can look up; shorter text scans the parties instead.
MIN_INDEXED_TEXT = 3


def digits(text: str | None) -> str:
    return "".join(c for c in text or "" if c.isdigit())


def match_clause(db: sqlite3.Connection, text: str) -> tuple[str, list[object]]:
    """The WHERE clause for a search text, in the form the index can answer.

    A rare text: the rows whose search text (trigram index) or ids (primary key, leg and
    session indexes) match, as a set of rowids. A text too short for a trigram, or so common
    that sorting all its hits would cost more than the page: the newest rows are walked (by the
    ``call_history_newest`` index) and tested, stopping at the page's end.
    """
    needle = digits(text) if number_like(text) else text
    pattern, id_pattern = f"%{like_text(needle)}%", f"%{like_text(text)}%"
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


def like_text(text: str) -> str:
    # LIKE on an FTS5 trigram column cannot take ESCAPE: drop the wildcards instead.
    return text.replace("%", "").replace("_", "")


def parties_text(entry: CallHistoryEntry) -> str:
    words = [entry.from_number, entry.to_number, entry.caller_name]
    words += [digits(entry.from_number), digits(entry.to_number)]
    return " | ".join(w for w in words if w)


def ids_text(entry: CallHistoryEntry) -> str:
    ids = [entry.call_control_id, entry.call_leg_id, entry.call_session_id]
    ids += list(entry.conference_ids)
    return " | ".join(i for i in ids if i)
