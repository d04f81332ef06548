"""The window's event-loop lag probe: a 5 ms timer that reports how late it fires.

A busy GUI thread (a long fold, a slow paint, a blocking call) shows here first, as lateness
of a timer that should fire every 5 ms; the figures go to the session's metrics
(``telnyx_console_gui_loop_lag_seconds`` on ``/metrics``), where IT and the benchmarks read them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer

INTERVAL_MS = 5


class LagProbe(QObject):
    """Observes how late each tick of a precise 5 ms timer is."""

    def __init__(self, observe: Callable[[float], None], parent: QObject | None = None):
        super().__init__(parent)
        self._observe = observe
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.worst = 0.0  # the longest lateness seen (for a status line or a test)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        late = max(0.0, now - self._last - INTERVAL_MS / 1000)
        self._last = now
        self.worst = max(self.worst, late)
        self._observe(late)
