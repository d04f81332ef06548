"""The console as a user runs it, loaded from another process, beside reference servers.

The real ``telnyx-console`` (``run_app``: its window shown offscreen, the receiver in its
child process, signatures checked, the journal fsync'd) is started in a process of its own
from a prepared home; signed Telnyx-shaped webhooks come from a third process over 8
keep-alive connections. In the same run, the same load goes to a do-nothing aiohttp server
and to the Telnyx docs' receiver (Flask's server + the official SDK's ``webhooks.unwrap``),
so the figures that matter are ratios that hold on any machine.

Phases:
1. throughput, unpaced: the app, the do-nothing server, Flask + SDK, and the console's ingest
   component run alone (nobody reading its journal: the ceiling its receiver sets); the CPU
   each of the console's two processes (the window's until it had folded the burst) and the
   load generator spent per delivery in the app's burst;
2. paced load with many live calls (default 500 events/s, then 1,000 events/s, with 5,000
   live calls): time to 2xx, time from 2xx to the event being in the store, the window's
   loop lag (from ``/metrics``), then finding one caller (Ctrl+F) and scrolling the calls table;
3. start-up with history: 10,000 finished calls with recordings in the journal — window
   shown after start, RSS, on the first start (no checkpoint) and the next; journal and
   console database bytes per finished call;
4. a history search over 100,000 calls.

``--quick`` runs every phase small (a CI smoke test: figures printed, nothing asserted).
"""

from __future__ import annotations

import contextlib
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import _load
from benchmarks._common import CallScript as Script
from benchmarks._common import (
    Report,
    call_lifecycle,
    encode,
    interleave,
    parse_args,
    percentile,
    summary_ms,
)
from benchmarks._processes import Console, compile_console, free_port, reference
from console.events.signature import KeyPair

CONNECTIONS = 8
AREAS = ("212", "415", "617")


# --- webhooks -----------------------------------------------------------------------------


def lifecycles(count: int, rng: random.Random, start: datetime) -> list[bytes]:
    calls = [call_lifecycle(n, rng, start).events for n in range(count)]
    return [encode(body) for body in interleave(calls, rng)]


def live_calls(count: int, rng: random.Random, start: datetime) -> tuple[list[bytes], list[Script]]:
    """One answered inbound leg per call (2 webhooks each): calls that stay live."""
    scripts = []
    for n in range(count):
        script = Script(n, rng, start)
        script.initiated(0.0, "a")
        script.answered(0.8, "a")
        scripts.append(script)
    return [encode(body) for s in scripts for body in s.events], scripts


def traffic_on(scripts: list[Script], count: int, rng: random.Random) -> list[bytes]:
    """Mid-call webhooks (DTMF) spread over the live calls, each a new event."""
    bodies = []
    for n in range(count):
        script = rng.choice(scripts)
        bodies.append(
            encode(script.event("call.dtmf.received", 10.0 + n / 1000, "a", digit=str(n % 10)))
        )
    return bodies


def event_id(body: bytes) -> str:
    return str(json.loads(body)["data"]["id"])


# --- figures --------------------------------------------------------------------------------


def throughput(answers: list[_load.Answer]) -> float:
    if not answers:
        return 0.0
    span = max(a.answered for a in answers) - min(a.sent for a in answers)
    return len(answers) / span if span > 0 else float("nan")


def histogram(text: str, name: str) -> dict[float, float]:
    """Cumulative bucket counts of one histogram in Prometheus text."""
    from prometheus_client.parser import text_string_to_metric_families

    buckets: dict[float, float] = {}
    for family in text_string_to_metric_families(text):
        if family.name != name:
            continue
        for sample in family.samples:
            if sample.name.endswith("_bucket"):
                buckets[float(sample.labels["le"])] = buckets.get(
                    float(sample.labels["le"]), 0.0
                ) + float(sample.value)
    return buckets


def lag_figures(before: str, after: str) -> tuple[float, float]:
    """(p99 upper bound, worst bucket) of the GUI loop lag between two scrapes, in ms."""
    name = "telnyx_console_gui_loop_lag_seconds"
    start, end = histogram(before, name), histogram(after, name)
    deltas = sorted((le, end.get(le, 0.0) - start.get(le, 0.0)) for le in end)
    total = deltas[-1][1] if deltas else 0.0
    if total <= 0:
        return float("nan"), float("nan")
    p99 = next(le for le, count in deltas if count >= 0.99 * total)
    below = [le for le, count in deltas if count < total]
    worst = deltas[len(below)][0] if len(below) < len(deltas) else float("inf")
    return p99 * 1000, worst * 1000


def statuses_ok(answers: list[_load.Answer]) -> int:
    return sum(1 for a in answers if not 200 <= a.status < 300)


def paced_phase(
    report: Report,
    console: Console,
    key: KeyPair,
    scripts: list[Script],
    rate: float,
    seconds: float,
    rng: random.Random,
) -> None:
    label = f"{int(rate)}/s with {len(scripts)} live"
    bodies = traffic_on(scripts, int(rate * seconds), rng)
    before = console.metrics()
    answers = _load.send(console.ready["url"], bodies, key, connections=CONNECTIONS, rate=rate)
    settle_until(console, len(bodies))
    after = console.metrics()
    latency = summary_ms([a.seconds for a in answers])
    report.add(f"{label}: time to 2xx p50", latency["p50_ms"], "ms")
    report.add(f"{label}: time to 2xx p99", latency["p99_ms"], "ms")
    report.add(f"{label}: time to 2xx max", latency["max_ms"], "ms")
    report.add(f"{label}: non-2xx answers", statuses_ok(answers))
    report.add(f"{label}: over the 2 s deadline", sum(a.seconds > 2 for a in answers))
    folds = console.folds()
    delays = [
        folds[event_id(bodies[a.index])] - a.answered
        for a in answers
        if event_id(bodies[a.index]) in folds
    ]
    report.add(f"{label}: events in the store", f"{len(delays)}/{len(bodies)}")
    report.add(f"{label}: 2xx -> in the store p99", percentile(delays, 99) * 1000, "ms")
    p99, worst = lag_figures(before, after)
    report.add(f"{label}: GUI loop lag p99 (bucket)", p99, "ms")
    report.add(f"{label}: GUI loop lag worst (bucket)", worst, "ms")


def settle_until(console: Console, _count: int, within: float = 120.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if console.ask("stats", "stats")["pending"] == 0:
            return
        time.sleep(0.2)


def write_finished_calls(home: Path, calls: int, rng: random.Random) -> int:
    """Journal ``calls`` finished calls (with recordings) received days ago; returns rows."""
    from console.events.journal import Journal, journal_row
    from console.events.models import parse_envelope

    journal_dir = home / "data"
    journal_dir.mkdir(parents=True, exist_ok=True)
    start = datetime.now(UTC) - timedelta(days=3)
    rows = []
    for n in range(calls):
        script = call_lifecycle(n, rng, start + timedelta(seconds=20 * n))
        for body in script.events:
            raw = encode(body)
            received = start.timestamp() + 20 * n
            rows.append(journal_row(parse_envelope(raw), raw, received))
    with Journal(journal_dir / "events.sqlite3", synchronous="NORMAL") as journal:
        for at in range(0, len(rows), 5000):
            journal.append_rows(rows[at : at + 5000])
    return len(rows)


def wait_for_history(console: Console, home: Path, rows: int, within: float = 300.0) -> float:
    """Seconds until the history recorder has folded the whole journal."""
    from console.db import connect
    from console.history.table import HistoryTable

    began = time.monotonic()
    while time.monotonic() - began < within:
        with contextlib.suppress(Exception):
            conn = connect(home / "data" / "console.sqlite3")
            try:
                if HistoryTable(conn).folded_through() >= rows:
                    return time.monotonic() - began
            finally:
                conn.close()
        time.sleep(0.25)
    return float("nan")


def history_search(report: Report, calls: int, rng: random.Random) -> None:
    from console.db import connect
    from console.history.entry import CallHistoryEntry
    from console.history.table import HistoryTable

    with tempfile.TemporaryDirectory() as folder:
        conn = connect(Path(folder) / "console.sqlite3")
        table = HistoryTable(conn)
        start = datetime(2026, 1, 1, tzinfo=UTC)
        batch = []
        for n in range(calls):
            began = start + timedelta(seconds=37 * n)
            batch.append(
                (
                    CallHistoryEntry(
                        call_control_id=f"v3:hist-{n:07d}",
                        call_leg_id=f"leg-{n}",
                        call_session_id=f"session-{n}",
                        direction="incoming",
                        from_number=f"+1{rng.choice(AREAS)}{rng.randrange(10**7):07d}",
                        to_number="+13125550199",
                        caller_name=rng.choice(
                            ["Ada Lovelace", "Alan Turing", "Grace Hopper", None]
                        ),
                        started_at=began,
                        answered_at=began + timedelta(seconds=4),
                        ended_at=began + timedelta(seconds=90),
                        hangup_cause="normal_clearing",
                    ),
                    n,
                )
            )
            if len(batch) == 5000:
                table.upsert(batch)
                batch = []
        table.upsert(batch)
        for label, text in (
            ("digits", "5550"),
            ("name", "Hopper"),
            ("call id", f"v3:hist-{calls // 2:07d}"),
            ("no match", "9999999"),
        ):
            timings = []
            for _ in range(5):
                began = time.perf_counter()
                table.page(text, limit=200)
                timings.append(time.perf_counter() - began)
            report.add(
                f"history search over {calls:,} calls ({label}) p50",
                percentile(timings, 50) * 1000,
                "ms",
            )
        conn.close()


def main() -> None:
    args = parse_args(
        __doc__.splitlines()[0],
        [
            ("--live", {"type": int, "default": 5000, "help": "live calls for the paced phases"}),
            ("--seconds", {"type": float, "default": 10.0, "help": "length of each paced phase"}),
            ("--history", {"type": int, "default": 10000, "help": "finished calls at start-up"}),
        ],
    )
    quick = args.quick
    live = 200 if quick else args.live
    seconds = 2.0 if quick else args.seconds
    finished = 300 if quick else args.history
    burst = 300 if quick else 3000
    search_rows = 5000 if quick else 100_000
    rates = (100.0,) if quick else (500.0, 1000.0)
    rng = random.Random(args.seed)
    key = KeyPair.generate()
    report = Report(
        "app_as_wired",
        {"quick": quick, "connections": CONNECTIONS, "live_calls": live, "paced_secs": seconds},
    )
    start = datetime.now(UTC)

    compile_console()  # the bytecode a user's console runs from
    with tempfile.TemporaryDirectory(prefix="app-as-wired-") as folder:
        home = Path(folder) / "home"
        console = Console(home, key, free_port())
        ready = console.start()
        report.add("window shown after start (empty data dir)", ready["shown_after"] * 1000, "ms")
        try:
            # 1. Throughput, unpaced, the same kind of load to each receiver.
            bodies = lifecycles(burst // 9, rng, start)
            cpu_before = console.cpu_seconds()
            app_answers, sender_cpu = _load.send_measured(ready["url"], bodies, key)
            app = throughput(app_answers)
            settle_until(console, len(bodies))  # the window's share includes folding them
            cpu_after = console.cpu_seconds()
            with reference("null", key) as url:
                null = throughput(_load.send(url, lifecycles(burst // 9, rng, start), key))
            with reference("flask", key) as url:
                flask_answers = _load.send(url, lifecycles(burst // 9, rng, start), key)
                flask = throughput(flask_answers)
            with reference("ingest", key) as url:
                alone = throughput(_load.send(url, lifecycles(burst // 9, rng, start), key))
            report.add("throughput: the app (signed, journalled, window up)", app, "req/s")
            report.add("throughput: do-nothing aiohttp", null, "req/s")
            report.add("throughput: Flask + Telnyx SDK unwrap", flask, "req/s")
            report.add("throughput: Flask + SDK non-2xx", statuses_ok(flask_answers))
            report.add("throughput: the ingest component alone (no window)", alone, "req/s")
            report.add("ratio: app / do-nothing aiohttp", app / null if null else float("nan"), "x")
            report.add("ratio: app / Flask + SDK", app / flask if flask else float("nan"), "x")
            report.add(
                "ratio: ingest alone / do-nothing aiohttp",
                alone / null if null else float("nan"),
                "x",
            )
            for part, label in (("ingest", "ingest process"), ("window", "window process")):
                if part in cpu_after:
                    used = cpu_after[part] - cpu_before[part]
                    report.add(f"burst: CPU per delivery, {label}", used / len(bodies) * 1e6, "us")
            report.add(
                "burst: CPU per delivery, load generator", sender_cpu / len(bodies) * 1e6, "us"
            )

            # 2. Paced load with live calls.
            live_bodies, scripts = live_calls(live, rng, start)
            _load.send(ready["url"], live_bodies, key)
            settle_until(console, len(live_bodies))
            stats = console.ask("stats", "stats")
            report.add("live calls in the store", stats["live"])
            for rate in rates:
                paced_phase(report, console, key, scripts, rate, seconds, rng)
            caller = scripts[len(scripts) // 2].caller
            found = console.ask(f"search {caller}", "searched")
            report.add(
                "Ctrl+F search for one caller: results", found["search_seconds"] * 1000, "ms"
            )
            report.add("Ctrl+F search: live calls found", found["live_found"])
            report.add("Ctrl+F search: select the call", found["select_seconds"] * 1000, "ms")
            report.add("calls table: scroll to the end", found["scroll_seconds"] * 1000, "ms")
            report.add(
                "console RSS with live calls", console.ask("stats", "stats")["rss"] / 2**20, "MB"
            )
        finally:
            console.stop()

        # 3. Start-up with history in the data dir.
        home = Path(folder) / "history-home"
        rows = write_finished_calls(home, finished, rng)
        console = Console(home, key, free_port())
        try:
            first = console.start()
            report.add(
                f"{finished:,} finished calls: window shown, first start",
                first["shown_after"] * 1000,
                "ms",
            )
            report.add(f"{finished:,} finished calls: RSS, first start", first["rss"] / 2**20, "MB")
            folded = wait_for_history(console, home, rows)
            report.add(
                f"{finished:,} finished calls: history folded in the background", folded, "s"
            )
        finally:
            console.stop()
        console = Console(home, key, free_port())
        try:
            again = console.start()
            report.add(
                f"{finished:,} finished calls: window shown, next start",
                again["shown_after"] * 1000,
                "ms",
            )
            report.add(f"{finished:,} finished calls: RSS, next start", again["rss"] / 2**20, "MB")
        finally:
            console.stop()
        data = home / "data"
        journal_bytes = sum(p.stat().st_size for p in data.glob("events.sqlite3*"))
        db_bytes = sum(p.stat().st_size for p in data.glob("console.sqlite3*"))
        report.add(
            "journal bytes per finished call (9 webhooks, 2 legs)", journal_bytes / finished, "B"
        )
        report.add("history + checkpoint bytes per finished call", db_bytes / finished, "B")

    # 4. History search.
    history_search(report, search_rows, rng)
    report.print(args.json)


if __name__ == "__main__":
    main()
