"""Listeners, journal rebuild and pruning of ended calls."""

from __future__ import annotations

from datetime import timedelta

from console.state.changes import Changes
from console.state.entities import CallState
from console.state.store import Store
from tests.state.factories import Leg, at, conference_event, scenario, state_of
from tests.state.fake_clock import FakeClock


def test_listeners_get_every_non_empty_change(store: Store):
    received: list[Changes] = []
    unsubscribe = store.subscribe(received.append)
    leg = Leg("a")
    initiated = leg.initiated(0)
    store.apply(initiated)
    store.apply(initiated)  # duplicate: nothing to say
    assert [c.calls.added for c in received] == [{leg.ccid}]
    unsubscribe()
    store.apply(leg.answered(1))
    assert len(received) == 1


def test_unsubscribe_by_listener(store: Store):
    received: list[Changes] = []
    store.subscribe(received.append)
    store.unsubscribe(received.append)
    store.apply(Leg("a").initiated(0))
    assert received == []


def test_a_failing_listener_does_not_stop_the_others(store: Store):
    received: list[Changes] = []

    def broken(_: Changes) -> None:
        raise RuntimeError("boom")

    store.subscribe(broken)
    store.subscribe(received.append)
    store.apply(Leg("a").initiated(0))
    assert len(received) == 1


def test_changes_name_exactly_the_rows_touched(store: Store):
    a, b = Leg("a"), Leg("b")
    store.apply(a.initiated(0))
    store.apply(b.initiated(0))
    changes = store.apply(a.answered(1))
    assert changes.calls.changed == {a.ccid}
    assert not (changes.calls.added or changes.calls.removed)
    assert not (changes.conferences or changes.participants or changes.queues)
    # An event that alters nothing visible (DTMF moves last_event_at only) still names its row.
    changes = store.apply(a.dtmf(2))
    assert changes.calls.changed == {a.ccid}


def test_rebuild_equals_incremental_application(clock: FakeClock):
    events = scenario()
    incremental = Store(clock=clock)
    for event in events:
        incremental.apply(event)

    rebuilt = Store(clock=clock)
    rebuilt.apply(Leg("stale").initiated(0))  # whatever was there before is replaced
    received: list[Changes] = []
    rebuilt.subscribe(received.append)
    changes = rebuilt.rebuild(events)
    assert changes.reset is True
    assert len(received) == 1 and received[0].reset
    assert state_of(rebuilt) == state_of(incremental)


def test_rebuild_keeps_confirmations(store: Store, clock: FakeClock):
    a = Leg("a")
    events = [a.initiated(0), a.answered(1), a.joined(2, "conf-1")]
    for event in events:
        store.apply(event)
    clock.now = at(5)
    store.mark_participants("conf-1", [a.ccid], muted=True)
    store.rebuild(events)
    assert store.call(a.ccid).muted is True


def test_prune_removes_only_old_ended_calls(store: Store, clock: FakeClock):
    old, recent, live = Leg("old"), Leg("recent"), Leg("live")
    store.apply(old.initiated(0))
    store.apply(old.hangup(10))
    store.apply(recent.initiated(0))
    store.apply(recent.hangup(500))
    store.apply(live.initiated(0))
    clock.now = at(700)
    changes = store.prune_ended(timedelta(minutes=5))
    assert changes.calls.removed == {old.ccid}
    assert set(store.calls) == {recent.ccid, live.ccid}
    # A straggler about the pruned leg (call.cost, a redelivery) does not bring it back.
    assert not store.apply(old.hangup(10))
    assert store.call(old.ccid) is None


def test_prune_keeps_an_ended_leg_its_live_partner_needs(store: Store, clock: FakeClock):
    caller = Leg("caller")
    gone = Leg("gone", session=caller.session_id)
    for leg in (caller, gone):
        store.apply(leg.initiated(0))
        store.apply(leg.bridged(1))
    store.apply(gone.hangup(10))
    clock.now = at(10_000)
    assert not store.prune_ended(timedelta(minutes=5))
    assert store.call(caller.ccid).state is CallState.PARKED


def test_prune_removes_old_ended_conferences(store: Store, clock: FakeClock):
    a = Leg("a")
    store.apply(a.initiated(0))
    store.apply(a.joined(1, "conf-1"))
    store.apply(a.hangup(5))
    store.apply(conference_event("conference.ended", "conf-1", 6, reason="all_left"))
    clock.now = at(10_000)
    changes = store.prune_ended(timedelta(minutes=5))
    assert changes.calls.removed == {a.ccid}
    assert changes.conferences.removed == {"conf-1"}
    assert changes.participants.removed == {("conf-1", a.ccid)}
    assert store.conferences == {}


def test_prune_keeps_an_ended_conference_a_live_leg_still_names(store: Store, clock: FakeClock):
    """conference.ended parks a leg whose participant.left never came: that conference is
    what parks it, so it stays while the leg is live (a later event must not re-seat it)."""
    a = Leg("a")
    store.apply(a.initiated(0))
    store.apply(a.joined(1, "conf-1"))
    store.apply(conference_event("conference.ended", "conf-1", 6, reason="all_left"))
    clock.now = at(10_000)
    assert not store.prune_ended(timedelta(minutes=5))
    store.apply(a.dtmf(9_000))
    parked = store.call(a.ccid)
    assert (parked.state, parked.conference_id) == (CallState.PARKED, None)
    store.apply(a.hangup(9_500))
    assert store.prune_ended(timedelta(minutes=5)).conferences.removed == {"conf-1"}
