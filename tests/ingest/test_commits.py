"""Commit reports coalesce on their way to the loop (the newest seq, once per turn) and are
paced where the ingest child sends them (the newest seq, at most once per interval)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from console.ingest.commits import CommitReports, PacedReports


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


@pytest.mark.anyio
async def test_the_child_sends_a_lone_report_at_once_and_a_burst_as_its_newest_seq():
    loop = asyncio.get_running_loop()
    sent: list[tuple[int, float]] = []
    more = asyncio.Event()

    def send(seq: int) -> None:
        sent.append((seq, loop.time()))
        more.set()

    reports = PacedReports(loop, send, interval=0.3)
    reports.committed(1)
    assert [seq for seq, _at in sent] == [1]  # after a quiet spell: no wait
    more.clear()
    for seq in (2, 4, 3):
        reports.committed(seq)
    assert len(sent) == 1  # within the interval: held back
    await asyncio.wait_for(more.wait(), 10)
    assert [seq for seq, _at in sent] == [1, 4]
    assert sent[1][1] - sent[0][1] >= 0.29  # the loop may run a timer a hair early


@pytest.mark.anyio
async def test_a_report_waiting_for_its_turn_is_sent_when_the_child_stops():
    loop = asyncio.get_running_loop()
    sent: list[int] = []
    reports = PacedReports(loop, sent.append, interval=60)
    reports.committed(1)
    reports.committed(2)
    assert sent == [1]
    reports.flush()
    assert sent == [1, 2]
    reports.flush()  # nothing more waits
    assert sent == [1, 2]
