"""The console's side of the ingest component: run it in a child process, or in a thread.

Either way the console gets the same :class:`Ingest`: ``start()`` returns the receiver's URL
once the journal is open and the port bound; afterwards the callbacks report commits,
rejections and counters on the console's own loop, and nothing the console does (a busy GUI
thread included) delays an answer to Telnyx.

* :class:`IngestProcess` (what the app runs): a child process, so the receiver has its own
  interpreter and GIL. Its stdout carries reports to a reader thread here; its stdin carries
  commands. If it dies, ``on_lost`` says so (the session restarts it).
* :class:`IngestThread` (tests, tools; in ``thread_host.py``): the same service on a thread
  with its own event loop; starts in milliseconds, shares the GIL.

How the child is started, and the one booted early while the app loads, is ``spawn.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Protocol

from console.errors import ConsoleError
from console.events.deliveries import ReceiverStats, Rejection
from console.events.signature import load_verify_key
from console.ingest import channel
from console.ingest.commits import CommitReports
from console.ingest.config import IngestConfig, IngestReady
from console.ingest.spawn import child_command, discard_early, spawn_child, start_early, take_early
from console.ingest.thread_host import IngestThread

__all__ = [
    "Ingest",
    "IngestError",
    "IngestListeners",
    "IngestProcess",
    "IngestThread",  # lives in thread_host.py; imported from here as before
    "child_command",  # these three live in spawn.py, imported from here as before
    "discard_early",
    "start_early",
]

log = logging.getLogger(__name__)

START_TIMEOUT_SECS = 20.0
STOP_TIMEOUT_SECS = 5.0


class IngestError(ConsoleError):
    """The ingest component could not start, or stopped unexpectedly."""


@dataclass
class IngestListeners:
    """What the console hears from ingest, always on the console's loop."""

    committed: Callable[[int], None] = lambda _seq: None
    rejected: Callable[[Rejection], None] = lambda _rejection: None
    stats: Callable[[ReceiverStats], None] = lambda _stats: None
    lost: Callable[[str], None] = lambda _why: None  # the component stopped by itself
    key_error: Callable[[str], None] = lambda _why: None


class Ingest(Protocol):
    """The ingest component as the console drives it."""

    @property
    def ready(self) -> IngestReady | None: ...

    async def start(self) -> IngestReady: ...

    async def stop(self) -> None: ...

    def set_public_key(self, public_key: str | None) -> None:
        """Raises SignatureError at once for a malformed key (nothing is changed then)."""
        ...

    def compact_below(self, seq: int) -> None: ...

    def set_console_metrics(self, text: bytes) -> None: ...


class IngestProcess:
    """The ingest component in a child process (see the module docstring)."""

    def __init__(
        self,
        config: IngestConfig,
        listeners: IngestListeners,
        *,
        command: list[str] | None = None,
    ):
        self.config = config
        self._listeners = listeners
        self._command = command or child_command()
        self._process: subprocess.Popen[bytes] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready_future: asyncio.Future[IngestReady] | None = None
        self._stopping = False
        self._write_lock = threading.Lock()
        self.ready: IngestReady | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def start(self) -> IngestReady:
        self._loop = asyncio.get_running_loop()
        self._ready_future = self._loop.create_future()
        self._stopping = False
        self._process = self._spawn()
        assert self._process.stdout is not None
        threading.Thread(
            target=self._read_reports,
            args=(self._process.stdout,),
            name="ingest-reports",
            daemon=True,
        ).start()
        self._send(channel.config_message(self.config))
        try:
            async with asyncio.timeout(START_TIMEOUT_SECS):
                self.ready = await self._ready_future
        except BaseException:
            await self._terminate()
            raise
        return self.ready

    async def stop(self) -> None:
        process = self._process
        if process is None:
            return
        self._stopping = True
        self._send(channel.encode("stop"))
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()
        try:
            await asyncio.wait_for(asyncio.to_thread(process.wait), STOP_TIMEOUT_SECS)
        except TimeoutError:
            log.warning("the webhook receiver process did not stop in time; killing it")
            await self._terminate()
        self._process = None
        self.ready = None

    def set_public_key(self, public_key: str | None) -> None:
        if public_key:
            load_verify_key(public_key)  # refused here, synchronously, like the in-thread kind
        self._send(channel.encode("set_public_key", key=public_key))

    def compact_below(self, seq: int) -> None:
        self._send(channel.encode("compact_below", seq=int(seq)))

    def set_console_metrics(self, text: bytes) -> None:
        self._send(channel.encode("metrics", text=text.decode("utf-8", "replace")))

    # --- internals -------------------------------------------------------------------------

    def _spawn(self) -> subprocess.Popen[bytes]:
        early = take_early(self._command)
        if early is not None:
            return early  # booted while the console was still loading: already waiting
        # Starting a process takes a few milliseconds of fork/exec: short enough for the loop.
        try:
            return spawn_child(self._command)
        except OSError as exc:
            raise IngestError(f"The webhook receiver process could not start: {exc}") from exc

    def _send(self, line: bytes) -> None:
        process = self._process
        if process is None or process.stdin is None or process.stdin.closed:
            return
        with self._write_lock:
            try:
                process.stdin.write(line)
                process.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass  # the child is gone: the report reader says so

    async def _terminate(self) -> None:
        process = self._process
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await asyncio.to_thread(process.wait)
        self._process = None

    def _read_reports(self, stream: IO[bytes]) -> None:
        loop = self._loop
        assert loop is not None
        commits = CommitReports(loop, self._on_committed)
        for line in stream:
            try:
                message = channel.decode(line)
            except ValueError:
                continue
            if message["type"] == "committed" and isinstance(message.get("seq"), int):
                commits.committed(message["seq"])
                continue
            loop.call_soon_threadsafe(self._on_report, message)
        loop.call_soon_threadsafe(self._on_eof)

    def _on_report(self, message: channel.Message) -> None:
        kind = message["type"]
        listeners = self._listeners
        try:
            if kind == "committed":
                listeners.committed(int(message["seq"]))
            elif kind == "stats":
                listeners.stats(channel.stats_from(message))
            elif kind == "rejected":
                listeners.rejected(channel.rejection_from(message))
            elif kind == "log":
                logging.getLogger(str(message.get("name") or "console.ingest")).log(
                    int(message.get("level", logging.INFO)), "%s", message.get("text", "")
                )
            elif kind == "ready":
                self._settle_ready(result=channel.ready_from(message))
            elif kind == "failed":
                self._settle_ready(error=IngestError(str(message.get("message"))))
            elif kind == "key_error":
                listeners.key_error(str(message.get("message", "")))
        except Exception:
            log.exception("handling the ingest report %r failed", kind)

    def _on_committed(self, seq: int) -> None:
        self._on_report({"type": "committed", "seq": seq})

    def _settle_ready(
        self, *, result: IngestReady | None = None, error: Exception | None = None
    ) -> None:
        future = self._ready_future
        if future is None or future.done():
            return
        if error is not None:
            future.set_exception(error)
        elif result is not None:
            future.set_result(result)

    def _on_eof(self) -> None:
        code = self._process.poll() if self._process is not None else None
        why = f"the webhook receiver process exited (code {code})"
        self._settle_ready(error=IngestError(why.capitalize() + " before it was ready."))
        if not self._stopping and self.ready is not None:
            self.ready = None
            self._listeners.lost(why)
