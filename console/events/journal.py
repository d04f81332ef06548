"""The event journal: every accepted webhook, durably in SQLite (WAL), before Telnyx gets its 2xx.

Durability: the database runs in WAL mode with ``synchronous=FULL``. In WAL mode ``NORMAL``
already survives a crash of the process (a SIGKILL leaves the committed frames in the WAL file
in the OS cache), but it does not fsync on each commit, so a power loss can roll back the last
transactions. A 2xx tells Telnyx it may forget the event (it does not retry), so each commit
is fsynced (``FULL``): one ``fdatasync`` of the WAL per event, well under a millisecond to a
few milliseconds on a local disk, far below Telnyx's 2 s answer deadline.

The connection is in autocommit mode: each :meth:`Journal.append` is one ``INSERT`` that is
its own transaction and is durable when the call returns. All calls are short and run on the
event loop thread (no thread pool: a single connection, no locking).
"""

from __future__ import annotations

import logging
import math
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .models import Envelope, EventParseError, parse_envelope

log = logging.getLogger(__name__)

#: Identifies our files (``PRAGMA application_id``), so another SQLite file is refused.
APPLICATION_ID = 0x54454C58  # "TELX"
SCHEMA_VERSION = 1

_SCHEMA = """
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
CREATE INDEX IF NOT EXISTS events_call_control_id ON events(call_control_id);
CREATE INDEX IF NOT EXISTS events_call_session_id ON events(call_session_id);
CREATE INDEX IF NOT EXISTS events_conference_id ON events(conference_id);
CREATE INDEX IF NOT EXISTS events_event_type ON events(event_type, seq);
"""

_COLUMNS = (
    "seq, event_id, event_type, occurred_at, received_at, attempt, call_control_id, "
    "call_leg_id, call_session_id, conference_id, from_number, to_number, raw"
)
_SQLITE_INT_MAX = 2**63 - 1


class JournalError(Exception):
    """The journal cannot be opened or written."""


class JournalCorruptError(JournalError):
    """The file exists but is not a readable journal; it is left untouched for the operator."""


@dataclass(frozen=True)
class JournalRecord:
    """One journalled event (a row of the ``events`` table)."""

    seq: int
    event_id: str
    event_type: str
    occurred_at: str | None
    received_at: float
    attempt: int
    call_control_id: str | None
    call_leg_id: str | None
    call_session_id: str | None
    conference_id: str | None
    from_number: str | None
    to_number: str | None
    raw: str

    def envelope(self) -> Envelope:
        return parse_envelope(self.raw)


def _text(value: object) -> str | None:
    """A column value SQLite can store: lone surrogates (legal in JSON escapes) are replaced."""
    if value is None:
        return None
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.isoformat()


class Journal:
    """Append-only store of accepted events; see the module docstring for durability."""

    def __init__(
        self,
        path: str | Path,
        *,
        synchronous: str = "FULL",
        busy_timeout_ms: int = 500,
        integrity_check: bool = True,
    ):
        self.path = Path(path)
        self._integrity_check = integrity_check
        if synchronous.upper() not in ("FULL", "EXTRA", "NORMAL"):
            raise ValueError(f"synchronous must be FULL, EXTRA or NORMAL, not {synchronous!r}")
        self._conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(str(self.path), isolation_level=None)
        except sqlite3.Error as exc:
            raise JournalError(f"cannot open event journal {self.path}: {exc}") from exc
        try:
            self._configure(conn, synchronous.upper(), busy_timeout_ms)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise JournalCorruptError(
                f"event journal {self.path} is unreadable ({exc}); it was left as it is - "
                "move it aside to start a new journal"
            ) from exc
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _configure(self, conn: sqlite3.Connection, synchronous: str, busy_timeout_ms: int) -> None:
        # The first statement is what reads the header: a non-SQLite file fails here.
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        if tables and app_id != APPLICATION_ID:
            raise JournalCorruptError(
                f"{self.path} is an SQLite database of another application "
                f"(application_id {app_id:#x}); refusing to use it as the event journal"
            )
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"event journal {self.path} has schema version {version}, newer than this "
                f"program's {SCHEMA_VERSION}"
            )
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise JournalError(f"event journal {self.path}: WAL mode unavailable (got {mode})")
        conn.execute(f"PRAGMA synchronous = {synchronous}")
        conn.executescript(
            "BEGIN;"
            + _SCHEMA
            + f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
            + "COMMIT;"
        )
        # A damaged page would surface later in an append (then every event would get a 5xx);
        # a quick structural check at open time makes it a clear start-up error instead.
        if not self._integrity_check:
            return
        check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {check}")

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise JournalError("event journal is closed")
        return self._conn

    # --- writing -----------------------------------------------------------------------------

    def append(self, envelope: Envelope, raw: str | bytes, received_at: float) -> bool:
        """Store one accepted event durably. False when its ``data.id`` is already stored.

        Raises :class:`JournalError` if it could not be written (the caller answers 5xx).
        """
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8")
        event = envelope.data
        payload = event.payload
        extra = payload.model_extra or {}
        attempt = min(max(int(envelope.attempt), 0), _SQLITE_INT_MAX)
        if not math.isfinite(received_at):
            raise JournalError(f"received_at is not a finite time: {received_at!r}")
        row = (
            _text(event.id),
            _text(event.event_type),
            _iso(event.effective_occurred_at),
            float(received_at),
            attempt,
            _text(payload.call_control_id),
            _text(payload.call_leg_id),
            _text(payload.call_session_id),
            _text(getattr(payload, "conference_id", None) or extra.get("conference_id")),
            _text(payload.from_),
            _text(payload.to),
            _text(raw),
        )
        try:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO events (event_id, event_type, occurred_at, received_at, "
                "attempt, call_control_id, call_leg_id, call_session_id, conference_id, "
                "from_number, to_number, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        except sqlite3.Error as exc:
            raise JournalError(f"event journal write failed: {exc}") from exc
        return cursor.rowcount == 1

    # --- reading -----------------------------------------------------------------------------

    def _records(self, where: str = "", params: tuple = (), order: str = "seq", limit=None):
        sql = f"SELECT {_COLUMNS} FROM events {where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {max(int(limit), 0)}"
        return [JournalRecord(*row) for row in self._db.execute(sql, params)]

    def records_after(self, seq: int, *, limit: int = 500) -> list[JournalRecord]:
        """Up to ``limit`` records with a sequence above ``seq``, in arrival order."""
        return self._records("WHERE seq > ?", (int(seq),), limit=limit)

    def last_seq(self) -> int:
        """The sequence of the newest record (0 for an empty journal)."""
        row = self._db.execute("SELECT max(seq) FROM events").fetchone()
        return int(row[0] or 0)

    def replay_records(self, *, batch: int = 500) -> Iterator[JournalRecord]:
        """Every record in arrival order, read in batches (safe while appends go on)."""
        last = 0
        while True:
            rows = self._records("WHERE seq > ?", (last,), limit=batch)
            if not rows:
                return
            yield from rows
            last = rows[-1].seq

    def replay(self) -> Iterator[Envelope]:
        """Every journalled event in arrival order, parsed (to rebuild the store at start-up)."""
        for record in self.replay_records():
            try:
                yield record.envelope()
            except EventParseError as exc:
                # Cannot happen for rows this program wrote; never stop a start-up over one row.
                log.error(
                    "journal row %d (%s) no longer parses: %s", record.seq, record.event_id, exc
                )

    def get_raw(self, event_id: str) -> str | None:
        row = self._db.execute(
            "SELECT raw FROM events WHERE event_id = ?", (_text(event_id),)
        ).fetchone()
        return row[0] if row else None

    def get(self, event_id: str) -> JournalRecord | None:
        rows = self._records("WHERE event_id = ?", (_text(event_id),))
        return rows[0] if rows else None

    def recent(
        self,
        limit: int = 200,
        event_type: str | None = None,
        call_control_id: str | None = None,
    ) -> list[JournalRecord]:
        """The newest ``limit`` records (newest first), optionally of one type or one leg."""
        clauses, params = [], []
        if event_type is not None:
            clauses.append("event_type = ?")
            params.append(event_type)
        if call_control_id is not None:
            clauses.append("call_control_id = ?")
            params.append(call_control_id)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self._records(where, tuple(params), order="seq DESC", limit=limit)

    def history(
        self,
        *,
        number: str | None = None,
        call_id: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = 1000,
    ) -> list[JournalRecord]:
        """Records for call history, oldest first.

        ``number`` matches a substring of ``from``/``to`` (so "5550100" finds "+18005550100");
        ``call_id`` matches a call control, leg, session or conference id exactly;
        ``since``/``until`` bound ``received_at`` (local Unix time).
        """
        clauses, params = [], []
        if number:
            pattern = "%" + number.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern += "%"
            clauses.append("(from_number LIKE ? ESCAPE '\\' OR to_number LIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
        if call_id:
            clauses.append(
                "(call_control_id = ? OR call_leg_id = ? OR call_session_id = ? "
                "OR conference_id = ?)"
            )
            params += [call_id] * 4
        if since is not None:
            clauses.append("received_at >= ?")
            params.append(since)
        if until is not None:
            clauses.append("received_at <= ?")
            params.append(until)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        newest = self._records(where, tuple(params), order="seq DESC", limit=limit)
        return newest[::-1]

    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0]

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
