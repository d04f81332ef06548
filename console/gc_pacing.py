"""When the window's process runs the collector's full passes: in a lull, not in a burst.

CPython's cycle collector walks every tracked object of the oldest generation on a full pass.
With 5,000 live calls that is ~170,000 objects and 100-200 ms during which the window does
nothing, and the passes come *because* of load: allocation is what triggers them. The young
generations stay automatic (they are cheap and catch almost every cycle); the oldest one is
collected here instead, when no event has been folded for ``quiet_secs`` (at most once per
``min_gap_secs``), and in any case after ``max_gap_secs`` so that a console busy for hours
still returns the memory of cycles that died old.

Qt-free: the app drives :meth:`GcPacer.tick` from its loop with a counter of work done.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable

log = logging.getLogger("console.gc")

#: A full pass then needs this many young (generation 1) passes first: in practice never, so
#: only the pacer starts them.
NO_AUTOMATIC_FULL_PASSES = 1_000_000


class GcPacer:
    """Decides, once per tick, whether now is the moment for a full collection."""

    def __init__(
        self,
        *,
        quiet_secs: float = 2.0,
        min_gap_secs: float = 60.0,
        max_gap_secs: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        collect: Callable[[], object] = gc.collect,
    ):
        self.quiet_secs = quiet_secs
        self.min_gap_secs = min_gap_secs
        self.max_gap_secs = max_gap_secs
        self._clock = clock
        self._collect = collect
        now = clock()
        self._last_full = now
        self._last_busy = now
        self._last_work: int | None = None
        self._saved_threshold: tuple[int, int, int] | None = None

    def take_over(self) -> None:
        """Stop the interpreter's own full passes (the young ones stay automatic)."""
        if self._saved_threshold is None:
            self._saved_threshold = gc.get_threshold()
            young, middle, _ = self._saved_threshold
            gc.set_threshold(young, middle, NO_AUTOMATIC_FULL_PASSES)

    def give_back(self) -> None:
        """The interpreter's thresholds as they were before :meth:`take_over`."""
        if self._saved_threshold is not None:
            gc.set_threshold(*self._saved_threshold)
            self._saved_threshold = None

    def tick(self, work_done: int) -> bool:
        """Note the work counter; run a full pass if it is due. True when one ran."""
        now = self._clock()
        if work_done != self._last_work:
            self._last_work = work_done
            self._last_busy = now
        since_full = now - self._last_full
        in_lull = now - self._last_busy >= self.quiet_secs and since_full >= self.min_gap_secs
        if not (in_lull or since_full >= self.max_gap_secs):
            return False
        started = time.perf_counter()
        self._collect()
        self._last_full = self._clock()
        log.debug("full collection in %.0f ms", (time.perf_counter() - started) * 1000)
        return True
