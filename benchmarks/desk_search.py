"""The desk's searches on a large database: 100,000 calls, 10,000 contacts, 20,000 wrap-ups.

Builds a real console database in a temporary folder (history rows through ``HistoryTable``,
contacts through ``ContactBook.add_many``, wrap-ups through ``WrapUps``), then times what an
operator's keystrokes and a ringing call cost: the one search box (``Desk.search``) for a note
fragment, a disposition, a contact name, part of a number, a 2-character text and a text found
nowhere; the caller context of a frequent caller; the transfer directory's filter; a contact
lookup by number. The target is < 100 ms for a search; figures are printed, never asserted.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import Report, parse_args, summary_ms
from console.desk import Desk, make_contact
from console.history import CallHistoryEntry

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
WORDS = [
    "invoice",
    "refund",
    "router",
    "modem",
    "password",
    "delivery",
    "appointment",
    "complaint",
    "upgrade",
    "billing",
    "cancel",
    "contract",
    "outage",
    "signal",
    "roaming",
    "voicemail",
    "porting",
    "address",
    "warranty",
    "replacement",
]
FIRST = [
    "Pat",
    "Sam",
    "Alex",
    "Jo",
    "Kim",
    "Lee",
    "Max",
    "Ana",
    "Ivo",
    "Noor",
    "Ravi",
    "Mia",
    "Tom",
    "Zoe",
    "Eli",
    "Ada",
]
LAST = [
    "Lee",
    "Roe",
    "Day",
    "Byron",
    "Novak",
    "Silva",
    "Chen",
    "Okafor",
    "Berg",
    "Costa",
    "Haddad",
    "Ito",
    "Moreau",
    "Park",
]
ORGS = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark",
    "Wayne",
    "Wonka",
    "Tyrell",
    "Cyberdyne",
]


def number(i: int) -> str:
    return f"+1{212 + i % 700:03d}555{i % 10000:04d}"


def build(desk: Desk, calls: int, contacts: int, wrapups: int, rng: random.Random) -> dict:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    entries = []
    callers = max(1, calls // 8)  # a caller calls about eight times over the history
    for i in range(calls):
        began = NOW - timedelta(minutes=3 * (calls - i))
        caller = number(rng.randrange(callers))
        incoming = rng.random() < 0.8
        entries.append(
            (
                CallHistoryEntry(
                    call_control_id=f"v3:bench-{i:07d}",
                    call_leg_id=f"leg-{i:07d}",
                    call_session_id=f"session-{i:07d}",
                    direction="incoming" if incoming else "outgoing",
                    from_number=caller if incoming else "+13125550199",
                    to_number="+13125550199" if incoming else caller,
                    caller_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}" if incoming else None,
                    started_at=began,
                    answered_at=began + timedelta(seconds=4),
                    ended_at=began + timedelta(seconds=rng.randint(20, 600)),
                    hangup_cause="normal_clearing",
                ),
                i,
            )
        )
    desk.history.upsert(entries)  # the writer the history recorder uses, one transaction
    timings["history (one upsert)"] = time.perf_counter() - start

    start = time.perf_counter()
    cards = [
        make_contact(
            f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
            [number(i), number(i + 50_000)] if i % 5 == 0 else [number(i)],
            organisation=rng.choice(ORGS) if i % 3 else "",
            notes=" ".join(rng.sample(WORDS, 3)) if i % 4 == 0 else "",
            tags=rng.choice(["vip", "billing", "", ""]),
        )
        for i in range(contacts)
    ]
    desk.contacts.add_many(cards)
    timings["contacts"] = time.perf_counter() - start

    start = time.perf_counter()
    names = desk.dispositions.names()
    for i in rng.sample(range(calls), min(wrapups, calls)):
        entry = entries[i][0]
        desk.complete_wrap_up(
            entry,
            rng.choice(names),
            f"Caller asked about {rng.choice(WORDS)} and {rng.choice(WORDS)} #{i}",
            rng.choice(["", "vip", "billing hardware"]),
        )
    timings["wrapups"] = time.perf_counter() - start
    return timings


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _ended(i: int) -> CallHistoryEntry:
    return CallHistoryEntry(
        call_control_id=f"v3:extra-{i}",
        direction="incoming",
        from_number=number(i),
        to_number="+13125550199",
        started_at=NOW,
        ended_at=NOW + timedelta(seconds=30),
    )


def main() -> None:
    args = parse_args(
        __doc__.splitlines()[0],
        [
            ("--calls", {"type": int, "default": 100_000}),
            ("--contacts", {"type": int, "default": 10_000}),
            ("--wrapups", {"type": int, "default": 20_000}),
            ("--repeat", {"type": int, "default": 30}),
        ],
    )
    if args.quick:
        args.calls, args.contacts, args.wrapups, args.repeat = 5000, 500, 1000, 5
    rng = random.Random(args.seed)
    report = Report(
        "desk_search",
        {"calls": args.calls, "contacts": args.contacts, "wrapups": args.wrapups},
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "console.sqlite3"
        desk = Desk.open(path, default_country="US", clock=lambda: NOW.timestamp())
        built = build(desk, args.calls, args.contacts, args.wrapups, rng)
        for part, secs in built.items():
            report.add(f"build: {part}", secs, "s")
        report.add("database size", path.stat().st_size / 1e6, "MB")

        frequent = number(3)
        queries = {
            "search note fragment": "about refund",
            "search disposition": "Escalated",
            "search contact name": "Novak",
            "search organisation": "Initech",
            "search part of a number": "555 0042",
            "search 2 characters": "Jo",
            "search found nowhere": "zzqxv",
            "search a call id": "v3:bench-0004242",
        }
        for label, text in queries.items():
            found = desk.search(text)
            samples = timed(lambda t=text: desk.search(t), args.repeat)
            stats = summary_ms(samples)
            report.add(f"{label}: p50", stats["p50_ms"], "ms")
            report.add(f"{label}: max", stats["max_ms"], "ms")
            report.add(f"{label}: hits", len(found.calls) + len(found.contacts))
        # The history panel's own search box (a page of 200, notes and dispositions included).
        for label, text in (("note", "about refund"), ("number", "555 0042")):
            page = timed(lambda t=text: desk.history_page(t), args.repeat)
            report.add(f"history panel page by {label}: p50", summary_ms(page)["p50_ms"], "ms")
        context = timed(lambda: desk.caller_context(frequent, now=NOW), args.repeat)
        report.add("caller context: p50", summary_ms(context)["p50_ms"], "ms")
        report.add("caller context: max", summary_ms(context)["max_ms"], "ms")
        directory = timed(lambda: desk.directory.entries("ko"), args.repeat)
        report.add("directory filter 'ko': p50", summary_ms(directory)["p50_ms"], "ms")
        directory = timed(lambda: desk.directory.entries("glob"), args.repeat)
        report.add("directory filter 'glob': p50", summary_ms(directory)["p50_ms"], "ms")
        lookup = timed(lambda: desk.name_for(frequent), args.repeat * 10)
        report.add("contact by number (ringing call): p50", summary_ms(lookup)["p50_ms"], "ms")
        notes = timed(
            lambda: desk.wrapups.save_notes("v3:bench-0000007", f"typing {time.time()}"),
            args.repeat,
        )
        report.add("save notes while typing: p50", summary_ms(notes)["p50_ms"], "ms")
        extra = iter(range(10**7, 10**8))
        one = timed(
            lambda: desk.history.upsert([(_ended(next(extra)), None)]), max(3, args.repeat // 5)
        )
        report.add("HistoryTable.upsert, one ended call: p50", summary_ms(one)["p50_ms"], "ms")
        desk.close()
    report.print(args.json)


if __name__ == "__main__":
    main()
