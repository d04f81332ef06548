"""Subscribes to the store once and hands coalesced Changes to the Qt models."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from console.state.changes import Changes


class StoreBridge(QObject):
    """Merges the store's change notifications and emits them at most every ``delay_ms``.

    A burst of webhooks (a resync, a conference of 50) becomes one model update, so the views
    repaint once instead of per event.
    """

    changes_ready = Signal(object)  # Changes

    def __init__(self, store, delay_ms: int = 20, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self._pending = Changes()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        store.subscribe(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        # Called synchronously from store.apply(); copy, because the store may reuse its object.
        self._pending.merge(changes)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if not self._pending:
            return
        changes, self._pending = self._pending, Changes()
        self.changes_ready.emit(changes)

    def close(self) -> None:
        self._timer.stop()
        self.store.unsubscribe(self._on_changes)
