"""Commit reports on their way to the console's loop, coalesced.

Under load the ingest component commits hundreds of batches a second. Each report used to
cost the window's loop a callback of its own (under qasync, a Qt timer event) and then wake
the journal's readers again. A reader only needs the newest seq (it reads everything up to
it), so a report that comes while an earlier one is still waiting for the loop just raises
the seq that one will carry: the loop hears of commits at most once per turn, however many
there were.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable


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
