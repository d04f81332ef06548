"""Await a condition on the store, woken by its change notifications (never by polling)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, TypeVar, cast

from console.operations.errors import ConfirmationTimeout

T = TypeVar("T")


def _unsubscriber(store: Any, listener: Callable[..., None], handle: Any) -> Callable[[], None]:
    # Store.subscribe may hand back an unsubscribe callable or expose store.unsubscribe().
    if callable(handle):
        return cast(Callable[[], None], handle)
    unsubscribe = getattr(store, "unsubscribe", None)
    if unsubscribe is not None:
        return lambda: unsubscribe(listener)
    return lambda: None


async def wait_for(
    store: Any,
    condition: Callable[[], T | None],
    *,
    within: float,
    what: str,
) -> T:
    """Return ``condition()`` as soon as it is truthy, re-checked after every store change.

    ``condition`` runs synchronously inside the store's notification, so it must be cheap and
    must not raise. On ``within`` seconds without success :class:`ConfirmationTimeout` says
    ``what`` was not confirmed.
    """
    value = condition()
    if value:
        return value
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def listener(_changes: Any = None) -> None:
        if done.done():
            return
        try:
            result = condition()
        except Exception as exc:  # surfaced to the waiter, never into the store's notify loop
            done.set_exception(exc)
            return
        if result:
            done.set_result(result)

    unsubscribe = _unsubscriber(store, listener, store.subscribe(listener))
    try:
        listener()  # the state may have changed between the first check and subscribing
        async with asyncio.timeout(within):
            return await done
    except TimeoutError:
        raise ConfirmationTimeout(
            f"Telnyx has not confirmed that {what} (waited {within:g} s)."
        ) from None
    finally:
        unsubscribe()
        if not done.done():
            done.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            if done.done() and not done.cancelled():
                done.exception()
