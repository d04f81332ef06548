"""How the webhook receiver turns a delivery down: the exception its checks raise, and the
accounting of every rejection (counters, one log line, the ``on_rejected`` report, the answer).

:class:`DeliveryRejected` carries the status and reason from wherever a check fails to the one
place that answers. :class:`RejectionLog` counts it in the receiver's :class:`ReceiverStats`,
logs it without the body, schedules ``on_rejected`` and builds the error response.
:class:`ServerLog` routes aiohttp's own 400s for unparsable requests into the same accounting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from .deliveries import Reason, ReceiverStats, Rejection

# The receiver's log lines keep the receiver's logger, so log settings made for it still apply.
log = logging.getLogger("console.events.receiver")

#: How much of a rejected body the event log is shown.
EXCERPT_BYTES = 2048


class DeliveryRejected(Exception):
    """A delivery gets no 2xx: ``status`` and ``reason`` (one of :class:`Reason`) say why."""

    def __init__(
        self, status: int, reason: str, detail: str, *, close: bool = False, partial: bytes = b""
    ):
        super().__init__(f"{reason}: {detail}")
        self.partial = partial  # what was read of the body before giving up (for the excerpt)
        self.status = status
        self.reason = reason
        self.detail = detail
        self.close = close


class RejectionLog:
    """Counts, logs and reports rejections, and answers them."""

    def __init__(
        self,
        stats: ReceiverStats,
        on_rejected: Callable[[Rejection], None] | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self._stats = stats
        self._on_rejected = on_rejected
        self._clock = clock
        # Set by the receiver when it starts: reports are scheduled there, after the answer.
        self.loop: asyncio.AbstractEventLoop | None = None

    def answer(
        self, request: web.Request, rejection: DeliveryRejected, body: bytes
    ) -> web.Response:
        """Account for ``rejection`` of ``request`` (``body``: what was read) and answer it."""
        record = Rejection(
            time=self._clock(),
            remote=request.remote,
            reason=rejection.reason,
            detail=rejection.detail,
            status=rejection.status,
            body_excerpt=body[:EXCERPT_BYTES].decode("utf-8", "replace"),
            method=request.method,
            path=request.path[:200],
        )
        self.count(record)
        response = web.json_response(
            {"error": rejection.reason, "detail": rejection.detail}, status=rejection.status
        )
        if rejection.close:
            response.force_close()
        return response

    def malformed_request(self, remote: object, exc: HttpProcessingError) -> None:
        """Account for a request aiohttp could not parse (it has answered it itself)."""
        # Only the exception's kind: its message quotes the raw bytes of the request.
        detail = type(exc).__name__
        status = exc.code if 400 <= exc.code < 500 else 400
        record = Rejection(
            time=self._clock(),
            remote=remote if isinstance(remote, str) else None,
            reason=Reason.MALFORMED_HTTP,
            detail=detail,
            status=status,
            method="?",
            path="?",
        )
        self.count(record)

    def count(self, record: Rejection) -> None:
        stats = self._stats
        stats.rejected[record.reason] = stats.rejected.get(record.reason, 0) + 1
        stats.last_rejection_at = record.time
        # Never the body or a key at info level; scanners hitting other paths are only info.
        level = logging.INFO if record.status in (404, 405) else logging.WARNING
        log.log(
            level,
            "rejected %s %s from %s: %s (%s) -> %d",
            record.method,
            record.path,
            record.remote,
            record.reason,
            record.detail,
            record.status,
        )
        if self._on_rejected is not None and self.loop is not None:
            self.loop.call_soon(_report, self._on_rejected, record)


def _report(on_rejected: Callable[[Rejection], None], rejection: Rejection) -> None:
    try:
        on_rejected(rejection)
    except Exception:
        log.exception("on_rejected failed")


class ServerLog:
    """Stands in for aiohttp's server logger (``RequestHandler(logger=...)``).

    aiohttp answers a request it cannot parse (header line over 8 KiB, bad framing...) with 400
    itself and logs it at ERROR with a traceback that quotes the offending bytes. Anyone who
    can reach the tunnel could flood the log that way, so such requests become one warning
    line without the bytes, and are counted and reported like any other rejection.
    """

    def __init__(self, rejections: RejectionLog):
        self._rejections = rejections

    def exception(self, msg: str, *args: Any, exc_info: Any = None, **kwargs: Any) -> None:
        if isinstance(exc_info, HttpProcessingError):
            remote = args[0] if args else None
            self._rejections.malformed_request(remote, exc_info)
        else:
            log.error(msg, *args, exc_info=exc_info or True, **kwargs)

    def debug(self, msg: str, *args: Any, **kwargs: Any) -> None:
        log.debug(msg, *args, **kwargs)

    def info(self, msg: str, *args: Any, **kwargs: Any) -> None:
        log.info(msg, *args, **kwargs)

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        log.warning(msg, *args, **kwargs)

    def error(self, msg: str, *args: Any, **kwargs: Any) -> None:
        log.error(msg, *args, **kwargs)
