"""Background tasks of the simulator, counted so tests can wait until nothing is pending."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class Tracker:
    """Spawns tasks; ``tracked`` ones count as pending work for :meth:`wait_idle`.

    Untracked tasks are long background timers (a call's time limit, demo traffic, a caller who
    hangs up after minutes) that would otherwise keep the simulator from ever being idle.
    """

    def __init__(self) -> None:
        self.pending = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        self._waiters: list[asyncio.Future[None]] = []

    def spawn(self, coro: Coroutine[Any, Any, Any], *, tracked: bool = True) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        if tracked:
            self.pending += 1
        task.add_done_callback(lambda t: self._done(t, tracked))
        return task

    def _done(self, task: asyncio.Task[Any], tracked: bool) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("simulator task failed", exc_info=task.exception())
        if tracked:
            self.pending -= 1
            if self.pending == 0:
                for waiter in self._waiters:
                    if not waiter.done():
                        waiter.set_result(None)
                self._waiters.clear()

    async def wait_idle(self, max_wait: float | None = 10.0) -> None:
        """Return once no tracked task is pending (raise TimeoutError after ``max_wait`` s)."""
        async with asyncio.timeout(max_wait):
            while self.pending:
                waiter = asyncio.get_running_loop().create_future()
                self._waiters.append(waiter)
                await waiter
                # a task finishing may have spawned more work in the same loop turn
                await asyncio.sleep(0)

    async def cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
