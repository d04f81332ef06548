"""Bridged legs: pairing by call session (transfers), by confirmed bridge command, hangups."""

from __future__ import annotations

from console.state.entities import CallState
from console.state.store import Store
from tests.state.factories import Leg, at


def test_transfer_creates_a_leg_in_the_same_session_bridged_to_the_original(store: Store):
    caller = Leg("caller")
    new = Leg("xfer", session=caller.session_id, from_="+12568349765", to="+15550001111")
    store.apply(caller.initiated(0))
    store.apply(caller.answered(1))
    changes = store.apply(new.initiated(5, direction="outgoing"))
    assert changes.calls.added == {new.ccid}
    store.apply(new.answered(9))
    store.apply(new.bridged(9.5))
    changes = store.apply(caller.bridged(9.5))
    # The caller is now bridged, and the new leg now knows its partner: both rows change.
    assert changes.calls.changed == {caller.ccid, new.ccid}

    original, transferred = store.call(caller.ccid), store.call(new.ccid)
    assert (original.state, transferred.state) == (CallState.BRIDGED, CallState.BRIDGED)
    assert original.bridged_to == new.ccid
    assert transferred.bridged_to == caller.ccid
    assert [c.call_control_id for c in store.calls_in_session(caller.session_id)] == sorted(
        [caller.ccid, new.ccid]
    )


def test_bridged_event_for_one_side_only(store: Store):
    caller = Leg("caller")
    new = Leg("xfer", session=caller.session_id)
    store.apply(caller.initiated(0))
    store.apply(new.initiated(5, direction="outgoing"))
    store.apply(caller.bridged(9))
    # The other leg's call.bridged is still on its way: no partner yet, but still bridged.
    assert store.call(caller.ccid).state is CallState.BRIDGED
    assert store.call(caller.ccid).bridged_to is None
    changes = store.apply(new.bridged(9))
    assert changes.calls.changed == {caller.ccid, new.ccid}
    assert store.call(caller.ccid).bridged_to == new.ccid


def test_other_side_hanging_up_parks_the_survivor(store: Store):
    caller = Leg("caller")
    new = Leg("xfer", session=caller.session_id)
    for leg in (caller, new):
        store.apply(leg.initiated(0))
        store.apply(leg.answered(1))
        store.apply(leg.bridged(2))
    changes = store.apply(new.hangup(30, source="callee"))
    assert changes.calls.changed == {caller.ccid, new.ccid}
    survivor = store.call(caller.ccid)
    assert survivor.state is CallState.PARKED
    assert survivor.bridged_to == new.ccid  # whom it was last bridged to
    store.apply(caller.hangup(31))
    assert store.call(caller.ccid).state is CallState.ENDED


def test_a_second_transfer_pairs_with_the_live_leg(store: Store):
    caller = Leg("caller")
    first = Leg("first", session=caller.session_id)
    second = Leg("second", session=caller.session_id)
    store.apply(caller.initiated(0))
    store.apply(caller.answered(1))
    store.apply(first.initiated(2, direction="outgoing"))
    store.apply(first.bridged(3))
    store.apply(caller.bridged(3))
    store.apply(first.hangup(20))
    store.apply(second.initiated(21, direction="outgoing"))
    store.apply(second.bridged(25))
    store.apply(caller.bridged(25))
    call = store.call(caller.ccid)
    assert (call.state, call.bridged_to, call.bridged_at) == (
        CallState.BRIDGED,
        second.ccid,
        at(25),
    )


def test_bridge_command_pairs_legs_of_different_sessions(store: Store, clock):
    inbound, agent = Leg("inbound"), Leg("agent", from_="+12568349765", to="sip:a@x")
    store.apply(inbound.initiated(0))
    store.apply(inbound.answered(1))
    store.apply(agent.initiated(2, direction="outgoing"))
    store.apply(agent.answered(5))
    store.apply(inbound.bridged(6))
    store.apply(agent.bridged(6))
    assert store.call(inbound.ccid).bridged_to is None  # nothing in the payloads pairs them
    clock.now = at(6)
    changes = store.note_bridge(inbound.ccid, agent.ccid)
    assert changes.calls.changed == {inbound.ccid, agent.ccid}
    assert store.call(inbound.ccid).bridged_to == agent.ccid
    assert store.call(agent.ccid).bridged_to == inbound.ccid
