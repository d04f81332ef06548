"""The history recorder on real files: rows written as events arrive, a late recording that
names only the leg id, its cursor kept across restarts, and an old journal folded once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from console.db import connect
from console.events.journal import Journal
from console.history.recorder import HistoryRecorder
from console.history.table import HistoryTable
from tests.test_history import Phone

pytestmark = pytest.mark.anyio

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


class Written:
    def __init__(self) -> None:
        self.rows: list = []
        self.changed = asyncio.Event()

    def __call__(self, rows) -> None:
        self.rows += rows
        self.changed.set()

    async def until(self, condition, within: float = 10.0) -> None:
        async with asyncio.timeout(within):
            while not condition():
                self.changed.clear()
                await self.changed.wait()


def _table(path) -> tuple[HistoryTable, object]:
    conn = connect(path)
    return HistoryTable(conn), conn


async def test_rows_follow_the_journal_and_a_late_recording_joins_its_call(tmp_path):
    journal_path, db_path = tmp_path / "events.sqlite3", tmp_path / "console.sqlite3"
    journal = Journal(journal_path)
    phone = Phone(journal)
    written = Written()
    recorder = HistoryRecorder(journal_path, db_path, on_written=written, poll_secs=0.05)
    await recorder.start()
    try:
        phone.call("v3:first", START)
        recorder.notify(journal.last_seq())
        await written.until(
            lambda: any(r.call_control_id == "v3:first" and r.ended for r in written.rows)
        )
        # The recording names only the leg id (as in the spec), and comes later.
        phone.call("v3:second", START + timedelta(minutes=5), record=True)
        recorder.notify(journal.last_seq())
        await written.until(lambda: recorder.folded_seq == journal.last_seq())
    finally:
        await recorder.stop()
    table, conn = _table(db_path)
    second = table.get("v3:second")
    assert second is not None and second.recording_count == 1
    assert second.recording_urls == (
        "https://rec.test/v3:second.wav",
        "https://rec.test/v3:second.mp3",
    )
    assert table.get("leg:leg-v3:second") is None  # not a row of its own
    assert table.folded_through() == journal.last_seq()
    conn.close()
    journal.close()


async def test_an_old_journal_is_folded_once_and_a_restart_resumes_at_its_cursor(tmp_path):
    journal_path, db_path = tmp_path / "events.sqlite3", tmp_path / "console.sqlite3"
    journal = Journal(journal_path)
    phone = Phone(journal)
    for n in range(30):
        phone.call(f"v3:old-{n}", START + timedelta(minutes=n))
    written = Written()
    recorder = HistoryRecorder(journal_path, db_path, on_written=written, batch=40)
    await recorder.start()
    await written.until(lambda: recorder.folded_seq == journal.last_seq())
    await recorder.stop()
    assert len({r.call_control_id for r in written.rows}) == 30

    phone.call("v3:new", START + timedelta(hours=2))
    again = Written()
    recorder = HistoryRecorder(journal_path, db_path, on_written=again)
    await recorder.start()
    await again.until(lambda: recorder.folded_seq == journal.last_seq())
    await recorder.stop()
    assert {r.call_control_id for r in again.rows} == {"v3:new"}  # nothing folded twice
    table, conn = _table(db_path)
    assert table.count() == 31
    conn.close()
    journal.close()


async def test_mid_call_events_do_not_rewrite_the_row_but_the_hangup_does(tmp_path):
    from console.history.recorder import HistoryFold

    journal = Journal(tmp_path / "events.sqlite3")
    phone = Phone(journal)
    table, _conn = _table(tmp_path / "console.sqlite3")
    fold = HistoryFold(table)
    ids = Phone.ids("v3:busy")
    party = {**ids, "direction": "incoming", "from": "+13125550142", "to": "+13125550100"}

    def fold_new() -> list:
        return fold.fold(journal.records_after(table.folded_through()))

    phone.deliver("call.initiated", {**party, "state": "parked"}, START)
    phone.deliver("call.answered", ids, START + timedelta(seconds=3))
    assert [e.answered for e in fold_new()] == [True]
    for n in range(20):  # an IVR's worth of digits: nothing a history row shows changes
        phone.deliver(
            "call.dtmf.received", {**ids, "digit": str(n % 10)}, START + timedelta(seconds=5 + n)
        )
    assert fold_new() == []
    assert table.folded_through() == journal.last_seq()  # the cursor still moved
    phone.deliver(
        "call.hangup", {**ids, "hangup_cause": "normal_clearing"}, START + timedelta(seconds=60)
    )
    (ended,) = fold_new()
    assert ended.ended and ended.last_seen_at >= START + timedelta(seconds=60)


async def test_a_held_recorder_opens_its_files_but_folds_only_once_released(tmp_path):
    journal_path, db_path = tmp_path / "events.sqlite3", tmp_path / "console.sqlite3"
    journal = Journal(journal_path)
    Phone(journal).call("v3:held", START)
    written = Written()
    recorder = HistoryRecorder(journal_path, db_path, on_written=written, poll_secs=0.05, held=True)
    await recorder.start()
    try:
        await asyncio.sleep(0.3)
        assert recorder.folded_seq == 0 and written.rows == []
        recorder.release()
        await written.until(lambda: recorder.folded_seq == journal.last_seq())
        assert any(r.call_control_id == "v3:held" for r in written.rows)
    finally:
        await recorder.stop()
        journal.close()


async def test_a_held_recorder_stops_without_being_released(tmp_path):
    journal_path, db_path = tmp_path / "events.sqlite3", tmp_path / "console.sqlite3"
    journal = Journal(journal_path)
    Phone(journal).call("v3:never", START)
    recorder = HistoryRecorder(journal_path, db_path, held=True)
    await recorder.start()
    await asyncio.wait_for(recorder.stop(), 10)
    assert recorder.folded_seq == 0
    journal.close()


async def test_a_wake_up_gathers_later_commits_so_a_row_is_not_written_per_commit(tmp_path):
    journal_path, db_path = tmp_path / "events.sqlite3", tmp_path / "console.sqlite3"
    journal = Journal(journal_path)
    phone = Phone(journal)
    ids = Phone.ids("v3:gathered")
    party = {**ids, "direction": "incoming", "from": "+13125550142", "to": "+13125550100"}
    written = Written()
    batches: list[list] = []  # what each write of rows held

    def on_written(rows) -> None:
        batches.append(list(rows))
        written(rows)

    recorder = HistoryRecorder(journal_path, db_path, on_written=on_written, gather_secs=2.0)
    await recorder.start()
    try:
        # Three group commits of one call, each with its own wake-up, inside the gather window.
        phone.deliver("call.initiated", {**party, "state": "parked"}, START)
        recorder.notify(journal.last_seq())
        phone.deliver("call.answered", ids, START + timedelta(seconds=3))
        recorder.notify(journal.last_seq())
        phone.deliver(
            "call.hangup", {**ids, "hangup_cause": "normal_clearing"}, START + timedelta(seconds=9)
        )
        recorder.notify(journal.last_seq())
        await written.until(lambda: recorder.folded_seq == journal.last_seq())
    finally:
        await asyncio.wait_for(recorder.stop(), 10)  # a stop does not wait out the gathering
        journal.close()
    rows = [row for batch in batches for row in batch if row.call_control_id == "v3:gathered"]
    # The answer and the hangup came within the gathering after a wake-up: the row is written
    # answered and ended at once, never answered and still live. (The ringing may have been
    # read on its own, before the first wake-up.)
    assert rows and rows[-1].answered and rows[-1].ended
    assert not any(row.answered and not row.ended for row in rows)
