"""Where the ingest component's CPU goes: the same load on four servers, each one step more.

``app_as_wired`` says how the console as a whole compares with a do-nothing server; this says
what each step of the 2xx path adds, so whoever works on throughput knows where to look. Each
rung runs in a process of its own (``_reference_servers.py``) and gets the same signed,
Telnyx-shaped lifecycles from a separate process over 8 keep-alive connections:

1. ``null``: aiohttp reading the body and answering 200;
2. ``checks``: the same plus the console's checks (headers, Ed25519 signature, the body parsed
   into an event);
3. ``receiver``: the console's own receiver over a journal that stores nothing;
4. ``ingest``: the ingest component as the console runs it (the group-committed journal,
   fsync'd, written by its own thread; metrics).

For each rung: deliveries per second, the server's CPU per delivery (from ``/proc``, split
between its event loop's thread and the others), the load generator's, and what the rung adds
to the one before. Figures are printed, never asserted; the machine's noise between runs is
large (±20 %), so compare rungs of one run.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import _load
from benchmarks._common import Report, parse_args
from benchmarks._processes import reference_server, thread_cpu
from benchmarks.app_as_wired import CONNECTIONS, lifecycles, throughput
from console.events.signature import KeyPair

RUNGS = (
    ("null", "do-nothing aiohttp"),
    ("checks", "+ signature and parse"),
    ("receiver", "console receiver, no disk"),
    ("ingest", "ingest component"),
)
WARM_UP = 300


def climb(report: Report, calls: int, seed: int) -> None:
    key = KeyPair.generate()
    rng = random.Random(seed)
    start = datetime.now(UTC)
    before_us: float | None = None
    for kind, label in RUNGS:
        bodies = lifecycles(calls, rng, start)
        with reference_server(kind, key) as (url, pid):
            _load.send(url, lifecycles(WARM_UP // 9 + 1, rng, start), key)
            began = thread_cpu(pid)
            answers, sender_cpu = _load.send_measured(url, bodies, key, connections=CONNECTIONS)
            ended = thread_cpu(pid)
        spent = {name: ended[name] - began.get(name, 0.0) for name in ended}
        loop_us = spent.get("main", 0.0) / len(bodies) * 1e6
        others_us = sum(v for name, v in spent.items() if name != "main") / len(bodies) * 1e6
        server_us = loop_us + others_us
        sender_us = sender_cpu / len(bodies) * 1e6
        report.add(f"{label}: throughput", throughput(answers), "req/s")
        report.add(f"{label}: non-2xx", sum(not 200 <= a.status < 300 for a in answers))
        report.add(f"{label}: server CPU per delivery", server_us, "µs")
        report.add(f"{label}: of which its event loop", loop_us, "µs")
        report.add(f"{label}: load generator CPU per delivery", sender_us, "µs")
        if before_us is not None:
            report.add(f"{label}: adds to the rung before", server_us - before_us, "µs")
        before_us = server_us


def main() -> None:
    args = parse_args(
        __doc__.splitlines()[0],
        [("--calls", {"type": int, "default": 1000, "help": "call lifecycles per rung"})],
    )
    calls = 30 if args.quick else args.calls
    report = Report("ingest_ladder", {"calls per rung": calls, "connections": CONNECTIONS})
    climb(report, calls, args.seed)
    report.print(args.json)


if __name__ == "__main__":
    main()
