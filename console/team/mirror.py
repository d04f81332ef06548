"""The relay's stream, copied into this console's own journal, with the stream cursor beside it.

In team mode nothing posts webhooks to the console: :class:`~console.relay.JetStreamSource`
hands over batches of the relay's records, and :class:`StreamMirror` appends them to the
console's journal (the same file and schema a solo console's receiver writes). From there the
solo path runs unchanged: the journal tail folds them through :class:`~console.event_feed.EventFeed`
into the store, the history recorder writes call history, checkpoints and the event log work.
The journal's unique event id is the first dedupe (a record read twice, after a reconnect or a
stream reset, is stored once and folded once); the store's own dedupe is the second.

The stream cursor (the newest stream sequence copied) is kept in the console database, table
``team_cursor``, written after the journal commit that holds its records: after a crash the
cursor is never ahead of the journal, at worst behind it (those records are then skipped as
duplicates). Both writes run on one worker thread, in order, never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from console.db import Schema, migrate
from console.db import connect as connect_database
from console.events.journal import Journal, JournalRecord, journal_row

log = logging.getLogger(__name__)

TEAM_SCHEMA = Schema(
    "team",
    [
        """
        CREATE TABLE team_cursor (
            stream      TEXT PRIMARY KEY,   -- the relay's stream name
            seq         INTEGER NOT NULL,   -- the newest stream sequence in the journal
            saved_at    REAL NOT NULL       -- Unix time
        );
        """
    ],
)
#: Wait before writing a batch again after the journal refused it (disk full, locked).
RETRY_SECS = 1.0
#: Rows deleted per compaction step (keeps each transaction short).
COMPACT_LIMIT = 5000


def load_cursor(conn: sqlite3.Connection, stream: str) -> int:
    migrate(conn, TEAM_SCHEMA)
    row = conn.execute("SELECT seq FROM team_cursor WHERE stream = ?", (stream,)).fetchone()
    return int(row[0]) if row else 0


def save_cursor(conn: sqlite3.Connection, stream: str, seq: int) -> None:
    conn.execute(
        "INSERT INTO team_cursor (stream, seq, saved_at) VALUES (?, ?, ?) "
        "ON CONFLICT(stream) DO UPDATE SET seq = excluded.seq, saved_at = excluded.saved_at",
        (stream, int(seq), time.time()),
    )


class StreamMirror:
    """Stream batches → the console journal + the saved stream cursor (see the module doc)."""

    def __init__(
        self,
        journal_path: Path,
        database_path: Path,
        stream: str,
        *,
        committed: Callable[[int], None],
    ):
        self._journal_path = journal_path
        self._database_path = database_path
        self._stream = stream
        self._committed = committed
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="team-mirror")
        # Both connections are made, used and closed on the executor's one thread.
        self._journal: Journal | None = None
        self._db: sqlite3.Connection | None = None
        self._pending: list[JournalRecord] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.saved_cursor = 0
        self.copied = 0  # records new to the journal
        self.duplicates = 0  # records the journal already had
        self.problem: str | None = None

    async def open(self) -> int:
        """Create the journal and read the saved cursor; returns it."""
        loop = asyncio.get_running_loop()
        self.saved_cursor = await loop.run_in_executor(self._executor, self._open)
        self._task = asyncio.create_task(self._run(), name="team-mirror")
        return self.saved_cursor

    def _open(self) -> int:
        self._journal = Journal(self._journal_path)
        self._db = connect_database(self._database_path)
        return load_cursor(self._db, self._stream)

    def deliver(self, batch: Sequence[JournalRecord]) -> None:
        """The source's sink (on the loop): queue the batch for the writer, in order."""
        self._pending.extend(batch)
        self._wake.set()

    async def drain(self) -> None:
        """Wait until everything delivered so far is in the journal (stop, tests)."""
        while self._pending or self._wake.is_set():
            await asyncio.sleep(0.01)
            if self._task is None or self._task.done():
                return

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            batch, self._pending = self._pending, []
            if batch:
                try:
                    last_seq = await loop.run_in_executor(self._executor, self._write, batch)
                except Exception as exc:
                    # Kept, in order, and tried again: nothing read from the stream is dropped.
                    self.problem = f"events from the broker could not be stored ({exc})"
                    log.error("%s; retrying in %.0f s", self.problem, RETRY_SECS)
                    self._pending[:0] = batch
                    await asyncio.sleep(RETRY_SECS)
                    continue
                else:
                    self.problem = None
                    self.saved_cursor = batch[-1].seq
                    if last_seq is not None:
                        self._committed(last_seq)
            if not self._pending:
                self._wake.clear()

    def _write(self, batch: list[JournalRecord]) -> int | None:
        journal, db = self._journal, self._db
        assert journal is not None and db is not None
        rows = [journal_row(record.envelope(), record.raw, record.received_at) for record in batch]
        seqs = journal.append_rows(rows)
        new = [seq for seq in seqs if seq is not None]
        self.copied += len(new)
        self.duplicates += len(seqs) - len(new)
        save_cursor(db, self._stream, batch[-1].seq)
        return new[-1] if new else None

    def compact_below(self, seq: int, retention_days: int) -> None:
        """Delete journal rows every reader took and older than the retention (background)."""
        cutoff = time.time() - retention_days * 86400

        def compact() -> None:
            if self._journal is not None:
                self._journal.delete_older_than(cutoff, up_to_seq=seq, limit=COMPACT_LIMIT)

        self._executor.submit(compact)

    async def close(self) -> None:
        await self.drain()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._close)
        self._executor.shutdown(wait=True)

    def _close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self._db is not None:
            self._db.close()
            self._db = None
