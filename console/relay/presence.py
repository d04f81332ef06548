"""Presence, like BLF on a PBX: each operator's status and current call, shared through KV.

Each console writes its operator's :class:`Presence` under the operator's (encoded) name and
repeats it every ``heartbeat_secs``; the bucket's TTL is a few heartbeats. A console that quits
deletes its key (colleagues see "offline" at once); one that crashes or loses its network stops
heartbeating and is shown offline when its last heartbeat is older than the TTL. (On
nats-server 2.9 an expired KV entry disappears without a notice, so every console judges age
itself, by when the heartbeat reached *it*: the clocks of different machines never compare.)

One key per operator name: the same operator on two consoles shares one status.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from console.relay.connection import BrokerConnection
from console.relay.errors import BrokerUnavailable, TeamError
from console.relay.keys import encode_key
from console.relay.kvwatch import KvEntry, WatchedBucket
from console.relay.tasks import raise_if_cancelled, stop_task

log = logging.getLogger(__name__)

PRESENCE_BUCKET = "telnyx_presence"
DEFAULT_HEARTBEAT_SECS = 5.0
#: Missed heartbeats before an operator shows as offline.
HEARTBEATS_TO_OFFLINE = 3


class OperatorStatus(StrEnum):
    AVAILABLE = "available"
    BUSY = "busy"  # on a call
    AWAY = "away"
    DND = "dnd"
    WRAP_UP = "wrap-up"
    OFFLINE = "offline"

    @property
    def words(self) -> str:
        return _WORDS[self]


_WORDS = {
    OperatorStatus.AVAILABLE: "Available",
    OperatorStatus.BUSY: "On a call",
    OperatorStatus.AWAY: "Away",
    OperatorStatus.DND: "Do not disturb",
    OperatorStatus.WRAP_UP: "Wrap-up",
    OperatorStatus.OFFLINE: "Offline",
}


@dataclass(frozen=True)
class Presence:
    operator: str
    status: OperatorStatus
    call_control_id: str | None = None  # the call they are on (busy, wrap-up)
    supervisor: bool = False
    console_id: str = ""
    endpoint: str | None = None  # where a colleague's transfer to them goes (number/SIP URI)
    reason: str = ""  # why Away ("Lunch"), as the operator chose it

    def to_bytes(self) -> bytes:
        body = {
            "operator": self.operator,
            "status": self.status.value,
            "call": self.call_control_id,
            "supervisor": self.supervisor,
            "console": self.console_id,
            "endpoint": self.endpoint,
            "reason": self.reason,
        }
        return json.dumps(body, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, value: bytes) -> Presence:
        data = json.loads(value)
        return cls(
            operator=str(data["operator"]),
            status=OperatorStatus(data["status"]),
            call_control_id=data.get("call") or None,
            supervisor=bool(data.get("supervisor", False)),
            console_id=str(data.get("console", "")),
            endpoint=data.get("endpoint") or None,
            reason=str(data.get("reason") or ""),
        )


#: ``listener(presence)``: a colleague's presence changed (status OFFLINE when they left).
PresenceListener = Callable[[Presence], None]


class PresenceBoard:
    """This operator's presence, published with heartbeats; everyone's, followed live."""

    def __init__(
        self,
        broker: BrokerConnection,
        operator: str,
        *,
        supervisor: bool = False,
        endpoint: str | None = None,
        console_id: str | None = None,
        bucket: str = PRESENCE_BUCKET,
        heartbeat_secs: float = DEFAULT_HEARTBEAT_SECS,
        on_change: PresenceListener = lambda _presence: None,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        if not operator.strip():
            raise ValueError("an operator name is needed to share presence")
        self._broker = broker
        self.heartbeat_secs = heartbeat_secs
        self.ttl_secs = heartbeat_secs * HEARTBEATS_TO_OFFLINE
        self._on_change = on_change
        self.mine = Presence(
            operator.strip(),
            OperatorStatus.AVAILABLE,
            supervisor=supervisor,
            console_id=console_id or uuid.uuid4().hex,
            endpoint=endpoint,
        )
        self._bucket = WatchedBucket(
            broker, bucket, ttl_secs=self.ttl_secs, on_change=self._changed, monotonic=monotonic
        )
        self.operators: dict[str, Presence] = {}  # everyone's (ours too), offline ones included
        self._heartbeat: asyncio.Task[None] | None = None

    @property
    def colleagues(self) -> list[Presence]:
        """Everyone but this operator, by name."""
        return sorted(
            (p for name, p in self.operators.items() if name != self.mine.operator),
            key=lambda p: p.operator.casefold(),
        )

    async def open(self, status: OperatorStatus = OperatorStatus.AVAILABLE) -> None:
        await self._bucket.open()
        await self._bucket.ready()
        self.mine = replace(self.mine, status=status)
        await self._publish()
        if self._heartbeat is None:
            self._heartbeat = asyncio.create_task(self._beat(), name="presence-heartbeat")

    async def set_status(
        self, status: OperatorStatus, call_control_id: str | None = None, reason: str = ""
    ) -> Presence:
        """Say what this operator is doing now (published at once). OFFLINE here is the
        operator's choice while the console runs; :meth:`leave` is the console quitting."""
        self.mine = replace(
            self.mine, status=status, call_control_id=call_control_id, reason=reason
        )
        await self._publish()
        return self.mine

    async def leave(self) -> None:
        """Stop heartbeating and delete our key: colleagues see us offline at once."""
        await stop_task(self._heartbeat)
        self._heartbeat = None
        kv = self._bucket.kv
        if kv is not None and self._broker.connected:
            with contextlib.suppress(Exception):
                await kv.delete(encode_key(self.mine.operator))
        await self._bucket.close()

    async def _publish(self) -> None:
        kv = self._bucket.kv
        if kv is None or not self._broker.connected:
            raise BrokerUnavailable("The team broker is not connected: status not shared.")
        try:
            await kv.put(encode_key(self.mine.operator), self.mine.to_bytes())
        except Exception as exc:
            raise BrokerUnavailable(f"The team broker did not take the status ({exc}).") from exc

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_secs)
            with contextlib.suppress(TeamError):
                await self._publish()
            raise_if_cancelled()
            self._bucket.sweep()

    def sweep(self) -> None:
        """Mark operators whose heartbeat is older than the TTL as offline (also done on each
        heartbeat; public for tests and for a UI timer)."""
        self._bucket.sweep()

    def _changed(self, name: str, entry: KvEntry | None) -> None:
        if entry is None:
            known = self.operators.get(name)
            if known is None or known.status is OperatorStatus.OFFLINE:
                return
            offline = replace(known, status=OperatorStatus.OFFLINE, call_control_id=None)
            self.operators[name] = offline
            self._on_change(offline)
            return
        try:
            presence = Presence.from_bytes(entry.value)
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable presence of %s ignored", name)
            return
        if self.operators.get(name) != presence:
            self.operators[name] = presence
            self._on_change(presence)
