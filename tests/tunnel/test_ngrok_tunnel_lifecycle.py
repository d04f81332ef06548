"""NgrokTunnel against the fake agent (pyngrok's real code path, offline): start and stop.

The public URL read at start and nothing left after stop, the authtoken kept off the command
line and the disk, region and reserved domain, the agent found on PATH, a stop during start,
a restart on another port, deliveries through the tunnel to the local receiver, and a failing
state callback that breaks nothing. make_tunnel and the fake agent are in helpers.py/conftest.py.
"""

from __future__ import annotations

import asyncio
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.request import Request, urlopen

import pytest

from console.tunnel import TunnelState
from console.tunnel.agent_process import read_record
from tests.tunnel.helpers import (
    FAKE_URL,
    TOKEN,
    StatusLog,
    agent_endpoint,
    make_tunnel,
    pid_gone,
    read_starts,
    wait_until,
)


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
async def test_agent_on_path_is_used_when_no_path_is_set(fake_agent, state_dir, monkeypatch):
    monkeypatch.setenv("PATH", os.path.dirname(fake_agent) + os.pathsep + os.environ["PATH"])
    tunnel = make_tunnel("", state_dir)
    try:
        assert FAKE_URL.match(await tunnel.start(8765))
    finally:
        await tunnel.stop()


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
