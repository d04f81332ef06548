"""Qt + asyncio fixtures shared by tests/ui and tests/e2e (import them in a conftest).

One qasync loop for the whole session; tests stay synchronous, schedule coroutines as tasks
and wait with ``qtbot.waitUntil(task.done)``. Never stop the loop per test: that quits the
QApplication and every later ``qtbot.wait*`` returns at once.

The loop is asyncio's *running* loop only while a Qt test runs: between them it is
uninstalled, so tests of Qt-free code that start their own asyncio loop (anyio) can run after
a Qt test in the same process, whatever order pytest collects them in.
"""

from __future__ import annotations

import asyncio
import concurrent.futures

import pytest


@pytest.fixture(scope="session")
def qasync_loop(qapp):
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    # Plain worker threads for asyncio.to_thread: qasync's default executor makes QThreads,
    # and this loop is never closed (see above), so they would still run when Qt is torn down
    # at exit, which aborts the process ("QThread: Destroyed while thread is still running").
    executor = concurrent.futures.ThreadPoolExecutor(thread_name_prefix="qt-tests-io")
    loop.set_default_executor(executor)
    _uninstall()
    yield loop
    executor.shutdown(wait=False, cancel_futures=True)


def _install(loop) -> None:
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)


def _uninstall() -> None:
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture
def event_loop_tasks(qasync_loop):
    """The loop for one test; tasks it leaves behind are cancelled (and reaped) afterwards."""
    _install(qasync_loop)
    try:
        yield qasync_loop
        _reap_leftovers(qasync_loop)
    finally:
        _uninstall()


def _reap_leftovers(qasync_loop) -> None:
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
