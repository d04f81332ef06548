"""Reading a webhook's body: bounded in size, time and concurrency, then decoding it.

:class:`BoundedBodyReader` reads a body only when the receiver asks (after the headers passed),
at most ``max_concurrent`` at once, each within ``max_bytes`` and a deadline, and reads just an
excerpt of a body whose delivery is already refused. :func:`parse_body` turns the bytes into
the text the journal keeps and the parsed event. Failures raise
:class:`console.events.rejections.DeliveryRejected` with the status to answer.
"""

from __future__ import annotations

import asyncio
import json

from aiohttp import web
from aiohttp.web_protocol import RequestPayloadError

from .deliveries import Reason
from .models import Envelope, EventParseError, parse_envelope
from .rejections import EXCERPT_BYTES, DeliveryRejected

MAX_BODY_BYTES = 1024 * 1024
MAX_CONCURRENT_BODIES = 16
EXCERPT_WAIT_SECS = 0.5


class BoundedBodyReader:
    """Reads request bodies within a size limit, a deadline and a number of concurrent reads."""

    def __init__(
        self,
        max_bytes: int = MAX_BODY_BYTES,
        max_concurrent: int = MAX_CONCURRENT_BODIES,
        timeout: float = 10.0,
    ):
        self._max_body = int(max_bytes)
        # Bodies are read only after the headers passed, and at most this many at once: 300
        # forged 1 MB posts hold at most this many megabytes, the rest wait (or time out).
        self._body_slots = asyncio.Semaphore(max(1, int(max_concurrent)))
        self._body_timeout = float(timeout)

    async def excerpt(self, request: web.Request) -> bytes:
        """At most the first ``EXCERPT_BYTES`` of the body, waiting at most a moment."""
        if request.content_length is not None and request.content_length <= 0:
            return b""
        try:
            async with asyncio.timeout(min(self._body_timeout, EXCERPT_WAIT_SECS)):
                return await request.content.read(EXCERPT_BYTES)
        except (TimeoutError, RequestPayloadError, ConnectionError):
            return b""

    async def read(self, request: web.Request) -> bytes:
        """The whole body of ``request``; too large, too slow or broken is a rejection."""
        length = request.content_length
        if length is not None and length > self._max_body:
            raise DeliveryRejected(
                413,
                Reason.BODY_TOO_LARGE,
                f"Content-Length {length} > {self._max_body}",
                close=True,
            )
        body = bytearray()
        try:
            async with asyncio.timeout(self._body_timeout), self._body_slots:
                while chunk := await request.content.readany():
                    body += chunk
                    if len(body) > self._max_body:
                        # Stop reading here: a chunked upload is never held beyond the limit.
                        raise DeliveryRejected(
                            413,
                            Reason.BODY_TOO_LARGE,
                            f"more than {self._max_body} bytes",
                            close=True,
                            partial=bytes(body[:EXCERPT_BYTES]),
                        )
        except TimeoutError:
            raise DeliveryRejected(
                408,
                Reason.BODY_TIMEOUT,
                f"{len(body)} bytes in {self._body_timeout:g} s",
                close=True,
                partial=bytes(body[:EXCERPT_BYTES]),
            ) from None
        except (RequestPayloadError, ConnectionError) as exc:
            raise DeliveryRejected(
                400,
                Reason.BODY_UNREADABLE,
                str(exc) or type(exc).__name__,
                partial=bytes(body[:EXCERPT_BYTES]),
            ) from None
        return bytes(body)


def parse_body(body: bytes) -> tuple[str, Envelope]:
    """The body as text and as a parsed event; a malformed one is a 400 with the reason."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeliveryRejected(400, Reason.NOT_UTF8, f"invalid byte at {exc.start}") from None
    try:
        document = json.loads(text)
    except RecursionError:
        raise DeliveryRejected(400, Reason.NOT_JSON, "nested too deeply") from None
    except ValueError as exc:
        # JSONDecodeError, and also an integer of more digits than Python converts (4,300).
        raise DeliveryRejected(400, Reason.NOT_JSON, str(exc)) from None
    try:
        return text, parse_envelope(document)
    except EventParseError as exc:
        raise DeliveryRejected(400, Reason.NOT_AN_EVENT, exc.reason) from None
