"""The ingest child process: an :class:`IngestService` driven over stdin/stdout.

Started by :class:`console.ingest.host.IngestProcess` as ``telnyx-console ingest-child`` (or
``python -m console ingest-child``). It runs until told to stop or until its stdin closes, which
is what happens when the console exits in any way, even killed: the child never outlives it.
The public key arrives on stdin, never on the command line (``ps`` shows command lines).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import threading
from typing import BinaryIO

from console.events.signature import SignatureError
from console.ingest import channel
from console.ingest.commits import PacedReports
from console.ingest.config import IngestConfig
from console.ingest.service import IngestService

log = logging.getLogger("console.ingest")


class _Out:
    """Writes whole lines to stdout from any thread."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self._lock = threading.Lock()

    def write(self, line: bytes) -> None:
        with self._lock:
            try:
                self._stream.write(line)
                self._stream.flush()
            except (BrokenPipeError, ValueError, OSError):
                pass  # the console is gone: stdin's EOF stops us next


class _ChannelLog(logging.Handler):
    """Log records of the child travel to the console, which logs them with its handlers."""

    def __init__(self, out: _Out):
        super().__init__(logging.INFO)
        self._out = out

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            self._out.write(
                channel.encode("log", level=record.levelno, name=record.name, text=text)
            )
        except Exception:
            self.handleError(record)


def main() -> int:
    out = _Out(sys.stdout.buffer)
    root = logging.getLogger()
    root.handlers[:] = [_ChannelLog(out)]
    root.setLevel(logging.INFO)
    # Ctrl+C in the terminal reaches the whole process group: the console decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    first = sys.stdin.buffer.readline()
    try:
        config = channel.config_from(channel.decode(first))
    except (ValueError, KeyError, TypeError) as exc:
        out.write(channel.encode("failed", message=f"bad configuration line: {exc}"))
        return 2
    return asyncio.run(_serve(config, out))


async def _serve(config: IngestConfig, out: _Out) -> int:
    loop = asyncio.get_running_loop()
    commands: asyncio.Queue[channel.Message | None] = asyncio.Queue()
    commits = PacedReports(loop, lambda seq: out.write(channel.encode("committed", seq=seq)))
    service = IngestService(
        config,
        on_committed=commits.committed,
        on_rejected=lambda rejection: out.write(channel.rejection_message(rejection)),
        on_stats=lambda stats: out.write(channel.stats_message(stats)),
    )
    try:
        ready = await service.start()
    except Exception as exc:
        out.write(channel.encode("failed", message=str(exc) or type(exc).__name__))
        return 1
    out.write(channel.ready_message(ready))
    threading.Thread(
        target=_read_commands, args=(loop, commands), name="ingest-commands", daemon=True
    ).start()
    try:
        while (command := await commands.get()) is not None:
            _obey(service, command, out)
    finally:
        await service.stop()
        commits.flush()  # the last commits' report may be waiting for its turn
    return 0


def _read_commands(
    loop: asyncio.AbstractEventLoop, commands: asyncio.Queue[channel.Message | None]
) -> None:
    for line in sys.stdin.buffer:
        try:
            message = channel.decode(line)
        except ValueError:
            log.error("ingest: ignored a malformed control line")
            continue
        loop.call_soon_threadsafe(commands.put_nowait, message)
        if message["type"] == "stop":
            break
    loop.call_soon_threadsafe(commands.put_nowait, None)  # stop, or the console is gone


def _obey(service: IngestService, command: channel.Message, out: _Out) -> None:
    kind = command["type"]
    if kind == "set_public_key":
        try:
            service.set_public_key(command.get("key"))
        except SignatureError as exc:
            out.write(channel.encode("key_error", message=exc.detail))
    elif kind == "compact_below":
        service.compact_below(int(command["seq"]))
    elif kind == "metrics":
        service.set_console_metrics(str(command.get("text", "")).encode())
    elif kind != "stop":
        log.warning("ingest: unknown control message %r", kind)
