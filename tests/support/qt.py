"""Qt + asyncio fixtures shared by tests/ui and tests/e2e (import them in a conftest).

One qasync loop for the whole session, set as the asyncio event loop; tests stay synchronous,
schedule coroutines as tasks and wait with ``qtbot.waitUntil(task.done)``. Never stop the loop
per test: that quits the QApplication and every later ``qtbot.wait*`` returns at once.
"""

from __future__ import annotations

import asyncio

import pytest


@pytest.fixture(scope="session")
def qasync_loop(qapp):
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop


@pytest.fixture
def event_loop_tasks(qasync_loop):
    """The loop for one test; tasks it leaves behind are cancelled (and reaped) afterwards."""
    yield qasync_loop
    leftovers = [t for t in asyncio.all_tasks(qasync_loop) if not t.done()]
    for task in leftovers:
        task.cancel()
    if leftovers:
        # Let the cancellations run so no "Task was destroyed but it is pending" warnings.
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer

        deadline = QDeadlineTimer(2000)
        while any(not t.done() for t in leftovers) and not deadline.hasExpired():
            QCoreApplication.processEvents()


def run_task(qtbot, coro, timeout: int = 5000):
    """Schedule ``coro`` on the qasync loop and wait for it; returns its result (or raises)."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()
