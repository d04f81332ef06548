"""The history recorder: call history written as events arrive, on a thread of its own.

The recorder reads the journal from its own cursor (kept in the history table with the rows,
in one transaction), folds each batch into the legs it touches, and upserts those rows. So
history grows by the calls that happen, the window never re-reads raw events to show it, and
an old journal is folded once (the first start after an upgrade reads it from sequence 0, in
the background, a batch at a time). Once caught up, a wake-up waits ``GATHER_SECS`` before it
reads, so a call's events that land in several group commits are folded, and its row written,
once.

A leg is kept in memory while it is recent (``MAX_LEGS_IN_MEMORY``); a late event for an older
one (a recording saved long after the hangup, a restart in mid-call) revives it from its row.
``on_written`` hears the rows written in each batch, on the console's loop, so the history
panel can insert them without a query.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from console.db import DatabaseError, connect
from console.events.journal import Journal, JournalError, JournalRecord
from console.events.models import EventParseError
from console.history.entry import CallHistoryEntry, _apply, _Leg, _record_time
from console.history.table import HistoryTable

log = logging.getLogger(__name__)

BATCH = 500
POLL_SECS = 1.0
#: After a wake-up, how long more events may gather before the fold reads them. A wake-up is
#: one group commit (a few events); a call's events arriving within this are folded together
#: and its row is written once, not once per commit (the recorder cost ~190 µs of the window
#: process's CPU per delivery in an unpaced burst). History rows appear this much later.
GATHER_SECS = 0.25
MAX_LEGS_IN_MEMORY = 5000
MAX_LEG_IDS_IN_MEMORY = 20000

WrittenListener = Callable[[Sequence[CallHistoryEntry]], None]


class HistoryFold:
    """Journal records → history rows, one batch at a time (no threads, no loop)."""

    def __init__(self, table: HistoryTable):
        self._table = table
        self._legs: OrderedDict[str, _Leg] = OrderedDict()
        self._ccid_by_leg_id: OrderedDict[str, str] = OrderedDict()

    def fold(self, records: Sequence[JournalRecord]) -> list[CallHistoryEntry]:
        """Fold ``records`` and write the legs they touched; returns the rows written."""
        touched: dict[str, tuple[_Leg, int]] = {}
        for record in records:
            try:
                envelope = record.envelope()
            except EventParseError as exc:
                log.error("journal row %d does not parse; history skips it: %s", record.seq, exc)
                continue
            key, ccid = self._key(record)
            if key is None:
                continue
            leg = self._leg(key, ccid)
            at = _record_time(record, envelope.data.effective_occurred_at)
            _apply(leg, envelope.data.event_type, envelope.data.payload, at)
            if leg.call_leg_id and leg.call_control_id:
                self._remember_leg_id(leg.call_leg_id, leg.call_control_id)
            touched[key] = (leg, record.seq)
        rows = []
        for leg, seq in touched.values():
            if not leg.is_call:
                continue
            entry = leg.freeze()
            # Mid-call chatter (DTMF, playback, gather…) changes nothing a history row shows
            # but the time of the last event: the row is rewritten when something else does,
            # so a busy call costs one write at its end, not one per event.
            if leg.written is not None and _only_last_seen_moved(leg.written, entry):
                continue
            leg.written = entry
            rows.append((entry, seq))
        self._table.upsert(rows, journal_seq=records[-1].seq if records else None)
        return [entry for entry, _seq in rows]

    def _key(self, record: JournalRecord) -> tuple[str | None, str | None]:
        ccid = record.call_control_id
        if ccid is None and record.call_leg_id:
            # call.recording.saved names the leg id only (the spec has no call_control_id).
            ccid = self._ccid_by_leg_id.get(record.call_leg_id)
            if ccid is None:
                row = self._table.get_by_leg_id(record.call_leg_id)
                ccid = row.call_control_id if row is not None else None
        if ccid:
            return ccid, ccid
        if record.call_leg_id:
            return f"leg:{record.call_leg_id}", None
        return None, None

    def _leg(self, key: str, ccid: str | None) -> _Leg:
        leg = self._legs.get(key)
        if leg is not None:
            self._legs.move_to_end(key)
            return leg
        row = self._table.get(key)
        leg = _leg_from(row) if row is not None else _Leg(key=key, call_control_id=ccid)
        self._legs[key] = leg
        while len(self._legs) > MAX_LEGS_IN_MEMORY:
            self._legs.popitem(last=False)
        return leg

    def _remember_leg_id(self, call_leg_id: str, ccid: str) -> None:
        self._ccid_by_leg_id[call_leg_id] = ccid
        while len(self._ccid_by_leg_id) > MAX_LEG_IDS_IN_MEMORY:
            self._ccid_by_leg_id.popitem(last=False)


def _only_last_seen_moved(written: CallHistoryEntry, entry: CallHistoryEntry) -> bool:
    return replace(entry, last_seen_at=written.last_seen_at) == written


def _leg_from(entry: CallHistoryEntry) -> _Leg:
    """A leg to fold more events into, from its written row."""
    return _Leg(
        written=entry,
        key=entry.call_id if entry.call_control_id else f"leg:{entry.call_leg_id}",
        call_control_id=entry.call_control_id,
        call_leg_id=entry.call_leg_id,
        call_session_id=entry.call_session_id,
        direction=entry.direction,
        from_number=entry.from_number,
        to_number=entry.to_number,
        caller_name=entry.caller_name,
        started_at=entry.started_at,
        answered_at=entry.answered_at,
        ended_at=entry.ended_at,
        hangup_cause=entry.hangup_cause,
        hangup_source=entry.hangup_source,
        sip_hangup_cause=entry.sip_hangup_cause,
        recording_urls=list(entry.recording_urls),
        recording_count=entry.recording_count,
        conference_ids=list(entry.conference_ids),
        queue_names=list(entry.queue_names),
        first_seen_at=entry.first_seen_at,
        last_seen_at=entry.last_seen_at,
        is_call=True,
    )


class HistoryRecorder:
    """Runs :class:`HistoryFold` over the journal's tail on a thread (see the module doc)."""

    def __init__(
        self,
        journal_path: str | Path,
        database_path: str | Path,
        *,
        on_written: WrittenListener | None = None,
        batch: int = BATCH,
        poll_secs: float = POLL_SECS,
        gather_secs: float = GATHER_SECS,
        held: bool = False,
    ):
        """``held``: open the files at :meth:`start` but fold nothing until :meth:`release`
        (the app keeps an old journal's fold from competing with the window being built)."""
        self.journal_path = Path(journal_path)
        self.database_path = Path(database_path)
        self._on_written = on_written
        self._batch = batch
        self._poll_secs = poll_secs
        self._gather_secs = gather_secs
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._released = threading.Event()
        if not held:
            self._released.set()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._folded = 0
        self._committed = 0
        self.last_error: str | None = None

    @property
    def folded_seq(self) -> int:
        """Every journal row up to this sequence is in the history table."""
        return self._folded

    @property
    def pending(self) -> int:
        return max(0, self._committed - self._folded)

    async def start(self) -> None:
        """Open both files in the recorder's thread (raises JournalError / DatabaseError
        from there) and start folding."""
        self._loop = loop = asyncio.get_running_loop()
        opened: asyncio.Future[None] = loop.create_future()
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(opened,), name="history-recorder", daemon=True
        )
        self._thread.start()
        try:
            await opened
        except BaseException:
            await self.stop()
            raise

    def release(self) -> None:
        """Start folding (a recorder made ``held``); harmless otherwise."""
        self._released.set()

    async def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        self._wake.set()
        self._released.set()
        await asyncio.to_thread(thread.join)

    def notify(self, seq: int) -> None:
        """The journal has rows up to ``seq``: fold them now."""
        self._committed = max(self._committed, int(seq))
        self._wake.set()

    def _run(self, opened: asyncio.Future[None]) -> None:
        loop = self._loop
        assert loop is not None
        try:
            journal = Journal(self.journal_path, readonly=True)
            try:
                conn = connect(self.database_path)
                table = HistoryTable(conn)
            except BaseException:
                journal.close()
                raise
        except BaseException as exc:
            loop.call_soon_threadsafe(_settle, opened, exc)
            return
        cursor = self._folded = table.folded_through()
        self._committed = max(self._committed, journal.last_seq())
        loop.call_soon_threadsafe(_settle, opened, None)
        self._released.wait()
        fold = HistoryFold(table)
        try:
            while not self._stop.is_set():
                try:
                    records = journal.records_after(cursor, limit=self._batch)
                    written = fold.fold(records) if records else []
                except (JournalError, DatabaseError, OSError) as exc:
                    self._note_error(str(exc))
                    records, written = [], []
                except Exception as exc:  # sqlite3.Error and the like: never kill the thread
                    log.exception("writing call history failed")
                    self._note_error(str(exc))
                    records, written = [], []
                if not records:
                    if self._wake.wait(self._poll_secs) and self._gather_secs > 0:
                        self._stop.wait(self._gather_secs)
                    self._wake.clear()
                    continue
                cursor = records[-1].seq
                self._folded = cursor
                self.last_error = None
                if written and self._on_written is not None:
                    self._to_loop(self._on_written, written)
        finally:
            journal.close()
            conn.close()

    def _note_error(self, message: str) -> None:
        if message != self.last_error:
            log.warning("call history is behind (will retry): %s", message)
        self.last_error = message
        self._stop.wait(self._poll_secs)  # do not spin on a persistent fault

    def _to_loop(self, callback: WrittenListener, rows: list[CallHistoryEntry]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(callback, rows)


def _settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)
