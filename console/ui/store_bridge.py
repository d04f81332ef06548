"""Subscribes to the store once and hands coalesced Changes to the Qt models."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from console.state.changes import Changes


class StoreBridge(QObject):
    """Merges the store's change notifications and emits them at most every ``delay_ms``.

    A burst of webhooks (a resync, a conference of 50) becomes one model update, so the views
    repaint once instead of per event. Under sustained traffic (a change arriving within
    ``busy_delay_ms`` of the last flush) the flushes are spaced ``busy_delay_ms`` apart: each
    flush costs a repaint of the visible rows and the workflow's look at what changed, whatever
    its size, so fewer, larger flushes leave the CPU to the webhooks. The first change after a
    quiet spell still shows within ``delay_ms``.
    """

    changes_ready = Signal(object)  # Changes

    def __init__(
        self,
        store,
        delay_ms: int = 20,
        parent: QObject | None = None,
        *,
        busy_delay_ms: int | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self._pending = Changes()
        self._delay_ms = int(delay_ms)
        self._busy_delay_ms = max(self._delay_ms, int(busy_delay_ms or delay_ms))
        self._last_flush = float("-inf")  # time.monotonic() of the last emitted flush
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        store.subscribe(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        # Called synchronously from store.apply(); copy, because the store may reuse its object.
        self._pending.merge(changes)
        if not self._timer.isActive():
            busy = time.monotonic() - self._last_flush < self._busy_delay_ms / 1000
            self._timer.start(self._busy_delay_ms if busy else self._delay_ms)

    def flush(self) -> None:
        self._timer.stop()
        if not self._pending:
            return
        changes, self._pending = self._pending, Changes()
        self._last_flush = time.monotonic()
        self.changes_ready.emit(changes)

    def close(self) -> None:
        self._timer.stop()
        self.store.unsubscribe(self._on_changes)
