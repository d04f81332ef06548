"""The event journal: every accepted webhook, durably in SQLite (WAL), before Telnyx gets its 2xx.

Durability: the database runs in WAL mode with ``synchronous=FULL``. In WAL mode ``NORMAL``
already survives a crash of the process (a SIGKILL leaves the committed frames in the WAL file
in the OS cache), but it does not fsync on each commit, so a power loss can roll back the last
transactions. A 2xx tells Telnyx it may forget the event (it does not retry), so each commit
is fsynced (``FULL``). Concurrent deliveries share one commit: :meth:`Journal.append_rows`
writes a batch in one transaction, and the ingest component's group commit
(``console/ingest/group_commit.py``) hands it everything that arrived during the previous
fsync, so the fsync cost is per batch, not per event.

One connection writes (the ingest component's writer thread); readers (the console tailing the
journal, the event log, history back-fill) open their own with ``readonly=True``, which never
changes the schema and refuses writes. Sequences (``seq``) are never reused, so a reader's
cursor stays meaningful across compaction (:meth:`Journal.delete_older_than`).
"""

from __future__ import annotations

import logging
import math
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from console.paths import private_file

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
    # The envelope parsed once, off the GUI thread, by whoever read the row (the journal tail).
    parsed: Envelope | None = field(default=None, compare=False, repr=False)

    def envelope(self) -> Envelope:
        return self.parsed if self.parsed is not None else parse_envelope(self.raw)


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


#: The columns of one ``events`` row but its seq, in ``_INSERT`` order.
JournalRow = tuple[
    str | None, str | None, str | None, float, int, str | None, str | None, str | None,
    str | None, str | None, str | None, str | None,
]  # fmt: skip
_INSERT = (
    "INSERT OR IGNORE INTO events (event_id, event_type, occurred_at, received_at, attempt, "
    "call_control_id, call_leg_id, call_session_id, conference_id, from_number, to_number, raw) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def journal_row(envelope: Envelope, raw: str | bytes, received_at: float) -> JournalRow:
    """The row that stores ``envelope`` (received as ``raw`` at ``received_at``).

    Raises :class:`JournalError` for values SQLite cannot hold.
    """
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    event = envelope.data
    payload = event.payload
    extra = payload.model_extra or {}
    attempt = min(max(int(envelope.attempt), 0), _SQLITE_INT_MAX)
    if not math.isfinite(received_at):
        raise JournalError(f"received_at is not a finite time: {received_at!r}")
    return (
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


class Journal:
    """Append-only store of accepted events; see the module docstring for durability."""

    def __init__(
        self,
        path: str | Path,
        *,
        synchronous: str = "FULL",
        busy_timeout_ms: int = 500,
        integrity_check: bool = True,
        readonly: bool = False,
    ):
        """Open (creating it, private to the user, unless ``readonly``) the journal at ``path``.

        A ``readonly`` connection may be used from another thread than the one that opened it
        (one thread at a time): the console reads on a worker thread.
        """
        self.path = Path(path)
        self._integrity_check = integrity_check and not readonly
        self._readonly = readonly
        if synchronous.upper() not in ("FULL", "EXTRA", "NORMAL"):
            raise ValueError(f"synchronous must be FULL, EXTRA or NORMAL, not {synchronous!r}")
        self._conn: sqlite3.Connection | None = None
        try:
            if readonly:
                if not self.path.exists():
                    raise JournalError(f"event journal {self.path} does not exist")
            else:
                private_file(self.path)
            conn = sqlite3.connect(
                str(self.path), isolation_level=None, check_same_thread=not readonly
            )
        except (OSError, sqlite3.Error) as exc:
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
        if self._readonly:
            if version < 1:
                raise JournalError(f"event journal {self.path} has no events table yet")
            conn.execute("PRAGMA query_only = 1")
            return
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
        problem = _integrity_problem(conn)
        if problem is not None:
            raise sqlite3.DatabaseError(problem)

    def integrity_problem(self) -> str | None:
        """What ``PRAGMA quick_check`` finds wrong, or None. It reads the whole file (about a
        second per gigabyte): the ingest component runs it beside serving, not before."""
        return _integrity_problem(self._db)

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
        return self.append_rows([journal_row(envelope, raw, received_at)])[0] is not None

    async def commit(self, envelope: Envelope, raw: str | bytes, received_at: float) -> int | None:
        """The receiver's seam (:class:`console.events.receiver.EventJournal`), written inline.

        One commit (and fsync) per event on the calling thread: for tests and tools. The
        console and the relay use :class:`console.ingest.group_commit.GroupCommitJournal`,
        which shares one commit between concurrent deliveries, off the event loop.
        """
        return self.append_rows([journal_row(envelope, raw, received_at)])[0]

    def append_rows(self, rows: Sequence[JournalRow]) -> list[int | None]:
        """Store ``rows`` in one transaction (one fsync); each row's new seq, or None for an
        event id already stored. All or nothing: raises :class:`JournalError` and stores none.
        """
        db = self._db
        results: list[int | None] = []
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                for row in rows:
                    cursor = db.execute(_INSERT, row)
                    results.append(cursor.lastrowid if cursor.rowcount == 1 else None)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise JournalError(f"event journal write failed: {exc}") from exc
        return results

    def delete_older_than(self, received_before: float, *, up_to_seq: int, limit: int) -> int:
        """Remove at most ``limit`` events received before ``received_before`` with a sequence
        of at most ``up_to_seq`` (what every reader has taken); returns how many went.

        Sequences are never reused (AUTOINCREMENT), so a reader's cursor stays meaningful.
        """
        try:
            cursor = self._db.execute(
                "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE seq <= ? "
                "AND received_at < ? ORDER BY seq LIMIT ?)",
                (int(up_to_seq), float(received_before), max(int(limit), 0)),
            )
        except sqlite3.Error as exc:
            raise JournalError(f"event journal compaction failed: {exc}") from exc
        return cursor.rowcount

    # --- reading -----------------------------------------------------------------------------

    def _records(
        self,
        where: str = "",
        params: tuple[object, ...] = (),
        order: str = "seq",
        limit: int | None = None,
    ) -> list[JournalRecord]:
        sql = f"SELECT {_COLUMNS} FROM events {where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {max(int(limit), 0)}"
        return [JournalRecord(*row) for row in self._db.execute(sql, params)]

    def records_after(self, seq: int, *, limit: int = 500) -> list[JournalRecord]:
        """Up to ``limit`` records with a sequence above ``seq``, in arrival order."""
        return self._records("WHERE seq > ?", (int(seq),), limit=limit)

    def records_with_ids(self, event_ids: Sequence[str]) -> list[JournalRecord]:
        """The records of these event ids that are still journalled, in arrival order."""
        found: list[JournalRecord] = []
        for start in range(0, len(event_ids), 500):  # SQLite's bound on host parameters
            chunk = [_text(i) for i in event_ids[start : start + 500]]
            marks = ", ".join("?" * len(chunk))
            found += self._records(f"WHERE event_id IN ({marks})", tuple(chunk))
        found.sort(key=lambda record: record.seq)
        return found

    def first_seq_received_since(self, received_at: float) -> int | None:
        """The oldest sequence received at or after ``received_at`` (None when there is none)."""
        row = self._db.execute(
            "SELECT min(seq) FROM events WHERE received_at >= ?", (float(received_at),)
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

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
        clauses: list[str] = []
        params: list[object] = []
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
        clauses: list[str] = []
        params: list[object] = []
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
        return int(self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _integrity_problem(conn: sqlite3.Connection) -> str | None:
    check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    return None if check == "ok" else f"integrity check failed: {check}"
