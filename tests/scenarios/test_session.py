"""ConsoleSession: start/stop order, demo wiring, the webhook URL, health, settings."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from console.config import Settings
from console.operations.health import ClockWatch
from console.secrets import SecretStore, use_in_memory_keyring
from console.session import ConsoleSession
from console.simulator import TelnyxSimulator, phones
from console.state.entities import CallState
from console.tunnel.base import StatusReporter, TunnelState
from tests.operations.helpers import answered_inbound, call_in_state, make_session, until

pytestmark = pytest.mark.anyio


def _other_tasks() -> set[asyncio.Task]:
    return {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}


async def _refused(url: str) -> bool:
    async with httpx.AsyncClient(timeout=2) as http:
        try:
            await http.get(url)
        except httpx.ConnectError:
            return True
    return False


async def test_demo_session_stops_cleanly(home):
    before = _other_tasks()
    async with make_session(home) as console:
        receiver_url, sim_url = console.receiver.url, console.simulator.base_url
        assert console.demo and console.simulator is not None
        assert console.settings.connection_id == console.simulator.connection_id
        assert console.settings.from_numbers == console.simulator.from_numbers
        ccid = await answered_inbound(console)
        await console.ops.hold(ccid)
    assert await _refused(receiver_url)
    assert await _refused(sim_url + "/calls")
    await asyncio.sleep(0)  # let cancelled callbacks run
    assert {t for t in _other_tasks() - before if not t.done()} == set()


async def test_demo_webhook_path_test_and_health(console):
    changes = []
    console.on_health(lambda: changes.append(console.health))
    ccid = await answered_inbound(console)
    result = await console.test_webhook_path()
    assert "✘" not in result and "signed test delivery" in result
    health = console.health
    assert health.receiver_url and health.tunnel_state == "demo"
    assert health.api_reachable is True
    assert health.last_event_at is not None
    assert health.verification_enabled is True
    assert changes  # listeners heard about it
    await console.ops.hangup(ccid)


@contextlib.asynccontextmanager
async def live_session(home, sim: TelnyxSimulator) -> AsyncIterator[ConsoleSession]:
    """A real (not demo) session on the simulator's account, with no tunnel."""
    environ = {"TELNYX_API_KEY": sim.api_key, "TELNYX_PUBLIC_KEY": sim.public_key_b64}
    settings = Settings(
        api_base_url=sim.base_url,
        connection_id=sim.connection_id,
        from_numbers=sim.from_numbers,
        tunnel_provider="none",
    )
    with use_in_memory_keyring():
        session = ConsoleSession(
            settings,
            SecretStore(environ=environ),
            data_dir=home / "data",
            settings_path=home / "config" / "settings.json",
            receiver_port=0,
            tunnel_factory=lambda s, secrets: LoopbackTunnel(),
        )
        await session.start()
        try:
            yield session
        finally:
            await session.stop()


async def test_state_survives_a_restart_from_its_checkpoint(home):
    async with TelnyxSimulator(webhook_url="https://example.invalid/hook", speed=50) as sim:
        async with live_session(home, sim) as console:
            ended = await sim.place_inbound_call(from_="+13125550142", ring_secs=100_000)
            await call_in_state(console, ended, CallState.RINGING)
            await console.ops.answer(ended)
            await call_in_state(
                console, ended, CallState.ANSWERED, CallState.PARKED, CallState.IN_CONFERENCE
            )
            await console.ops.hangup(ended)
            await call_in_state(console, ended, CallState.ENDED)
            ringing = await sim.place_inbound_call(from_="+13125550143", ring_secs=100_000)
            await call_in_state(console, ringing, CallState.RINGING)
        async with live_session(home, sim) as again:
            call = again.store.call(ended)
            assert call is not None and call.state is CallState.ENDED
            assert again.store.call(ringing) is not None
            assert again.feed.folded_seq >= console.feed.folded_seq


async def test_a_demo_starts_on_a_fresh_journal_each_run(home):
    async with make_session(home) as console:
        ccid = await answered_inbound(console)
        first_files = console.files_dir
        assert first_files.is_dir()
    assert not first_files.exists()  # the demo's files go with it
    async with make_session(home) as again:
        assert again.store.call(ccid) is None
        assert again.files_dir != first_files


async def test_apply_settings_in_demo_keeps_the_users_account(home):
    async with make_session(home) as console:
        new = console.settings.model_copy(update={"event_silence_warning_secs": 5})
        await console.apply_settings(new)
        assert console.settings.connection_id == console.simulator.connection_id
        saved = json.loads((home / "config" / "settings.json").read_text())
        assert saved["event_silence_warning_secs"] == 5
        assert saved["connection_id"] == ""  # the simulator's account is never saved
        assert saved["from_numbers"] == []


def test_clock_watch_sees_a_jump():
    wall, mono = [1000.0], [50.0]
    watch = ClockWatch(threshold=5, wall=lambda: wall[0], mono=lambda: mono[0])
    wall[0] += 1
    mono[0] += 1
    assert watch.jumped() is None
    wall[0] += 3600  # asleep for an hour: the monotonic clock stood still
    assert watch.jumped() == pytest.approx(3600)


class LoopbackTunnel(StatusReporter):
    """A "tunnel" whose public URL is the receiver itself (the test plays Telnyx)."""

    kind = "loopback"

    async def start(self, local_port: int) -> str:
        url = f"http://127.0.0.1:{local_port}"
        self._set_status(TunnelState.UP, public_url=url)
        return url

    async def stop(self) -> None:
        self._set_status(TunnelState.DOWN)


async def test_live_session_points_and_restores_the_webhook_url(home):
    original = "https://example.invalid/hook"
    async with TelnyxSimulator(webhook_url=original, speed=50) as sim:
        environ = {"TELNYX_API_KEY": sim.api_key, "TELNYX_PUBLIC_KEY": sim.public_key_b64}
        settings = Settings(
            api_base_url=sim.base_url,
            connection_id=sim.connection_id,
            from_numbers=sim.from_numbers,
            tunnel_provider="none",
        )
        with use_in_memory_keyring():
            session = ConsoleSession(
                settings,
                SecretStore(environ=environ),
                demo=False,
                data_dir=home / "data",
                settings_path=home / "config" / "settings.json",
                receiver_port=0,
                tunnel_factory=lambda s, secrets: LoopbackTunnel(),
            )
            await session.start()
            try:
                expected = f"http://127.0.0.1:{session.receiver.port}/webhooks/telnyx"
                assert sim.truth()["applications"][sim.connection_id] == expected
                assert session.health.webhook_url == expected

                ccid = await sim.place_inbound_call(from_="+13125550142", ring_secs=100_000)
                await call_in_state(session, ccid, CallState.RINGING)
                await session.ops.answer(ccid)
                await session.ops.hold(ccid)
                assert session.store.call(ccid).on_hold

                result = await session.test_webhook_path()
                assert "not signed by Telnyx" in result and "✘" not in result, result
                assert (await session.list_applications())[0][0] == sim.connection_id
            finally:
                await session.stop()
        assert sim.truth()["applications"][sim.connection_id] == original


async def test_first_run_without_an_api_key_still_opens(home):
    with use_in_memory_keyring():
        session = ConsoleSession(
            Settings(tunnel_provider="none"),
            SecretStore(environ={}),
            demo=False,
            data_dir=home / "data",
            receiver_port=0,
        )
        await session.start()
        try:
            assert any("API key" in n for n in session.health.notices)
            with pytest.raises(Exception, match="API key") as failure:
                await session.ops.dial(phones.ANSWERS, from_="+13125550199")
            assert failure.value.user_message
        finally:
            await session.stop()


async def test_the_tunnel_waits_for_setup_then_starts_and_points_the_webhook(home):
    """No API key: nothing could point Telnyx at a tunnel, so none is started (no error
    shouts at a new operator). Setup then supplies the key and the tunnel comes up."""
    original = "https://example.invalid/hook"
    tunnels: list[LoopbackTunnel] = []

    def make_tunnel(settings, secrets):
        tunnels.append(LoopbackTunnel())
        return tunnels[-1]

    async with TelnyxSimulator(webhook_url=original, speed=50) as sim:
        settings = Settings(
            api_base_url=sim.base_url,
            connection_id=sim.connection_id,
            from_numbers=sim.from_numbers,
        )
        with use_in_memory_keyring():
            session = ConsoleSession(
                settings,
                SecretStore(environ={"TELNYX_PUBLIC_KEY": sim.public_key_b64}),
                demo=False,
                data_dir=home / "data",
                settings_path=home / "config" / "settings.json",
                receiver_port=0,
                tunnel_factory=make_tunnel,
            )
            await session.start()
            try:
                assert tunnels == []
                assert session.health.tunnel_state == "waiting for setup"
                assert sim.truth()["applications"][sim.connection_id] == original

                await session.apply_settings(settings, api_key=sim.api_key)
                assert len(tunnels) == 1
                expected = f"http://127.0.0.1:{session.receiver.port}/webhooks/telnyx"
                assert sim.truth()["applications"][sim.connection_id] == expected
                assert session.health.tunnel_state == "up"
            finally:
                await session.stop()
        assert sim.truth()["applications"][sim.connection_id] == original


async def test_silence_warning_when_calls_are_live_and_events_stop(home):
    async with make_session(home) as console:
        ccid = await answered_inbound(console)
        console.settings = console.settings.model_copy(update={"event_silence_warning_secs": 1})
        console.simulator.start_outage(100_000)
        await until(console, lambda: True, "noop")
        warned = asyncio.get_running_loop().create_future()
        console.on_health(
            lambda: console.health.silence_warning and not warned.done() and warned.set_result(1)
        )
        async with asyncio.timeout(10):
            await warned
        assert console.store.call(ccid).is_live


async def test_switching_verification_restarts_the_receiver_and_events_still_flow(home):
    async with make_session(home) as console:
        notes = await console.apply_settings(
            console.settings.model_copy(update={"verify_signatures": False})
        )
        assert any("receiver" in n for n in notes)
        assert console.health.verification_enabled is False
        ccid = await answered_inbound(console)
        await console.ops.hold(ccid)
        assert console.store.call(ccid).on_hold


def _demo_session(home, name: str, settings: Settings | None = None) -> ConsoleSession:
    """A demo session as the app builds it: no receiver_port override, the user's settings."""
    return ConsoleSession(
        settings or Settings(),
        SecretStore(environ={}),
        demo=True,
        data_dir=home / name,
        settings_path=home / name / "settings.json",
        simulator_options={"speed": 50.0},
        demo_traffic=False,
    )


async def test_demo_start_and_stop_log_no_error(home, caplog):
    caplog.set_level(logging.WARNING)
    with use_in_memory_keyring():
        session = _demo_session(home, "demo")
        await session.start()
        try:
            # The receiver knew the simulator's signing key before the first delivery.
            assert session.health.key_problem is None
            assert session.health.verification_enabled is True
            ccid = await answered_inbound(session)
            await session.ops.hangup(ccid)
            await call_in_state(session, ccid, CallState.ENDED)
            assert session.receiver.stats.rejected_total == 0
        finally:
            await session.stop()
    loud = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert loud == [], [r.getMessage() for r in loud]


async def test_two_demo_consoles_run_side_by_side_whatever_the_receiver_port(home):
    # The configured receiver port is taken (by another program): a demo never needs it.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = Settings(receiver_port=port)
        with use_in_memory_keyring():
            first = _demo_session(home, "one", settings)
            second = _demo_session(home, "two", settings)
            await asyncio.gather(first.start(), second.start())
            try:
                ports = {first.receiver.port, second.receiver.port}
                assert len(ports) == 2 and port not in ports
                for session in (first, second):
                    ccid = await answered_inbound(session)
                    assert session.store.call(ccid).state is not CallState.ENDED
                # Changing the receiver port in a demo does not restart its receiver.
                notes = await first.apply_settings(settings.model_copy(update={"receiver_port": 0}))
                assert not any("receiver" in n for n in notes)
            finally:
                await asyncio.gather(first.stop(), second.stop())
