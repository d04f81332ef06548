"""Conferences: a three-way with one muted and one kicked, merge, bridge, add participant."""

from __future__ import annotations

import pytest

from console.simulator import phones
from console.state.entities import CallState
from tests.operations.helpers import answered_inbound, call_in_state, settle, until

pytestmark = pytest.mark.anyio


async def test_three_way_conference_with_one_muted_and_one_kicked(console):
    ops, store, sim = console.ops, console.store, console.simulator
    a = await answered_inbound(console, from_="+13125550142")
    b = await answered_inbound(console, from_="+13125550143")

    conference_id = await ops.merge([a, b])
    c = await ops.add_participant(conference_id, phones.ANSWERS)

    conference = store.conference(conference_id)
    assert {p.call_control_id for p in conference.present_participants()} == {a, b, c}

    await ops.mute(b)
    assert store.call(b).muted is True
    assert sim.truth()["conferences"][conference_id]["participants"][b]["muted"] is True
    assert store.call(a).muted is False  # explicit ids: nobody else was muted

    await ops.kick(conference_id, c)
    await call_in_state(console, c, CallState.ENDED)
    await until(
        console,
        lambda: (
            c
            not in {
                p.call_control_id for p in store.conference(conference_id).present_participants()
            }
        ),
        "the kicked participant left",
    )
    assert {p.call_control_id for p in store.conference(conference_id).present_participants()} == {
        a,
        b,
    }

    await ops.end_conference(conference_id)
    await until(console, lambda: not store.conference(conference_id).is_live, "conference ended")
    await settle(console)
    assert sim.truth()["conferences"][conference_id]["status"] == "completed"


async def test_bridged_pair_is_held_without_losing_the_other_party(console):
    ops, store, sim = console.ops, console.store, console.simulator
    a = await answered_inbound(console, from_="+13125550142")
    b = await answered_inbound(console, from_="+13125550143")
    await ops.bridge(a, b)
    await call_in_state(console, a, CallState.BRIDGED)
    await call_in_state(console, b, CallState.BRIDGED)

    await ops.hold(b)  # the selected party is held; its partner stays in the call

    call_a, call_b = store.call(a), store.call(b)
    assert call_a.is_live and call_b.is_live
    assert call_a.conference_id == call_b.conference_id is not None
    assert call_b.on_hold is True and call_a.on_hold is False
    truth = sim.truth()
    assert truth["calls"][a]["conference_id"] == truth["calls"][b]["conference_id"]


async def test_merge_joins_an_existing_conference(console):
    ops, store = console.ops, console.store
    a = await answered_inbound(console, from_="+13125550142")
    b = await answered_inbound(console, from_="+13125550143")
    await ops.hold(a)  # a is now in its own conference
    own = store.call(a).conference_id

    assert await ops.merge([b, a]) == own
    assert store.call(b).conference_id == own


async def test_add_participant_reports_a_busy_number(console):
    ops, store = console.ops, console.store
    a = await answered_inbound(console)
    await ops.hold(a)
    conference_id = store.call(a).conference_id
    with pytest.raises(Exception, match="busy") as failure:
        await ops.add_participant(conference_id, phones.BUSY)
    assert getattr(failure.value, "user_message", None)
    assert {p.call_control_id for p in store.conference(conference_id).present_participants()} == {
        a
    }
