"""Issue #6 end to end: a live-mode session, the real pyngrok code path, the fake ngrok agent.

"Telnyx" is the in-process simulator; the tunnel is the session's own ``build_tunnel`` →
``NgrokTunnel`` → pyngrok → ``tests/tunnel/fake_ngrok.py``. With ``FAKE_NGROK_LOCAL_URL`` the
fake reports a real local address as its public URL and forwards it to the receiver, so the
simulator's webhooks travel simulator → fake tunnel → receiver → store. Every wait is on a
condition (store or health notifications; process state polled with a deadline).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.config import Settings
from console.secrets import Secret, SecretStore
from console.session import WEBHOOK_MEMORY_FILENAME, ConsoleSession
from console.simulator import TelnyxSimulator
from console.state.entities import CallState
from console.tunnel.agent_process import find_agents_using, process_alive
from tests.operations.helpers import LONG_RING, SPEED, WITHIN, call_in_state
from tests.tunnel.helpers import isolated_pyngrok, read_starts, write_fake_agent

pytestmark = pytest.mark.anyio

ORIGINAL_URL = "https://example.invalid/telnyx-hook"  # the application's URL before the console
PATH = "/webhooks/telnyx"
AUTHTOKEN = "fake-authtoken-0123456789"
CALLER = "+13125550142"
# Short intervals so a killed agent is noticed and replaced quickly (never asserted on).
FAST_TUNNEL = {
    "watchdog_interval": 0.05,
    "backoff_initial": 0.05,
    "backoff_max": 0.2,
    "startup_timeout": 10,
}


@pytest.fixture(autouse=True)
def clean_pyngrok(monkeypatch):
    with isolated_pyngrok(monkeypatch) as downloads:
        yield
    assert downloads == []


@pytest.fixture
def fake_state(tmp_path, monkeypatch) -> Path:
    """Where the fake agent records its starts (pid, argv)."""
    state = tmp_path / "fake-state"
    monkeypatch.setenv("FAKE_NGROK_STATE_DIR", str(state))
    # The fake's public URL is its local forwarder: deliveries really go through the tunnel.
    monkeypatch.setenv("FAKE_NGROK_LOCAL_URL", "1")
    return state


@pytest.fixture
def fake_agent(tmp_path, fake_state) -> str:
    return write_fake_agent(tmp_path / "bin")


@pytest.fixture
async def sim() -> AsyncIterator[TelnyxSimulator]:
    async with TelnyxSimulator(webhook_url=ORIGINAL_URL, speed=SPEED) as simulator:
        yield simulator


@contextlib.asynccontextmanager
async def live_session(
    sim: TelnyxSimulator,
    home: Path,
    ngrok_path: str,
    tunnel_options: dict[str, Any] | None = None,
    **overrides: Any,
) -> AsyncIterator[ConsoleSession]:
    """A live (non-demo) session on the simulator's account, secrets in the (test) keyring."""
    fields: dict[str, Any] = {
        "api_base_url": sim.base_url,
        "connection_id": sim.connection_id,
        "from_numbers": sim.from_numbers,
        "tunnel_provider": "ngrok",
        "ngrok_path": ngrok_path,
        "receiver_path": PATH,
    }
    settings = Settings(**{**fields, **overrides})
    secrets = SecretStore(environ={})  # the in-memory keyring the root conftest installs
    secrets.set(Secret.API_KEY, sim.api_key)
    secrets.set(Secret.PUBLIC_KEY, sim.public_key_b64)
    secrets.set(Secret.NGROK_AUTHTOKEN, AUTHTOKEN)
    session = ConsoleSession(
        settings,
        secrets,
        demo=False,
        data_dir=home / "data",
        settings_path=home / "config" / "settings.json",
        receiver_port=0,
        resync_debounce=0.05,
        tunnel_options={**FAST_TUNNEL, **(tunnel_options or {})},
    )
    await session.start()
    try:
        yield session
    finally:
        await session.stop()


async def application(sim: TelnyxSimulator) -> dict[str, Any]:
    """The Call Control application as the simulator's REST API returns it."""
    async with httpx.AsyncClient(timeout=5) as http:
        response = await http.get(
            f"{sim.base_url}/call_control_applications/{sim.connection_id}",
            headers={"Authorization": f"Bearer {sim.api_key}"},
        )
    response.raise_for_status()
    return response.json()["data"]


async def health_until(session: ConsoleSession, predicate: Callable[[Any], Any], what: str) -> Any:
    """Wait for a health notification after which ``predicate(session.health)`` holds.

    Returns ``session.health`` as it is when the waiter resumes: whatever the session set in
    the same callback as the awaited change (e.g. the problem text beside a tunnel failure)
    is there too.
    """
    if predicate(session.health):
        return session.health
    reached: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def check() -> None:
        if not reached.done() and predicate(session.health):
            reached.set_result(None)

    remove = session.on_health(check)
    try:
        async with asyncio.timeout(WITHIN):
            await reached
        return session.health
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}; health is {session.health}") from None
    finally:
        remove()


async def eventually(predicate: Callable[[], bool], what: str) -> None:
    """Poll external (process) state with a deadline."""
    end = time.monotonic() + WITHIN
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def deliveries_for(sim: TelnyxSimulator, ccid: str) -> list[Any]:
    return [r for r in sim.deliveries if r.data.get("payload", {}).get("call_control_id") == ccid]


async def inbound_call_arrives(session: ConsoleSession, sim: TelnyxSimulator) -> str:
    ccid = await sim.place_inbound_call(from_=CALLER, ring_secs=LONG_RING)
    await call_in_state(session, ccid, CallState.RINGING)
    await sim.wait_idle(WITHIN)  # every delivery of this call finished
    return ccid


def assert_delivered_through(sim: TelnyxSimulator, ccid: str, webhook_url: str) -> None:
    records = deliveries_for(sim, ccid)
    assert records, f"no webhook was sent for {ccid}"
    for record in records:
        assert record.delivered and record.delivered_to == webhook_url, record
        assert {a.url for a in record.attempts} == {webhook_url}, record.attempts


def remembered(session: ConsoleSession) -> dict[str, Any]:
    return json.loads((session.data_dir / WEBHOOK_MEMORY_FILENAME).read_text())


def no_agent_left(session: ConsoleSession, fake_state: Path) -> None:
    for start in read_starts(fake_state):
        assert not process_alive(start["pid"]), f"agent PID {start['pid']} is still running"
    assert find_agents_using(str(session.tunnel.config_path)) == []
    assert not session.tunnel.pidfile.exists()


async def test_tunnel_points_the_application_survives_an_agent_kill_and_restores(
    sim, home, fake_agent, fake_state
):
    async with live_session(sim, home, fake_agent) as session:
        # Tunnel up, public URL read through pyngrok from the (fake) agent's API.
        health = session.health
        first_url = session.tunnel.public_url
        first_hook = first_url + PATH
        assert health.tunnel_state == "up" and health.tunnel_url == first_url
        assert first_url != session.receiver.url.removesuffix(PATH)  # really another hop
        first_pid = session.tunnel.agent_pid
        assert first_pid is not None and process_alive(first_pid)

        # The application points at the tunnel (API v2); the old URL is remembered.
        app = await application(sim)
        assert app["webhook_event_url"] == first_hook
        assert app["webhook_api_version"] == "2"
        assert health.webhook_url == first_hook and health.webhook_problem is None
        assert remembered(session)["previous_url"] == ORIGINAL_URL
        assert health.last_resync_reason == "start-up" and health.last_resync_error is None

        # An inbound call travels simulator → fake tunnel → receiver → store.
        first_call = await inbound_call_arrives(session, sim)
        assert_delivered_through(sim, first_call, first_hook)

        # The agent dies: the watchdog reconnects (new URL), the application follows, and a
        # resync fills the gap.
        tunnel_states: list[str] = []
        session.on_health(lambda: tunnel_states.append(session.health.tunnel_state))
        resynced_before = health.last_resync_at
        os.kill(first_pid, signal.SIGKILL)

        health = await health_until(
            session,
            lambda h: (
                h.tunnel_state == "up"
                and h.tunnel_url not in (None, first_url)
                and h.webhook_url == h.tunnel_url + PATH
                and "tunnel reconnected" in (h.last_resync_reason or "")
            ),
            "the reconnect, the re-pointed application and the resync after it",
        )
        assert "reconnecting" in tunnel_states  # the operator saw it
        assert health.last_resync_at != resynced_before and health.last_resync_error is None
        assert health.webhook_problem is None
        second_url = health.tunnel_url
        second_hook = second_url + PATH
        second_pid = session.tunnel.agent_pid
        assert second_pid not in (None, first_pid)
        await eventually(lambda: not process_alive(first_pid), "the killed agent to be gone")

        app = await application(sim)
        assert app["webhook_event_url"] == second_hook
        assert app["webhook_api_version"] == "2"
        # The memory still holds the real original, not the dead tunnel's URL.
        assert remembered(session)["previous_url"] == ORIGINAL_URL

        # The next call goes to the new URL and reaches the store; the first is still known.
        second_call = await inbound_call_arrives(session, sim)
        assert_delivered_through(sim, second_call, second_hook)
        await session.ops.answer(second_call)
        await call_in_state(session, second_call, CallState.ANSWERED)
        assert session.store.call(first_call) is not None

    # Clean exit: the application's URL is restored and no agent is left running.
    app = await application(sim)
    assert app["webhook_event_url"] == ORIGINAL_URL
    assert not process_alive(second_pid)
    no_agent_left(session, fake_state)
    assert len(read_starts(fake_state)) == 2


async def test_the_url_is_left_in_place_when_restoring_is_switched_off(
    sim, home, fake_agent, fake_state
):
    async with live_session(sim, home, fake_agent, restore_webhook_url_on_exit=False) as session:
        hook = session.tunnel.public_url + PATH
        assert (await application(sim))["webhook_event_url"] == hook
    assert (await application(sim))["webhook_event_url"] == hook
    no_agent_left(session, fake_state)


async def test_a_tunnel_that_cannot_come_back_says_what_to_do(
    sim, home, fake_agent, fake_state, monkeypatch
):
    # Every agent after the first fails to start; the watchdog tries once, then gives up.
    monkeypatch.setenv("FAKE_NGROK_FAIL", "failed to dial the ngrok service: ERR_NGROK_999")
    monkeypatch.setenv("FAKE_NGROK_FAIL_STARTS", "2,3,4,5")
    options = {"max_reconnect_attempts": 1}
    async with live_session(sim, home, fake_agent, tunnel_options=options) as session:
        hook = session.health.webhook_url
        assert session.health.tunnel_state == "up" and hook is not None
        os.kill(session.tunnel.agent_pid, signal.SIGKILL)

        health = await health_until(
            session, lambda h: h.tunnel_state == "failed", "the watchdog to give up"
        )
        assert "failed to dial the ngrok service" in (health.tunnel_error or "")
        problem = health.webhook_problem or ""
        assert "Telnyx cannot reach the console" in problem and "Settings" in problem
    # The application held the dead tunnel's URL: a clean exit still restores the original.
    assert (await application(sim))["webhook_event_url"] == ORIGINAL_URL
    no_agent_left(session, fake_state)


@pytest.mark.parametrize("failure", ["agent reports an error", "agent not found"])
async def test_a_tunnel_that_does_not_start_leaves_a_usable_console_and_says_why(
    sim, home, fake_agent, fake_state, monkeypatch, failure, tmp_path
):
    if failure == "agent reports an error":
        monkeypatch.setenv("FAKE_NGROK_FAIL", "failed to dial the ngrok service: ERR_NGROK_999")
        ngrok_path, expected = fake_agent, "failed to dial the ngrok service"
    else:
        ngrok_path, expected = str(tmp_path / "nowhere" / "ngrok"), "was not found"

    async with live_session(sim, home, ngrok_path) as session:
        health = session.health
        assert health.tunnel_state == "failed" and health.tunnel_url is None
        assert expected in (health.tunnel_error or "")
        # What it means and what to do, beside the tunnel's own words.
        problem = health.webhook_problem or ""
        assert "Telnyx cannot reach the console" in problem and "Settings" in problem
        assert expected in problem
        assert health.webhook_url is None
        # The application was not touched; the console still runs and talks to the API.
        app = await application(sim)
        assert app["webhook_event_url"] == ORIGINAL_URL
        assert health.receiver_url is not None
        assert health.last_resync_reason == "start-up" and health.api_reachable is True
        assert session.ops is not None
    assert (await application(sim))["webhook_event_url"] == ORIGINAL_URL
    for start in read_starts(fake_state):
        assert not process_alive(start["pid"])


async def test_an_application_that_cannot_be_pointed_says_what_to_do(
    sim, home, fake_agent, fake_state
):
    missing = "1999999999999999999"  # no such Call Control application
    async with live_session(sim, home, fake_agent, connection_id=missing) as session:
        health = session.health
        assert health.tunnel_state == "up"
        hook = session.tunnel.public_url + PATH
        problem = health.webhook_problem or ""
        assert f"Could not point the Call Control application {missing}" in problem
        assert hook in problem and "v2" in problem and "Telnyx portal" in problem
        assert health.webhook_url is None
        assert health.api_reachable is True  # Telnyx answered: it is the application
        # The start-up resync failed for the same reason: reported, not fatal.
        assert "connection_id" in (health.last_resync_error or "")
        assert session.ops is not None
        # The real application was left alone.
        assert (await application(sim))["webhook_event_url"] == ORIGINAL_URL
    assert (await application(sim))["webhook_event_url"] == ORIGINAL_URL
    no_agent_left(session, fake_state)
