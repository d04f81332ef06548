"""Background tasks that stop when told, even though nats-py swallows some cancellations.

nats-py catches ``CancelledError`` in places (its flush, for one: ``except CancelledError:
pass``), so a ``task.cancel()`` that lands inside a publish or a KV call can vanish and leave a
retry loop running for ever. Loops here call :func:`raise_if_cancelled` before sleeping, and
:func:`stop_task` cancels until the task is done, with a bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

log = logging.getLogger(__name__)

STOP_WITHIN_SECS = 5.0


def raise_if_cancelled() -> None:
    """Re-raise a cancellation of the current task that something below swallowed."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def stop_task(task: asyncio.Task[Any] | None, within: float = STOP_WITHIN_SECS) -> None:
    """Cancel ``task`` and wait for it to end (cancelling again if a cancel got lost)."""
    if task is None or task.done():
        return
    deadline = asyncio.get_running_loop().time() + within
    while not task.done():
        task.cancel()
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            log.warning("task %s did not stop in %.1f s", task.get_name(), within)
            return
        await asyncio.wait({task}, timeout=min(left, 0.2))
    with contextlib.suppress(asyncio.CancelledError, Exception):
        task.result()
