"""The tunnel provider interface, its states, and the state-reporting shared by providers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

log = logging.getLogger(__name__)


class TunnelState(StrEnum):
    DOWN = "down"
    STARTING = "starting"
    UP = "up"
    RECONNECTING = "reconnecting"
    FAILED = "failed"


@dataclass(frozen=True)
class TunnelStatus:
    """What a state callback receives: a snapshot, so late readers see a consistent triple."""

    state: TunnelState
    public_url: str | None
    last_error: str | None


StateCallback = Callable[[TunnelStatus], None]


@runtime_checkable
class TunnelProvider(Protocol):
    """Makes the local webhook receiver reachable from Telnyx.

    ``start`` returns the public base URL (None for :class:`NoTunnel`). When the URL changes
    later (an ngrok reconnect), ``on_state`` callbacks get ``UP`` with the new URL: consumers
    must re-point the Telnyx webhook then.
    """

    kind: str

    @property
    def state(self) -> TunnelState: ...

    @property
    def public_url(self) -> str | None: ...

    @property
    def last_error(self) -> str | None: ...

    def on_state(self, callback: StateCallback) -> Callable[[], None]: ...

    async def start(self, local_port: int) -> str | None: ...

    async def stop(self) -> None: ...


class StatusReporter:
    """State, URL, last error and callbacks; changed only from the event loop thread."""

    kind = "base"

    def __init__(self) -> None:
        self._state = TunnelState.DOWN
        self._public_url: str | None = None
        self._last_error: str | None = None
        self._callbacks: list[StateCallback] = []

    @property
    def state(self) -> TunnelState:
        return self._state

    @property
    def public_url(self) -> str | None:
        return self._public_url

    @property
    def last_error(self) -> str | None:
        return self._last_error

    @property
    def status(self) -> TunnelStatus:
        return TunnelStatus(self._state, self._public_url, self._last_error)

    def on_state(self, callback: StateCallback) -> Callable[[], None]:
        """Call ``callback(status)`` on every change; returns a function that unregisters it."""
        self._callbacks.append(callback)

        def unsubscribe() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return unsubscribe

    def _set_status(
        self,
        state: TunnelState,
        *,
        public_url: str | None = None,
        error: str | None = None,
    ) -> None:
        before = self.status
        self._state, self._public_url, self._last_error = state, public_url, error
        if self.status == before:
            return
        log.info("%s tunnel %s%s", self.kind, state, f" at {public_url}" if public_url else "")
        for callback in list(self._callbacks):
            try:
                callback(self.status)
            except Exception:
                # One broken listener must not stop the others or the tunnel itself.
                log.exception("tunnel state callback %r failed", callback)
