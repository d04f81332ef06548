"""Team mode end to end: simulator → relay (HTTP, signed) → nats-server → two consoles' stores.

Both consoles see every event exactly once; of two operators answering one ringing call at
once exactly one answers it and the other is told who took it; a relay restart republishes
nothing twice.
"""

from __future__ import annotations

import asyncio
import itertools

import pytest

from console.events.journal import Journal
from console.relay.claims import ClaimTaken
from console.relay.relay import Relay
from console.simulator import TelnyxSimulator
from console.state.entities import CallState
from tests.relay.helpers import wait_until
from tests.relay.team import TeamConsole, relay_for

pytestmark = pytest.mark.anyio

SPEED = 50.0
_names = itertools.count(1)


def journal_ids(relay: Relay) -> list[str]:
    with Journal(relay.config.journal_path, readonly=True) as journal:
        return [r.event_id for r in journal.replay_records()]


def call_state(console: TeamConsole, ccid: str) -> CallState | None:
    call = console.store.call(ccid)
    return call.state if call else None


async def test_two_consoles_one_ringing_call_one_winner_every_event_once(nats_server, tmp_path):
    n = next(_names)
    async with TelnyxSimulator(webhook_url="https://example.invalid/own", speed=SPEED) as sim:
        relay = relay_for(sim, nats_server.url, tmp_path / "relay", f"TEAM{n}")
        await relay.start()
        await wait_until(lambda: relay.webhook.pointed_url is not None, what="the URL")
        alex = TeamConsole("Alex", nats_server.url, relay.config.stream, f"team_claims_{n}")
        sam = TeamConsole("Sam", nats_server.url, relay.config.stream, f"team_claims_{n}")
        await alex.start(sim)
        await sam.start(sim)
        try:
            ccid = await sim.place_inbound_call("+13125550142", ring_secs=100_000)
            await wait_until(
                lambda: (
                    call_state(alex, ccid) is CallState.RINGING
                    and call_state(sam, ccid) is CallState.RINGING
                ),
                what="the call ringing on both consoles",
            )

            outcomes = await asyncio.gather(
                alex.answer(ccid), sam.answer(ccid), return_exceptions=True
            )
            lost = [o for o in outcomes if isinstance(o, BaseException)]
            assert len(lost) == 1 and isinstance(lost[0], ClaimTaken), outcomes
            winner, loser = (alex, sam) if outcomes[0] is None else (sam, alex)
            assert lost[0].user_message == f"Taken by {winner.operator}"
            assert loser.claims.holder(ccid).words == f"{winner.operator} is answering"
            # The loser did nothing to the call: no answer command went out from it.
            assert [e.what for e in loser.ops.audit.entries()] == []
            assert [(e.what, e.result) for e in winner.ops.audit.entries()] == [("answer", "ok")]

            await wait_until(
                lambda: (
                    call_state(alex, ccid) is CallState.ANSWERED
                    and call_state(sam, ccid) is CallState.ANSWERED
                ),
                what="both consoles to see the answer",
            )

            # Relay restart mid-call: nothing is published twice, nothing is missed.
            await relay.stop()
            relay = relay_for(sim, nats_server.url, tmp_path / "relay", f"TEAM{n}")
            await relay.start()
            await winner.ops.hangup(ccid)
            await winner.claims.release(ccid)  # released on hangup
            await wait_until(
                lambda: (
                    call_state(alex, ccid) is CallState.ENDED
                    and call_state(sam, ccid) is CallState.ENDED
                ),
                within=30.0,  # Telnyx (the simulator) retries what the stopped relay missed
                what="both consoles to see the hangup",
            )
            await sim.wait_idle()
            await relay.publisher.caught_up()
            expected = journal_ids(relay)
            await wait_until(
                lambda: len(alex.records) == len(expected) == len(sam.records),
                what="every event on both consoles",
            )
            assert alex.event_ids == sam.event_ids == expected  # each once, in journal order
            info = await relay.broker.js.stream_info(relay.config.stream.name)
            assert info.state.messages == len(expected)  # the restart republished nothing
            assert alex.resyncs == sam.resyncs == []
            await wait_until(lambda: loser.claims.holder(ccid) is None, what="the release")
        finally:
            await alex.stop()
            await sam.stop()
            await relay.stop()
