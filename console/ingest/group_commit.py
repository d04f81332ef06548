"""Group commit: concurrent deliveries share one journal transaction, written off the loop.

The receiver awaits :meth:`GroupCommitJournal.commit` for each verified event. The rows of
one turn of the event loop are handed together to a writer thread that owns the journal's
connection; the thread takes everything handed over (about ``max_batch`` at most), writes it
in one transaction with one fsync, and resolves the waiting deliveries together. While one
batch is being synced the next one gathers, so under load the fsync cost is shared by the
whole batch, and with no load a lone event is written at once (no timer to wait for). The
event loop never blocks on the disk: a slow fsync delays the answers of the deliveries in
that batch, never the loop or other connections.

When the writer is idle it first removes the indexes older journals carry and nothing reads
(each cost every commit; one per idle turn), then compacts: events older than the retention
that every reader has taken (``compact_below``) are removed a chunk at a time, between
batches, so compaction never holds a delivery back by more than one chunk.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from console.events.journal import Journal, JournalError, JournalRow, journal_row
from console.events.models import Envelope

log = logging.getLogger(__name__)

DEFAULT_MAX_BATCH = 512
COMPACT_CHUNK = 2000
#: How long the writer waits for work before it does a little compaction.
IDLE_SECS = 1.0


@dataclass(frozen=True)
class BatchWritten:
    """What one transaction did (for metrics)."""

    size: int
    new: int
    seconds: float
    last_seq: int | None  # the newest seq written in the batch, if any was new


T = TypeVar("T")
_Waiter = tuple[JournalRow, asyncio.Future[int | None]]


class GroupCommitJournal:
    """The receiver's journal (``EventJournal``): ``await commit(...)`` returns the new seq, or
    None for an event id already stored, once the event is durable. ``on_batch`` hears each
    transaction on the loop, right after its deliveries were answered."""

    def __init__(
        self,
        path: str | Path,
        *,
        max_batch: int = DEFAULT_MAX_BATCH,
        synchronous: str = "FULL",
        on_batch: Callable[[BatchWritten], None] | None = None,
        retention_secs: float | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.path = Path(path)
        self._max_batch = max(1, int(max_batch))
        self._synchronous = synchronous
        self._on_batch = on_batch
        self._retention_secs = retention_secs
        self._clock = clock
        # Rows of this turn of the loop, handed to the writer together at its end.
        self._gathering: list[_Waiter] = []
        # None asks the writer to stop once the rows queued before it are written.
        self._queue: queue.SimpleQueue[list[_Waiter] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._compact_below = 0
        self._indexes_gone = False  # until the obsolete indexes are removed, on idle turns
        self._last_seq = 0
        self.compacted = 0
        self.integrity_checked = threading.Event()  # set once the background check finished
        self.integrity_problem: str | None = None

    # --- lifecycle -------------------------------------------------------------------------

    async def open(self) -> None:
        """Open the journal in the writer thread; raises what opening raised (JournalError)."""
        if self._thread is not None:
            return
        self._loop = asyncio.get_running_loop()
        opened: asyncio.Future[int] = self._loop.create_future()
        self._thread = threading.Thread(
            target=self._run, args=(opened,), name="journal-writer", daemon=True
        )
        self._thread.start()
        try:
            self._last_seq = await opened
        except BaseException:
            await asyncio.to_thread(self._thread.join)
            self._thread = None
            raise

    async def close(self) -> None:
        """Write what is queued, then stop the writer and close the journal."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._hand_over()
        self._queue.put(None)
        await asyncio.to_thread(thread.join)

    @property
    def last_seq(self) -> int:
        """The newest seq written (as last known on the loop thread)."""
        return self._last_seq

    def compact_below(self, seq: int) -> None:
        """Every reader has taken the events up to ``seq``: older ones may be compacted."""
        self._compact_below = max(self._compact_below, int(seq))

    # --- writing -------------------------------------------------------------------------

    async def commit(self, envelope: Envelope, raw: str | bytes, received_at: float) -> int | None:
        if self._thread is None or self._loop is None:
            raise JournalError("the event journal is not open")
        row = journal_row(envelope, raw, received_at)
        done: asyncio.Future[int | None] = self._loop.create_future()
        self._gathering.append((row, done))
        if len(self._gathering) == 1:
            self._loop.call_soon(self._hand_over)
        return await done

    def _hand_over(self) -> None:
        """Give the writer every row this turn of the loop gathered, in one piece.

        Deliveries that arrive together run their handlers in one turn of the loop; handing
        them over together (not one queue put each, each waking the writer) lets them share
        one transaction, where a writer woken by the first would commit it alone.
        """
        gathered, self._gathering = self._gathering, []
        if gathered:
            self._queue.put(gathered)

    # --- the writer thread -----------------------------------------------------------------

    def _run(self, opened: asyncio.Future[int]) -> None:
        loop = self._loop
        assert loop is not None
        try:
            # The structural check reads the whole file: it runs beside the writer (below),
            # so the receiver answers at once however long the journal has grown.
            journal = Journal(self.path, synchronous=self._synchronous, integrity_check=False)
        except BaseException as exc:
            loop.call_soon_threadsafe(_fail, opened, exc)
            return
        loop.call_soon_threadsafe(_resolve, opened, journal.last_seq())
        threading.Thread(target=self._check, name="journal-check", daemon=True).start()
        try:
            self._serve(journal, loop)
        finally:
            journal.close()

    def _check(self) -> None:
        """Check the journal's structure on a read-only connection of its own."""
        try:
            with Journal(self.path, readonly=True) as reader:
                problem = reader.integrity_problem()
        except Exception as exc:
            problem = str(exc) or type(exc).__name__
        if problem is not None:
            log.error(
                "the event journal %s is damaged (%s): events may fail to be stored; stop the "
                "console, move the file aside and start again",
                self.path,
                problem,
            )
        self.integrity_problem = problem
        self.integrity_checked.set()

    def _serve(self, journal: Journal, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_SECS)
            except queue.Empty:
                self._when_idle(journal)
                continue
            batch: list[_Waiter] = []
            stopping = first is None
            if first is not None:
                batch.extend(first)
            while len(batch) < self._max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                else:
                    batch.extend(item)
            if batch:
                self._write(journal, loop, batch)
            if stopping and self._queue.empty():
                return

    def _write(
        self, journal: Journal, loop: asyncio.AbstractEventLoop, batch: list[_Waiter]
    ) -> None:
        started = time.perf_counter()
        try:
            seqs = journal.append_rows([row for row, _ in batch])
        except Exception as exc:
            log.error("journal write of %d events failed: %s", len(batch), exc)
            loop.call_soon_threadsafe(_fail_all, batch, exc)
            return
        elapsed = time.perf_counter() - started
        new = [seq for seq in seqs if seq is not None]
        written = BatchWritten(len(batch), len(new), elapsed, max(new, default=None))
        # One wake-up of the loop per batch: its answers and its listener together.
        loop.call_soon_threadsafe(self._settle, batch, seqs, written)

    def _settle(self, batch: list[_Waiter], seqs: list[int | None], written: BatchWritten) -> None:
        for (_row, done), seq in zip(batch, seqs, strict=True):
            if seq is not None and seq > self._last_seq:
                self._last_seq = seq
            _resolve(done, seq)
        if self._on_batch is not None:
            try:
                self._on_batch(written)
            except Exception:
                log.exception("journal batch listener failed")

    def _when_idle(self, journal: Journal) -> None:
        if not self._indexes_gone:
            # One index per idle turn, so a delivery arriving meanwhile waits for one drop
            # only (up to ~75 ms each in a 180,000-event, 290 MB journal).
            try:
                dropped = journal.drop_obsolete_indexes(limit=1)
            except JournalError as exc:
                log.warning("%s", exc)
                dropped = []
            if dropped:
                log.info("event journal: removed the unused index %s", dropped[0])
                return
            self._indexes_gone = True
        self._compact(journal)

    def _compact(self, journal: Journal) -> None:
        if not self._retention_secs or self._compact_below <= 0:
            return
        cutoff = self._clock() - self._retention_secs
        try:
            removed = journal.delete_older_than(
                cutoff, up_to_seq=self._compact_below, limit=COMPACT_CHUNK
            )
        except JournalError as exc:
            log.warning("%s", exc)
            return
        if removed:
            self.compacted += removed
            log.info("journal compaction removed %d events older than the retention", removed)


def _resolve(future: asyncio.Future[T], value: T) -> None:
    if not future.done():
        future.set_result(value)


def _fail(future: asyncio.Future[T], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


def _fail_all(batch: list[_Waiter], exc: Exception) -> None:
    error = exc if isinstance(exc, JournalError) else JournalError(str(exc))
    for _row, done in batch:
        _fail(done, error)
