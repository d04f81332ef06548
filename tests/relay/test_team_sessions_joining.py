"""Getting into team mode with real console sessions: team settings checked in words, a
console that opens while the broker is down and joins when it is up, and the solo-mode guard
that keeps a second console from taking the application's webhook URL silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from console.config import Settings
from console.secrets import SecretStore
from console.session import ConsoleSession
from console.simulator import TelnyxSimulator
from console.tunnel.base import StatusReporter, TunnelState
from tests.relay.console_sessions import SPEED, team_of
from tests.relay.helpers import wait_until

pytestmark = pytest.mark.anyio


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
