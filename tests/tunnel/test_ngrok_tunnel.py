"""NgrokTunnel against the fake agent: pyngrok's real code path, offline."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.request import Request, urlopen

import pytest

from console.secrets import SecretStoreError
from console.tunnel import (
    AgentNotFoundError,
    AgentStartError,
    NgrokTunnel,
    TunnelConfigError,
    TunnelState,
)
from console.tunnel.agent_process import read_record
from tests.tunnel.helpers import StatusLog, agent_endpoint, pid_gone, read_starts, wait_until

TOKEN = "fake-authtoken-0123456789"
FAKE_URL = re.compile(r"^https://fake-[0-9a-f]{12}\.ngrok\.test$")


def make_tunnel(fake_agent, state_dir, **kwargs) -> NgrokTunnel:
    options = {
        "state_dir": state_dir,
        "ngrok_path": fake_agent,
        "watchdog_interval": 0.05,
        "backoff_initial": 0.05,
        "backoff_max": 0.2,
        "startup_timeout": 10,
    }
    options.update(kwargs)
    return NgrokTunnel(options.pop("authtoken", TOKEN), **options)


@pytest.mark.anyio
async def test_start_reads_public_url_and_stop_leaves_nothing(fake_agent, state_dir, fake_state):
    tunnel = make_tunnel(fake_agent, state_dir)
    statuses = StatusLog()
    tunnel.on_state(statuses)

    url = await tunnel.start(8765)

    assert FAKE_URL.match(url)
    assert tunnel.public_url == url and tunnel.state is TunnelState.UP
    assert statuses.states == [TunnelState.STARTING, TunnelState.UP]
    pid = tunnel.agent_pid
    assert pid is not None and not pid_gone(pid)
    record = read_record(tunnel.pidfile)
    assert record is not None and record.agent_pid == pid and record.console_pid == os.getpid()

    # pyngrok ran the agent as documented, with our config file, and asked for our upstream.
    (start,) = read_starts(fake_state)
    assert start["argv"][:4] == ["start", "--none", "--log", "stdout"]
    assert start["argv"][start["argv"].index("--config") + 1] == str(tunnel.config_path)
    endpoint = await agent_endpoint(tunnel)
    assert endpoint["upstream"]["url"] == "http://127.0.0.1:8765"

    await tunnel.stop()

    assert pid_gone(pid)
    assert tunnel.state is TunnelState.DOWN and tunnel.public_url is None
    assert not tunnel.pidfile.exists()
    assert statuses.states[-1] is TunnelState.DOWN


@pytest.mark.anyio
async def test_authtoken_never_on_the_command_line_or_left_on_disk(
    fake_agent, state_dir, fake_state, monkeypatch
):
    # Even with NGROK_AUTHTOKEN set (pyngrok would put it on the command line), it is not.
    monkeypatch.setenv("NGROK_AUTHTOKEN", TOKEN)
    monkeypatch.setenv("FAKE_NGROK_VALID_TOKEN", TOKEN)
    tunnel = make_tunnel(fake_agent, state_dir, authtoken=lambda: TOKEN)
    try:
        await tunnel.start(8765)
        (start,) = read_starts(fake_state)
        assert TOKEN not in " ".join(start["argv"])
        assert TOKEN not in tunnel.config_path.read_text()
        assert tunnel.config_path.stat().st_mode & 0o077 == 0
    finally:
        await tunnel.stop()


@pytest.mark.anyio
async def test_region_and_reserved_domain(fake_agent, state_dir, fake_state):
    tunnel = make_tunnel(fake_agent, state_dir, region="eu", domain="console.example.ngrok.app")
    try:
        url = await tunnel.start(9000)
        assert url == "https://console.example.ngrok.app"
        assert read_starts(fake_state)[0]["region"] == "eu"
    finally:
        await tunnel.stop()


@pytest.mark.anyio
async def test_agent_error_at_start_is_a_clear_tunnel_error(
    fake_agent, state_dir, fake_state, monkeypatch
):
    monkeypatch.setenv("FAKE_NGROK_FAIL", "failed to bind the moon: ERR_NGROK_999")
    tunnel = make_tunnel(fake_agent, state_dir)

    with pytest.raises(AgentStartError) as caught:
        await tunnel.start(8765)

    message = caught.value.user_message
    assert message.startswith("The ngrok agent could not start:")
    assert "failed to bind the moon" in message
    assert tunnel.state is TunnelState.FAILED and tunnel.last_error == message
    (start,) = read_starts(fake_state)
    assert pid_gone(start["pid"])
    assert not tunnel.pidfile.exists()


@pytest.mark.anyio
async def test_invalid_authtoken_is_explained_and_redacted(fake_agent, state_dir, monkeypatch):
    monkeypatch.setenv("FAKE_NGROK_VALID_TOKEN", "the-right-token-000")
    bad = "the-wrong-token-111"
    tunnel = make_tunnel(fake_agent, state_dir, authtoken=bad)

    with pytest.raises(AgentStartError) as caught:
        await tunnel.start(8765)

    assert "authtoken is not valid" in caught.value.user_message  # the ERR_NGROK_105 hint
    assert bad not in caught.value.user_message
    assert bad not in str(caught.value.reason)


@pytest.mark.anyio
@pytest.mark.parametrize("token", [None, "", lambda: None])
async def test_missing_authtoken_fails_before_running_anything(
    fake_agent, state_dir, fake_state, token
):
    tunnel = make_tunnel(fake_agent, state_dir, authtoken=token)
    with pytest.raises(TunnelConfigError, match="NGROK_AUTHTOKEN"):
        await tunnel.start(8765)
    assert read_starts(fake_state) == []
    assert tunnel.state is TunnelState.FAILED


@pytest.mark.anyio
async def test_missing_agent_is_a_clear_error_and_no_download(
    state_dir, tmp_path, monkeypatch, clean_pyngrok
):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    tunnel = make_tunnel("", state_dir)

    with pytest.raises(AgentNotFoundError) as caught:
        await tunnel.start(8765)

    message = caught.value.user_message
    assert "https://ngrok.com/download" in message and "ngrok_path" in message
    assert clean_pyngrok == []  # pyngrok's installer was never reached


@pytest.mark.anyio
async def test_configured_agent_path_that_does_not_exist(state_dir, tmp_path, clean_pyngrok):
    missing = tmp_path / "nowhere" / "ngrok"
    tunnel = make_tunnel(str(missing), state_dir)
    with pytest.raises(AgentNotFoundError, match="not found at"):
        await tunnel.start(8765)
    assert clean_pyngrok == []


@pytest.mark.anyio
async def test_agent_on_path_is_used_when_no_path_is_set(fake_agent, state_dir, monkeypatch):
    monkeypatch.setenv("PATH", os.path.dirname(fake_agent) + os.pathsep + os.environ["PATH"])
    tunnel = make_tunnel("", state_dir)
    try:
        assert FAKE_URL.match(await tunnel.start(8765))
    finally:
        await tunnel.stop()


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
async def test_silent_agent_times_out(fake_agent, state_dir, fake_state, monkeypatch):
    monkeypatch.setenv("FAKE_NGROK_HANG", "1")
    tunnel = make_tunnel(fake_agent, state_dir, startup_timeout=0.5)

    with pytest.raises(AgentStartError, match="did not start within"):
        await tunnel.start(8765)

    (start,) = read_starts(fake_state)
    await wait_until(lambda: pid_gone(start["pid"]), "the silent agent to be killed")


@pytest.mark.anyio
async def test_stop_during_start_leaves_no_agent(fake_agent, state_dir, fake_state, monkeypatch):
    monkeypatch.setenv("FAKE_NGROK_HANG", "1")
    tunnel = make_tunnel(fake_agent, state_dir, startup_timeout=30)
    task = asyncio.create_task(tunnel.start(8765))
    await wait_until(lambda: len(read_starts(fake_state)) == 1, "the agent to be spawned")

    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await tunnel.stop()

    await wait_until(lambda: pid_gone(read_starts(fake_state)[0]["pid"]), "the agent to die")
    assert tunnel.state is TunnelState.DOWN


@pytest.mark.anyio
async def test_restart_on_another_port(fake_agent, state_dir):
    tunnel = make_tunnel(fake_agent, state_dir)
    try:
        await tunnel.start(8765)
        first_pid = tunnel.agent_pid
        assert await tunnel.start(8765) == tunnel.public_url  # same port: nothing to do
        assert tunnel.agent_pid == first_pid
        await tunnel.start(8766)
        endpoint = await agent_endpoint(tunnel)
        assert endpoint["upstream"]["url"] == "http://127.0.0.1:8766"
        assert pid_gone(first_pid)
    finally:
        await tunnel.stop()


@pytest.mark.anyio
async def test_deliveries_reach_the_local_receiver_through_the_fake(fake_agent, state_dir):
    received: list[bytes] = []

    class Receiver(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tunnel = make_tunnel(fake_agent, state_dir)
    try:
        await tunnel.start(server.server_address[1])
        endpoint = await agent_endpoint(tunnel)
        request = Request(
            endpoint["fake_forward_url"] + "/webhooks/telnyx", data=b'{"data":{}}', method="POST"
        )
        assert (await asyncio.to_thread(urlopen, request)).status == 200
        assert received == [b'{"data":{}}']
    finally:
        await tunnel.stop()
        server.shutdown()


@pytest.mark.anyio
async def test_a_failing_state_callback_does_not_break_the_tunnel(fake_agent, state_dir):
    tunnel = make_tunnel(fake_agent, state_dir)
    seen = StatusLog()

    def broken(status):
        raise RuntimeError("listener bug")

    tunnel.on_state(broken)
    unsubscribe = tunnel.on_state(seen)
    try:
        await tunnel.start(8765)
        assert seen.states == [TunnelState.STARTING, TunnelState.UP]
        unsubscribe()
    finally:
        await tunnel.stop()
    assert seen.states[-1] is TunnelState.UP  # unsubscribed before stop


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
async def test_unreadable_authtoken_is_a_tunnel_error(fake_agent, state_dir):
    def token():
        raise SecretStoreError("the keyring is locked")

    tunnel = make_tunnel(fake_agent, state_dir, authtoken=token)
    with pytest.raises(TunnelConfigError, match="could not be read: the keyring is locked"):
        await tunnel.start(8765)
    assert tunnel.state is TunnelState.FAILED


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
