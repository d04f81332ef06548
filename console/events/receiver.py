"""The local webhook receiver: an aiohttp server on loopback that verifies, journals and dispatches.

One POST path takes Telnyx v2 events; ``GET /healthz`` reports counts. For each delivery, in
this order: size limit and read deadline, Ed25519 signature (unless switched off explicitly),
UTF-8/JSON/event parsing, then the journal write. Only after the journal has the event does
the 2xx go out, so an acknowledged event is never lost; if the write fails the answer is 503 and
Telnyx retries. The console gets the event through ``on_event`` scheduled with
``loop.call_soon``, so UI work never delays the answer (Telnyx retries after 2 s).

Timeouts (all configurable): ``body_timeout`` (10 s) is a deadline for the whole body once the
headers are in, answered with 408 and a closed connection; ``idle_timeout`` (15 s, aiohttp's
``keepalive_timeout``) closes a connection that has not sent a complete request head in that
time (aiohttp arms it at connect, so it also ends a stalled header) or idles between requests;
``lingering_time`` (2 s) bounds how long aiohttp drains an unread body after an early answer
(413, 404...) so the client still sees the status. Header lines are capped by aiohttp at 8 KiB
each and 128 headers (answered 400 by aiohttp itself). Bodies are taken as sent
(``auto_decompress=False``): the signature covers the bytes on the wire, and a compressed body
could otherwise expand past the size limit.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.typedefs import Handler
from aiohttp.web_protocol import RequestPayloadError
from nacl.signing import VerifyKey

from .deliveries import (
    DEFAULT_PATH,
    HEALTH_PATH,
    EventJournal,
    Reason,
    ReceivedEvent,
    ReceiverStats,
    Rejection,
)
from .models import Envelope, EventParseError, parse_envelope
from .signature import (
    TOLERANCE_SECONDS,
    SignatureError,
    SignedHeaders,
    check_headers,
    load_verify_key,
    verify_body,
)

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_PATH",
    "HEALTH_PATH",
    "EventJournal",
    "Reason",
    "ReceivedEvent",
    "ReceiverStats",
    "Rejection",
    "WebhookReceiver",
]

MAX_BODY_BYTES = 1024 * 1024
MAX_CONCURRENT_BODIES = 16
READ_BUFFER_BYTES = 16 * 1024
EXCERPT_BYTES = 2048
EXCERPT_WAIT_SECS = 0.5


# Signature failures: 401, except a header we cannot even decode (400). A key problem is ours,
# not the sender's: 503 makes Telnyx retry, so events arrive once the key is fixed.
_SIGNATURE_STATUS = {
    Reason.MISSING_HEADER: 401,
    Reason.BAD_SIGNATURE: 401,
    Reason.STALE_TIMESTAMP: 401,
    Reason.MALFORMED_HEADER: 400,
    Reason.MALFORMED_KEY: 503,
}


class _Reject(Exception):
    def __init__(
        self, status: int, reason: str, detail: str, *, close: bool = False, partial: bytes = b""
    ):
        super().__init__(f"{reason}: {detail}")
        self.partial = partial  # what was read of the body before giving up (for the excerpt)
        self.status = status
        self.reason = reason
        self.detail = detail
        self.close = close


def _check_loopback(host: str) -> str:
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"host must be a loopback IP address, not {host!r}") from None
    if not address.is_loopback:
        # The tunnel forwards to loopback; binding wider would expose an unauthenticated
        # health page and, with verification off, an open event injector.
        raise ValueError(f"host must be a loopback address, not {host!r}")
    return host


class _ServerLog:
    """Stands in for aiohttp's server logger (``RequestHandler(logger=...)``).

    aiohttp answers a request it cannot parse (header line over 8 KiB, bad framing...) with 400
    itself and logs it at ERROR with a traceback that quotes the offending bytes. Anyone who
    can reach the tunnel could flood the log that way, so such requests become one warning
    line without the bytes, and are counted and reported like any other rejection.
    """

    def __init__(self, receiver: WebhookReceiver):
        self._receiver = receiver

    def exception(self, msg: str, *args: Any, exc_info: Any = None, **kwargs: Any) -> None:
        if isinstance(exc_info, HttpProcessingError):
            remote = args[0] if args else None
            self._receiver._malformed_request(remote, exc_info)
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


class WebhookReceiver:
    """aiohttp server for Telnyx webhooks, bound to loopback in the running asyncio loop."""

    def __init__(
        self,
        journal: EventJournal,
        on_event: Callable[[Envelope, ReceivedEvent], None] | None = None,
        public_key: str | None = None,
        verify_signatures: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = DEFAULT_PATH,
        on_rejected: Callable[[Rejection], None] | None = None,
        clock: Callable[[], float] = time.time,
        *,
        on_answer: Callable[[str, int, float], None] | None = None,
        health_path: str = HEALTH_PATH,
        max_body_bytes: int = MAX_BODY_BYTES,
        max_concurrent_bodies: int = MAX_CONCURRENT_BODIES,
        body_timeout: float = 10.0,
        idle_timeout: float = 15.0,
        lingering_time: float = 2.0,
        tolerance: int = TOLERANCE_SECONDS,
    ):
        if not path.startswith("/"):
            raise ValueError(f"path must start with '/': {path!r}")
        self._journal = journal
        self._on_event = on_event
        self._on_rejected = on_rejected
        self._on_answer = on_answer  # (outcome, status, seconds) of each delivery, for metrics
        self._verify = bool(verify_signatures)
        self._host = _check_loopback(host)
        self._port = int(port)
        self._path = path
        self._health_path = health_path
        self._clock = clock
        self._max_body = int(max_body_bytes)
        # Bodies are read only after the headers passed, and at most this many at once: 300
        # forged 1 MB posts hold at most this many megabytes, the rest wait (or time out).
        self._body_slots = asyncio.Semaphore(max(1, int(max_concurrent_bodies)))
        self._body_timeout = float(body_timeout)
        self._idle_timeout = float(idle_timeout)
        self._lingering_time = float(lingering_time)
        self._tolerance = int(tolerance)
        self._stats = ReceiverStats()
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._bound_port: int | None = None
        self._verify_key: VerifyKey | None = None
        self._key_problem: tuple[str, str] | None = None
        # A bad saved key must not stop the app from starting: deliveries get 503 until the
        # key is fixed (Telnyx retries). set_public_key() raises instead, for the dialog.
        try:
            self._install_key(public_key)
        except SignatureError as exc:
            self._verify_key = None
            self._key_problem = (exc.reason, exc.detail)
            log.error("webhook public key is unusable: %s", exc.detail)

    # --- configuration ---------------------------------------------------------------------

    def _install_key(self, public_key: str | None) -> None:
        if public_key is None or not public_key.strip():
            self._verify_key = None
            self._key_problem = (Reason.NO_PUBLIC_KEY, "set the account's public key")
            return
        self._verify_key = load_verify_key(public_key)
        self._key_problem = None

    def set_public_key(self, public_key: str | None) -> None:
        """Change the verification key at run time. Raises SignatureError (the old key stays)."""
        if public_key is not None and public_key.strip():
            load_verify_key(public_key)  # validate before replacing anything
        self._install_key(public_key)
        log.info("webhook public key %s", "updated" if self._verify_key else "cleared")

    @property
    def verification_enabled(self) -> bool:
        return self._verify

    @property
    def key_problem(self) -> str | None:
        """Why verification cannot succeed (no key / malformed key), or None."""
        if not self._verify or self._key_problem is None:
            return None
        return f"{self._key_problem[0]}: {self._key_problem[1]}"

    @property
    def port(self) -> int | None:
        return self._bound_port

    @property
    def url(self) -> str | None:
        if self._bound_port is None:
            return None
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._bound_port}{self._path}"

    @property
    def health_url(self) -> str | None:
        url = self.url
        return None if url is None else url.removesuffix(self._path) + self._health_path

    @property
    def stats(self) -> ReceiverStats:
        """A snapshot of the counters."""
        return replace(self._stats, rejected=dict(self._stats.rejected))

    @property
    def running(self) -> bool:
        return self._runner is not None

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> str:
        """Bind and serve; return the local URL of the POST path."""
        if self._runner is not None:
            return self.url or ""
        self._loop = asyncio.get_running_loop()
        app = web.Application(middlewares=[self._errors_middleware])
        app.router.add_post(self._path, self._on_post)
        app.router.add_get(self._health_path, self._on_health)
        runner = web.AppRunner(
            app,
            access_log=None,  # our own log lines say what matters, without bodies
            handle_signals=False,
            handler_cancellation=False,  # a client hanging up must not cut a journal write
            shutdown_timeout=2.0,
            keepalive_timeout=self._idle_timeout,
            lingering_time=self._lingering_time,
            auto_decompress=False,
            # A request's body is buffered up to twice this before the connection stops being
            # read. aiohttp's default (256 KiB) let 300 large posts waiting for a body slot hold
            # ~200 MB between them; deliveries are a few KB, so a small buffer costs nothing.
            read_bufsize=READ_BUFFER_BYTES,
            logger=_ServerLog(self),
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._bound_port = runner.addresses[0][1]
        self._stats.started_at = self._clock()
        if not self._verify:
            log.warning("webhook signature verification is OFF: any local sender is trusted")
        elif self._key_problem and self._key_problem[0] is Reason.NO_PUBLIC_KEY:
            # Not set up yet (a first run): the status bar and the setup wizard say so; an
            # ERROR in the terminal before the operator has typed anything would only alarm.
            log.warning("webhook receiver has no public key yet: %s", self.key_problem)
        elif self._key_problem:
            log.error("webhook receiver has no usable key: %s", self.key_problem)
        log.info("webhook receiver listening on %s", self.url)
        return self.url or ""

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
            log.info("webhook receiver stopped")
        self._bound_port = None

    async def __aenter__(self) -> WebhookReceiver:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- request handling ------------------------------------------------------------------

    @web.middleware
    async def _errors_middleware(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return self._reject(request, _Reject(404, Reason.NOT_FOUND, request.path), b"")
        except web.HTTPMethodNotAllowed as exc:
            rejection = _Reject(405, Reason.METHOD_NOT_ALLOWED, f"{request.method} {request.path}")
            response = self._reject(request, rejection, b"")
            response.headers["Allow"] = ",".join(sorted(exc.allowed_methods))
            return response
        except web.HTTPException:
            raise
        except Exception:
            # A bug must not take the server down or leak a traceback to the sender.
            log.exception("webhook receiver: unexpected error handling %s", request.path)
            return self._reject(request, _Reject(500, Reason.INTERNAL_ERROR, "see the log"), b"")

    async def _on_health(self, request: web.Request) -> web.Response:
        body = {
            "status": "ok",
            "verification_enabled": self._verify,
            "key_problem": self.key_problem,
            **self._stats.as_dict(),
        }
        return web.json_response(body)

    async def _on_post(self, request: web.Request) -> web.Response:
        started = time.perf_counter()
        response, outcome = await self._handle_post(request)
        if self._on_answer is not None:
            self._on_answer(outcome, response.status, time.perf_counter() - started)
        return response

    async def _handle_post(self, request: web.Request) -> tuple[web.Response, str]:
        received_at = self._clock()
        body = b""
        try:
            try:
                signed = self._check_headers(request.headers, received_at)
            except _Reject as rejection:
                # The body is not read for a delivery the headers already condemn: only an
                # excerpt for the event log, and the connection closes instead of draining it.
                rejection.partial = await self._excerpt(request)
                rejection.close = True
                raise
            body = await self._read_body(request)
            signed_at = self._check_signature(body, signed)
            text, envelope = _parse(body)
            try:
                seq = await self._journal.commit(envelope, text, received_at)
            except Exception as exc:
                # Not acknowledged, so Telnyx retries; the event is not lost.
                log.error("journal write failed for event %s: %s", envelope.event_id, exc)
                raise _Reject(503, Reason.JOURNAL_FAILED, type(exc).__name__) from None
        except _Reject as rejection:
            return self._reject(request, rejection, body or rejection.partial), rejection.reason
        response = self._accept(request, envelope, text, received_at, signed_at, seq)
        return response, "accepted" if seq is not None else "duplicate"

    async def _excerpt(self, request: web.Request) -> bytes:
        """At most the first ``EXCERPT_BYTES`` of the body, waiting at most a moment."""
        if request.content_length is not None and request.content_length <= 0:
            return b""
        try:
            async with asyncio.timeout(min(self._body_timeout, EXCERPT_WAIT_SECS)):
                return await request.content.read(EXCERPT_BYTES)
        except (TimeoutError, RequestPayloadError, ConnectionError):
            return b""

    async def _read_body(self, request: web.Request) -> bytes:
        length = request.content_length
        if length is not None and length > self._max_body:
            raise _Reject(
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
                        raise _Reject(
                            413,
                            Reason.BODY_TOO_LARGE,
                            f"more than {self._max_body} bytes",
                            close=True,
                            partial=bytes(body[:EXCERPT_BYTES]),
                        )
        except TimeoutError:
            raise _Reject(
                408,
                Reason.BODY_TIMEOUT,
                f"{len(body)} bytes in {self._body_timeout:g} s",
                close=True,
                partial=bytes(body[:EXCERPT_BYTES]),
            ) from None
        except (RequestPayloadError, ConnectionError) as exc:
            raise _Reject(
                400,
                Reason.BODY_UNREADABLE,
                str(exc) or type(exc).__name__,
                partial=bytes(body[:EXCERPT_BYTES]),
            ) from None
        return bytes(body)

    def _check_headers(self, headers: Mapping[str, str], now: float) -> SignedHeaders | None:
        """Everything about the signature that needs no body: before the body is read."""
        if not self._verify:
            return None
        if self._verify_key is None:
            reason, detail = self._key_problem or (Reason.NO_PUBLIC_KEY, "")
            raise _Reject(503, reason, detail)
        try:
            return check_headers(headers, now=now, tolerance=self._tolerance)
        except SignatureError as exc:
            raise _Reject(_SIGNATURE_STATUS.get(exc.reason, 401), exc.reason, exc.detail) from None

    def _check_signature(self, body: bytes, signed: SignedHeaders | None) -> int | None:
        key = self._verify_key
        if signed is None:
            return None
        if key is None:  # the key was cleared while the body was being read
            reason, detail = self._key_problem or (Reason.NO_PUBLIC_KEY, "")
            raise _Reject(503, reason, detail)
        try:
            return verify_body(body, signed, key)
        except SignatureError as exc:
            raise _Reject(_SIGNATURE_STATUS.get(exc.reason, 401), exc.reason, exc.detail) from None

    def _accept(
        self,
        request: web.Request,
        envelope: Envelope,
        text: str,
        received_at: float,
        signed_at: int | None,
        seq: int | None,
    ) -> web.Response:
        stats = self._stats
        attempt = envelope.attempt
        if attempt > 1:
            stats.retries_seen += 1
        if seq is None:
            stats.duplicates += 1
            log.info("duplicate event %s (attempt %d) acknowledged", envelope.event_id, attempt)
            return web.json_response({"status": "duplicate", "id": envelope.event_id})
        delay = None
        occurred = envelope.data.effective_occurred_at
        if occurred is not None:
            if occurred.tzinfo is None:
                occurred = occurred.replace(tzinfo=UTC)
            delay = received_at - occurred.timestamp()
        stats.accepted += 1
        stats.last_event_at = received_at
        stats.last_delivery_delay = delay
        if envelope.parse_warning:
            stats.parse_warnings += 1
            log.warning("event %s: %s", envelope.event_id, envelope.parse_warning)
        received = ReceivedEvent(
            received_at=received_at,
            attempt=attempt,
            raw=text,
            seq=seq,
            remote=request.remote,
            verified=self._verify,
            signed_at=signed_at,
            delivery_delay=delay,
        )
        log.debug("accepted %s %s", envelope.event_type, envelope.event_id)
        if self._on_event is not None and self._loop is not None:
            self._loop.call_soon(self._dispatch, envelope, received)
        return web.json_response({"status": "accepted", "id": envelope.event_id})

    def _dispatch(self, envelope: Envelope, received: ReceivedEvent) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(envelope, received)
        except Exception:
            # The event is journalled; a faulty consumer must not break later deliveries.
            self._stats.dispatch_errors += 1
            log.exception("on_event failed for event %s", envelope.event_id)

    def _count_rejection(self, record: Rejection) -> None:
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
        if self._on_rejected is not None and self._loop is not None:
            self._loop.call_soon(self._report, record)

    def _malformed_request(self, remote: object, exc: HttpProcessingError) -> None:
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
        self._count_rejection(record)

    def _reject(self, request: web.Request, rejection: _Reject, body: bytes) -> web.Response:
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
        self._count_rejection(record)
        response = web.json_response(
            {"error": rejection.reason, "detail": rejection.detail}, status=rejection.status
        )
        if rejection.close:
            response.force_close()
        return response

    def _report(self, rejection: Rejection) -> None:
        try:
            self._on_rejected(rejection)  # type: ignore[misc]
        except Exception:
            log.exception("on_rejected failed")


def _parse(body: bytes) -> tuple[str, Envelope]:
    """The body as text and as a parsed event; a malformed one is a 400 with the reason."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Reject(400, Reason.NOT_UTF8, f"invalid byte at {exc.start}") from None
    try:
        document = json.loads(text)
    except RecursionError:
        raise _Reject(400, Reason.NOT_JSON, "nested too deeply") from None
    except ValueError as exc:
        # JSONDecodeError, and also an integer of more digits than Python converts (4,300).
        raise _Reject(400, Reason.NOT_JSON, str(exc)) from None
    try:
        return text, parse_envelope(document)
    except EventParseError as exc:
        raise _Reject(400, Reason.NOT_AN_EVENT, exc.reason) from None
