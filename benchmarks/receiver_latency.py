"""Webhook receiver: requests/s and response latency with signatures, journal (FULL) and store."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (
    T0,
    Report,
    call_lifecycle,
    encode,
    interleave,
    parse_args,
    percentile,
    sizes,
    summary_ms,
)
from console.events.journal import Journal
from console.events.models import Envelope, parse_envelope
from console.events.receiver import ReceivedEvent, WebhookReceiver
from console.events.signature import KeyPair, load_verify_key, sign, verify
from console.state.store import Store

DEADLINE_S = 2.0  # Telnyx gives up on an answer after 2 s and retries


class TimedJournal:
    """The real journal, with the time of each append recorded (what the receiver awaits)."""

    def __init__(self, journal: Journal):
        self.journal = journal
        self.times: list[float] = []

    async def commit(self, envelope: Envelope, raw: str, received_at: float) -> int | None:
        start = time.perf_counter()
        try:
            return await self.journal.commit(envelope, raw, received_at)
        finally:
            self.times.append(time.perf_counter() - start)


def deliveries(count: int, dup_share: float, rng: random.Random) -> tuple[list[bytes], int]:
    """``count`` bodies from interleaved call lifecycles; a share are redeliveries (attempt 2).

    A redelivery comes a little after its original, as a Telnyx retry would.
    """
    duplicates = round(count * dup_share)
    originals = count - duplicates
    calls = -(-originals // 9)
    per_call = [call_lifecycle(i, rng, T0).events for i in range(calls)]
    stream = interleave(per_call, rng)[:originals]
    keyed: list[tuple[float, bytes]] = [(float(i), encode(b)) for i, b in enumerate(stream)]
    for _ in range(duplicates):
        i = rng.randrange(originals)
        retry = json.loads(json.dumps(stream[i]))
        retry["meta"]["attempt"] = 2
        keyed.append((i + rng.uniform(1, 40), encode(retry)))
    keyed.sort(key=lambda pair: pair[0])
    return [body for _key, body in keyed], duplicates


# --- the client, in its own process so it does not share the receiver's core -------------


def _client_main(conn, url: str, private_key: str, bodies: list[bytes], concurrency: int) -> None:
    conn.send(asyncio.run(_client(url, private_key, bodies, concurrency)))
    conn.close()


async def _client(url: str, private_key: str, bodies: list[bytes], concurrency: int) -> dict:
    import aiohttp

    key = KeyPair(private_key, "").signing_key()
    results: list[tuple[float, int, bool]] = [(0.0, 0, False)] * len(bodies)
    next_index = iter(range(len(bodies)))
    connector = aiohttp.TCPConnector(limit=concurrency)
    health = url.rsplit("/webhooks", 1)[0] + "/healthz"

    async def worker(session: aiohttp.ClientSession) -> None:
        for i in next_index:
            body = bodies[i]
            headers = {"Content-Type": "application/json", **sign(body, key)}
            start = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as response:
                answer = await response.read()
            results[i] = (
                time.perf_counter() - start,
                response.status,
                b'"duplicate"' in answer,
            )

    async with aiohttp.ClientSession(connector=connector) as session:
        # Open the K connections first: connection set-up is not what a delivery costs.
        await asyncio.gather(*(session.get(health) for _ in range(concurrency)))
        start = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        wall = time.perf_counter() - start
    return {"wall": wall, "results": results}


# --- the receiver side ------------------------------------------------------------------


async def run_round(
    bodies: list[bytes], concurrency: int, keypair: KeyPair, tmp: Path, use_store: bool
) -> dict[str, Any]:
    journal = TimedJournal(Journal(tmp / f"journal-{concurrency}.sqlite3"))
    store = Store()
    apply_times: list[float] = []

    def on_event(envelope: Envelope, _received: ReceivedEvent) -> None:
        # The app applies each event to the store on the same loop; it competes for the core.
        if use_store:
            start = time.perf_counter()
            store.apply(envelope)
            apply_times.append(time.perf_counter() - start)

    receiver = WebhookReceiver(journal, on_event, public_key=keypair.public_key_b64, port=0)
    url = await receiver.start()
    try:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe(duplex=False)
        process = ctx.Process(
            target=_client_main,
            args=(child, url, keypair.private_key_b64, bodies, concurrency),
            daemon=True,
        )
        process.start()
        child.close()
        outcome = await asyncio.to_thread(parent.recv)
        await asyncio.to_thread(process.join, 10)
        await asyncio.sleep(0)  # let the last call_soon dispatches run
    finally:
        await receiver.stop()
        journal.journal.close()
    return {
        "wall": outcome["wall"],
        "results": outcome["results"],
        "stats": receiver.stats,
        "journal_times": journal.times,
        "apply_times": apply_times,
    }


def add_round(report: Report, k: int, round_: dict[str, Any], expected_dups: int) -> None:
    results = round_["results"]
    latencies = [r[0] for r in results]
    new = [r[0] for r in results if not r[2]]
    dups = [r[0] for r in results if r[2]]
    bad = sum(1 for r in results if not 200 <= r[1] < 300)
    stats = round_["stats"]
    label = f"K={k}"
    report.add(f"{label}: throughput", len(results) / round_["wall"], "req/s")
    for name, value in summary_ms(latencies).items():
        report.add(f"{label}: latency {name.removesuffix('_ms')}", value, "ms")
    report.add(f"{label}: latency p99 new / duplicate", f"{_ms(new)} / {_ms(dups)}", "ms")
    report.add(f"{label}: over the 2 s deadline", sum(t > DEADLINE_S for t in latencies), "")
    report.add(f"{label}: non-2xx answers", bad, "")
    report.add(
        f"{label}: accepted / duplicates (expected dups)",
        f"{stats.accepted} / {stats.duplicates} ({expected_dups})",
        "",
    )
    journal = summary_ms(round_["journal_times"])
    report.add(f"{label}: journal append p50/p99 under load", _pair(journal), "ms")
    if round_["apply_times"]:
        applied = round_["apply_times"]
        report.add(
            f"{label}: store.apply p50/p99 (on_event)",
            f"{percentile(applied, 50) * 1e3:.3f} / {percentile(applied, 99) * 1e3:.3f}",
            "ms",
        )


def _ms(values: list[float]) -> str:
    return f"{percentile(values, 99) * 1000:.2f}" if values else "n/a"


def _pair(summary: dict[str, float]) -> str:
    return f"{summary['p50_ms']:.3f} / {summary['p99_ms']:.3f}"


def journal_alone(report: Report, bodies: list[bytes], tmp: Path) -> None:
    """Journal.append on its own (no HTTP): FULL as shipped, NORMAL for comparison."""
    texts = [b.decode() for b in bodies if b'"attempt":1,' in b]  # new events only
    envelopes = [parse_envelope(t) for t in texts]
    for mode in ("FULL", "NORMAL"):
        times = []
        with Journal(tmp / f"alone-{mode}.sqlite3", synchronous=mode) as journal:
            for envelope, text in zip(envelopes, texts, strict=True):
                start = time.perf_counter()
                journal.append(envelope, text, time.time())
                times.append(time.perf_counter() - start)
        summary = summary_ms(times)
        report.add(f"journal alone ({mode}): append p50", summary["p50_ms"], "ms")
        report.add(f"journal alone ({mode}): append p99", summary["p99_ms"], "ms")
        report.add(f"journal alone ({mode}): appends/s", len(times) / sum(times), "appends/s")


def stage_costs(report: Report, bodies: list[bytes], keypair: KeyPair) -> None:
    """What one delivery costs the receiver's loop before the journal: verify, then parse."""
    key = load_verify_key(keypair.public_key_b64)
    signed = [(body, sign(body, keypair)) for body in bodies]
    start = time.perf_counter()
    for body, headers in signed:
        verify(body, headers, key)
    report.add("stage: Ed25519 verify", (time.perf_counter() - start) / len(signed) * 1e6, "µs")
    start = time.perf_counter()
    for body in bodies:
        parse_envelope(json.loads(body.decode("utf-8")))
    report.add(
        "stage: json + parse_envelope", (time.perf_counter() - start) / len(bodies) * 1e6, "µs"
    )


def main() -> None:
    args = parse_args(
        __doc__ or "",
        [
            ("--requests", {"type": int, "help": "deliveries per round (default 3000)"}),
            ("--concurrency", {"default": None, "help": "comma-separated K (default 1,8,32)"}),
            ("--dup-share", {"type": float, "default": 0.1, "help": "share of redeliveries"}),
            ("--no-store", {"action": "store_true", "help": "on_event does nothing"}),
        ],
    )
    count = args.requests or (200 if args.quick else 3000)
    levels = [int(k) for k in (args.concurrency or ("8" if args.quick else "1,8,32")).split(",")]
    rng = random.Random(args.seed)
    bodies, expected_dups = deliveries(count, args.dup_share, rng)
    smallest, largest, mean = sizes(bodies)
    report = Report(
        "receiver_latency",
        {
            "requests": count,
            "concurrency": ",".join(map(str, levels)),
            "dup_share": args.dup_share,
            "store": not args.no_store,
            "quick": args.quick,
        },
    )
    report.add("body size min / mean / max", f"{smallest} / {mean:.0f} / {largest}", "B")
    keypair = KeyPair.generate()
    with tempfile.TemporaryDirectory(prefix="bench-receiver-") as name:
        tmp = Path(name)
        for k in levels:
            round_ = asyncio.run(run_round(bodies, k, keypair, tmp, not args.no_store))
            add_round(report, k, round_, expected_dups)
        sample = bodies[: 300 if args.quick else 2000]
        stage_costs(report, sample, keypair)
        journal_alone(report, sample, tmp)
    report.print(args.json)


if __name__ == "__main__":
    main()
