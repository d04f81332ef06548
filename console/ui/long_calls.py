"""Which live calls have run past the alert age, kept by when each one gets there.

A long call's row is tinted (``call_cells.tint``), so the model repaints the whole row at the
moment a call turns long. Asking every row once a second whether that moment has come costs a
store lookup and a duration per row: with 5,000 live calls that tick was most of a 30 ms GUI
stall. Here each live call has its due time (answered, or else started, plus the alert age) in
a heap; the tick pops only the calls whose moment came. A change to a call (answered, ended)
re-times it when the model applies that change.

Qt-free: the model asks, and repaints what it is told.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from datetime import datetime

from console.state.entities import Call
from console.ui import formatting as fmt


class LongCalls:
    """The live calls past ``alert_after_secs``, and when the others will be."""

    def __init__(self, alert_after_secs: float, clock: Callable[[], datetime] = fmt.now):
        self.alert_after_secs = alert_after_secs
        self._clock = clock
        self.long: set[str] = set()
        self._due: dict[str, float] = {}  # ccid -> the POSIX time it turns long
        # (due, ccid); an entry whose due is no longer the call's is skipped when popped.
        self._heap: list[tuple[float, str]] = []

    def retime(self, alert_after_secs: float, calls: Iterable[Call]) -> set[str]:
        """A new alert age: start over with ``calls``; return the calls whose long-ness changed."""
        before = self.long
        self.alert_after_secs = alert_after_secs
        self.long, self._due, self._heap = set(), {}, []
        for call in calls:
            self.note(call)
        return before ^ self.long

    def note(self, call: Call) -> None:
        """A call with a row was added or changed: long now, or due later, or neither."""
        ccid = call.call_control_id
        due = self._due_of(call)
        if due is None or not call.is_live:
            self.forget(ccid)
            return
        if due <= self._clock().timestamp():
            self.long.add(ccid)
            self._due.pop(ccid, None)
            return
        self.long.discard(ccid)  # answered after ringing long: the clock starts again
        if self._due.get(ccid) != due:
            self._due[ccid] = due
            heapq.heappush(self._heap, (due, ccid))

    def forget(self, ccid: str) -> None:
        self.long.discard(ccid)
        self._due.pop(ccid, None)

    def turned_long(self, lookup: Callable[[str], Call | None]) -> list[str]:
        """The calls whose moment has come since the last ask (now long)."""
        now = self._clock().timestamp()
        turned = []
        while self._heap and self._heap[0][0] <= now:
            due, ccid = heapq.heappop(self._heap)
            if self._due.get(ccid) != due:
                continue  # re-timed or forgotten since
            del self._due[ccid]
            call = lookup(ccid)
            if call is not None and call.is_live:
                self.long.add(ccid)
                turned.append(ccid)
        return turned

    def _due_of(self, call: Call) -> float | None:
        start = fmt.as_aware(call.answered_at or call.started_at)
        return start.timestamp() + self.alert_after_secs if start is not None else None
