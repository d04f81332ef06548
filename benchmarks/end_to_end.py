"""Simulator → receiver → store: time from a REST answer command to the store showing it."""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import Report, parse_args, summary_ms
from console.events.journal import Journal
from console.events.models import Envelope
from console.events.receiver import ReceivedEvent, WebhookReceiver
from console.events.signature import KeyPair
from console.simulator import TelnyxSimulator
from console.state.changes import Changes
from console.state.entities import CallState
from console.state.store import Store
from console.telnyx.client import TelnyxClient


class Watcher:
    """Resolves a future when the store first shows a call in a given state."""

    def __init__(self, store: Store):
        self.store = store
        self.waiting: dict[tuple[str, CallState], asyncio.Future[float]] = {}
        store.subscribe(self.on_changes)

    def expect(self, ccid: str, state: CallState) -> asyncio.Future[float]:
        future = asyncio.get_running_loop().create_future()
        call = self.store.call(ccid)
        if call is not None and call.state is state:
            future.set_result(time.perf_counter())
        else:
            self.waiting[(ccid, state)] = future
        return future

    def on_changes(self, changes: Changes) -> None:
        now = time.perf_counter()
        for ccid in changes.calls.added | changes.calls.changed:
            call = self.store.call(ccid)
            if call is None:
                continue
            future = self.waiting.pop((ccid, call.state), None)
            if future is not None and not future.done():
                future.set_result(now)


async def run(calls: int, speed: float, seed: int, tmp: Path) -> dict[str, list[float]]:
    keypair = KeyPair.generate()
    store = Store()
    watcher = Watcher(store)
    journal = Journal(tmp / "events.sqlite3")

    def on_event(envelope: Envelope, _received: ReceivedEvent) -> None:
        store.apply(envelope)

    receiver = WebhookReceiver(journal, on_event, public_key=keypair.public_key_b64, port=0)
    url = await receiver.start()
    sim = TelnyxSimulator(webhook_url=url, speed=speed, seed=seed, keypair=keypair)
    await sim.start()
    client = TelnyxClient(api_key=sim.api_key, base_url=sim.base_url)
    rng = random.Random(seed)
    figures: dict[str, list[float]] = {"ring": [], "rest": [], "answered": [], "after_rest": []}
    try:
        for i in range(calls):
            placed = time.perf_counter()
            ccid = await sim.place_inbound_call(
                from_=f"+1312555{rng.randint(1000, 9999)}",
                caller_name=f"Caller {i}",
                hangup_after=3600,
                ring_secs=3600,
            )
            ringing = await asyncio.wait_for(watcher.expect(ccid, CallState.RINGING), 5)
            figures["ring"].append(ringing - placed)
            answered = watcher.expect(ccid, CallState.ANSWERED)
            start = time.perf_counter()
            await client.calls.answer(ccid)
            rest_done = time.perf_counter()
            seen = await asyncio.wait_for(answered, 5)
            figures["rest"].append(rest_done - start)
            figures["answered"].append(seen - start)
            figures["after_rest"].append(seen - rest_done)
            # Hang up untimed, so live calls do not pile up in the simulator.
            await client.calls.hangup(ccid)
        figures["rejected"] = [float(receiver.stats.rejected_total)]
    finally:
        await client.aclose()
        await sim.stop()
        await receiver.stop()
        journal.close()
    return figures


def main() -> None:
    args = parse_args(
        __doc__ or "",
        [
            ("--calls", {"type": int, "help": "calls answered one after another (default 200)"}),
            ("--speed", {"type": float, "default": 1000.0, "help": "simulator speed factor"}),
        ],
    )
    calls = args.calls or (20 if args.quick else 200)
    report = Report("end_to_end", {"calls": calls, "speed": args.speed, "quick": args.quick})
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        figures = asyncio.run(run(calls, args.speed, args.seed, Path(tmp)))
    labels = {
        "ring": "inbound call -> store shows ringing",
        "rest": "answer: REST round trip",
        "answered": "answer: command -> store shows answered",
        "after_rest": "answer: REST response -> store answered",
    }
    for key, label in labels.items():
        summary = summary_ms(figures[key])
        report.add(f"{label} p50", summary["p50_ms"], "ms")
        report.add(f"{label} p99", summary["p99_ms"], "ms")
    report.add("receiver rejections", int(figures["rejected"][0]), "(must be 0)")
    report.print(args.json)


if __name__ == "__main__":
    main()
