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

The file's layout and the checks made on opening it are in ``journal_schema``, the row written
for an event and the record read back in ``journal_rows``, the searches' filters in
``journal_queries``.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from console.paths import private_file

from .journal_queries import history_filter, recent_filter
from .journal_rows import JournalRecord, JournalRow, journal_row, storable_text
from .journal_schema import (
    EVENT_COLUMNS,
    INSERT_EVENT,
    OBSOLETE_INDEXES,
    JournalCorruptError,
    JournalError,
    configure,
    integrity_problem,
)
from .models import Envelope, EventParseError

log = logging.getLogger(__name__)

# The row, record and error types live beside the journal; most of the program imports them
# from here, as before they moved.
__all__ = [
    "Journal",
    "JournalCorruptError",
    "JournalError",
    "JournalRecord",
    "JournalRow",
    "journal_row",
]


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
            configure(
                conn,
                self.path,
                synchronous=synchronous.upper(),
                busy_timeout_ms=busy_timeout_ms,
                readonly=readonly,
                integrity_check=integrity_check,
            )
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

    def integrity_problem(self) -> str | None:
        """What ``PRAGMA quick_check`` finds wrong, or None. It reads the whole file (about a
        second per gigabyte): the ingest component runs it beside serving, not before."""
        return integrity_problem(self._db)

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
                    cursor = db.execute(INSERT_EVENT, row)
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

    def drop_obsolete_indexes(self, limit: int | None = None) -> list[str]:
        """Remove (at most ``limit`` of) the indexes older journals carry and nothing reads
        (``OBSOLETE_INDEXES``); returns the names removed. Each takes time in proportion to
        its size, once: the ingest component removes one per idle turn of its writer."""
        present = {
            name
            for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        dropped = [name for name in OBSOLETE_INDEXES if name in present][:limit]
        try:
            for name in dropped:
                self._db.execute(f"DROP INDEX IF EXISTS {name}")
        except sqlite3.Error as exc:
            raise JournalError(f"event journal: removing an unused index failed: {exc}") from exc
        return dropped

    # --- reading -----------------------------------------------------------------------------

    def _records(
        self,
        where: str = "",
        params: tuple[object, ...] = (),
        order: str = "seq",
        limit: int | None = None,
    ) -> list[JournalRecord]:
        sql = f"SELECT {EVENT_COLUMNS} FROM events {where} ORDER BY {order}"
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
            chunk = [storable_text(i) for i in event_ids[start : start + 500]]
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
            "SELECT raw FROM events WHERE event_id = ?", (storable_text(event_id),)
        ).fetchone()
        return row[0] if row else None

    def get(self, event_id: str) -> JournalRecord | None:
        rows = self._records("WHERE event_id = ?", (storable_text(event_id),))
        return rows[0] if rows else None

    def recent(
        self,
        limit: int = 200,
        event_type: str | None = None,
        call_control_id: str | None = None,
    ) -> list[JournalRecord]:
        """The newest ``limit`` records (newest first), optionally of one type or one leg.

        A filtered query scans back from the newest record (only ``seq`` and ``event_id`` are
        indexed, to keep each delivery's commit cheap)."""
        where, params = recent_filter(event_type, call_control_id)
        return self._records(where, params, order="seq DESC", limit=limit)

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
        ``since``/``until`` bound ``received_at`` (local Unix time). It scans the journal: the
        console searches its history table (``console/history/table.py``) instead.
        """
        where, params = history_filter(number, call_id, since, until)
        newest = self._records(where, params, order="seq DESC", limit=limit)
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
