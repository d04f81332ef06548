"""The session's REST client, and in a demo the simulator that stands in for Telnyx.

One long-lived client per API key (replaced when the key, the API base URL or the default
country changes); a demo starts the built-in simulator in-process and runs on its account
(base URL, key, connection and numbers), which is never saved to the settings file.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from console.operations.errors import OperationError
from console.secrets import Secret

if TYPE_CHECKING:
    from console.session import ConsoleSession
    from console.session_api import TelnyxApi

log = logging.getLogger("console.session")


class MissingClient:
    """Stands in for the REST client until an API key is set: every use says so in words."""

    def __getattr__(self, name: str) -> Any:
        raise OperationError(
            "No Telnyx API key is set. Add it in Settings (or start with --demo to try the "
            "console on the built-in simulator)."
        )


async def start_simulator(session: ConsoleSession) -> None:
    from console.simulator import TelnyxSimulator

    options = {"speed": 1.0, **session._simulator_options}
    session.simulator = TelnyxSimulator(webhook_url=session.receiver.url, **options)
    await session.simulator.start(port=0)
    session._api_now = session.simulator.clock.now
    # The simulator's account replaces the user's; never saved (see _user_settings).
    session.settings = session.settings.model_copy(
        update={
            "api_base_url": session.simulator.base_url,
            "connection_id": session.simulator.connection_id,
            "from_numbers": list(session.simulator.from_numbers),
        }
    )
    session.client = make_client(session, session.simulator.api_key)
    session._set_health(
        tunnel_state="demo",
        tunnel_url=None,
        webhook_url=session.receiver.url,
        key_problem=session.receiver.key_problem,
    )


def make_client(session: ConsoleSession, api_key: str) -> TelnyxApi:
    if session._client_factory is not None:
        return session._client_factory(api_key, session.settings)
    from console.telnyx.client import TelnyxClient

    return TelnyxClient(
        api_key,
        base_url=session.settings.api_base_url,
        default_country=session.settings.default_country,
    )


def hold_music_url(session: ConsoleSession) -> str | None:
    if session.settings.hold_audio_url:
        return session.settings.hold_audio_url
    if session.demo and session.simulator is not None:
        return session.simulator.hold_music_url  # a real WAV the simulator serves
    return None


async def replace_client(session: ConsoleSession) -> None:
    api_key = await session.secrets.aget(Secret.API_KEY)
    old = session.client
    session.client = make_client(session, api_key) if api_key else None
    if session.ops is not None:
        session.ops.client = session.client or MissingClient()
    if old is not None:
        await quietly("client close", old.aclose())


async def quietly(what: str, awaitable: Awaitable[object]) -> None:
    try:
        await awaitable
    except Exception:
        log.exception("%s failed during shutdown", what)
