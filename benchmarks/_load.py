"""The load generator for ``app_as_wired``: signed deliveries from a process of its own.

``send(url, bodies, connections, rate)`` runs in a child process (``multiprocessing`` spawn),
so the sender never shares the receiver's interpreter. Bodies are signed before the clock
starts (signing is Telnyx's work, not the receiver's). With a ``rate`` the deliveries are
paced (delivery *i* leaves at ``start + i / rate``, as Telnyx would send them); without, each
connection sends its next one as soon as the last was answered.

It returns, per delivery, the HTTP status and wall-clock times sent and answered (the
console records when it folded each event id with the same clock); ``send_measured`` also
the CPU time the sender spent.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from dataclasses import dataclass

import aiohttp

from console.events.signature import KeyPair, sign


@dataclass(frozen=True)
class Answer:
    index: int
    status: int
    sent: float  # wall clock (time.time)
    answered: float

    @property
    def seconds(self) -> float:
        return self.answered - self.sent


def send(
    url: str,
    bodies: list[bytes],
    key: KeyPair,
    *,
    connections: int = 8,
    rate: float | None = None,
) -> list[Answer]:
    """Deliver ``bodies`` to ``url`` from a child process; returns the answers."""
    return send_measured(url, bodies, key, connections=connections, rate=rate)[0]


def send_measured(
    url: str,
    bodies: list[bytes],
    key: KeyPair,
    *,
    connections: int = 8,
    rate: float | None = None,
) -> tuple[list[Answer], float]:
    """As :func:`send`, with the CPU seconds the sending process spent delivering."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        rows, cpu = pool.apply(_run, (url, bodies, key, connections, rate))
    return [Answer(*row) for row in rows], cpu


def _run(
    url: str, bodies: list[bytes], key: KeyPair, connections: int, rate: float | None
) -> tuple[list[tuple[int, int, float, float]], float]:
    return asyncio.run(_deliver(url, bodies, key, connections, rate))


async def _deliver(
    url: str, bodies: list[bytes], key: KeyPair, connections: int, rate: float | None
) -> tuple[list[tuple[int, int, float, float]], float]:
    signed = [(body, {**sign(body, key), "Content-Type": "application/json"}) for body in bodies]
    cpu_began = time.process_time()  # signing is Telnyx's work: not counted
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(signed)):
        queue.put_nowait(index)
    answers: list[tuple[int, int, float, float]] = []
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    start = time.monotonic() + 0.05
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:

        async def worker() -> None:
            while not queue.empty():
                index = queue.get_nowait()
                if rate:
                    delay = start + index / rate - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                body, headers = signed[index]
                sent = time.time()
                try:
                    async with http.post(url, data=body, headers=headers) as response:
                        await response.read()
                        status = response.status
                except aiohttp.ClientError:
                    status = 0
                answers.append((index, status, sent, time.time()))

        await asyncio.gather(*(worker() for _ in range(connections)))
    answers.sort()
    return answers, time.process_time() - cpu_began
