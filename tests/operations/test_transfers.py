"""Attended transfer: completed, cancelled, and rolled back when the target is busy."""

from __future__ import annotations

import pytest

from console.operations import TransferFailed, TransferState
from console.simulator import phones
from console.state.entities import CallState
from tests.operations.helpers import answered_inbound, call_in_state, settle

pytestmark = pytest.mark.anyio


def _participant(console, conference_id, ccid):
    return console.simulator.truth()["conferences"][conference_id]["participants"][ccid]


async def test_completed_transfer_connects_caller_and_target(console):
    ops, store = console.ops, console.store
    caller = await answered_inbound(console)

    t = await ops.start_attended_transfer(caller, phones.ANSWERS)

    assert t.state is TransferState.CONSULTING
    assert store.call(caller).on_hold is True
    assert _participant(console, t.conference_id, caller)["on_hold"] is True
    consult = store.call(t.consult_call_control_id)
    assert consult.state is CallState.IN_CONFERENCE
    assert consult.conference_id == t.conference_id

    await ops.complete_attended_transfer(t)

    assert t.state is TransferState.COMPLETED
    assert store.call(caller).on_hold is False
    assert _participant(console, t.conference_id, caller)["on_hold"] is False
    assert _participant(console, t.conference_id, t.consult_call_control_id)["status"] == "joined"
    results = [(e.what, e.result) for e in ops.audit.entries()]
    assert ("attended transfer", "started") in results
    assert ("attended transfer", "ok") in results


async def test_cancelled_transfer_hangs_up_the_target_and_unholds_the_caller(console):
    ops, store = console.ops, console.store
    caller = await answered_inbound(console)
    t = await ops.start_attended_transfer(caller, phones.SIP_ANSWERS)

    await ops.cancel_attended_transfer(t)

    assert t.state is TransferState.CANCELLED
    await call_in_state(console, t.consult_call_control_id, CallState.ENDED)
    assert store.call(caller).on_hold is False
    assert store.call(caller).is_live
    await settle(console)
    assert console.simulator.truth()["calls"][caller]["on_hold"] is False


async def test_busy_target_rolls_back(console):
    ops, store = console.ops, console.store
    caller = await answered_inbound(console)

    with pytest.raises(TransferFailed) as failure:
        await ops.start_attended_transfer(caller, phones.BUSY)

    assert "busy" in failure.value.user_message
    (t,) = ops.transfers
    assert t.state is TransferState.FAILED
    assert store.call(caller).on_hold is False
    assert store.call(caller).is_live
    assert _participant(console, t.conference_id, caller)["on_hold"] is False
    assert ("attended transfer", "rolled back") in [(e.what, e.result) for e in ops.audit.entries()]


async def test_unanswered_target_rolls_back(console):
    caller = await answered_inbound(console)
    with pytest.raises(TransferFailed, match="no answer"):
        await console.ops.start_attended_transfer(caller, phones.NO_ANSWER)
    assert console.store.call(caller).on_hold is False


async def test_steps_use_stable_command_ids(console):
    caller = await answered_inbound(console)
    t = await console.ops.start_attended_transfer(caller, phones.ANSWERS)
    assert t.command_id("dial") == t.command_id("dial")
    assert t.command_id("dial") != t.command_id("join")
    await console.ops.cancel_attended_transfer(t)


async def test_the_window_sees_only_transfers_in_progress(console):
    # The window's Complete/Cancel read ops.attended_transfers and each one's caller_ccid /
    # consult_ccid (console/ui/actions.py); finished transfers must drop out of that list.
    ops = console.ops
    caller = await answered_inbound(console)
    t = await ops.start_attended_transfer(caller, phones.ANSWERS)
    assert ops.attended_transfers == [t]
    assert (t.caller_ccid, t.consult_ccid) == (caller, t.consult_call_control_id)

    await ops.complete_attended_transfer(t)

    assert ops.attended_transfers == []
    assert ops.transfers == [t]  # the history keeps it
