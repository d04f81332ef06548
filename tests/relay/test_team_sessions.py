"""Team mode with real console sessions: simulator → relay → nats-server → two ConsoleSessions.

Each console runs the real :class:`ConsoleSession` in team mode (no receiver, no tunnel): the
stream is mirrored into its own journal and folded by the same tail → feed → store path as in
solo mode. Checked here: every event reaches each console's store exactly once; a claim race
on one ringing call has one winner and the loser is told who; presence crosses consoles; a
broker SIGKILL mid-stream leaves no gap; a console whose cursor fell behind the stream's
retention resyncs; the solo-mode guard keeps a second console from taking the URL silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from console import paths
from console.config import Settings
from console.desk.status import Status, StatusModel
from console.events.journal import Journal
from console.relay.claims import ClaimTaken
from console.relay.relay import Relay
from console.relay.source import ResyncReason
from console.secrets import SecretStore
from console.session import ConsoleSession
from console.simulator import TelnyxSimulator
from console.state.entities import CallState
from console.team import SupervisorMode, TeamChange, TeamView
from console.team.errors import TeamActionError
from console.team.mode import TeamMode
from console.tunnel.base import StatusReporter, TunnelState
from tests.relay.helpers import wait_until
from tests.relay.team import relay_for

pytestmark = pytest.mark.anyio

SPEED = 50.0
_names = itertools.count(1)


def journal_ids(relay: Relay) -> list[str]:
    with Journal(relay.config.journal_path, readonly=True) as journal:
        return [r.event_id for r in journal.replay_records()]


class Seen:
    """The event ids a session's store applied, in order (the session's per-event listener)."""

    def __init__(self, session: ConsoleSession):
        self.ids: list[str] = []
        session.on_event(lambda envelope, _received: self.ids.append(envelope.data.id))


@contextlib.asynccontextmanager
async def team_session(
    home: Path, sim: TelnyxSimulator, relay: Relay, operator: str, n: int, **settings: object
) -> AsyncIterator[ConsoleSession]:
    environ = {"TELNYX_API_KEY": sim.api_key}
    session = ConsoleSession(
        Settings(
            api_base_url=sim.base_url,
            connection_id=sim.connection_id,
            from_numbers=sim.from_numbers,
            tunnel_provider="none",
            mode="team",
            broker_url=relay.config.broker.servers[0],
            operator_name=operator,
            **settings,  # type: ignore[arg-type]
        ),
        SecretStore(environ=environ),
        data_dir=home / operator,
        settings_path=home / operator / "settings.json",
        resync_debounce=0.05,
        team_options={
            "stream": relay.config.stream,
            "claims_bucket": f"claims_{n}",
            "presence_bucket": f"presence_{n}",
            "heartbeat_secs": 0.5,
        },
    )
    await session.start()
    try:
        yield session
    finally:
        await session.stop()


def team_of(session: ConsoleSession) -> TeamMode:
    assert isinstance(session.team, TeamMode)
    return session.team


def state_of(session: ConsoleSession, ccid: str) -> CallState | None:
    call = session.store.call(ccid)
    return call.state if call else None


async def started_relay(sim: TelnyxSimulator, nats_url: str, tmp_path: Path, n: int) -> Relay:
    relay = relay_for(sim, nats_url, tmp_path / "relay", f"SESS{n}")
    await relay.start()
    await wait_until(lambda: relay.webhook.pointed_url is not None, what="the relay's URL")
    return relay


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


class LoopbackTunnel(StatusReporter):
    """A "tunnel" whose public URL is the console's receiver itself."""

    kind = "loopback"

    async def start(self, local_port: int) -> str:
        url = f"http://127.0.0.1:{local_port}"
        self._set_status(TunnelState.UP, public_url=url)
        return url

    async def stop(self) -> None:
        self._set_status(TunnelState.DOWN)


@contextlib.asynccontextmanager
async def solo_session(
    home: Path, sim: TelnyxSimulator, name: str
) -> AsyncIterator[ConsoleSession]:
    session = ConsoleSession(
        Settings(
            api_base_url=sim.base_url,
            connection_id=sim.connection_id,
            from_numbers=sim.from_numbers,
            tunnel_provider="none",
        ),
        SecretStore(
            environ={"TELNYX_API_KEY": sim.api_key, "TELNYX_PUBLIC_KEY": sim.public_key_b64}
        ),
        data_dir=home / name,
        settings_path=home / name / "settings.json",
        receiver_port=0,
        tunnel_factory=lambda _settings, _secrets: LoopbackTunnel(),
    )
    await session.start()
    try:
        yield session
    finally:
        await session.stop()


async def test_solo_guard_two_consoles_one_application(tmp_path):
    original = "https://example.invalid/own"
    async with TelnyxSimulator(webhook_url=original, speed=SPEED) as sim:
        app = sim.world.apps[sim.connection_id]
        async with solo_session(tmp_path, sim, "first") as first:
            first_url = first.health.webhook_url
            assert first_url is not None and app.fields["webhook_event_url"] == first_url
            async with solo_session(tmp_path, sim, "second") as second:
                # Not taken silently: the second console says who holds it and changes nothing.
                health = second.health
                assert health.webhook_url is None
                assert health.webhook_held_by == first_url.split("/")[2]
                assert "Another console" in (health.webhook_problem or "")
                assert "join a team" in (health.webhook_problem or "")
                assert app.fields["webhook_event_url"] == first_url
                # The operator chose to take over.
                await second.take_over_webhook()
                second_url = second.health.webhook_url
                assert second_url is not None and app.fields["webhook_event_url"] == second_url
                assert second.health.webhook_held_by is None
                # The first console's URL is never remembered as the application's own.
                memory = json.loads((tmp_path / "second" / "webhook-target.json").read_text())
                assert memory["previous_url"] != first_url
            # The first console leaves the URL it lost alone and keeps the real original.
        assert app.fields["webhook_event_url"] != first_url
        memory = json.loads((tmp_path / "first" / "webhook-target.json").read_text())
        assert memory["previous_url"] == original


def test_team_settings_are_checked_in_words():
    from console.config import ConfigError, validate_settings

    with pytest.raises(ConfigError) as caught:
        validate_settings({"mode": "team"})
    text = caught.value.user_message
    assert "team mode needs broker_url" in text and "operator_name" in text
    with pytest.raises(ConfigError, match="keyring, not in the URL"):
        validate_settings({"broker_url": "nats://u:secret@broker:4222"})
    with pytest.raises(ConfigError, match="nats://host:port"):
        validate_settings({"broker_url": "http://broker"})
    ok = validate_settings(
        {
            "mode": "team",
            "broker_url": "nats://a:4222, tls://b:4222",
            "operator_name": " Alex  Smith ",
        }
    )
    assert ok.broker_urls == ("nats://a:4222", "tls://b:4222")
    assert ok.operator_name == "Alex Smith" and ok.team_operator_id == "alex-smith"
    assert json.loads(ok.model_dump_json())["mode"] == "team"


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


async def test_a_console_opens_while_the_broker_is_down_and_joins_when_it_is_up(
    own_nats_server, tmp_path
):
    own_nats_server.kill()
    session = ConsoleSession(
        Settings(mode="team", broker_url=own_nats_server.url, operator_name="Alex"),
        SecretStore(environ={}),
        data_dir=tmp_path / "alex",
        settings_path=tmp_path / "alex" / "settings.json",
        team_options={"claims_bucket": "claims_down", "presence_bucket": "presence_down"},
    )
    await asyncio.wait_for(session.start(), 5)  # never waits for the broker
    try:
        team = team_of(session)
        assert not team.broker_connected
        assert session.health.broker_problem is not None
        assert "team broker" in session.health.broker_problem
        assert "Team mode" in await session.test_webhook_path()
        own_nats_server.start()
        await asyncio.wait_for(team.ready(), 15)
        await wait_until(lambda: session.health.broker_problem is None, what="connected")
        assert team.broker_connected
    finally:
        await session.stop()
