"""The ingest component in both forms: answers, group commit, reports, metrics, a lost child,
and the kill -9 guarantee through the real child process."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import aiohttp
import pytest

from console.events.journal import Journal
from console.events.signature import KeyPair, sign
from console.ingest.host import IngestListeners, IngestProcess, IngestThread
from console.ingest.service import IngestConfig
from tests.events.conftest import make_event

pytestmark = pytest.mark.anyio


class Heard:
    """What the console side hears from ingest."""

    def __init__(self) -> None:
        self.committed: list[int] = []
        self.lost: list[str] = []
        self.rejected: list[object] = []
        self.changed = asyncio.Event()

    def listeners(self) -> IngestListeners:
        def note(target: list, value: object) -> None:
            target.append(value)
            self.changed.set()

        return IngestListeners(
            committed=lambda seq: note(self.committed, seq),
            rejected=lambda r: note(self.rejected, r),
            lost=lambda why: note(self.lost, why),
        )

    async def until(self, condition, what: str, within: float = 20.0) -> None:
        async with asyncio.timeout(within):
            while not condition():
                self.changed.clear()
                await self.changed.wait()


async def _post_all(url: str, bodies: list[bytes], keys: KeyPair, concurrency: int = 16):
    limit = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession() as http:

        async def one(body: bytes) -> int:
            async with limit, http.post(url, data=body, headers=sign(body, keys)) as resp:
                await resp.read()
                return resp.status

        return await asyncio.gather(*(one(b) for b in bodies))


@pytest.fixture
def keys() -> KeyPair:
    return KeyPair.generate()


def _config(tmp_path, keys: KeyPair, **overrides) -> IngestConfig:
    return IngestConfig(
        journal_path=str(tmp_path / "events.sqlite3"), public_key=keys.public_key_b64, **overrides
    )


async def test_thread_mode_shares_commits_between_concurrent_deliveries(tmp_path, keys):
    heard = Heard()
    ingest = IngestThread(_config(tmp_path, keys), heard.listeners())
    ready = await ingest.start()
    try:
        bodies = [make_event() for _ in range(200)]
        statuses = await _post_all(ready.url, bodies, keys, concurrency=32)
        assert statuses == [200] * 200
        await heard.until(lambda: heard.committed and heard.committed[-1] == 200, "all committed")
        service = ingest.service
        assert service is not None
        transactions = service.metrics.batch_size.collect()[0]
        count = next(s.value for s in transactions.samples if s.name.endswith("_count"))
        # One transaction per delivery would be 200; shared commits make far fewer.
        assert count < 200
        # The console hears at most once per batch (reports that meet on their way to its
        # loop merge into the newest), not once per event, and the seqs only grow.
        assert len(heard.committed) <= count
        assert heard.committed == sorted(set(heard.committed))
    finally:
        await ingest.stop()
    with Journal(tmp_path / "events.sqlite3") as journal:
        assert journal.count() == 200


async def test_process_mode_answers_reports_and_serves_metrics(tmp_path, keys):
    heard = Heard()
    ingest = IngestProcess(_config(tmp_path, keys), heard.listeners())
    ready = await ingest.start()
    try:
        assert ingest.pid is not None and ingest.pid != os.getpid()
        body = make_event(event_id="evt-process-1")
        assert await _post_all(ready.url, [body, body], keys) == [200, 200]  # second: duplicate
        await heard.until(lambda: heard.committed == [1], "the commit report")
        forged = make_event()
        async with aiohttp.ClientSession() as http:
            async with http.post(ready.url, data=forged, headers=sign(forged, KeyPair.generate())):
                pass
            await heard.until(lambda: heard.rejected, "the rejection report")
            async with http.get(ready.metrics_url) as resp:
                text = await resp.text()
        assert "telnyx_console_webhook_answer_seconds_bucket" in text
        assert "telnyx_console_journal_commit_seconds" in text
    finally:
        await ingest.stop()
    assert heard.lost == []  # a stop that was asked for is not a loss


async def test_a_child_that_dies_is_reported_lost(tmp_path, keys):
    heard = Heard()
    ingest = IngestProcess(_config(tmp_path, keys), heard.listeners())
    await ingest.start()
    os.kill(ingest.pid, signal.SIGKILL)
    await heard.until(lambda: heard.lost, "the loss report")
    assert "exited" in heard.lost[0]
    await ingest.stop()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
async def test_acknowledged_events_survive_a_sigkill_of_the_ingest_process(tmp_path, keys):
    heard = Heard()
    ingest = IngestProcess(_config(tmp_path, keys), heard.listeners())
    ready = await ingest.start()
    acknowledged: list[str] = []
    killed = asyncio.Event()
    limit = asyncio.Semaphore(16)

    async def deliver(http: aiohttp.ClientSession, n: int) -> None:
        event_id = f"evt-{n:04d}"
        body = make_event("call.hangup", event_id=event_id)
        async with limit:
            if killed.is_set():
                return
            try:
                async with http.post(ready.url, data=body, headers=sign(body, keys)) as resp:
                    await resp.read()
                    if resp.status == 200:
                        acknowledged.append(event_id)
                        if len(acknowledged) == 120:
                            os.kill(ingest.pid, signal.SIGKILL)
                            killed.set()
            except aiohttp.ClientError:
                pass  # in flight when the process died: never acknowledged

    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(deliver(http, n) for n in range(300)))
    assert killed.is_set()
    await heard.until(lambda: heard.lost, "the loss report")
    await ingest.stop()
    with Journal(tmp_path / "events.sqlite3") as journal:
        stored = {journal.get(e) is not None for e in acknowledged}
    assert stored == {True}, "an acknowledged event was lost"


def _peak_rss_bytes(pid: int) -> int:
    """The process's peak resident set (VmHWM), from /proc."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc status")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
async def test_three_hundred_forged_megabyte_posts_cannot_take_hundreds_of_megabytes(
    tmp_path, keys
):
    # Fresh, well-formed headers signed by the wrong key: the body must be read to be judged,
    # so only the bound on concurrent body reads keeps the receiver's memory small.
    heard = Heard()
    ingest = IngestProcess(_config(tmp_path, keys), heard.listeners())
    ready = await ingest.start()
    try:
        assert ingest.pid is not None
        before = _peak_rss_bytes(ingest.pid)
        body = b'{"data": "' + b"x" * 1_000_000 + b'"}'
        headers = sign(body, KeyPair.generate())
        connector = aiohttp.TCPConnector(limit=300)
        async with aiohttp.ClientSession(connector=connector) as http:

            async def one() -> int:
                async with http.post(ready.url, data=body, headers=headers) as resp:
                    await resp.read()
                    return resp.status

            statuses = await asyncio.gather(*(one() for _ in range(300)))
        grown = _peak_rss_bytes(ingest.pid) - before
    finally:
        await ingest.stop()
    assert statuses == [401] * 300
    # 300 bodies read at once would be 300 MB; the receiver reads 16 at a time.
    assert grown < 80 * 2**20, f"peak RSS grew by {grown / 2**20:.0f} MB"
