"""Demo traffic: plausible inbound calls arriving at random, talking a while, hanging up.

A newcomer should not wait for the first call: one rings within a few seconds of the start.
Some callers dial the support line instead, where the application's auto-attendant answers
and puts them in a queue, so picking a call from a queue can be tried. The auto-attendant
issues real Call Control commands (``answer``, ``enqueue``) through the simulator's own
command path: the console sees exactly the webhooks Telnyx sends when an application does this.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import TYPE_CHECKING

from .errors import TelnyxError

if TYPE_CHECKING:
    from .simulator import TelnyxSimulator

log = logging.getLogger(__name__)

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


#: Simulated seconds until the first caller rings (a newcomer sees a call almost at once).
FIRST_CALL_AFTER = 3.0
#: The first caller rings long enough to be answered by someone still reading the screen.
FIRST_RING_SECS = 45.0
#: The queue the support line's callers wait in, and the share of callers who dial it.
QUEUE_NAME = "support"
QUEUE_SHARE = 0.35
#: How long a queued caller waits before giving up, plus their talk time once picked.
QUEUE_PATIENCE = (120, 240)


def random_number(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return f"+44 7700 900{rng.randint(0, 999):03d}".replace(" ", "")
    return f"+1{rng.choice(AREA_CODES)}5550{rng.randint(100, 199)}"


class DemoTraffic:
    """Places inbound calls at about ``rate`` per simulated minute until stopped."""

    def __init__(
        self,
        sim: TelnyxSimulator,
        rate: float,
        rng: random.Random,
        *,
        first_call_after: float | None = FIRST_CALL_AFTER,
    ):
        self.sim = sim
        self.rate = rate
        self.rng = rng
        self.first_call_after = first_call_after
        self.task: asyncio.Task[None] | None = None
        self.placed = 0

    def start(self) -> None:
        if self.task is None or self.task.done():
            self.task = self.sim.tracker.spawn(self._run(), tracked=False)

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None

    async def _run(self) -> None:
        if self.first_call_after is not None:
            await self.sim.clock.sleep(self.first_call_after)
            await self._ring_the_operator(ring_secs=FIRST_RING_SECS)
        while True:
            await self.sim.clock.sleep(self.rng.expovariate(self.rate / 60.0))
            # The second caller always takes the queue, so it shows early; then about a third.
            if self.placed == 1 or self.rng.random() < QUEUE_SHARE:
                await self._queue_a_caller()
            else:
                await self._ring_the_operator(ring_secs=self.rng.choice([15.0, 25.0, 40.0]))

    async def _ring_the_operator(self, *, ring_secs: float) -> str:
        self.placed += 1
        return await self.sim.place_inbound_call(
            from_=random_number(self.rng),
            caller_name=self.rng.choice(CALLER_NAMES),
            # talk time after answer: most calls a minute or two, some long
            hangup_after=self.rng.choice([20, 45, 60, 90, 120, 180, 300]),
            ring_secs=ring_secs,
            tracked=False,
        )

    async def _queue_a_caller(self) -> str | None:
        """A caller dials the support line; the auto-attendant answers and queues them."""
        self.placed += 1
        numbers = self.sim.from_numbers
        line = numbers[1] if len(numbers) > 1 else numbers[0]
        ccid = await self.sim.place_inbound_call(
            from_=random_number(self.rng),
            to=line,
            caller_name=self.rng.choice(CALLER_NAMES),
            # waits in the queue, then talks: the caller hangs up this long after the answer
            hangup_after=float(self.rng.randint(*QUEUE_PATIENCE)),
            ring_secs=FIRST_RING_SECS,
            tracked=False,
        )
        try:
            self.sim.call_command(ccid, "answer", {})
            self.sim.call_command(ccid, "enqueue", {"queue_name": QUEUE_NAME})
        except TelnyxError as exc:  # e.g. the queue is full: the caller still rings
            log.info("demo auto-attendant could not queue %s: %s", ccid, exc)
            return None
        return ccid
