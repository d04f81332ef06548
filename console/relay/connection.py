"""The connection to the NATS server: options (URLs, credentials, TLS) and state callbacks.

One :class:`BrokerConnection` per process is shared by the publisher or the console's source,
claims and presence. It keeps trying: the first connect is retried with a capped back-off until
it succeeds or the connection is closed, and nats-py reconnects by itself after a drop.
Listeners hear ``connected`` / ``disconnected`` / ``reconnected`` on the connection's loop, so
a console can show "broker disconnected" and resync after a reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext

from console.relay.errors import BrokerUnavailable
from console.relay.tasks import raise_if_cancelled, stop_task

log = logging.getLogger(__name__)

FIRST_RETRY_SECS = 0.2
MAX_RETRY_SECS = 5.0


class BrokerState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"  # dropped; nats-py is reconnecting
    RECONNECTED = "reconnected"  # back after a drop: what was missed must be caught up
    CLOSED = "closed"


@dataclass(frozen=True)
class BrokerOptions:
    """How to reach the broker. Secrets are passed in, never read from a config file here:
    the console takes them from the keyring, the relay from its credentials directory."""

    servers: tuple[str, ...] = ("nats://127.0.0.1:4222",)
    name: str = "telnyx-console"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    creds_file: str | None = None  # a NATS .creds file (JWT + nkey seed)
    tls_ca_file: str | None = None
    tls_cert_file: str | None = None
    tls_key_file: str | None = None
    connect_timeout: float = 2.0
    reconnect_wait: float = 0.5
    request_timeout: float = 5.0

    def tls_context(self) -> ssl.SSLContext | None:
        uses_tls = any(s.startswith("tls://") for s in self.servers)
        if not (uses_tls or self.tls_ca_file or self.tls_cert_file):
            return None
        context = ssl.create_default_context(cafile=self.tls_ca_file)
        if self.tls_cert_file:
            context.load_cert_chain(self.tls_cert_file, self.tls_key_file)
        return context


StateListener = Callable[[BrokerState], None]


class BrokerConnection:
    """A NATS connection that keeps itself up and says when its state changes."""

    def __init__(self, options: BrokerOptions):
        self.options = options
        self.state = BrokerState.CLOSED
        self.last_error: str | None = None
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._listeners: list[StateListener] = []
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # --- listeners ----------------------------------------------------------------------

    def on_state(self, listener: StateListener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _set_state(self, state: BrokerState) -> None:
        self.state = state
        if state in (BrokerState.CONNECTED, BrokerState.RECONNECTED):
            self._connected.set()
        else:
            self._connected.clear()
        for listener in list(self._listeners):
            try:
                listener(state)
            except Exception:
                log.exception("broker state listener failed")

    # --- lifecycle ----------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    @property
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise BrokerUnavailable(self.unavailable_message())
        return self._js

    @property
    def nc(self) -> Client:
        if self._nc is None:
            raise BrokerUnavailable(self.unavailable_message())
        return self._nc

    def unavailable_message(self) -> str:
        where = ", ".join(self.options.servers)
        reason = f" ({self.last_error})" if self.last_error else ""
        return f"The team broker at {where} cannot be reached{reason}."

    async def connect(self) -> None:
        """Connect once; raises :class:`BrokerUnavailable` if the broker does not answer."""
        self._set_state(BrokerState.CONNECTING)
        try:
            self._nc = await nats.connect(**self._connect_args())
        except Exception as exc:
            self.last_error = str(exc) or type(exc).__name__
            self._set_state(BrokerState.DISCONNECTED)
            raise BrokerUnavailable(self.unavailable_message()) from exc
        self._js = self._nc.jetstream(timeout=self.options.request_timeout)
        self.last_error = None
        self._set_state(BrokerState.CONNECTED)
        log.info("connected to the broker at %s", self._nc.connected_url)

    def start(self) -> None:
        """Connect in the background, retrying until it works (the broker may start later)."""
        if self._task is None:
            self._task = asyncio.create_task(self._keep_connecting(), name="broker-connect")

    async def wait_connected(self) -> None:
        await self._connected.wait()

    async def _keep_connecting(self) -> None:
        delay = FIRST_RETRY_SECS
        while self._nc is None:
            try:
                await self.connect()
            except BrokerUnavailable as exc:
                log.warning("%s Retrying in %.1f s.", exc.user_message, delay)
                raise_if_cancelled()
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_SECS)

    async def close(self) -> None:
        task, self._task = self._task, None
        await stop_task(task)
        nc, self._nc = self._nc, None
        self._js = None
        if nc is not None and not nc.is_closed:
            with contextlib.suppress(Exception):
                await nc.drain()
            with contextlib.suppress(Exception):
                await nc.close()
        self._set_state(BrokerState.CLOSED)

    # --- nats-py callbacks ----------------------------------------------------------------

    def _connect_args(self) -> dict[str, Any]:
        o = self.options
        args: dict[str, Any] = {
            "servers": list(o.servers),
            "name": o.name,
            "connect_timeout": o.connect_timeout,
            "reconnect_time_wait": o.reconnect_wait,
            "max_reconnect_attempts": -1,  # a console or relay outlives any broker outage
            "allow_reconnect": True,
            "disconnected_cb": self._disconnected,
            "reconnected_cb": self._reconnected,
            "error_cb": self._error,
        }
        if o.user:
            args["user"], args["password"] = o.user, o.password
        if o.token:
            args["token"] = o.token
        if o.creds_file:
            args["user_credentials"] = o.creds_file
        tls = o.tls_context()
        if tls is not None:
            args["tls"] = tls
        return args

    async def _disconnected(self) -> None:
        if self._nc is not None and not self._nc.is_closed:
            log.warning("broker connection lost; reconnecting")
            self._set_state(BrokerState.DISCONNECTED)

    async def _reconnected(self) -> None:
        log.info("broker connection back")
        self._set_state(BrokerState.RECONNECTED)

    async def _error(self, exc: Exception) -> None:
        self.last_error = str(exc) or type(exc).__name__
        log.debug("broker: %s", self.last_error)
