"""A JetStream KV bucket followed live: open (or create) it, mirror its keys, survive reconnects.

Claims and presence both need the same thing: every console sees every key of a small bucket
as it changes. :class:`WatchedBucket` keeps ``entries`` (decoded key → (value, revision, when
it arrived here)) from a ``watchall`` watcher, and starts a new watcher after a broker
reconnect (a restarted broker has lost the old ephemeral consumer, and nats-py would only
notice it after missed heartbeats). Bucket TTLs on nats-server 2.9 expire entries *without*
telling watchers, so users sweep by ``arrived`` time themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from nats.js.errors import BucketNotFoundError, NotFoundError
from nats.js.kv import KeyValue

from console.relay.connection import BrokerConnection, BrokerState
from console.relay.keys import decode_key
from console.relay.tasks import raise_if_cancelled, stop_task

log = logging.getLogger(__name__)

DELETED_OPERATIONS = ("DEL", "PURGE")


@dataclass(frozen=True)
class KvEntry:
    name: str  # the decoded key
    value: bytes
    revision: int
    arrived: float  # monotonic time it arrived at this console


#: ``listener(name, entry or None)``: a key changed, or was deleted.
KvListener = Callable[[str, KvEntry | None], None]


class WatchedBucket:
    def __init__(
        self,
        broker: BrokerConnection,
        bucket: str,
        *,
        ttl_secs: float,
        on_change: KvListener,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self._broker = broker
        self.bucket = bucket
        self._ttl = ttl_secs
        self._on_change = on_change
        self._monotonic = monotonic
        self.kv: KeyValue | None = None
        self.entries: dict[str, KvEntry] = {}
        self._watch_task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._ready = asyncio.Event()

    async def open(self) -> KeyValue:
        js = self._broker.js
        try:
            self.kv = await js.key_value(self.bucket)
        except (BucketNotFoundError, NotFoundError):
            self.kv = await js.create_key_value(bucket=self.bucket, ttl=self._ttl, history=1)
        if self._unsubscribe is None:
            self._unsubscribe = self._broker.on_state(self._state)
        self._restart_watch()
        return self.kv

    async def ready(self) -> None:
        """Wait until the bucket's current keys are all in ``entries``."""
        await self._ready.wait()

    async def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        await self._stop_watch()

    def _state(self, state: BrokerState) -> None:
        if state is BrokerState.RECONNECTED:
            self._restart_watch()

    def _restart_watch(self) -> None:
        old = self._watch_task
        self._ready.clear()
        self._watch_task = asyncio.get_running_loop().create_task(
            self._watch(old), name=f"kv-watch-{self.bucket}"
        )

    async def _stop_watch(self) -> None:
        task, self._watch_task = self._watch_task, None
        await stop_task(task)

    async def _watch(self, previous: asyncio.Task[None] | None) -> None:
        await stop_task(previous)
        while True:
            try:
                await self._broker.wait_connected()
                kv = self.kv or await self.open()
                watcher = await kv.watchall()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.info("cannot watch bucket %s yet: %s", self.bucket, exc)
                raise_if_cancelled()
                await asyncio.sleep(1.0)
                continue
            seen: set[str] = set()
            try:
                async for entry in watcher:
                    if entry is None:  # every current key delivered
                        self._forget_missing(seen)
                        self._ready.set()
                        continue
                    self._apply(entry, seen)
            finally:
                with contextlib.suppress(Exception):
                    await watcher.stop()
            return

    def _forget_missing(self, seen: set[str]) -> None:
        # Keys that vanished while we were not watching (e.g. across a reconnect).
        for name in [n for n in self.entries if n not in seen]:
            del self.entries[name]
            self._on_change(name, None)

    def _apply(self, entry: KeyValue.Entry, seen: set[str]) -> None:
        try:
            name = decode_key(entry.key)
        except ValueError:
            return  # not one of ours
        seen.add(name)
        if entry.operation in DELETED_OPERATIONS or entry.value is None:
            if self.entries.pop(name, None) is not None:
                self._on_change(name, None)
            return
        kv_entry = KvEntry(name, entry.value, entry.revision or 0, self._monotonic())
        self.entries[name] = kv_entry
        self._on_change(name, kv_entry)

    def sweep(self) -> list[str]:
        """Forget entries older than the TTL (expired by the server without a notice)."""
        limit = self._monotonic() - self._ttl
        gone = [name for name, entry in self.entries.items() if entry.arrived < limit]
        for name in gone:
            del self.entries[name]
            self._on_change(name, None)
        return gone
