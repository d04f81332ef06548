"""The history model keeps its rows in the table's order however the recorder's rows arrive:
new calls, updates in place, and calls whose start time moved, checked against a plain sort."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from console.history import CallHistoryEntry
from console.history.table import call_key
from console.ui.history_model import HistoryModel

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)

# (which call, its start in minutes after T0 or None, a result to tell versions apart)
puts = st.lists(
    st.tuples(
        st.integers(0, 7),
        st.one_of(st.none(), st.integers(0, 5)),
        st.sampled_from(["normal_clearing", "user_busy", None]),
    ),
    max_size=40,
)


def entry(call: int, start: int | None, cause: str | None) -> CallHistoryEntry:
    return CallHistoryEntry(
        call_control_id=f"v3:{call}",
        started_at=None if start is None else T0 + timedelta(minutes=start),
        first_seen_at=T0,
        hangup_cause=cause,
    )


def newest_first(entries: list[CallHistoryEntry]) -> list[str]:
    def key(e: CallHistoryEntry) -> tuple[float, tuple[int, ...]]:
        when = e.started_at or e.first_seen_at
        assert when is not None
        # newest first; within one start time, call keys descending
        return (-when.timestamp(), tuple(-ord(c) for c in call_key(e)))

    return [call_key(e) for e in sorted(entries, key=key)]


@given(puts)
def test_rows_stay_in_order_and_are_found(qapp, sequence):
    model = HistoryModel()
    latest: dict[str, CallHistoryEntry] = {}
    for call, start, cause in sequence:
        e = entry(call, start, cause)
        model.put(e)
        latest[call_key(e)] = e
    assert [call_key(e) for e in model.entries] == newest_first(list(latest.values()))
    assert model.entries == [latest[k] for k in newest_first(list(latest.values()))]
    for row, e in enumerate(model.entries):
        assert model.row_of(call_key(e)) == row
    assert model.row_of("v3:not-there") is None


def test_a_row_updated_in_place_repaints_only_itself(qapp):
    model = HistoryModel()
    for call in range(3):
        model.put(entry(call, call, None))
    changed: list[tuple[int, int]] = []
    moved: list[int] = []
    model.dataChanged.connect(lambda tl, br, _roles=(): changed.append((tl.row(), br.row())))
    model.rowsRemoved.connect(lambda _p, first, _last: moved.append(first))
    model.put(entry(1, 1, "normal_clearing"))  # same start: the same row, new result
    assert changed == [(1, 1)] and moved == []
    model.put(entry(1, 9, "normal_clearing"))  # its start moved: out and back in, at the top
    assert moved == [1] and model.row_of("v3:1") == 0


@given(puts, st.integers(1, 8))
def test_rows_written_together_land_as_if_put_one_by_one(qapp, sequence, size):
    one_by_one, together = HistoryModel(), HistoryModel()
    entries = [entry(call, start, cause) for call, start, cause in sequence]
    for e in entries:
        one_by_one.put(e)
    for first in range(0, len(entries), size):
        together.put_all(entries[first : first + size])
    assert together.entries == one_by_one.entries
    for row, e in enumerate(together.entries):
        assert together.row_of(call_key(e)) == row


def test_new_calls_written_together_are_one_insert(qapp):
    model = HistoryModel()
    model.put_all([entry(0, 0, None), entry(1, 1, None)])
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    # Three newer calls and one between the two there: a run at the top, one in the middle
    # (inserted first, so the rows of the run above it stay where they were).
    model.put_all([entry(5, 5, None), entry(3, 3, None), entry(4, 4, None), entry(2, 0, None)])
    assert inserted == [(1, 1), (0, 2)]
    assert [call_key(e) for e in model.entries] == ["v3:5", "v3:4", "v3:3", "v3:1", "v3:2", "v3:0"]


def test_rows_older_than_the_pages_read_wait_for_paging(qapp):
    model = HistoryModel()
    model.set_entries([entry(3, 3, None), entry(2, 2, None)], more=True)
    model.put_all([entry(0, 0, None), entry(4, 4, None), entry(1, 1, None)])
    assert [call_key(e) for e in model.entries] == ["v3:4", "v3:3", "v3:2"]
    assert model.row_of("v3:0") is None and model.row_of("v3:1") is None
