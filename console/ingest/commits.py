"""Commit reports on their way to the console's loop, coalesced at both ends of the pipe.

Under load the ingest component commits hundreds of batches a second. Each report used to
cost the window's loop a callback of its own (under qasync, a Qt timer event) and then wake
the journal's readers again. A reader only needs the newest seq (it reads everything up to
it), so a report that comes while an earlier one is still waiting for the loop just raises
the seq that one will carry: the loop hears of commits at most once per turn, however many
there were.

At the sending end (the ingest child), :class:`PacedReports` sends at most one report every
``interval`` seconds: each line wakes the console's reader thread and then its loop, and the
journal's readers act on the newest seq anyway. A report after a quiet spell goes at once.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

#: The child reports commits at most this often (a group commit takes about a millisecond).
REPORT_INTERVAL_SECS = 0.005


class CommitReports:
    """Takes ``committed(seq)`` from any thread; calls ``deliver(newest seq)`` on ``loop``."""

    def __init__(self, loop: asyncio.AbstractEventLoop, deliver: Callable[[int], None]):
        self._loop = loop
        self._deliver = deliver
        self._lock = threading.Lock()
        self._newest: int | None = None  # not None: a delivery is on its way to the loop

    def committed(self, seq: int) -> None:
        with self._lock:
            on_its_way = self._newest is not None
            self._newest = seq if self._newest is None else max(self._newest, seq)
        if not on_its_way and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._flush)

    def _flush(self) -> None:
        with self._lock:
            seq, self._newest = self._newest, None
        if seq is not None:
            self._deliver(seq)


class PacedReports:
    """``committed(seq)`` on the loop; ``send(newest seq)`` at most once per ``interval``."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        send: Callable[[int], None],
        interval: float = REPORT_INTERVAL_SECS,
    ):
        self._loop = loop
        self._send = send
        self._interval = float(interval)
        self._sent_at = float("-inf")  # loop.time() of the last report sent
        self._waiting: int | None = None  # the newest seq not sent yet, if a send is scheduled

    def committed(self, seq: int) -> None:
        if self._waiting is not None:
            self._waiting = max(self._waiting, seq)
            return
        due = self._sent_at + self._interval
        if self._loop.time() >= due:
            self._send_now(seq)
            return
        self._waiting = seq
        self._loop.call_at(due, self.flush)

    def flush(self) -> None:
        """Send the report waiting for its turn now: when its turn comes, and when the child
        stops (a turn that comes after an early flush finds nothing to send)."""
        seq, self._waiting = self._waiting, None
        if seq is not None:
            self._send_now(seq)

    def _send_now(self, seq: int) -> None:
        self._sent_at = self._loop.time()
        self._send(seq)
