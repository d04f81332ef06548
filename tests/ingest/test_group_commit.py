"""The group-committed journal opens at once however large the journal is: its structural
check runs beside the writer, and a damaged file is reported in words, not at start-up."""

from __future__ import annotations

import pytest

from console.events.journal import Journal
from console.ingest.group_commit import GroupCommitJournal
from tests.relay.helpers import append_events

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
