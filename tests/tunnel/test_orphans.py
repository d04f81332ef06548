"""No agent outlives the console: pidfile, data-dir lock and leftover cleanup."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from console import paths
from console.tunnel import AgentBusyError, NgrokTunnel, TunnelState
from console.tunnel import agent_process as ap
from tests.tunnel.helpers import pid_gone, read_starts, wait_until

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("crash_child.py")


def spawn_crash_child(state_dir: Path, fake_agent: str, tmp_path: Path) -> subprocess.Popen:
    """A console stand-in that starts the tunnel, prints the agent PID, then idles."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with open(tmp_path / "child.err", "wb") as err:
        return subprocess.Popen(
            [sys.executable, str(CHILD), str(state_dir), fake_agent],
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
            cwd=ROOT,
        )


@pytest.mark.anyio
async def test_agent_left_by_a_crashed_console_is_killed_at_next_start(
    fake_agent, state_dir, fake_state, tmp_path
):
    child = await asyncio.to_thread(spawn_crash_child, state_dir, fake_agent, tmp_path)
    try:
        line = await asyncio.wait_for(asyncio.to_thread(child.stdout.readline), 30)
        assert line, (tmp_path / "child.err").read_text()
        orphan = json.loads(line)["agent_pid"]
        child.kill()  # SIGKILL: no atexit, no stop(), no cleanup of any kind
        child.wait()
        # The crash really left an agent behind, with its pidfile...
        assert not pid_gone(orphan)
        assert ap.read_record(state_dir / ap.PIDFILE_NAME).agent_pid == orphan
    finally:
        child.kill()
        child.stdout.close()

    tunnel = NgrokTunnel("fake-authtoken-0123456789", state_dir=state_dir, ngrok_path=fake_agent)
    try:
        await tunnel.start(8765)
        # ...which the next start stopped before starting its own.
        assert pid_gone(orphan)
        assert tunnel.agent_pid != orphan
    finally:
        await tunnel.stop()
        if not pid_gone(orphan):  # never leave the orphan behind, even when the test fails
            ap.terminate(orphan)
    assert all(pid_gone(s["pid"]) for s in read_starts(fake_state))


@pytest.mark.anyio
async def test_a_second_console_on_the_same_data_dir_is_refused(fake_agent, state_dir):
    first = NgrokTunnel("fake-authtoken-0123456789", state_dir=state_dir, ngrok_path=fake_agent)
    second = NgrokTunnel("fake-authtoken-0123456789", state_dir=state_dir, ngrok_path=fake_agent)
    try:
        await first.start(8765)
        with pytest.raises(AgentBusyError, match="Another telnyx-console"):
            await second.start(8765)
        assert first.state is TunnelState.UP and first.agent_pid is not None
    finally:
        await first.stop()
        await second.stop()
    # Once the first has stopped, the lock is free again.
    try:
        await second.start(8765)
    finally:
        await second.stop()


@pytest.mark.anyio
async def test_atexit_safety_net_stops_the_agent(fake_agent, state_dir):
    from console.tunnel import ngrok_tunnel

    tunnel = NgrokTunnel("fake-authtoken-0123456789", state_dir=state_dir, ngrok_path=fake_agent)
    await tunnel.start(8765)
    pid = tunnel.agent_pid
    await asyncio.to_thread(ngrok_tunnel._stop_all_at_exit)
    assert pid is not None and pid_gone(pid)
    assert not tunnel.pidfile.exists()
    await tunnel.stop()


def test_pidfile_pointing_at_another_program_is_left_alone(state_dir):
    # PIDs are reused: a recorded PID that is not our agent any more must survive.
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        config = str(state_dir / "ngrok" / "ngrok.yml")
        ap.write_record(
            state_dir / ap.PIDFILE_NAME,
            ap.AgentRecord(sleeper.pid, 999999, "/usr/bin/ngrok", config, 0.0),
        )
        assert ap.kill_leftover_agents(state_dir / ap.PIDFILE_NAME, config) == []
        assert sleeper.poll() is None
        assert not (state_dir / ap.PIDFILE_NAME).exists()
    finally:
        sleeper.kill()
        sleeper.wait()


@pytest.mark.parametrize(
    ("cmdline", "ours"),
    [
        (["/usr/local/bin/ngrok", "start", "--none", "--log", "stdout", "--config", "/d/c"], True),
        (["python3", "/x/fake_ngrok.py", "start", "--none", "--config", "/d/c"], True),
        (["/usr/local/bin/ngrok", "start", "--none", "--config", "/other/c"], False),
        (["/usr/local/bin/ngrok", "http", "80"], False),
        (["/bin/sleep", "start", "--none", "--config", "/d/c"], False),
        (["/usr/local/bin/ngrok", "start", "--none", "--config"], False),
        # ps output (no /proc): one string; the data dir may contain spaces.
        (["/opt/ngrok start --none --log stdout --config /d/c"], True),
        (["/opt/ngrok start --none --log stdout --config /d/c.bak"], False),
        (["/bin/sleep start --none --config /d/c"], False),
        ([], False),
        (None, False),
    ],
)
def test_is_our_agent(cmdline, ours):
    assert ap.is_our_agent(cmdline, "/d/c") is ours


def test_is_our_agent_with_spaces_in_the_path():
    config = "/Users/op/Library/Application Support/telnyx-console/ngrok/ngrok.yml"
    assert ap.is_our_agent([f"/usr/local/bin/ngrok start --none --config {config}"], config)


def test_lock_is_exclusive_and_released(tmp_path):
    first, second = ap.DataDirLock(tmp_path / "l"), ap.DataDirLock(tmp_path / "l")
    assert first.acquire() and first.held
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_unreadable_pidfile_is_ignored(tmp_path):
    pidfile = tmp_path / ap.PIDFILE_NAME
    pidfile.write_text("not json")
    assert ap.read_record(pidfile) is None


def test_pidfile_name_matches_paths_module():
    assert paths.AGENT_PIDFILE_NAME == ap.PIDFILE_NAME


@pytest.mark.anyio
async def test_wait_helper_reports_what_it_waited_for():
    with pytest.raises(AssertionError, match="never"):
        await wait_until(lambda: False, "never", deadline=0.05)
