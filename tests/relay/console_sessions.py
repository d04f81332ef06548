"""Real console sessions in team mode for the team-session tests (test_team_sessions_*.py).

A :class:`ConsoleSession` in team mode (no receiver, no tunnel) on a simulator's relay: its
stream is mirrored into the console's own journal and folded by the same tail → feed → store
path as in solo mode. Each test takes its own stream and buckets from ``_names``.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator
from pathlib import Path

from console.config import Settings
from console.relay.relay import Relay
from console.secrets import SecretStore
from console.session import ConsoleSession
from console.simulator import TelnyxSimulator
from console.state.entities import CallState
from console.team.mode import TeamMode
from tests.relay.helpers import wait_until
from tests.relay.team import relay_for

SPEED = 50.0
_names = itertools.count(1)


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
