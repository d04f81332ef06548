"""Simulated clock: simulated time runs ``speed`` times faster than real time."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta


class SimClock:
    """Wall-clock timestamps and sleeps in simulated seconds.

    Simulated time starts at the real wall time and advances ``speed`` times faster, so a 30 s
    call at speed 1000 takes 30 ms but its timestamps still span 30 s. ``now()`` never returns
    the same instant twice, so occurred_at strictly increases even for events made together.
    """

    def __init__(self, speed: float = 1.0):
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._origin_wall = datetime.now(UTC)
        self._origin_mono = time.monotonic()
        self._last = self._origin_wall

    def seconds(self) -> float:
        """Simulated seconds since the clock started."""
        return (time.monotonic() - self._origin_mono) * self.speed

    def now(self) -> datetime:
        current = self._origin_wall + timedelta(seconds=self.seconds())
        if current <= self._last:
            current = self._last + timedelta(microseconds=1)
        self._last = current
        return current

    def real_delay(self, sim_seconds: float) -> float:
        return max(0.0, sim_seconds) / self.speed

    async def sleep(self, sim_seconds: float) -> None:
        await asyncio.sleep(self.real_delay(sim_seconds))


def iso(moment: datetime) -> str:
    """ISO 8601 with microseconds and a ``Z`` suffix, as Telnyx writes occurred_at."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
