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

The checks live beside it: the signature and its key in ``signature_gate``, reading and parsing
the body in ``request_body``, the accounting and answer of a rejection in ``rejections``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC

from aiohttp import web
from aiohttp.typedefs import Handler

from .deliveries import (
    DEFAULT_PATH,
    HEALTH_PATH,
    EventJournal,
    Reason,
    ReceivedEvent,
    ReceiverStats,
    Rejection,
)
from .models import Envelope
from .rejections import DeliveryRejected, RejectionLog, ServerLog
from .request_body import MAX_BODY_BYTES, MAX_CONCURRENT_BODIES, BoundedBodyReader, parse_body
from .signature import TOLERANCE_SECONDS
from .signature_gate import SignatureGate

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

READ_BUFFER_BYTES = 16 * 1024


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
        self._on_answer = on_answer  # (outcome, status, seconds) of each delivery, for metrics
        self._host = _check_loopback(host)
        self._port = int(port)
        self._path = path
        self._health_path = health_path
        self._clock = clock
        self._body = BoundedBodyReader(max_body_bytes, max_concurrent_bodies, body_timeout)
        self._idle_timeout = float(idle_timeout)
        self._lingering_time = float(lingering_time)
        self._signatures = SignatureGate(public_key, enabled=verify_signatures, tolerance=tolerance)
        self._stats = ReceiverStats()
        self._rejections = RejectionLog(self._stats, on_rejected, clock)
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._bound_port: int | None = None

    # --- configuration ---------------------------------------------------------------------

    def set_public_key(self, public_key: str | None) -> None:
        """Change the verification key at run time. Raises SignatureError (the old key stays)."""
        self._signatures.set_public_key(public_key)

    @property
    def verification_enabled(self) -> bool:
        return self._signatures.enabled

    @property
    def key_problem(self) -> str | None:
        """Why verification cannot succeed (no key / malformed key), or None."""
        return self._signatures.key_problem

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
        self._loop = self._rejections.loop = asyncio.get_running_loop()
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
            logger=ServerLog(self._rejections),
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
        problem = self._signatures.problem
        if not self._signatures.enabled:
            log.warning("webhook signature verification is OFF: any local sender is trusted")
        elif problem and problem[0] is Reason.NO_PUBLIC_KEY:
            # Not set up yet (a first run): the status bar and the setup wizard say so; an
            # ERROR in the terminal before the operator has typed anything would only alarm.
            log.warning("webhook receiver has no public key yet: %s", self.key_problem)
        elif problem:
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
            rejection = DeliveryRejected(404, Reason.NOT_FOUND, request.path)
            return self._rejections.answer(request, rejection, b"")
        except web.HTTPMethodNotAllowed as exc:
            rejection = DeliveryRejected(
                405, Reason.METHOD_NOT_ALLOWED, f"{request.method} {request.path}"
            )
            response = self._rejections.answer(request, rejection, b"")
            response.headers["Allow"] = ",".join(sorted(exc.allowed_methods))
            return response
        except web.HTTPException:
            raise
        except Exception:
            # A bug must not take the server down or leak a traceback to the sender.
            log.exception("webhook receiver: unexpected error handling %s", request.path)
            rejection = DeliveryRejected(500, Reason.INTERNAL_ERROR, "see the log")
            return self._rejections.answer(request, rejection, b"")

    async def _on_health(self, request: web.Request) -> web.Response:
        body = {
            "status": "ok",
            "verification_enabled": self._signatures.enabled,
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
                signed = self._signatures.check_headers(request.headers, received_at)
            except DeliveryRejected as rejection:
                # The body is not read for a delivery the headers already condemn: only an
                # excerpt for the event log, and the connection closes instead of draining it.
                rejection.partial = await self._body.excerpt(request)
                rejection.close = True
                raise
            body = await self._body.read(request)
            signed_at = self._signatures.check_body(body, signed)
            text, envelope = parse_body(body)
            try:
                seq = await self._journal.commit(envelope, text, received_at)
            except Exception as exc:
                # Not acknowledged, so Telnyx retries; the event is not lost.
                log.error("journal write failed for event %s: %s", envelope.event_id, exc)
                raise DeliveryRejected(503, Reason.JOURNAL_FAILED, type(exc).__name__) from None
        except DeliveryRejected as rejection:
            response = self._rejections.answer(request, rejection, body or rejection.partial)
            return response, rejection.reason
        response = self._accept(request, envelope, text, received_at, signed_at, seq)
        return response, "accepted" if seq is not None else "duplicate"

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
            verified=self._signatures.enabled,
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
