"""Arrival order never matters: every permutation of the same events ends in the same state."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from console.events.models import Envelope
from console.state.entities import CallState
from console.state.store import Store
from tests.state.factories import Leg, at, scenario, state_of
from tests.state.fake_clock import FakeClock


def run(events: list[Envelope]) -> Store:
    store = Store(clock=FakeClock(at(0)))
    for event in events:
        store.apply(event)
    return store


def short_call(leg: Leg) -> list[Envelope]:
    return [leg.initiated(0), leg.answered(2), leg.bridged(3), leg.hangup(30)]


def test_every_permutation_of_a_short_call_ends_the_same():
    events = short_call(Leg("a"))
    expected = state_of(run(events))
    call = expected[0]["v3:a-ccid"]
    assert call.state is CallState.ENDED
    assert (call.answered_at, call.bridged_at, call.ended_at) == (at(2), at(3), at(30))
    assert call.needs_resync is False
    for order in itertools.permutations(events):
        assert state_of(run(list(order))) == expected, [e.event_type for e in order]


def test_every_permutation_with_a_recording_ends_the_same():
    leg = Leg("a")
    events = [*short_call(leg), leg.recording_saved(31)]
    expected = state_of(run(events))
    assert [r.recording_id for r in expected[0][leg.ccid].recordings] == ["rec-1"]
    for order in itertools.permutations(events):
        assert state_of(run(list(order))) == expected, [e.event_type for e in order]


def test_every_permutation_of_a_queued_then_conferenced_call_ends_the_same():
    leg = Leg("a")
    events = [
        leg.initiated(0),
        leg.answered(1),
        leg.enqueued(2, "support", 1),
        leg.dequeued(5, "support", reason="leave"),
        leg.joined(6, "conf-1"),
        leg.left(9, "conf-1"),
    ]
    expected = state_of(run(events))
    assert expected[0][leg.ccid].state is CallState.PARKED
    for order in itertools.permutations(events):
        assert state_of(run(list(order))) == expected


def test_a_many_leg_scenario_in_random_orders():
    events = scenario()
    expected = state_of(run(events))
    calls, conferences, queues = expected
    assert {c.state for c in calls.values()} == {CallState.ENDED, CallState.QUEUED}
    assert calls["v3:caller-ccid"].bridged_to == "v3:xfer-ccid"
    assert not conferences["conf-1"].is_live
    assert list(queues["support"].entries) == ["v3:other-ccid"]
    rng = random.Random(7)
    for _ in range(200):
        shuffled = events[:]
        rng.shuffle(shuffled)
        assert state_of(run(shuffled)) == expected


@settings(max_examples=150, deadline=None)
@given(st.permutations(range(len(scenario()))), st.lists(st.integers(0, 23), max_size=5))
def test_any_order_with_duplicates_ends_the_same(order, repeats):
    events = scenario()
    expected = state_of(run(events))
    # Redeliveries (the same event object again) anywhere in the stream change nothing.
    stream = [events[i] for i in order] + [events[i] for i in repeats]
    assert state_of(run(stream)) == expected
