"""The journal tail: batches in order from a cursor, woken by commits; and the checkpoint
table a start-up resumes from."""

from __future__ import annotations

import asyncio
import time

import pytest

from console.db import connect
from console.events.journal import Journal
from console.events.models import parse_envelope
from console.ingest.tail import JournalTail
from console.state.checkpoint import Checkpoint, CheckpointTable
from tests.events.conftest import make_event

pytestmark = pytest.mark.anyio


def _append(journal: Journal, count: int) -> None:
    for _ in range(count):
        raw = make_event()
        journal.append(parse_envelope(raw), raw, time.time())


async def test_delivers_everything_after_the_cursor_in_order_and_in_batches(tmp_path):
    journal = Journal(tmp_path / "events.sqlite3")
    _append(journal, 25)
    batches: list[list[int]] = []
    arrived = asyncio.Event()

    def deliver(records) -> None:
        assert all(r.parsed is not None for r in records)  # parsed off the loop
        batches.append([r.seq for r in records])
        arrived.set()

    tail = JournalTail(journal.path, batch=10, poll_secs=30)
    await tail.start(5, deliver)
    try:
        async with asyncio.timeout(10):
            while sum(map(len, batches)) < 20:
                arrived.clear()
                await arrived.wait()
        assert [seq for batch in batches for seq in batch] == list(range(6, 26))
        assert max(map(len, batches)) <= 10
        _append(journal, 3)
        tail.notify(journal.last_seq())  # a commit report wakes it long before its poll
        async with asyncio.timeout(5):
            while batches[-1][-1] != 28:
                arrived.clear()
                await arrived.wait()
        assert tail.pending == 0 and tail.delivered_seq == 28
    finally:
        await tail.stop()
        journal.close()


def test_checkpoint_round_trip_and_replacement(tmp_path):
    conn = connect(tmp_path / "console.sqlite3")
    table = CheckpointTable(conn)
    assert table.load() is None
    table.save(Checkpoint(cursor=7, retained_event_ids=("a", "b"), conference_names={"c": "Sales"}))
    table.save(Checkpoint(cursor=9, retained_event_ids=("b",), pruned_legs=("v3:gone",)))
    loaded = table.load()
    assert loaded is not None and loaded.cursor == 9
    assert loaded.retained_event_ids == ("b",) and loaded.pruned_legs == ("v3:gone",)
    assert loaded.conference_names == {}
    conn.execute("UPDATE state_checkpoint SET state = 'not json'")
    assert table.load() is None  # unreadable: start from the journal instead
    conn.close()


async def test_while_events_keep_coming_a_batch_fills_for_the_gathering_time(tmp_path):
    journal = Journal(tmp_path / "events.sqlite3")
    batches: list[list[int]] = []
    arrived = asyncio.Event()

    def deliver(records) -> None:
        batches.append([r.seq for r in records])
        arrived.set()

    tail = JournalTail(journal.path, batch=50, poll_secs=30, gather_secs=3)
    await tail.start(0, deliver)
    try:
        _append(journal, 1)
        tail.notify(journal.last_seq())
        # After a quiet spell the first event goes at once, not after the gathering time.
        async with asyncio.timeout(2.5):
            await arrived.wait()
        assert batches == [[1]]
        arrived.clear()
        # Two commits in quick succession: the reader wakes on the first and lets the batch
        # fill until 3 s after the previous hand-over, so both arrive in one fold.
        _append(journal, 2)
        tail.notify(journal.last_seq())
        _append(journal, 2)
        tail.notify(journal.last_seq())
        async with asyncio.timeout(10):
            await arrived.wait()
        assert batches == [[1], [2, 3, 4, 5]]
    finally:
        await tail.stop()
        journal.close()
