"""The session's listener lists: who hears events, rejections, health and history rows.

``Listeners`` keeps the callbacks of one kind; ``add`` returns the function that removes the
callback again (the window calls them when it closes). ``fire`` calls each in turn: one that
raises is logged and the others still hear it, so a broken view never stops the webhook
pipeline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("console.session")

Listener = Callable[..., None]


class Listeners:
    def __init__(self) -> None:
        self._callbacks: list[Listener] = []

    def add(self, callback: Listener) -> Callable[[], None]:
        self._callbacks.append(callback)

        def remove() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return remove

    def fire(self, *args: Any) -> None:
        for listener in list(self._callbacks):
            try:
                listener(*args)
            except Exception:
                # A broken view must not stop the others, nor the webhook pipeline.
                log.exception("session listener %r failed", listener)
