"""Resync repairs what the console missed while webhooks could not reach it."""

from __future__ import annotations

import pytest

from console.simulator import phones
from console.state.entities import CallState
from console.state.facts import HANGUP_UNOBSERVED
from tests.operations.helpers import answered_inbound, call_in_state, settle, until
from tests.scenarios.truth import differences

pytestmark = pytest.mark.anyio


async def test_resync_after_an_outage_repairs_the_store(console):
    ops, store, sim = console.ops, console.store, console.simulator
    gone = await answered_inbound(console, from_="+13125550142")
    kept = await answered_inbound(console, from_="+13125550143")
    held = await answered_inbound(console, from_="+13125550144")
    await ops.hold(held)

    sim.start_outage(100)  # simulated seconds: the receiver is unreachable for a while
    sim.remote_hangup(gone)
    sim.remote_hangup(held)
    assert store.call(gone).is_live  # the console cannot know yet

    await console.resync("test: after an outage")

    repaired = store.call(gone)
    assert repaired.state is CallState.ENDED
    assert repaired.repaired is True
    assert repaired.hangup_cause == HANGUP_UNOBSERVED
    assert store.call(kept).is_live
    assert store.call(held).state is CallState.ENDED
    assert differences(console) == []
    assert console.health.last_resync_reason == "test: after an outage"

    # The held-back webhooks arrive after the outage: the picture stays right.
    await settle(console)
    await until(console, lambda: not differences(console), "store matches the simulator")


async def test_an_event_for_an_unknown_leg_triggers_a_resync(console):
    sim, client, store = console.simulator, console.client, console.store
    console._resync_debounce = 0.01
    app = await client.applications.retrieve(sim.connection_id)
    # Webhooks go nowhere for a moment: the call's call.initiated is lost for good.
    await client.applications.update(
        app.id, application_name=app.application_name, webhook_event_url="http://127.0.0.1:9/x"
    )
    ccid = await sim.place_inbound_call(from_="+13125550150", ring_secs=100_000)
    await settle(console)
    await client.applications.update(
        app.id, application_name=app.application_name, webhook_event_url=console.receiver.url
    )
    assert store.call(ccid) is None

    await client.calls.answer(ccid)  # its call.answered names a leg the console never saw

    await until(
        console,
        lambda: (c := store.call(ccid)) is not None and not c.needs_resync,
        "a resync told the console about the unknown leg",
    )
    assert "had not seen" in console.health.last_resync_reason
    await settle(console)
    assert differences(console) == []


async def test_outbound_call_to_a_number_that_does_not_exist(console):
    ccid = await console.ops.dial(phones.NOT_FOUND)
    call = await call_in_state(console, ccid, CallState.ENDED)
    assert call.hangup_cause == "not_found"
