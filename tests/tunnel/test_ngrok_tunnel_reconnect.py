"""NgrokTunnel against the fake agent (pyngrok's real code path, offline): the watchdog.

An agent killed or exiting by itself is restarted and the new URL reported, a dropped endpoint
is opened again on the same agent, reconnects back off, give up after the configured attempts
or at once on an error retrying cannot fix, and a stop while reconnecting leaves no agent.
"""

from __future__ import annotations

import os
import signal

import pytest

from console.tunnel import TunnelState
from console.tunnel.agent_process import read_record
from tests.tunnel.helpers import FAKE_URL, StatusLog, make_tunnel, pid_gone, read_starts, wait_until


@pytest.mark.anyio
async def test_killed_agent_is_restarted_and_the_new_url_reported(fake_agent, state_dir):
    tunnel = make_tunnel(fake_agent, state_dir)
    statuses = StatusLog()
    tunnel.on_state(statuses)
    first_url = await tunnel.start(8765)
    first_pid = tunnel.agent_pid
    assert first_pid is not None
    try:
        os.kill(first_pid, signal.SIGKILL)

        await wait_until(
            lambda: tunnel.state is TunnelState.UP and tunnel.public_url != first_url,
            "the watchdog to bring the tunnel back with a new URL",
        )

        assert TunnelState.RECONNECTING in statuses.states
        reconnecting = next(s for s in statuses.statuses if s.state is TunnelState.RECONNECTING)
        assert "agent exited" in (reconnecting.last_error or "")
        assert statuses.urls_when_up() == [first_url, tunnel.public_url]
        assert FAKE_URL.match(tunnel.public_url or "")
        assert tunnel.agent_pid not in (None, first_pid)
        assert read_record(tunnel.pidfile).agent_pid == tunnel.agent_pid
    finally:
        await tunnel.stop()
    assert tunnel.agent_pid is None


@pytest.mark.anyio
async def test_agent_that_exits_by_itself_is_restarted(
    fake_agent, state_dir, fake_state, monkeypatch
):
    monkeypatch.setenv("FAKE_NGROK_EXIT_AFTER", "0.3")
    monkeypatch.setenv("FAKE_NGROK_EXIT_AFTER_STARTS", "1")
    tunnel = make_tunnel(fake_agent, state_dir)
    statuses = StatusLog()
    tunnel.on_state(statuses)
    try:
        await tunnel.start(8765)
        await wait_until(lambda: len(statuses.urls_when_up()) == 2, "a second UP")
        first, second = read_starts(fake_state)[:2]
        assert pid_gone(first["pid"]) and tunnel.agent_pid == second["pid"]
    finally:
        await tunnel.stop()
    assert all(pid_gone(start["pid"]) for start in read_starts(fake_state))


@pytest.mark.anyio
async def test_dropped_endpoint_is_recreated_on_the_same_agent(fake_agent, state_dir, monkeypatch):
    monkeypatch.setenv("FAKE_NGROK_DROP_AFTER", "0.2")
    tunnel = make_tunnel(fake_agent, state_dir)
    statuses = StatusLog()
    tunnel.on_state(statuses)
    try:
        first_url = await tunnel.start(8765)
        pid = tunnel.agent_pid
        await wait_until(
            lambda: len(statuses.urls_when_up()) >= 2, "the endpoint to be opened again"
        )
        assert statuses.urls_when_up()[1] != first_url
        assert tunnel.agent_pid == pid  # no agent restart was needed
        assert any("tunnel was closed" in (s.last_error or "") for s in statuses.statuses)
    finally:
        await tunnel.stop()


@pytest.mark.anyio
async def test_reconnect_backs_off_until_the_agent_starts_again(
    fake_agent, state_dir, fake_state, monkeypatch
):
    monkeypatch.setenv("FAKE_NGROK_EXIT_AFTER", "0.3")
    monkeypatch.setenv("FAKE_NGROK_EXIT_AFTER_STARTS", "1")
    monkeypatch.setenv("FAKE_NGROK_FAIL", "network unreachable")
    monkeypatch.setenv("FAKE_NGROK_FAIL_STARTS", "2,3")
    tunnel = make_tunnel(fake_agent, state_dir)
    statuses = StatusLog()
    tunnel.on_state(statuses)
    try:
        await tunnel.start(8765)
        await wait_until(lambda: len(statuses.urls_when_up()) == 2, "the fourth start to succeed")
        assert [s["n"] for s in read_starts(fake_state)] == [1, 2, 3, 4]
        errors = [s.last_error or "" for s in statuses.statuses]
        assert any("attempt 2 failed" in e and "network unreachable" in e for e in errors)
    finally:
        await tunnel.stop()


@pytest.mark.anyio
async def test_reconnect_gives_up_after_the_configured_attempts(
    fake_agent, state_dir, fake_state, monkeypatch
):
    monkeypatch.setenv("FAKE_NGROK_EXIT_AFTER", "0.3")
    monkeypatch.setenv("FAKE_NGROK_EXIT_AFTER_STARTS", "1")
    monkeypatch.setenv("FAKE_NGROK_FAIL", "network unreachable")
    monkeypatch.setenv("FAKE_NGROK_FAIL_STARTS", "2,3,4,5")
    tunnel = make_tunnel(fake_agent, state_dir, max_reconnect_attempts=2)
    await tunnel.start(8765)

    await wait_until(lambda: tunnel.state is TunnelState.FAILED, "the tunnel to give up")

    assert "network unreachable" in (tunnel.last_error or "")
    assert len(read_starts(fake_state)) == 3
    assert all(pid_gone(start["pid"]) for start in read_starts(fake_state))
    assert not tunnel.pidfile.exists()
    # A later start (e.g. the operator's "Retry") works again.
    monkeypatch.delenv("FAKE_NGROK_FAIL")
    try:
        assert FAKE_URL.match(await tunnel.start(8765))
    finally:
        await tunnel.stop()


@pytest.mark.anyio
async def test_reconnect_stops_at_once_on_an_error_retrying_cannot_fix(
    fake_agent, state_dir, fake_state, monkeypatch
):
    monkeypatch.setenv("FAKE_NGROK_EXIT_AFTER", "0.3")
    monkeypatch.setenv("FAKE_NGROK_EXIT_AFTER_STARTS", "1")
    monkeypatch.setenv("FAKE_NGROK_FAIL", "authentication failed: token revoked ERR_NGROK_107")
    monkeypatch.setenv("FAKE_NGROK_FAIL_STARTS", "2,3,4,5,6")
    tunnel = make_tunnel(fake_agent, state_dir, max_reconnect_attempts=None)
    await tunnel.start(8765)

    await wait_until(lambda: tunnel.state is TunnelState.FAILED, "the tunnel to give up")

    assert "authtoken is not valid" in (tunnel.last_error or "")
    assert len(read_starts(fake_state)) == 2
    await tunnel.stop()


@pytest.mark.anyio
async def test_stop_while_reconnecting_leaves_no_agent(
    fake_agent, state_dir, fake_state, monkeypatch
):
    monkeypatch.setenv("FAKE_NGROK_EXIT_AFTER", "0.3")
    monkeypatch.setenv("FAKE_NGROK_EXIT_AFTER_STARTS", "1")
    monkeypatch.setenv("FAKE_NGROK_HANG", "1")  # every restart hangs: reconnecting forever
    monkeypatch.setenv("FAKE_NGROK_HANG_STARTS", ",".join(str(n) for n in range(2, 50)))
    tunnel = make_tunnel(fake_agent, state_dir, startup_timeout=30)
    await tunnel.start(8765)
    await wait_until(lambda: len(read_starts(fake_state)) == 2, "a restart to hang")
    assert tunnel.state is TunnelState.RECONNECTING

    await tunnel.stop()

    assert tunnel.state is TunnelState.DOWN
    assert all(pid_gone(start["pid"]) for start in read_starts(fake_state))
    assert not tunnel.pidfile.exists()
