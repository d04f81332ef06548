"""What the console process measures of itself, for ``/metrics`` (served by ingest).

The window's event loop lag (how late a 5 ms timer fires: the best single figure for "the
window froze"), the events committed but not yet folded, calls live and known, events folded,
and the process's resident memory. The session refreshes the gauges and hands the exposition
text to the ingest component about once a second; the lag probe itself lives in ``ui/``
(it is a Qt timer) and only calls :meth:`ConsoleMetrics.observe_loop_lag`.
"""

from __future__ import annotations

import os
import resource
import sys

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from console.ingest.config import PREFIX

#: Seconds late: from under a millisecond to a multi-second freeze.
LAG_BUCKETS = (0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0)


def resident_bytes() -> int:
    """The process's resident set size now (Linux), else its peak."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB else


class ConsoleMetrics:
    """The console process's registry (one per session, so tests can run several)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.loop_lag = Histogram(
            f"{PREFIX}_gui_loop_lag_seconds",
            "How late a 5 ms timer on the window's event loop fired.",
            buckets=LAG_BUCKETS,
            registry=self.registry,
        )
        self.events_pending = Gauge(
            f"{PREFIX}_events_pending_fold",
            "Events committed by the receiver and not yet folded into the console's state.",
            registry=self.registry,
        )
        self.events_folded = Counter(
            f"{PREFIX}_events_folded",
            "Events folded into the console's state since it started.",
            registry=self.registry,
        )
        self.calls_live = Gauge(
            f"{PREFIX}_calls_live", "Calls that are live now.", registry=self.registry
        )
        self.calls_known = Gauge(
            f"{PREFIX}_calls_known",
            "Calls the console holds in memory (live and recently ended).",
            registry=self.registry,
        )
        self.rss = Gauge(
            f"{PREFIX}_console_resident_memory_bytes",
            "Resident memory of the console process (the window's, not the receiver's).",
            registry=self.registry,
        )
        self._folded_reported = 0

    def observe_loop_lag(self, seconds: float) -> None:
        self.loop_lag.observe(max(0.0, seconds))

    def update(self, *, pending: int, folded: int, live: int, known: int) -> None:
        self.events_pending.set(pending)
        if folded > self._folded_reported:
            self.events_folded.inc(folded - self._folded_reported)
            self._folded_reported = folded
        self.calls_live.set(live)
        self.calls_known.set(known)
        self.rss.set(resident_bytes())

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
