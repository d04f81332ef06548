"""The ingest component hosted on a thread of the console's process (tests, tools).

:class:`IngestThread` runs the same service as the child process on a thread with its own
event loop: it starts in milliseconds but shares the GIL, so the app itself runs the child
(:class:`console.ingest.host.IngestProcess`). Either way the console drives it through the
:class:`console.ingest.host.Ingest` protocol, and the callbacks run on the console's loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from console.events.signature import load_verify_key
from console.ingest.commits import CommitReports
from console.ingest.config import IngestConfig, IngestReady

if TYPE_CHECKING:  # the service (the HTTP server) is loaded only when a thread runs one
    from console.ingest.host import IngestListeners
    from console.ingest.service import IngestService


class IngestThread:
    """The ingest component on a thread with its own event loop (see the module docstring)."""

    def __init__(self, config: IngestConfig, listeners: IngestListeners):
        self.config = config
        self._listeners = listeners
        self._thread: threading.Thread | None = None
        self._own_loop: asyncio.AbstractEventLoop | None = None
        self._console_loop: asyncio.AbstractEventLoop | None = None
        self._service: IngestService | None = None
        self._stopped: asyncio.Event | None = None
        self.ready: IngestReady | None = None

    async def start(self) -> IngestReady:
        self._console_loop = console = asyncio.get_running_loop()
        started: asyncio.Future[IngestReady] = console.create_future()
        self._thread = threading.Thread(
            target=self._run, args=(started,), name="ingest", daemon=True
        )
        self._thread.start()
        self.ready = await started
        return self.ready

    async def stop(self) -> None:
        loop, thread = self._own_loop, self._thread
        if loop is None or thread is None or self._stopped is None:
            return
        loop.call_soon_threadsafe(self._stopped.set)
        await asyncio.to_thread(thread.join)
        self._thread = self._own_loop = None
        self.ready = None

    def set_public_key(self, public_key: str | None) -> None:
        if public_key:
            load_verify_key(public_key)
        self._call(lambda service: service.set_public_key(public_key))

    def compact_below(self, seq: int) -> None:
        self._call(lambda service: service.compact_below(seq))

    def set_console_metrics(self, text: bytes) -> None:
        self._call(lambda service: service.set_console_metrics(text))

    @property
    def service(self) -> IngestService | None:
        """The running service (tests look at its receiver and journal)."""
        return self._service

    def _call(self, action: Callable[[IngestService], None]) -> None:
        loop, service = self._own_loop, self._service
        if loop is not None and service is not None:
            loop.call_soon_threadsafe(action, service)

    def _to_console(self, callback: Callable[..., None]) -> Callable[..., None]:
        def forward(*args: object) -> None:
            loop = self._console_loop
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(callback, *args)

        return forward

    def _run(self, started: asyncio.Future[IngestReady]) -> None:
        loop = asyncio.new_event_loop()
        self._own_loop = loop
        try:
            loop.run_until_complete(self._serve(started))
        finally:
            loop.close()

    async def _serve(self, started: asyncio.Future[IngestReady]) -> None:
        console = self._console_loop
        assert console is not None
        listeners = self._listeners
        self._stopped = asyncio.Event()
        from console.ingest.service import IngestService

        service = IngestService(
            self.config,
            on_committed=CommitReports(console, listeners.committed).committed,
            on_rejected=self._to_console(listeners.rejected),
            on_stats=self._to_console(listeners.stats),
        )
        try:
            ready = await service.start()
        except Exception as exc:
            console.call_soon_threadsafe(_fail, started, exc)
            return
        self._service = service
        console.call_soon_threadsafe(_succeed, started, ready)
        try:
            await self._stopped.wait()
        finally:
            self._service = None
            await service.stop()


def _succeed(future: asyncio.Future[IngestReady], value: IngestReady) -> None:
    if not future.done():
        future.set_result(value)


def _fail(future: asyncio.Future[IngestReady], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)
