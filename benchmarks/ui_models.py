"""Calls table model under load (offscreen Qt): GUI-thread time per event, rows touched, tick."""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QModelIndex
from PySide6.QtWidgets import QApplication, QTableView

from benchmarks._common import (
    CallScript,
    Report,
    interleave,
    live_call,
    parse_args,
    percentile,
)
from console.events.models import parse_envelope
from console.state.changes import Changes
from console.state.store import Store
from console.ui.calls_model import COL_DURATION, CallsModel
from console.ui.store_bridge import StoreBridge


class Counters:
    """What the model tells its views: resets, and rows touched by events or by the tick."""

    def __init__(self, model: CallsModel):
        self.resets = 0
        self.event_rows = 0
        self.tick_rows = 0
        self.inserted = 0
        self.removed = 0
        model.modelAboutToBeReset.connect(self._reset)
        model.dataChanged.connect(self._changed)
        model.rowsInserted.connect(self._inserted)
        model.rowsRemoved.connect(self._removed)

    def _reset(self) -> None:
        self.resets += 1

    def _changed(self, top: QModelIndex, bottom: QModelIndex, _roles: Any = None) -> None:
        rows = bottom.row() - top.row() + 1
        # The tick repaints only the duration column; event updates span the whole row.
        if top.column() == bottom.column() == COL_DURATION:
            self.tick_rows += rows
        else:
            self.event_rows += rows

    def _inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.inserted += last - first + 1

    def _removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.removed += last - first + 1


class TimedView(QTableView):
    """The table as the window shows it, with the time of each paint of its viewport."""

    def __init__(self) -> None:
        super().__init__()
        self.paints: list[float] = []

    def paintEvent(self, event: Any) -> None:
        start = time.perf_counter()
        super().paintEvent(event)
        self.paints.append(time.perf_counter() - start)


def _media_events(script: CallScript, seconds: float, rng: random.Random) -> None:
    # Events that change no row (DTMF, prompts): common in IVR traffic, and must stay cheap.
    leg = rng.choice("ab")
    script.event("call.dtmf.received", seconds, leg, digit=rng.choice("0123456789*#"))
    script.event("call.speak.started", seconds + 0.1, leg)
    script.event("call.speak.ended", seconds + 2.0, leg)


def build_traffic(
    live_rows: int, stream_events: int, rng: random.Random, now: datetime
) -> tuple[list[dict], list[dict]]:
    """500 live rows (bridged pairs) to start with, then a mixed stream of ``stream_events``.

    The stream keeps the number of live calls about level: new calls arrive (6 events each),
    as many old ones hang up (hangup x2 + recording.saved), and IVR media events come between.
    """
    pairs = live_rows // 2
    initial = [
        live_call(i, rng, now - timedelta(seconds=rng.uniform(20, 900))) for i in range(pairs)
    ]
    initial_events = interleave([s.events for s in initial], rng, concurrent=pairs)
    # Per "turnover" unit: one new call (6) + one old call ends (3) + media on another (3).
    units = max(1, stream_events // 12)
    per_call: list[list[dict]] = []
    for u in range(units):
        fresh = live_call(pairs + u, rng, now + timedelta(seconds=u * 0.05))
        per_call.append(fresh.events)
        ending = initial[u % pairs]
        ending.events = []
        at = (now - ending.start).total_seconds() + 1 + u * 0.05
        ending.hangup(at, "a", "caller")
        ending.hangup(at, "b", "unknown")
        ending.recording_saved(at + 0.2)
        per_call.append(ending.events)
        media = initial[(u + pairs // 2) % pairs]
        media.events = []
        _media_events(media, (now - media.start).total_seconds() + u * 0.05, rng)
        per_call.append(media.events)
    stream = interleave(per_call, rng, concurrent=30)[:stream_events]
    return initial_events, stream


def pump(app: QCoreApplication) -> float:
    """Run pending Qt events (timers, the bridge flush, repaints); return the time it took."""
    start = time.perf_counter()
    app.processEvents()
    return time.perf_counter() - start


def settle(app: QCoreApplication, bridge: StoreBridge, rounds: int = 3) -> None:
    bridge.flush()
    for _ in range(rounds):
        app.processEvents()


def main() -> None:
    args = parse_args(
        __doc__ or "",
        [
            ("--rows", {"type": int, "default": 500, "help": "live rows to start with"}),
            ("--rate", {"type": float, "default": 200.0, "help": "events per second"}),
            ("--seconds", {"type": float, "help": "stream duration (default 5, quick 1.5)"}),
            ("--no-view", {"action": "store_true", "help": "no QTableView attached"}),
        ],
    )
    seconds = args.seconds or (1.5 if args.quick else 5.0)
    total_events = int(args.rate * seconds)
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    initial_bodies, stream_bodies = build_traffic(args.rows, total_events, rng, now)
    initial = [parse_envelope(b) for b in initial_bodies]
    stream = [parse_envelope(b) for b in stream_bodies]

    app = QApplication.instance() or QApplication([])
    store = Store()
    bridge = StoreBridge(store)
    model = CallsModel(store)
    # The benchmark calls tick() itself once a second, to time it apart from event updates.
    ticker = getattr(model, "_ticker", None)
    if ticker is not None:
        ticker.stop()
    flush_times: list[float] = []
    flush_sizes: list[int] = []
    applied_since_flush = [0]

    def on_changes(changes: Changes) -> None:
        start = time.perf_counter()
        model.apply_changes(changes)
        flush_times.append(time.perf_counter() - start)
        flush_sizes.append(applied_since_flush[0])
        applied_since_flush[0] = 0

    bridge.changes_ready.connect(on_changes)
    view: TimedView | None = None
    if not args.no_view:
        view = TimedView()
        view.setModel(model)
        view.resize(1280, 800)
        view.show()
    report = Report(
        "ui_models",
        {
            "rows": args.rows,
            "rate": args.rate,
            "seconds": seconds,
            "view": view is not None,
            "platform": os.environ.get("QT_QPA_PLATFORM"),
            "quick": args.quick,
        },
    )

    start = time.perf_counter()
    for envelope in initial:
        store.apply(envelope)
    settle(app, bridge)
    report.add(f"initial load: {len(initial)} events -> rows", model.rowCount(), "rows")
    report.add("initial load: total", (time.perf_counter() - start) * 1000, "ms")
    flush_times.clear()
    flush_sizes.clear()
    applied_since_flush[0] = 0

    ticks = []
    tick_alone = []
    for _ in range(5 if args.quick else 20):
        t = time.perf_counter()
        model.tick()
        tick = time.perf_counter() - t
        tick_alone.append(tick)
        ticks.append(tick + pump(app))
    report.add(
        f"idle tick + repaint, {model.rowCount()} live rows (p50)",
        percentile(ticks, 50) * 1000,
        "ms",
    )
    report.add("idle tick alone, no repaint (p50)", percentile(tick_alone, 50) * 1000, "ms")

    counters = Counters(model)
    if view is not None:
        view.paints.clear()
    apply_times: list[float] = []
    per_event_flush: list[int] = []  # index of the flush that carried each event
    busy = 0.0
    stream_ticks: list[float] = []
    t0 = time.perf_counter()
    next_tick = t0 + 1.0
    for i, envelope in enumerate(stream):
        due = t0 + i / args.rate
        while (now_ := time.perf_counter()) < due:
            busy += pump(app)
            if now_ >= next_tick:
                t = time.perf_counter()
                model.tick()
                cost = time.perf_counter() - t + pump(app)
                stream_ticks.append(cost)
                busy += cost
                next_tick += 1.0
            remaining = due - time.perf_counter()
            if remaining > 0:
                time.sleep(min(remaining, 0.001))  # the rate asks for this idle time
        t = time.perf_counter()
        store.apply(envelope)
        elapsed = time.perf_counter() - t
        apply_times.append(elapsed)
        busy += elapsed
        applied_since_flush[0] += 1
        per_event_flush.append(len(flush_times))
    settle(app, bridge)
    wall = time.perf_counter() - t0
    resets_in_stream = counters.resets

    # GUI time of an event: its own apply plus its share of the flush that carried it.
    share = [
        flush_times[k] / flush_sizes[k] if k < len(flush_times) and flush_sizes[k] else 0.0
        for k in per_event_flush
    ]
    gui = [a + s for a, s in zip(apply_times, share, strict=True)]
    n = len(stream)
    report.add("stream: events", n, "")
    report.add("stream: achieved rate", n / wall, "events/s")
    report.add("stream: GUI time per event p50", percentile(gui, 50) * 1000, "ms")
    report.add("stream: GUI time per event p99", percentile(gui, 99) * 1000, "ms")
    report.add(
        "stream: store.apply p50 / p99",
        f"{percentile(apply_times, 50) * 1e3:.3f} / {percentile(apply_times, 99) * 1e3:.3f}",
        "ms",
    )
    report.add("stream: model flushes (bridge, 20 ms)", len(flush_times), "")
    report.add("stream: events per flush (mean)", n / max(1, len(flush_times)), "")
    report.add(
        "stream: apply_changes p50 / p99",
        f"{percentile(flush_times, 50) * 1e3:.3f} / {percentile(flush_times, 99) * 1e3:.3f}",
        "ms",
    )
    report.add("stream: GUI thread busy", busy / wall * 100, "% of wall")
    if view is not None:
        paints = view.paints
        report.add("stream: view paints", len(paints), "")
        report.add(
            "stream: paint p50 / p99",
            f"{percentile(paints, 50) * 1e3:.2f} / {percentile(paints, 99) * 1e3:.2f}",
            "ms",
        )
        report.add("stream: painting share of wall", sum(paints) / wall * 100, "%")
    report.add("stream: model resets", resets_in_stream, "(must be 0)")
    touched = counters.event_rows + counters.inserted + counters.removed
    report.add("stream: rows touched per event", touched / n, "rows")
    report.add("stream: rows inserted / removed", f"{counters.inserted} / {counters.removed}", "")
    report.add(
        f"stream: tick + repaint, ~{model.rowCount()} rows (max)",
        max(stream_ticks) * 1000 if stream_ticks else float("nan"),
        "ms",
    )
    report.add(
        "stream: rows in the tick's dataChanged",
        counters.tick_rows / max(1, len(stream_ticks)),
        "rows",
    )

    t = time.perf_counter()
    store.rebuild(initial + stream)
    settle(app, bridge)
    report.add("rebuild: time incl. model reload", (time.perf_counter() - t) * 1000, "ms")
    report.add("rebuild: model resets", counters.resets - resets_in_stream, "(expected 1)")
    if view is not None:
        view.close()
    bridge.close()
    report.print(args.json)


if __name__ == "__main__":
    main()
