"""The health of the webhook path and the API, as one snapshot the status bar reads."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Health:
    """What the status bar shows; replaced as a whole on every change (never mutated)."""

    receiver_url: str | None = None
    tunnel_state: str = "down"  # down | starting | up | reconnecting | failed | demo
    tunnel_url: str | None = None
    tunnel_error: str | None = None
    webhook_url: str | None = None  # what the Call Control application was pointed at
    webhook_problem: str | None = None  # why it could not be pointed: what to do by hand
    api_reachable: bool | None = None
    api_last_error: str | None = None
    verification_enabled: bool = True
    key_problem: str | None = None
    last_event_at: datetime | None = None
    last_delivery_delay: float | None = None
    retries_seen: int = 0
    duplicates_seen: int = 0
    rejected_count: int = 0
    silence_warning: bool = False
    events_pending: int = 0  # committed by the receiver, not yet folded into the state
    receiver_problem: str | None = None  # the receiver process stopped: what happens now
    last_resync_at: datetime | None = None
    last_resync_reason: str | None = None
    last_resync_error: str | None = None
    notices: tuple[str, ...] = field(default_factory=tuple)  # start-up notes for the operator
    # Team mode (console/team): "solo" has no broker; the problem is in words for the bar.
    mode: str = "solo"  # solo | team
    broker_state: str | None = None  # connecting | connected | disconnected | reconnected
    broker_problem: str | None = None  # e.g. "broker disconnected (…): … catches up"
    webhook_held_by: str | None = None  # solo: host of the console/relay holding the URL

    def with_(self, **changes: Any) -> Health:
        return replace(self, **changes)


class ClockWatch:
    """Notices a wall-clock jump or a wake from sleep between two ticks.

    On Linux and macOS the monotonic clock stops while the machine sleeps and the wall clock
    does not; a step of the wall clock (NTP, manual change) moves one and not the other. Either
    way webhooks may have been missed, so the session resyncs.
    """

    def __init__(
        self,
        threshold: float = 5.0,
        wall: Callable[[], float] = time.time,
        mono: Callable[[], float] = time.monotonic,
    ):
        self._threshold = threshold
        self._wall, self._mono = wall, mono
        self._last = (wall(), mono())

    def jumped(self) -> float | None:
        """Seconds of unexplained wall-clock movement since the last call, or None."""
        wall, mono = self._wall(), self._mono()
        last_wall, last_mono = self._last
        self._last = (wall, mono)
        drift = (wall - last_wall) - (mono - last_mono)
        return drift if abs(drift) >= self._threshold else None
