"""The group-committed journal opens at once however large the journal is: its structural
check runs beside the writer, and a damaged file is reported in words, not at start-up; an old
journal's unused indexes are removed one per idle turn of the writer; each batch is answered
and reported in one wake-up of the loop; the deliveries of one turn of the loop share a
transaction."""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest

from console.events.journal import Journal
from console.events.models import parse_envelope
from console.ingest.group_commit import GroupCommitJournal
from tests.relay.helpers import append_events, event_body, wait_until

pytestmark = pytest.mark.anyio


def _fill(path, events: int) -> None:
    with Journal(path) as journal:
        append_events(journal, events)
        journal._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file


async def test_a_sound_journal_is_checked_in_the_background(tmp_path):
    path = tmp_path / "events.sqlite3"
    _fill(path, 50)
    journal = GroupCommitJournal(path)
    await journal.open()
    try:
        assert journal.last_seq == 50
        assert journal.integrity_checked.wait(10)
        assert journal.integrity_problem is None
    finally:
        await journal.close()


async def test_a_damaged_journal_still_opens_and_the_damage_is_reported(tmp_path, caplog):
    path = tmp_path / "events.sqlite3"
    _fill(path, 400)
    with path.open("r+b") as file:  # garbage over a page deep in the file, past the schema
        file.seek(4096 * 20)
        file.write(b"\xde\xad\xbe\xef" * 1024)
    journal = GroupCommitJournal(path)
    await journal.open()  # the receiver can answer (or refuse, per write) at once
    try:
        assert journal.integrity_checked.wait(10)
        assert journal.integrity_problem
        assert "event journal" in caplog.text and "damaged" in caplog.text
    finally:
        await journal.close()


async def test_an_old_journals_unused_indexes_go_once_the_writer_is_idle(tmp_path, caplog):
    path = tmp_path / "events.sqlite3"
    _fill(path, 20)
    with Journal(path) as old:
        old._db.executescript(
            "CREATE INDEX events_call_control_id ON events(call_control_id);"
            "CREATE INDEX events_event_type ON events(event_type, seq);"
        )
    caplog.set_level(logging.INFO, logger="console.ingest.group_commit")
    journal = GroupCommitJournal(path)
    await journal.open()
    try:
        await wait_until(
            lambda: "events_event_type" in caplog.text, within=15, what="the second index drop"
        )
        assert "removed the unused index events_call_control_id" in caplog.text
    finally:
        await journal.close()
    with Journal(path, readonly=True) as reader:
        names = reader._db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        assert [name for (name,) in names] == ["sqlite_autoindex_events_1"]
        assert reader.count() == 20


async def test_a_batch_is_reported_on_the_loop_once_its_deliveries_are_answered(tmp_path):
    reports = []

    def on_batch(batch):
        # Heard on the loop itself, once the batch's answers are settled (last_seq moved on).
        reports.append((threading.get_ident(), batch, journal.last_seq))

    journal = GroupCommitJournal(tmp_path / "events.sqlite3", on_batch=on_batch)
    await journal.open()
    try:
        bodies = [event_body() for _ in range(20)]
        seqs = await asyncio.gather(
            *(journal.commit(parse_envelope(body), body, time.time()) for body in bodies)
        )
    finally:
        await journal.close()
    assert sorted(seqs) == list(range(1, 21))
    assert sum(batch.size for _thread, batch, _settled in reports) == 20
    assert {thread for thread, _batch, _settled in reports} == {threading.get_ident()}
    assert [settled for _thread, batch, settled in reports] == [
        batch.last_seq for _thread, batch, _settled in reports
    ]
    assert reports[-1][1].last_seq == 20


async def test_deliveries_handled_in_one_turn_of_the_loop_share_one_transaction(tmp_path):
    batches = []
    journal = GroupCommitJournal(tmp_path / "events.sqlite3", on_batch=batches.append)
    await journal.open()

    async def deliver(body: bytes) -> int | None:
        # A handler's work before its commit lets other threads run (the receiver's socket
        # writes release the GIL): a writer woken by the first row would commit it alone.
        time.sleep(0.002)  # noqa: ASYNC251 (blocking on purpose: the turn must not end)
        return await journal.commit(parse_envelope(body), body, time.time())

    try:
        seqs = await asyncio.gather(*(deliver(event_body()) for _ in range(12)))
    finally:
        await journal.close()
    assert sorted(seqs) == list(range(1, 13))
    assert [batch.size for batch in batches] == [12]
