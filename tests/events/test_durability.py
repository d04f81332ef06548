"""Every event that got a 2xx survives a SIGKILL of the receiving process (journal first)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from console.events.journal import Journal
from console.events.signature import sign

from .conftest import make_event

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("receiver_child.py")
BURST = 300
KILL_AFTER = 120  # acknowledged events before the kill; the rest are in flight or unsent


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
async def test_acknowledged_events_survive_sigkill(tmp_path, keys):
    db = tmp_path / "events.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(CHILD),
        str(db),
        keys.public_key_b64,
        stdout=asyncio.subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    try:
        async with asyncio.timeout(30):
            line = await child.stdout.readline()  # readiness: the child prints its port
        port = int(line)
        url = f"http://127.0.0.1:{port}/webhooks/telnyx"
        acknowledged: list[str] = []
        killed = asyncio.Event()
        bodies = [
            (f"evt-{n:04d}", make_event("call.hangup", event_id=f"evt-{n:04d}"))
            for n in range(BURST)
        ]
        limit = asyncio.Semaphore(16)

        async def deliver(session, event_id, body):
            async with limit:
                if killed.is_set():
                    return
                try:
                    async with session.post(url, data=body, headers=sign(body, keys)) as resp:
                        await resp.read()
                        if 200 <= resp.status < 300:
                            acknowledged.append(event_id)
                except (TimeoutError, aiohttp.ClientError):
                    return  # in flight at the kill: never acknowledged, so Telnyx would retry
                if len(acknowledged) >= KILL_AFTER and not killed.is_set():
                    killed.set()
                    child.send_signal(signal.SIGKILL)

        timeout = aiohttp.ClientTimeout(total=20)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            await asyncio.gather(*(deliver(session, i, b) for i, b in bodies))
        assert killed.is_set(), f"only {len(acknowledged)} acknowledged before the burst ended"
        async with asyncio.timeout(30):
            assert await child.wait() == -signal.SIGKILL
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()

    assert len(acknowledged) >= KILL_AFTER
    with Journal(db) as journal:  # reopening recovers the WAL the killed process left
        stored = {record.event_id for record in journal.replay_records()}
        missing = sorted(set(acknowledged) - stored)
        assert not missing, f"{len(missing)} acknowledged events lost: {missing[:5]}"
        replayed = list(journal.replay())
    assert len(replayed) == len(stored)
    assert all(type(e.data).__name__ == "CallHangupEvent" for e in replayed)
