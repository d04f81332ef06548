"""Demo traffic: plausible inbound calls arriving at random, talking a while, hanging up."""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .simulator import TelnyxSimulator

CALLER_NAMES = [
    "Ada Lovelace",
    "Grace Hopper",
    "Alan Turing",
    "Katherine Johnson",
    "Claude Shannon",
    "Hedy Lamarr",
    "Dennis Ritchie",
    "Barbara Liskov",
    "Edsger Dijkstra",
    "Margaret Hamilton",
    "WIRELESS CALLER",
    "",
]
# Fictional ranges: North American 555-01xx numbers and Ofcom's drama numbers.
AREA_CODES = ["212", "312", "415", "512", "617", "702", "808", "917"]


def random_number(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return f"+44 7700 900{rng.randint(0, 999):03d}".replace(" ", "")
    return f"+1{rng.choice(AREA_CODES)}5550{rng.randint(100, 199)}"


class DemoTraffic:
    """Places inbound calls at about ``rate`` per simulated minute until stopped."""

    def __init__(self, sim: TelnyxSimulator, rate: float, rng: random.Random):
        self.sim = sim
        self.rate = rate
        self.rng = rng
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.task is None or self.task.done():
            self.task = self.sim.tracker.spawn(self._run(), tracked=False)

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None

    async def _run(self) -> None:
        while True:
            await self.sim.clock.sleep(self.rng.expovariate(self.rate / 60.0))
            name = self.rng.choice(CALLER_NAMES)
            await self.sim.place_inbound_call(
                from_=random_number(self.rng),
                caller_name=name,
                # talk time after answer: most calls a minute or two, some long
                hangup_after=self.rng.choice([20, 45, 60, 90, 120, 180, 300]),
                ring_secs=self.rng.choice([15.0, 25.0, 40.0]),
                tracked=False,
            )
