"""The event journal's file: what makes it ours, the ``events`` table, and the checks on opening.

:func:`configure` is what :class:`console.events.journal.Journal` runs on a new connection:
it refuses another application's SQLite file and a newer schema, then (for the writer) turns
on WAL with the requested ``synchronous`` level, creates the table and runs a quick integrity
check. The errors it raises are the journal's own (:class:`JournalError`), so callers catch one
family whether the file failed to open or a write failed.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class JournalError(Exception):
    """The journal cannot be opened or written."""


class JournalCorruptError(JournalError):
    """The file exists but is not a readable journal; it is left untouched for the operator."""


#: Identifies our files (``PRAGMA application_id``), so another SQLite file is refused.
APPLICATION_ID = 0x54454C58  # "TELX"
SCHEMA_VERSION = 1

EVENTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,  -- arrival order
    event_id        TEXT NOT NULL UNIQUE,
    event_type      TEXT NOT NULL,
    occurred_at     TEXT,             -- ISO 8601 as parsed (UTC when Telnyx sends 'Z')
    received_at     REAL NOT NULL,    -- local Unix time
    attempt         INTEGER NOT NULL,
    call_control_id TEXT,
    call_leg_id     TEXT,
    call_session_id TEXT,
    conference_id   TEXT,
    from_number     TEXT,
    to_number       TEXT,
    raw             TEXT NOT NULL     -- the body exactly as received
);
"""

#: Indexes journals made before 2026-12 have. Nothing the console runs reads through them
#: (readers go by ``seq`` and ``event_id``; searches use the history table) and each one cost
#: every delivery's commit: the writer's CPU per event was 77 µs with them and 42 µs without
#: (batches of 4, fsync'd). :meth:`console.events.journal.Journal.drop_obsolete_indexes`
#: removes them from an old file.
OBSOLETE_INDEXES = (
    "events_call_control_id",
    "events_call_session_id",
    "events_conference_id",
    "events_event_type",
)

#: Every column of ``events``, in the order of :class:`console.events.journal_rows.JournalRecord`.
EVENT_COLUMNS = (
    "seq, event_id, event_type, occurred_at, received_at, attempt, call_control_id, "
    "call_leg_id, call_session_id, conference_id, from_number, to_number, raw"
)
#: Stores one :data:`console.events.journal_rows.JournalRow`; a known event id is skipped.
INSERT_EVENT = (
    "INSERT OR IGNORE INTO events (event_id, event_type, occurred_at, received_at, attempt, "
    "call_control_id, call_leg_id, call_session_id, conference_id, from_number, to_number, raw) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def configure(
    conn: sqlite3.Connection,
    path: Path,
    *,
    synchronous: str,
    busy_timeout_ms: int,
    readonly: bool,
    integrity_check: bool,
) -> None:
    """Check that ``conn`` (to ``path``) is a journal and set it up for reading or writing.

    Raises :class:`JournalError`, or ``sqlite3.DatabaseError`` for a file SQLite cannot read
    (the caller reports that as :class:`JournalCorruptError`).
    """
    # The first statement is what reads the header: a non-SQLite file fails here.
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    if tables and app_id != APPLICATION_ID:
        raise JournalCorruptError(
            f"{path} is an SQLite database of another application "
            f"(application_id {app_id:#x}); refusing to use it as the event journal"
        )
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise JournalError(
            f"event journal {path} has schema version {version}, newer than this "
            f"program's {SCHEMA_VERSION}"
        )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    if readonly:
        if version < 1:
            raise JournalError(f"event journal {path} has no events table yet")
        conn.execute("PRAGMA query_only = 1")
        return
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise JournalError(f"event journal {path}: WAL mode unavailable (got {mode})")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.executescript(
        "BEGIN;"
        + EVENTS_SCHEMA
        + f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
        + "COMMIT;"
    )
    # A damaged page would surface later in an append (then every event would get a 5xx);
    # a quick structural check at open time makes it a clear start-up error instead.
    if not integrity_check:
        return
    problem = integrity_problem(conn)
    if problem is not None:
        raise sqlite3.DatabaseError(problem)


def integrity_problem(conn: sqlite3.Connection) -> str | None:
    """What ``PRAGMA quick_check`` finds wrong with the file behind ``conn``, or None."""
    check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    return None if check == "ok" else f"integrity check failed: {check}"
