"""Long calls: the row is repainted whole at the moment a call passes the alert age, found
from due times instead of asking every row each second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from console.state.store import Store
from console.ui import theme
from console.ui.calls_model import COL_DURATION, COL_STATE, CallsModel
from console.ui.long_calls import LongCalls
from tests.ui.fakes import Events, live_call

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def events() -> Events:
    return Events(start=T0)


@pytest.fixture
def store(events) -> Store:
    store = Store()
    store.apply(events.initiated("v3:ring"))  # ringing since T0
    live_call(store, events, "v3:talk")  # answered at about T0
    return store


def test_a_call_turns_long_once_at_its_due_time(store):
    clock = Clock(T0 + timedelta(seconds=30))
    long_calls = LongCalls(60, clock)
    for ccid in ("v3:ring", "v3:talk"):
        long_calls.note(store.call(ccid))
    assert long_calls.long == set()
    assert long_calls.turned_long(store.call) == []  # not yet

    clock.at = T0 + timedelta(seconds=61)
    assert sorted(long_calls.turned_long(store.call)) == ["v3:ring", "v3:talk"]
    assert long_calls.long == {"v3:ring", "v3:talk"}
    assert long_calls.turned_long(store.call) == []  # told once


def test_answering_restarts_the_clock_and_ending_forgets(store, events):
    clock = Clock(T0 + timedelta(seconds=90))
    long_calls = LongCalls(60, clock)
    long_calls.note(store.call("v3:ring"))
    assert long_calls.long == {"v3:ring"}  # rang for 90 s

    events.seconds = 80  # answered 80 s after T0: talk time counts from there
    store.apply(events.answered("v3:ring"))
    long_calls.note(store.call("v3:ring"))
    assert long_calls.long == set()
    clock.at = T0 + timedelta(seconds=139)
    assert long_calls.turned_long(store.call) == []
    clock.at = T0 + timedelta(seconds=141)
    assert long_calls.turned_long(store.call) == ["v3:ring"]

    store.apply(events.hangup("v3:ring"))
    long_calls.note(store.call("v3:ring"))
    assert long_calls.long == set()


def test_a_call_that_ended_before_its_due_time_is_not_reported(store, events):
    clock = Clock(T0)
    long_calls = LongCalls(60, clock)
    long_calls.note(store.call("v3:talk"))
    store.apply(events.hangup("v3:talk"))  # the model is told only at its next change...
    clock.at = T0 + timedelta(seconds=120)
    assert long_calls.turned_long(store.call) == []  # ...but the store says it ended


def test_retime_reports_whose_long_ness_changed(store):
    long_calls = LongCalls(3600, Clock(T0 + timedelta(seconds=120)))
    calls = [store.call("v3:ring"), store.call("v3:talk")]
    for call in calls:
        long_calls.note(call)
    assert long_calls.retime(60, calls) == {"v3:ring", "v3:talk"}
    assert long_calls.retime(60, calls) == set()
    assert long_calls.retime(3600, calls) == {"v3:ring", "v3:talk"}


def test_lowering_the_alert_age_repaints_and_tints_the_rows_at_once(qtbot):
    # Real time here: the model's clock is the wall clock, and these calls began a minute ago.
    store = Store()
    live_call(store, Events(), "v3:talk")
    model = CallsModel(store)
    row = model.row_of("v3:talk")
    background = Qt.ItemDataRole.BackgroundRole
    assert model.index(row, COL_DURATION).data(background) is None
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda tl, br, _roles=(): changed.append((tl.row(), br.row(), tl.column(), br.column()))
    )
    model.alert_after_secs = 30
    assert changed == [(row, row, 0, model.columnCount() - 1)]
    assert model.index(row, COL_DURATION).data(background).color() == theme.color("long")
    changed.clear()
    model.tick()  # nothing turned long since: only the live timers
    assert changed == [(row, row, COL_STATE, COL_DURATION)]
