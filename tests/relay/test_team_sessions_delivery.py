"""Team mode with real console sessions: simulator → relay → nats-server → two ConsoleSessions.

Checked here: every event reaches each console's store exactly once; a claim race on one ringing
call has one winner and the loser is told who; presence crosses consoles; a broker SIGKILL
mid-stream leaves no gap; a console whose cursor fell behind the stream's retention resyncs.
The sessions are made in tests/relay/console_sessions.py.
"""

from __future__ import annotations

import asyncio

import pytest

from console import paths
from console.desk.status import Status, StatusModel
from console.events.journal import Journal
from console.relay.claims import ClaimTaken
from console.relay.relay import Relay
from console.relay.source import ResyncReason
from console.session import ConsoleSession
from console.simulator import TelnyxSimulator
from console.state.entities import CallState
from console.team import TeamChange, TeamView
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


def journal_ids(relay: Relay) -> list[str]:
    with Journal(relay.config.journal_path, readonly=True) as journal:
        return [r.event_id for r in journal.replay_records()]


class Seen:
    """The event ids a session's store applied, in order (the session's per-event listener)."""

    def __init__(self, session: ConsoleSession):
        self.ids: list[str] = []
        session.on_event(lambda envelope, _received: self.ids.append(envelope.data.id))


async def test_two_sessions_every_event_once_one_claim_winner_and_presence(nats_server, tmp_path):
    n = next(_names)
    async with TelnyxSimulator(webhook_url="https://example.invalid/own", speed=SPEED) as sim:
        relay = await started_relay(sim, nats_server.url, tmp_path, n)
        try:
            async with (
                team_session(tmp_path, sim, relay, "Alex", n) as alex,
                team_session(tmp_path, sim, relay, "Sam", n) as sam,
            ):
                views: list[TeamView] = [team_of(alex), team_of(sam)]  # the UI's seam
                assert alex.tunnel is None and alex.ingest is None  # no receiver, no tunnel
                assert alex.health.mode == "team" and alex.health.broker_problem is None
                app = sim.world.apps[sim.connection_id]
                assert app.fields["webhook_event_url"] == relay.webhook.pointed_url  # untouched
                seen = {alex: Seen(alex), sam: Seen(sam)}
                await team_of(alex).ready()
                await team_of(sam).ready()

                # Presence: the desk's status model is what colleagues see.
                changes: list[TeamChange] = []
                views[0].on_change(changes.append)
                desk = StatusModel(operator="Sam")
                views[1].follow_status(desk)
                desk.set(Status.AWAY, "Lunch")
                await wait_until(
                    lambda: (
                        [(c.operator, c.label) for c in views[0].colleagues()]
                        == [("Sam", "Away: Lunch")]
                    ),
                    what="Alex to see Sam away",
                )
                assert TeamChange.COLLEAGUES in changes
                desk.set(Status.AVAILABLE)

                ccid = await sim.place_inbound_call("+13125550142", ring_secs=100_000)
                await wait_until(
                    lambda: state_of(alex, ccid) is state_of(sam, ccid) is CallState.RINGING,
                    what="the call ringing on both consoles",
                )
                assert alex.ops is not None and sam.ops is not None
                outcomes = await asyncio.gather(
                    alex.ops.answer(ccid), sam.ops.answer(ccid), return_exceptions=True
                )
                lost = [o for o in outcomes if isinstance(o, BaseException)]
                assert len(lost) == 1 and isinstance(lost[0], ClaimTaken), outcomes
                winner, loser = (alex, sam) if outcomes[0] is None else (sam, alex)
                name = team_of(winner).operator
                assert lost[0].user_message == f"Taken by {name}"
                assert [e.what for e in loser.ops.audit.entries()] == []  # did nothing
                claim = team_of(loser).claim_of(ccid)
                assert claim is not None and claim.words == f"{name} is answering"
                assert not claim.mine and team_of(winner).claims()[ccid].mine
                await wait_until(
                    lambda: state_of(alex, ccid) is state_of(sam, ccid) is CallState.ANSWERED,
                    what="both consoles to see the answer",
                )
                # The winner is shown on that call to the other console.
                await wait_until(
                    lambda: [c.call_control_id for c in team_of(loser).colleagues()] == [ccid],
                    what="the winner's current call in presence",
                )

                await winner.ops.hangup(ccid)
                await wait_until(
                    lambda: state_of(alex, ccid) is state_of(sam, ccid) is CallState.ENDED,
                    what="both consoles to see the hangup",
                )
                # Released on hangup, without anyone asking; presence follows.
                await wait_until(lambda: team_of(loser).claim_of(ccid) is None, what="release")
                await wait_until(
                    lambda: [c.call_control_id for c in team_of(loser).colleagues()] == [None],
                    what="the winner off the call",
                )

                await sim.wait_idle()
                await relay.publisher.caught_up()
                expected = journal_ids(relay)
                await wait_until(
                    lambda: seen[alex].ids == expected and seen[sam].ids == expected,
                    what="every event in both stores, once each, in order",
                )
                # Sam quits: Alex sees Sam offline at once (the heartbeat expiry covers a crash).
                await sam.stop()
                await wait_until(
                    lambda: [c.status for c in views[0].colleagues()] == [Status.OFFLINE],
                    what="Sam offline",
                )
                # The saved cursor is the stream's last sequence.
                info = await relay.broker.js.stream_info(relay.config.stream.name)
                await wait_until(
                    lambda: team_of(sam).mirror.saved_cursor == info.state.last_seq,
                    what="the saved cursor",
                )
        finally:
            await relay.stop()


async def test_broker_killed_and_restarted_mid_stream_leaves_no_gap(own_nats_server, tmp_path):
    n = next(_names)
    async with TelnyxSimulator(webhook_url="https://example.invalid/own", speed=SPEED) as sim:
        relay = await started_relay(sim, own_nats_server.url, tmp_path, n)
        try:
            async with team_session(tmp_path, sim, relay, "Alex", n) as alex:
                seen = Seen(alex)
                await team_of(alex).ready()
                first = await sim.place_inbound_call("+13125550142", ring_secs=100_000)
                await wait_until(lambda: state_of(alex, first) is CallState.RINGING, what="1st")

                own_nats_server.kill()
                await wait_until(
                    lambda: (alex.health.broker_problem or "").startswith("broker disconnected"),
                    what="the console to say the broker is down",
                )
                assert team_of(alex).broker_problem == "broker disconnected"
                # Calls go on meanwhile: the relay journals and answers Telnyx.
                during = await sim.place_inbound_call("+13125550143", ring_secs=100_000)
                sim.remote_hangup(first)
                await wait_until(lambda: len(journal_ids(relay)) > len(seen.ids), what="journal")
                assert state_of(alex, during) is None

                own_nats_server.start()
                await wait_until(lambda: alex.health.broker_problem is None, within=20,
                                 what="the console to reconnect")  # fmt: skip
                await wait_until(lambda: state_of(alex, during) is CallState.RINGING, within=20,
                                 what="the call placed during the outage")  # fmt: skip
                await sim.wait_idle()
                await relay.publisher.caught_up()
                expected = journal_ids(relay)
                await wait_until(lambda: seen.ids == expected, within=20, what="no gap")
                assert state_of(alex, first) is CallState.ENDED
                assert ResyncReason.RECONNECTED in team_of(alex).resyncs
                assert ResyncReason.GAP not in team_of(alex).resyncs
        finally:
            await relay.stop()


async def test_console_offline_past_retention_resyncs(nats_server, tmp_path):
    n = next(_names)
    async with TelnyxSimulator(webhook_url="https://example.invalid/own", speed=SPEED) as sim:
        relay = await started_relay(sim, nats_server.url, tmp_path, n)
        try:
            async with team_session(tmp_path, sim, relay, "Sam", n) as sam:
                await team_of(sam).ready()
                early = await sim.place_inbound_call("+13125550142", ring_secs=100_000)
                await wait_until(lambda: state_of(sam, early) is CallState.RINGING, what="early")
                cursor = team_of(sam).mirror.saved_cursor
            # Sam is offline: calls come and the broker's retention drops the oldest events.
            late = await sim.place_inbound_call("+13125550143", ring_secs=100_000)
            latest = await sim.place_inbound_call("+13125550144", ring_secs=100_000)
            await sim.wait_idle()
            await relay.publisher.caught_up()
            js = relay.broker.js
            last = (await js.stream_info(relay.config.stream.name)).state.last_seq
            await js.purge_stream(relay.config.stream.name, keep=1)  # what max_age does
            assert last > cursor + 1
            async with team_session(tmp_path, sim, relay, "Sam", n) as sam:
                assert team_of(sam).mirror.saved_cursor == cursor  # from its own database
                await wait_until(
                    lambda: "dropped by the broker" in (sam.health.last_resync_reason or ""),
                    what="the resync for the gap",
                )
                assert sam.health.last_resync_error is None
                # The resync (REST) knows the call whose events the broker no longer had.
                call = sam.store.call(late)
                assert call is not None and call.is_live  # REST cannot tell ringing apart
                # What the stream still had was read from its first sequence on.
                await wait_until(
                    lambda: team_of(sam).mirror.saved_cursor == last, what="the stream's rest"
                )
                with Journal(sam.files_dir / paths.JOURNAL_FILENAME, readonly=True) as mine:
                    assert mine.get(journal_ids(relay)[-1]) is not None
                call = sam.store.call(latest)
                assert call is not None and call.is_live
                early_call = sam.store.call(early)
                assert early_call is not None and early_call.is_live
        finally:
            await relay.stop()
