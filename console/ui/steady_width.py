"""A label that widens at once but narrows only after its text has stayed shorter a while.

The status bar's labels are packed to the right: when one changes width, every label to its
left moves. The last-event label's text changes length with each batch of webhooks (a delay,
retries, "catching up"), so under traffic the whole row jiggled several times a second and
re-laid out the status bar each time. Held at its widest recent width, it moves at most once
per ``hold_secs``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtWidgets import QLabel

HOLD_SECS = 10.0


class SteadyWidth:
    """Call :meth:`update` after each ``setText`` of ``label`` (and on a regular tick)."""

    def __init__(
        self,
        label: QLabel,
        hold_secs: float = HOLD_SECS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.label = label
        self.hold_secs = hold_secs
        self._clock = clock
        self.width = 0
        self._held_since = clock()

    def wanted_width(self) -> int:
        """The width the label's one line of text needs (its size hint would include the
        minimum width set here)."""
        label = self.label
        margins = label.contentsMargins()
        text = label.fontMetrics().horizontalAdvance(label.text())
        return text + margins.left() + margins.right() + 2 * label.margin() + 2

    def update(self) -> None:
        wanted = self.wanted_width()
        now = self._clock()
        if wanted >= self.width:
            self._held_since = now
        elif now - self._held_since < self.hold_secs:
            return  # shorter for now: keep the room, nothing moves
        if wanted != self.width:
            self.width = wanted
            self.label.setMinimumWidth(wanted)
        self._held_since = now
