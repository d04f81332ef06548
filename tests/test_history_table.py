"""The history table's search text: keyed by the row's rowid, rewritten in place, migrated from
the first (call_key-keyed) search table without losing what it found."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from console.db import connect
from console.db.database import Schema, migrate
from console.history import CallHistoryEntry
from console.history.table import HISTORY_SCHEMA, HistoryTable

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _ended(i: int, caller: str = "+13125550142", name: str | None = None) -> CallHistoryEntry:
    began = START + timedelta(minutes=i)
    return CallHistoryEntry(
        call_control_id=f"v3:call-{i}",
        call_leg_id=f"leg-{i}",
        direction="incoming",
        from_number=caller,
        to_number="+13125550100",
        caller_name=name,
        started_at=began,
        ended_at=began + timedelta(minutes=2),
        hangup_cause="normal_clearing",
    )


def _text_rows(conn) -> int:
    return int(conn.execute("SELECT count(*) FROM call_history_text").fetchone()[0])


def test_rewriting_a_row_replaces_its_search_text_and_nothing_else(tmp_path):
    conn = connect(tmp_path / "console.sqlite3")
    table = HistoryTable(conn)
    table.upsert([(_ended(1, name="Pat Lee"), 1), (_ended(2, "+14155550123", "Alex Kim"), 2)])
    assert _text_rows(conn) == 2

    # A late event renames the first caller: the old name no longer finds it, the new one does.
    table.upsert([(_ended(1, name="Patricia Lee"), 3)])
    assert _text_rows(conn) == 2
    assert [e.call_control_id for e in table.page("Patricia")] == ["v3:call-1"]
    assert [e.call_control_id for e in table.page("Alex")] == ["v3:call-2"]
    assert [e.call_control_id for e in table.page("5550123")] == ["v3:call-2"]


def test_a_rewrite_that_changes_no_text_leaves_the_search_index_alone(tmp_path):
    conn = connect(tmp_path / "console.sqlite3")
    table = HistoryTable(conn)
    first = _ended(1, name="Pat Lee")
    table.upsert([(first, 1)])
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    # A recording saved after the hangup: the row changes, its parties and ids do not.
    table.upsert([(replace(first, recording_count=1), 2)])
    conn.set_trace_callback(None)
    writes = [s for s in statements if "call_history_text" in s and "SELECT" not in s.upper()]
    assert writes == []
    assert table.get("v3:call-1").recording_count == 1
    assert [e.call_control_id for e in table.page("Pat Lee")] == ["v3:call-1"]


def test_the_rewrite_is_a_rowid_lookup_not_a_scan(tmp_path):
    conn = connect(tmp_path / "console.sqlite3")
    HistoryTable(conn)
    for statement in (
        "DELETE FROM call_history_text WHERE rowid = ?",
        "SELECT parties, ids FROM call_history_text WHERE rowid = ?",
    ):
        (plan,) = conn.execute("EXPLAIN QUERY PLAN " + statement, (1,)).fetchall()
        # FTS5 names the plan it chose: "0:=" is a rowid lookup, a bare "0:" a full scan.
        assert str(plan[-1]).endswith("INDEX 0:="), (statement, plan)


def test_a_database_with_the_first_search_table_is_migrated_with_its_rows(tmp_path):
    path = tmp_path / "console.sqlite3"
    conn = connect(path)
    first_two = Schema(HISTORY_SCHEMA.component, list(HISTORY_SCHEMA.steps[:2]))
    migrate(conn, first_two)
    conn.execute(
        "INSERT INTO call_history (call_key, call_control_id, from_number, caller_name, "
        "started_at) VALUES ('v3:old', 'v3:old', '+13125550142', 'Pat Lee', ?)",
        (START.timestamp(),),
    )
    conn.execute(
        "INSERT INTO call_history_fts (call_key, parties, ids) VALUES "
        "('v3:old', '+13125550142 | Pat Lee | 13125550142', 'v3:old')"
    )
    conn.close()

    conn = connect(path)
    table = HistoryTable(conn)  # migrates to the rowid-keyed table
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "call_history_fts" not in names and "call_history_text" in names
    assert [e.call_control_id for e in table.page("Pat")] == ["v3:old"]
    assert [e.call_control_id for e in table.page("5550142")] == ["v3:old"]


def test_a_common_text_walks_the_newest_rows_and_a_rare_one_uses_the_index(tmp_path):
    from console.history import text_index

    conn = connect(tmp_path / "console.sqlite3")
    table = HistoryTable(conn)
    rows = [
        (_ended(i, f"+1312555{i:04d}", "Grace Hopper" if i % 2 else None), i) for i in range(60)
    ]
    table.upsert(rows)
    text_index.COMMON_HITS, saved = 10, text_index.COMMON_HITS  # a small table's "common"
    try:
        # Every caller has 555 in the number: the newest first, a page at a time, either way.
        common = table.page("555", limit=5)
        assert [e.call_control_id for e in common] == [f"v3:call-{i}" for i in range(59, 54, -1)]
        assert len(table.page("Hopper", limit=100)) == 30
        rare = table.page("5550042")
        assert [e.call_control_id for e in rare] == ["v3:call-42"]
        assert [e.call_control_id for e in table.page("leg-7")] == ["v3:call-7"]
    finally:
        text_index.COMMON_HITS = saved


def test_calls_of_a_number_are_found_exactly_newest_first_and_counted_once(tmp_path):
    conn = connect(tmp_path / "console.sqlite3")
    table = HistoryTable(conn)
    caller, line = "+13125550142", "+13125550100"
    rows = [(_ended(i, caller if i % 3 else "+13125550199"), i) for i in range(12)]
    # A call back to them (they are the callee), one from a number that contains theirs, and
    # one to themselves (both sides match: found and counted once).
    out = replace(_ended(20), direction="outgoing", from_number=line, to_number=caller)
    longer = replace(_ended(21), call_control_id="v3:longer", from_number=caller + "9")
    own = replace(_ended(22), call_control_id="v3:own", from_number=caller, to_number=caller)
    table.upsert([*rows, (out, 20), (longer, 21), (own, 22)])

    theirs = ["v3:own", "v3:call-20"] + [f"v3:call-{i}" for i in range(11, 0, -1) if i % 3]
    assert table.keys_with_number(caller, limit=100) == theirs
    assert table.keys_with_number(caller, limit=3) == theirs[:3]
    assert table.keys_with_number("+13125550142", limit=0) == []
    assert table.keys_with_number("+19999999999") == []
    assert table.count_with_number(caller, since=0) == len(theirs)
    since = (START + timedelta(minutes=8)).timestamp()  # calls 8, 10, 11, 20 and 22
    assert table.count_with_number(caller, since=since) == 5


def test_the_number_lookups_walk_their_indexes_on_a_migrated_database(tmp_path):
    from console.history.table import COUNT_WITH_NUMBER, KEYS_WITH_NUMBER

    path = tmp_path / "console.sqlite3"
    conn = connect(path)
    migrate(conn, Schema(HISTORY_SCHEMA.component, list(HISTORY_SCHEMA.steps[:3])))
    conn.execute(
        "INSERT INTO call_history (call_key, from_number, to_number, started_at) "
        "VALUES ('v3:old', '+13125550142', '+13125550100', ?)",
        (START.timestamp(),),
    )
    conn.close()

    conn = connect(path)
    table = HistoryTable(conn)  # adds the number indexes to the existing rows
    assert table.keys_with_number("+13125550100") == ["v3:old"]
    for sql, params in (
        (KEYS_WITH_NUMBER, {"number": "+1", "limit": 5}),
        (COUNT_WITH_NUMBER, {"number": "+1", "since": 0.0}),
    ):
        plan = " | ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "INDEX call_history_from (from_number=?" in plan, plan
        assert "INDEX call_history_to (to_number=?" in plan, plan
        assert "SCAN call_history" not in plan and "call_history_text" not in plan, plan
