"""Who hears of the store's changes: listeners called with every non-empty ``Changes``."""

from __future__ import annotations

import logging
from collections.abc import Callable

from console.state.changes import ChangeListener, Changes

# The line is about the store's listeners: it keeps the store's logger, where operators and
# the tests look for it.
log = logging.getLogger("console.state.store")


class ChangePublisher:
    """The store's listeners, called in the order they subscribed."""

    def __init__(self) -> None:
        self._listeners: list[ChangeListener] = []

    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Call ``listener`` with every non-empty Changes; returns a function that unsubscribes."""
        if listener not in self._listeners:
            self._listeners.append(listener)
        return lambda: self.unsubscribe(listener)

    def unsubscribe(self, listener: ChangeListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def publish(self, changes: Changes) -> Changes:
        """Tell every listener of ``changes`` (if there are any); return them."""
        if changes:
            for listener in list(self._listeners):
                try:
                    listener(changes)
                except Exception:
                    # One broken view must not stop the others (or the webhook pipeline).
                    log.exception("store listener %r failed", listener)
        return changes
