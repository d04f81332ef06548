"""Commit reports coalesce on their way to the loop: the newest seq, once per turn."""

from __future__ import annotations

import asyncio
import threading

import pytest

from console.ingest.commits import CommitReports


@pytest.mark.anyio
async def test_reports_that_meet_on_the_way_merge_into_the_newest():
    heard: list[int] = []
    reports = CommitReports(asyncio.get_running_loop(), heard.append)
    for seq in (3, 7, 5):  # the loop is busy with this test: all three wait for it
        reports.committed(seq)
    await asyncio.sleep(0)  # one turn of the loop
    assert heard == [7]
    reports.committed(9)
    await asyncio.sleep(0)
    assert heard == [7, 9]


@pytest.mark.anyio
async def test_reports_from_another_thread_all_arrive_at_the_newest():
    loop = asyncio.get_running_loop()
    heard: list[int] = []
    done = asyncio.Event()

    def deliver(seq: int) -> None:
        heard.append(seq)
        if seq == 1000:
            done.set()

    reports = CommitReports(loop, deliver)
    writer = threading.Thread(target=lambda: [reports.committed(s) for s in range(1, 1001)])
    writer.start()
    await asyncio.wait_for(done.wait(), 10)
    writer.join()
    assert heard[-1] == 1000 and heard == sorted(set(heard))
    assert len(heard) <= 1000


def test_a_closed_loop_is_not_called():
    loop = asyncio.new_event_loop()
    loop.close()
    CommitReports(loop, lambda _seq: None).committed(1)  # no RuntimeError from a closed loop
