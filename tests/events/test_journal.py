"""The SQLite event journal: append/dedup, queries, reopening, corrupt files, durability pragmas."""

from __future__ import annotations

import json
import sqlite3

import pytest

from console.events.journal import Journal, JournalCorruptError, JournalError
from console.events.models import parse_envelope

from .conftest import make_event


def _append(journal, event_type="call.initiated", *, received_at=1000.0, **kwargs):
    raw = make_event(event_type, **kwargs).decode()
    envelope = parse_envelope(raw)
    return envelope, journal.append(envelope, raw, received_at)


def test_append_and_duplicate(journal):
    envelope, first = _append(journal, event_id="e1")
    assert first is True
    again = parse_envelope(make_event("call.hangup", event_id="e1", attempt=2))
    assert journal.append(again, make_event("call.hangup", event_id="e1"), 1001.0) is False
    assert journal.count() == 1
    record = journal.get("e1")
    assert record.event_type == "call.initiated" and record.attempt == 1
    assert record.call_control_id == envelope.data.payload.call_control_id
    assert record.from_number == "+18005550100" and record.to_number == "+18005550199"
    assert record.occurred_at == "2026-01-01T12:00:00+00:00"


def test_raw_is_kept_byte_for_byte(journal):
    raw = '{"data": {"id": "r1", "event_type": "x.y", "payload": {"a": "é"}},   "meta": {}}'
    journal.append(parse_envelope(raw), raw, 5.0)
    assert journal.get_raw("r1") == raw
    assert journal.get_raw("nope") is None


def test_replay_is_in_arrival_order_and_parses(journal):
    ids = [f"id-{n}" for n in (5, 1, 9, 3)]
    for n, event_id in enumerate(ids):
        _append(journal, "call.answered", event_id=event_id, received_at=100.0 - n)
    replayed = list(journal.replay())
    assert [e.event_id for e in replayed] == ids
    assert all(type(e.data).__name__ == "CallAnsweredEvent" for e in replayed)
    # Batched reading gives the same sequence.
    assert [r.event_id for r in journal.replay_records(batch=1)] == ids


def test_recent_filters(journal):
    _append(journal, "call.initiated", event_id="a", payload={"call_control_id": "c1"})
    _append(journal, "call.answered", event_id="b", payload={"call_control_id": "c1"})
    _append(journal, "call.answered", event_id="c", payload={"call_control_id": "c2"})
    assert [r.event_id for r in journal.recent()] == ["c", "b", "a"]
    assert [r.event_id for r in journal.recent(limit=1)] == ["c"]
    assert [r.event_id for r in journal.recent(event_type="call.answered")] == ["c", "b"]
    assert [r.event_id for r in journal.recent(call_control_id="c1")] == ["b", "a"]
    assert journal.recent(event_type="call.answered", call_control_id="c2")[0].event_id == "c"


def test_history_by_number_call_id_and_time(journal):
    _append(journal, event_id="a", received_at=10, payload={"from": "+18005550100", "to": "+1212"})
    _append(journal, event_id="b", received_at=20, payload={"call_session_id": "s-1", "to": "+1"})
    _append(
        journal,
        "conference.created",
        event_id="c",
        received_at=30,
        occurred_at=None,
        payload={"conference_id": "conf-1", "occurred_at": "2026-01-01T00:00:00Z"},
    )
    assert [r.event_id for r in journal.history(number="5550100")] == ["a"]
    assert [r.event_id for r in journal.history(number="1212")] == ["a"]
    assert journal.history(number="%") == []  # wildcards are literal
    assert [r.event_id for r in journal.history(call_id="s-1")] == ["b"]
    assert [r.event_id for r in journal.history(call_id="conf-1")] == ["c"]
    assert [r.event_id for r in journal.history(since=15)] == ["b", "c"]
    assert [r.event_id for r in journal.history(until=20)] == ["a", "b"]
    assert [r.event_id for r in journal.history(limit=2)] == ["b", "c"]
    rec = journal.get("c")
    assert rec.conference_id == "conf-1" and rec.occurred_at.startswith("2026-01-01T00:00:00")


def test_survives_reopen(tmp_path):
    path = tmp_path / "j.db"
    with Journal(path) as journal:
        for n in range(20):
            _append(journal, event_id=f"e{n}")
    with Journal(path) as journal:
        assert journal.count() == 20
        assert [e.event_id for e in journal.replay()] == [f"e{n}" for n in range(20)]
        assert _append(journal, event_id="e3")[1] is False


def test_wal_and_full_synchronous(journal):
    conn = journal._db
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_odd_values_are_stored_not_refused(journal):
    # A lone surrogate (legal as a JSON escape) and an absurd attempt must not make the
    # write fail: a failed write means a 5xx and endless retries of the same event.
    raw = '{"data": {"id": "s\\ud800", "event_type": "x", "payload": {"from": "\\udfff"}},'
    raw += ' "meta": {"attempt": 100000000000000000000000}}'
    envelope = parse_envelope(raw)
    assert journal.append(envelope, raw, 1.0) is True
    assert journal.count() == 1
    assert journal.get_raw(envelope.event_id) == raw


def test_non_sqlite_file_gives_a_clear_error_and_is_not_touched(tmp_path):
    path = tmp_path / "events.db"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(JournalCorruptError, match="unreadable"):
        Journal(path)
    assert path.read_bytes() == garbage


def test_damaged_journal_gives_a_clear_error(tmp_path):
    path = tmp_path / "events.db"
    with Journal(path) as journal:
        for n in range(300):
            _append(journal, event_id=f"e{n}")
        journal._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2 : page * 4] = b"\xa5" * (page * 2)  # scribble over table pages
    path.write_bytes(bytes(data))
    with pytest.raises(JournalCorruptError, match="left as it is"):
        Journal(path)


def test_another_applications_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(JournalCorruptError, match="another application"):
        Journal(path)


def test_closed_journal_raises_journal_error(tmp_path):
    journal = Journal(tmp_path / "j.db")
    journal.close()
    journal.close()  # idempotent
    with pytest.raises(JournalError):
        _append(journal)


def test_bytes_raw_is_accepted(journal):
    raw = make_event(event_id="b1")
    assert journal.append(parse_envelope(raw), raw, 1.0)
    assert json.loads(journal.get_raw("b1"))["data"]["id"] == "b1"


_OLD_INDEXES = """
CREATE INDEX events_call_control_id ON events(call_control_id);
CREATE INDEX events_call_session_id ON events(call_session_id);
CREATE INDEX events_conference_id ON events(conference_id);
CREATE INDEX events_event_type ON events(event_type, seq);
"""


def _index_names(journal):
    rows = journal._db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    return sorted(name for (name,) in rows)


def test_a_new_journal_indexes_only_the_event_id_beside_the_sequence(journal):
    # The event id's UNIQUE constraint is what drops duplicates; nothing else is indexed.
    assert _index_names(journal) == ["sqlite_autoindex_events_1"]
    assert journal.drop_obsolete_indexes() == []


def test_an_old_journals_unused_indexes_are_dropped_and_its_searches_still_answer(journal):
    journal._db.executescript(_OLD_INDEXES)
    _append(journal, "call.initiated", event_id="a", payload={"call_control_id": "c1"})
    _append(journal, "call.answered", event_id="b", payload={"call_control_id": "c2"})
    assert journal.drop_obsolete_indexes(limit=1) == ["events_call_control_id"]
    dropped = journal.drop_obsolete_indexes()
    assert sorted(dropped) == [
        "events_call_session_id",
        "events_conference_id",
        "events_event_type",
    ]
    assert _index_names(journal) == ["sqlite_autoindex_events_1"]
    assert journal.drop_obsolete_indexes() == []
    assert [r.event_id for r in journal.recent(call_control_id="c1")] == ["a"]
    assert [r.event_id for r in journal.recent(event_type="call.answered")] == ["b"]
