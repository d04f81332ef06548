"""The store bridge's pacing: a change after a quiet spell shows within the short delay, changes
under sustained traffic are merged over the longer one, and nothing is lost either way."""

from __future__ import annotations

import time

from console.state.changes import Changes
from console.ui.store_bridge import StoreBridge


class Store:
    """The part of the store the bridge uses: its change subscription."""

    def __init__(self) -> None:
        self.listeners: list = []

    def subscribe(self, listener) -> None:
        self.listeners.append(listener)

    def unsubscribe(self, listener) -> None:
        self.listeners.remove(listener)

    def change(self, call_id: str) -> None:
        changes = Changes()
        changes.calls.change(call_id)
        for listener in self.listeners:
            listener(changes)


def test_sustained_changes_flush_less_often_and_a_quiet_spell_flushes_soon(qtbot):
    store, flushed = Store(), []
    bridge = StoreBridge(store, 20, busy_delay_ms=400)
    bridge.changes_ready.connect(lambda changes: flushed.append(set(changes.calls.changed)))

    store.change("v3:first")  # after a quiet spell: the short delay
    assert bridge._timer.remainingTime() <= 20
    qtbot.waitUntil(lambda: len(flushed) == 1, timeout=2000)

    store.change("v3:second")  # right after a flush: busy, so the longer delay
    store.change("v3:third")
    assert bridge._timer.remainingTime() > 20
    qtbot.waitUntil(lambda: len(flushed) == 2, timeout=3000)
    assert flushed == [{"v3:first"}, {"v3:second", "v3:third"}]

    last_flush = time.monotonic()
    qtbot.waitUntil(lambda: time.monotonic() - last_flush > 0.45, timeout=2000)
    store.change("v3:later")  # quiet again
    assert bridge._timer.remainingTime() <= 20
    qtbot.waitUntil(lambda: len(flushed) == 3, timeout=2000)


def test_flush_now_delivers_what_is_pending_and_close_lets_go_of_the_store(qtbot):
    store, flushed = Store(), []
    bridge = StoreBridge(store, 5000, busy_delay_ms=5000)
    bridge.changes_ready.connect(lambda changes: flushed.append(set(changes.calls.changed)))
    store.change("v3:now")
    bridge.flush()
    assert flushed == [{"v3:now"}]
    bridge.flush()  # nothing pending: no empty update
    assert flushed == [{"v3:now"}]
    store.change("v3:never")
    bridge.close()
    assert not bridge._timer.isActive() and store.listeners == []
