"""The console's event source in solo mode: the journal's tail, read off the GUI thread.

The ingest component writes the journal and says what it committed (``notify(seq)``); this
reader thread reads the rows after its cursor with its own read-only connection, parses them
(the expensive part of a row), and hands each batch to ``deliver`` on the console's loop. The
next batch is read while the loop folds the current one, but never more than ``prefetch``
batches ahead, so a busy window makes the backlog wait on disk, not in memory.

While events keep coming, the reader lets a batch fill for ``gather_secs`` after the previous
one before handing it over: each fold costs a refresh of every call it touches and a look at
what changed, whatever its size, so ~20 larger folds a second cost the window less than a
hundred small ones (one per group commit). After a quiet spell the first event goes at once.

A notification can be lost (the ingest child restarting, say), so the reader also looks for
new rows every ``poll_secs``; a notification only makes it look at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
import time
from pathlib import Path

from console.events.journal import Journal, JournalError, JournalRecord
from console.events.models import EventParseError
from console.events.source import BatchSink

log = logging.getLogger(__name__)

# A batch is folded in one turn of the GUI loop, and batches waiting are run back to back:
# 128 events at most twice kept the worst GUI lag in the 25-50 ms bucket at 1,000 events/s
# with 5,000 live calls (benchmarks/app_as_wired), under the 50 ms an operator notices.
# (200 × 4 froze the window for up to a second at that load.) Gathering for 50 ms makes that
# 20 folds a second under load, and events reach the store at most that much later: well
# inside the quarter second an operator would notice.
BATCH = 128
PREFETCH_BATCHES = 2
POLL_SECS = 0.5
GATHER_SECS = 0.05


class JournalTail:
    """An :class:`~console.events.source.EventSource` over the local journal."""

    def __init__(
        self,
        path: str | Path,
        *,
        batch: int = BATCH,
        prefetch: int = PREFETCH_BATCHES,
        poll_secs: float = POLL_SECS,
        gather_secs: float = GATHER_SECS,
    ):
        self.path = Path(path)
        self._batch = max(1, int(batch))
        self._poll_secs = poll_secs
        self._gather_secs = max(0.0, float(gather_secs))
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._slots = threading.Semaphore(max(1, int(prefetch)))
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._deliver: BatchSink | None = None
        self._committed = 0  # the newest seq ingest reported
        self._delivered = 0  # the newest seq handed to deliver

    # --- EventSource ---------------------------------------------------------------------

    async def start(self, after_seq: int, deliver: BatchSink) -> None:
        """Open the journal read-only (raises JournalError) and start delivering."""
        journal = await asyncio.to_thread(Journal, self.path, readonly=True)
        self._loop = asyncio.get_running_loop()
        self._deliver = deliver
        self._delivered = int(after_seq)
        self._committed = max(self._committed, await asyncio.to_thread(journal.last_seq))
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(journal, int(after_seq)), name="journal-tail", daemon=True
        )
        self._thread.start()

    async def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        self._wake.set()
        self._slots.release()  # a reader waiting for a free slot must see the stop
        await asyncio.to_thread(thread.join)

    @property
    def pending(self) -> int:
        return max(0, self._committed - self._delivered)

    @property
    def delivered_seq(self) -> int:
        """The newest sequence handed to ``deliver``."""
        return self._delivered

    def notify(self, seq: int) -> None:
        """Ingest committed everything up to ``seq``: read it now."""
        self._committed = max(self._committed, int(seq))
        self._wake.set()

    # --- the reader thread -----------------------------------------------------------------

    def _run(self, journal: Journal, cursor: int) -> None:
        handed_over_at = float("-inf")  # time.monotonic() of the last hand-over
        try:
            while not self._stop.is_set():
                records = self._read(journal, cursor, self._batch)
                if not records:
                    self._wake.wait(self._poll_secs)
                    self._wake.clear()
                    continue
                batch = [self._parsed(record) for record in records]
                fill_until = handed_over_at + self._gather_secs
                if len(records) < self._batch and time.monotonic() < fill_until:
                    # Busy: the previous batch went moments ago. What is here is parsed; let
                    # the rest of the gathering time pass, then take what arrived meanwhile.
                    self._stop.wait(max(0.0, fill_until - time.monotonic()))
                    more = self._read(journal, records[-1].seq, self._batch - len(records))
                    records += more
                    batch += [self._parsed(record) for record in more]
                cursor = records[-1].seq
                self._slots.acquire()
                if self._stop.is_set():
                    return
                handed_over_at = time.monotonic()
                self._hand_over([r for r in batch if r is not None], cursor)
        finally:
            journal.close()

    def _read(self, journal: Journal, cursor: int, limit: int) -> list[JournalRecord]:
        try:
            return journal.records_after(cursor, limit=limit)
        except JournalError as exc:
            log.warning("reading the event journal failed (will retry): %s", exc)
            return []

    def _parsed(self, record: JournalRecord) -> JournalRecord | None:
        try:
            return dataclasses.replace(record, parsed=record.envelope())
        except EventParseError as exc:
            # Cannot happen for rows the receiver wrote (it parsed them first); say so loudly.
            log.error("journal row %d (%s) does not parse: %s", record.seq, record.event_id, exc)
            return None

    def _hand_over(self, batch: list[JournalRecord], cursor: int) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(self._deliver_on_loop, batch, cursor)
        except RuntimeError:  # the loop closed meanwhile
            self._slots.release()

    def _deliver_on_loop(self, batch: list[JournalRecord], cursor: int) -> None:
        try:
            if batch and self._deliver is not None and self._thread is not None:
                self._deliver(batch)
        except Exception:
            log.exception("folding events %d..%d failed", batch[0].seq, cursor)
        finally:
            self._delivered = max(self._delivered, cursor)
            self._committed = max(self._committed, cursor)
            self._slots.release()
