"""Store.apply throughput (in order, shuffled, conferences), memory per call, journal rebuild."""

from __future__ import annotations

import gc
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (
    T0,
    Report,
    call_lifecycle,
    conference_lifecycle,
    encode,
    interleave,
    parse_args,
    percentile,
    shuffle_within_calls,
)
from console.events.journal import Journal
from console.events.models import Envelope, parse_envelope
from console.state.store import Store


def _starts(count: int, spacing: float) -> list[datetime]:
    return [T0 + timedelta(seconds=i * spacing) for i in range(count)]


def call_streams(count: int, rng: random.Random) -> list[list[dict]]:
    return [call_lifecycle(i, rng, start).events for i, start in enumerate(_starts(count, 2.0))]


def timed_apply(envelopes: list[Envelope]) -> tuple[float, list[float], Store]:
    """Apply every envelope to a fresh store; total seconds, per-event seconds, the store."""
    store = Store()
    per_event = []
    clock = time.perf_counter
    gc.collect()
    start = clock()
    for envelope in envelopes:
        t = clock()
        store.apply(envelope)
        per_event.append(clock() - t)
    return clock() - start, per_event, store


def add_apply_figures(report: Report, label: str, envelopes: list[Envelope]) -> Store:
    total, per_event, store = timed_apply(envelopes)
    report.add(f"{label}: events/s", len(envelopes) / total, "events/s")
    report.add(f"{label}: apply p50", percentile(per_event, 50) * 1e6, "µs")
    report.add(f"{label}: apply p99", percentile(per_event, 99) * 1e6, "µs")
    report.add(f"{label}: apply max", max(per_event) * 1e6, "µs")
    return store


def memory_for(calls: int, seed: int) -> tuple[int, int]:
    """Bytes the store holds after ``calls`` full lifecycles (current, peak), via tracemalloc.

    The bodies are encoded before tracing starts and parsed inside it, because the store keeps
    the parsed payloads: that is part of what a call costs.
    """
    rng = random.Random(seed)
    bodies = [encode(b) for b in interleave(call_streams(calls, rng), rng)]
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        store = Store()
        for body in bodies:
            store.apply(parse_envelope(body))
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(store.calls) == 2 * calls
    return current - base, peak - base


def rebuild_figures(report: Report, events: int, seed: int) -> None:
    rng = random.Random(seed)
    calls = -(-events // 9)  # 9 webhooks per lifecycle
    bodies = interleave(call_streams(calls, rng), rng)[:events]
    with tempfile.TemporaryDirectory(prefix="bench-journal-") as tmp:
        path = Path(tmp) / "events.sqlite3"
        # Filling uses NORMAL (no fsync per insert) only to keep set-up short; reading is the
        # same either way.
        with Journal(path, synchronous="NORMAL") as journal:
            for i, body in enumerate(bodies):
                raw = encode(body).decode()
                journal.append(parse_envelope(raw), raw, 1_736_150_000.0 + i * 0.01)
        with Journal(path) as journal:
            t = time.perf_counter()
            replayed = list(journal.replay())
            read = time.perf_counter() - t
            store = Store()
            changes = []
            store.subscribe(changes.append)
            t = time.perf_counter()
            store.rebuild(replayed)
            fold = time.perf_counter() - t
            store = Store()
            t = time.perf_counter()
            store.rebuild(journal.replay())
            both = time.perf_counter() - t
        size = path.stat().st_size if path.exists() else 0
    report.add(f"rebuild {events:,} events: journal read+parse", read * 1000, "ms")
    report.add(f"rebuild {events:,} events: Store.rebuild", fold * 1000, "ms")
    report.add(f"rebuild {events:,} events: total (as at start-up)", both * 1000, "ms")
    report.add(f"rebuild {events:,} events: notifications", len(changes), "(1 reset)")
    report.add(f"rebuild {events:,} events: journal file", size / 1e6, "MB")


def main() -> None:
    args = parse_args(__doc__ or "")
    quick = args.quick
    n_calls = 300 if quick else 3000
    conf_sizes = (5, 20) if quick else (10, 50)
    conf_events_target = 600 if quick else 6000
    memory_sizes = (200, 500) if quick else (1000, 5000)
    rebuild_events = 1500 if quick else 10_000
    report = Report(
        "store_throughput",
        {
            "calls": n_calls,
            "conference_sizes": conf_sizes,
            "memory_calls": memory_sizes,
            "rebuild_events": rebuild_events,
            "quick": quick,
        },
    )

    rng = random.Random(args.seed)
    per_call = call_streams(n_calls, rng)
    in_order = interleave(per_call, rng)
    shuffled = interleave(shuffle_within_calls(per_call, rng), rng)

    encoded = [encode(b) for b in in_order]
    t = time.perf_counter()
    for body in encoded:
        parse_envelope(body)  # dropped at once, as the receiver does: no GC pressure here
    parse = time.perf_counter() - t
    report.add("parse_envelope (bytes -> Envelope)", len(encoded) / parse, "events/s")
    envelopes = [parse_envelope(body) for body in encoded]

    ordered_store = add_apply_figures(report, "in order", envelopes)
    shuffled_store = add_apply_figures(
        report, "shuffled in call", [parse_envelope(b) for b in shuffled]
    )
    # The store promises order-free results: a benchmark over wrong state would be meaningless.
    same = dict(ordered_store.calls) == dict(shuffled_store.calls)
    report.add("shuffled: same final state", "yes" if same else "NO", "")

    for size in conf_sizes:
        count = max(1, conf_events_target // (size * 5 + 2))
        streams = [conference_lifecycle(i, size, rng, T0) for i in range(count)]
        stream = interleave(streams, rng, concurrent=4)
        add_apply_figures(report, f"conferences of {size}", [parse_envelope(b) for b in stream])

    for calls in memory_sizes:
        current, peak = memory_for(calls, args.seed)
        report.add(f"memory {calls:,} calls: retained", current / 1e6, "MB")
        report.add(f"memory {calls:,} calls: tracemalloc peak", peak / 1e6, "MB")
        report.add(f"memory {calls:,} calls: per call (2 legs, 9 events)", current / calls, "B")

    rebuild_figures(report, rebuild_events, args.seed)
    report.print(args.json)


if __name__ == "__main__":
    main()
