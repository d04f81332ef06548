"""With an operator endpoint: answer connects the operator; mute mutes them, hold the caller."""

from __future__ import annotations

import pytest

from console.config import Settings
from console.operations import TransferState
from console.simulator import phones
from console.state.entities import CallState
from tests.operations.helpers import call_in_state, make_session, ringing_inbound, until

pytestmark = pytest.mark.anyio

OPERATOR = phones.SIP_ANSWERS


@pytest.fixture
async def console(home):
    settings = Settings(tunnel_provider="none", operator_endpoint=OPERATOR)
    async with make_session(home, settings=settings) as session:
        yield session


async def test_answer_brings_the_operator_into_the_calls_conference(console):
    ops, store = console.ops, console.store
    caller = await ringing_inbound(console)

    await ops.answer(caller)

    call = store.call(caller)
    assert call.state is CallState.IN_CONFERENCE
    operator = ops.operator_leg_of(caller)
    assert operator is not None and ops.is_operator_leg(operator)
    assert store.call(operator).to_number == OPERATOR
    assert store.call(operator).conference_id == call.conference_id

    await ops.mute(caller)  # the operator's microphone, not the caller's
    assert store.call(operator).muted is True
    assert store.call(caller).muted is False
    await ops.unmute(caller)

    await ops.hold(caller)  # the caller hears music
    assert store.call(caller).on_hold is True
    assert store.call(operator).on_hold is False
    await ops.unhold(caller)

    await ops.hangup(caller)  # the operator's leg goes too
    await call_in_state(console, caller, CallState.ENDED)
    await call_in_state(console, operator, CallState.ENDED)


async def test_attended_transfer_with_operator_leaves_caller_with_target(console):
    ops, store = console.ops, console.store
    caller = await ringing_inbound(console)
    await ops.answer(caller)
    operator = ops.operator_leg_of(caller)

    t = await ops.start_attended_transfer(caller, phones.ANSWERS)
    await ops.complete_attended_transfer(t)

    assert t.state is TransferState.COMPLETED
    await call_in_state(console, operator, CallState.ENDED)
    conference = store.conference(t.conference_id)
    present = {p.call_control_id for p in conference.present_participants()}
    await until(
        console,
        lambda: (
            {p.call_control_id for p in store.conference(t.conference_id).present_participants()}
            == {caller, t.consult_call_control_id}
        ),
        "only caller and target remain",
    )
    assert caller in present


async def test_pick_from_queue_connects_the_operator(console):
    ops, store = console.ops, console.store
    caller = await ringing_inbound(console)
    await console.client.calls.answer(caller)
    await console.client.calls.enqueue(caller, queue_name="support")
    await call_in_state(console, caller, CallState.QUEUED)

    await ops.pick_from_queue(caller)

    assert store.call(caller).state is CallState.IN_CONFERENCE
    assert ops.operator_leg_of(caller) is not None
    assert (
        "support" not in console.simulator.truth()["queues"]
        or not console.simulator.truth()["queues"]["support"]
    )
