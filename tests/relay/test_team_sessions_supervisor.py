"""Team mode with real console sessions: a supervisor monitors, whispers and barges in on a
colleague's call, switching in place on one leg; an operator without the role is refused.
The sessions are made in tests/relay/console_sessions.py.
"""

from __future__ import annotations

import pytest

from console.simulator import TelnyxSimulator
from console.state.entities import CallState
from console.team import SupervisorMode, TeamView
from console.team.errors import TeamActionError
from tests.relay.console_sessions import (
    SPEED,
    _names,
    started_relay,
    state_of,
    team_of,
    team_session,
)
from tests.relay.helpers import wait_until

pytestmark = pytest.mark.anyio


async def test_supervisor_monitors_whispers_and_barges_in_place(nats_server, tmp_path):
    n = next(_names)
    alex_phone, sam_phone = "sip:alex@sim.telnyx.invalid", "sip:sam@sim.telnyx.invalid"
    async with TelnyxSimulator(webhook_url="https://example.invalid/own", speed=SPEED) as sim:
        relay = await started_relay(sim, nats_server.url, tmp_path, n)
        try:
            async with (
                team_session(tmp_path, sim, relay, "Alex", n, operator_endpoint=alex_phone) as alex,
                team_session(
                    tmp_path, sim, relay, "Sam", n, operator_endpoint=sam_phone, supervisor=True
                ) as sam,
            ):
                await team_of(alex).ready()
                await team_of(sam).ready()
                ccid = await sim.place_inbound_call("+13125550142", ring_secs=100_000)
                await wait_until(lambda: state_of(alex, ccid) is CallState.RINGING, what="ring")
                assert alex.ops is not None
                with pytest.raises(TeamActionError, match="supervisor role"):
                    await team_of(alex).supervise(ccid, SupervisorMode.MONITOR)
                await alex.ops.answer(ccid)
                operator_leg = alex.ops.operator_leg_of(ccid)
                assert operator_leg is not None
                await wait_until(
                    lambda: state_of(sam, operator_leg) is CallState.IN_CONFERENCE,
                    what="Sam to see Alex's leg in the call's conference",
                )

                def roles() -> dict[str, tuple[str, list[str]]]:
                    conference_id = alex.store.call(ccid).conference_id
                    conference = sim.world.conferences[conference_id]
                    return {
                        p.call_control_id: (p.supervisor_role, p.whisper_call_control_ids)
                        for p in conference.participants.values()
                        if p.status == "joined"
                    }

                view: TeamView = team_of(sam)
                await view.supervise(ccid, SupervisorMode.MONITOR)
                sam_ops = team_of(sam).ops
                assert sam_ops is not None
                _conf, sam_leg = sam_ops.supervising[ccid]
                assert roles()[sam_leg] == ("monitor", [])
                assert roles()[operator_leg][0] == "none"
                await view.supervise(ccid, SupervisorMode.WHISPER)  # switched in place
                assert roles()[sam_leg] == ("whisper", [operator_leg])
                await view.supervise(ccid, SupervisorMode.BARGE)
                assert roles()[sam_leg][0] == "barge"
                assert sam_ops.supervising[ccid][1] == sam_leg  # the same leg throughout
                await view.stop_supervising(ccid)
                await wait_until(lambda: state_of(sam, sam_leg) is CallState.ENDED, what="gone")
                assert state_of(sam, ccid) is CallState.IN_CONFERENCE  # the call goes on
                await alex.ops.hangup(ccid)
        finally:
            await relay.stop()
