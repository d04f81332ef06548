"""With every simulator fault switched on, the store still ends in the simulator's true state."""

from __future__ import annotations

import pytest

from console.operations import TransferFailed
from console.simulator import Faults, phones
from console.state.entities import CallState
from tests.operations.helpers import (
    answered_inbound,
    call_in_state,
    make_session,
    settle,
    until,
)
from tests.scenarios.truth import differences

pytestmark = pytest.mark.anyio

ALL_FAULTS = Faults(
    duplicate_rate=0.3,
    reorder_rate=0.3,
    reorder_delay=0.5,
    delay=0.2,
    jitter=0.5,
    drop_first_attempt_rate=0.3,
    api_5xx_rate=0.05,
    api_429_rate=0.05,
)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_store_converges_to_truth_under_every_fault(home, seed):
    async with make_session(home, faults=ALL_FAULTS, seed=seed) as console:
        ops, store = console.ops, console.store
        a = await answered_inbound(console, from_="+13125550142")
        b = await answered_inbound(console, from_="+13125550143")
        c = await answered_inbound(console, from_="+13125550144")

        await ops.hold(a)
        await ops.mute(a)
        await ops.unhold(a)
        conference_id = await ops.merge([a, b])
        await ops.mute(b)
        t = await ops.start_attended_transfer(c, phones.ANSWERS)
        await ops.complete_attended_transfer(t)
        with pytest.raises(TransferFailed):
            await ops.start_attended_transfer(c, phones.BUSY)
        await ops.record_start(c)
        await ops.record_stop(c)
        busy = await ops.dial(phones.BUSY)
        await ops.transfer(b, phones.SIP_ANSWERS)
        await ops.hangup(a)
        await call_in_state(console, busy, CallState.ENDED)

        await settle(console)
        await until(console, lambda: not differences(console), "the store matches the truth")
        assert differences(console) == []
        assert console.receiver.stats.duplicates + console.receiver.stats.retries_seen > 0
        assert store.conference(conference_id) is not None
