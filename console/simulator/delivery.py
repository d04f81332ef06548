"""Webhook delivery as Telnyx does it: signed v2 envelopes, 2 s deadline, retries, failover."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from console.events.signature import KeyPair, sign

from .clock import SimClock
from .faults import Faults
from .tasks import Tracker


@dataclass(frozen=True)
class Target:
    """Where a webhook goes, looked up at each attempt (so an application PATCH takes effect)."""

    url: str | None
    failover_url: str | None = None
    api_version: str = "2"
    timeout: float | None = None  # the application's webhook_timeout_secs, if set


@dataclass(frozen=True)
class DeliveryPolicy:
    """Retry rules. Telnyx documents a 2 s deadline, retries, then the failover URL."""

    timeout: float = 2.0  # real seconds per attempt, never scaled: the receiver is real
    attempts_per_url: int = 3
    backoff: tuple[float, ...] = (1.0, 5.0, 15.0)  # simulated seconds between attempts


@dataclass
class Attempt:
    attempt: int
    url: str | None
    status: int | None = None
    error: str | None = None
    ok: bool = False


@dataclass
class DeliveryRecord:
    """What happened to one webhook (for tests and the demo's diagnostics)."""

    event_id: str
    event_type: str
    key: str
    data: dict[str, Any]
    attempts: list[Attempt] = field(default_factory=list)
    delivered: bool = False
    delivered_to: str | None = None
    duplicates: int = 0
    done: bool = False


class Deliverer:
    """Sends each webhook in its own task, in order per call unless a fault says otherwise."""

    def __init__(
        self,
        *,
        clock: SimClock,
        keypair: KeyPair,
        faults: Faults,
        rng: random.Random,
        tracker: Tracker,
        policy: DeliveryPolicy | None = None,
    ):
        self.clock = clock
        self.keypair = keypair
        self.signing_key = keypair.signing_key()
        self.faults = faults
        self.rng = rng
        self.tracker = tracker
        self.policy = policy or DeliveryPolicy()
        self.records: list[DeliveryRecord] = []
        self._tails: dict[str, asyncio.Future[None]] = {}
        self._session: aiohttp.ClientSession | None = None
        self._outage_until: float = -1.0  # simulated seconds
        if faults.outage_after is not None and faults.outage_duration > 0:
            self.start_outage(faults.outage_duration, after=faults.outage_after)

    # --- outage window ------------------------------------------------------------------

    def start_outage(self, duration: float, *, after: float = 0.0) -> None:
        """The receiver is unreachable from ``after`` for ``duration`` simulated seconds."""
        self._outage_from = self.clock.seconds() + after
        self._outage_until = self._outage_from + duration

    def _outage_remaining(self) -> float:
        now = self.clock.seconds()
        if self._outage_until < 0 or not (self._outage_from <= now < self._outage_until):
            return 0.0
        return self._outage_until - now

    # --- submission ---------------------------------------------------------------------

    def submit(self, key: str, data: dict[str, Any], target: Callable[[], Target]) -> None:
        record = DeliveryRecord(data["id"], data["event_type"], key, data)
        self.records.append(record)
        previous = self._tails.get(key)
        finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        reorder = self.faults.reorder_rate and self.rng.random() < self.faults.reorder_rate
        if reorder:
            # Held back and not made the tail, so later events of this call overtake it.
            previous = None
        else:
            self._tails[key] = finished
        extra = self.faults.delay + (
            self.rng.uniform(0, self.faults.jitter) if self.faults.jitter else 0
        )
        if reorder:
            extra += self.faults.reorder_delay
        drop_first = bool(
            self.faults.drop_first_attempt_rate
            and self.rng.random() < self.faults.drop_first_attempt_rate
        )
        duplicate = bool(
            self.faults.duplicate_rate and self.rng.random() < self.faults.duplicate_rate
        )
        self.tracker.spawn(
            self._deliver(record, target, previous, finished, extra, drop_first, duplicate)
        )

    async def _deliver(
        self,
        record: DeliveryRecord,
        target: Callable[[], Target],
        previous: asyncio.Future[None] | None,
        finished: asyncio.Future[None],
        extra_delay: float,
        drop_first: bool,
        duplicate: bool,
    ) -> None:
        try:
            if extra_delay:
                await self.clock.sleep(extra_delay)
            if previous is not None and not previous.done():
                await asyncio.shield(previous)
            await self._attempts(record, target, drop_first, duplicate)
        finally:
            record.done = True
            if not finished.done():
                finished.set_result(None)

    async def _attempts(
        self,
        record: DeliveryRecord,
        target: Callable[[], Target],
        drop_first: bool,
        duplicate: bool,
    ) -> None:
        attempt = 0
        for use_failover in (False, True):
            tries = 0
            while tries < self.policy.attempts_per_url:
                where = target()
                url = where.failover_url if use_failover else where.url
                if not url:
                    break
                attempt += 1
                outage = self._outage_remaining()
                if outage > 0:
                    # Unreachable receiver: the attempt fails; hold until the outage ends.
                    record.attempts.append(Attempt(attempt, url, error="receiver outage"))
                    await self.clock.sleep(outage)
                    continue
                result = await self._post(record, where, url, attempt)
                record.attempts.append(result)
                if result.ok and drop_first and attempt == 1:
                    result.ok = False
                    result.error = "response lost (fault)"
                if result.ok:
                    record.delivered, record.delivered_to = True, url
                    if duplicate:
                        record.duplicates += 1
                        await self._post(record, where, url, attempt)
                    return
                tries += 1
                more = tries < self.policy.attempts_per_url or (
                    not use_failover and bool(target().failover_url)
                )
                if more:
                    index = min(attempt - 1, len(self.policy.backoff) - 1)
                    await self.clock.sleep(self.policy.backoff[index])

    def _body(self, data: dict[str, Any], url: str, attempt: int, api_version: str) -> bytes:
        if api_version == "1":
            # API v1 shape (no data wrapper, snake_case names, created_at): a receiver
            # expecting v2 should reject it, as it would with a misconfigured real app.
            payload = dict(data.get("payload", {}))
            body: dict[str, Any] = {
                "event_type": data["event_type"].replace(".", "_"),
                "id": data["id"],
                "created_at": data.get("occurred_at") or payload.get("occurred_at"),
                "payload": payload,
                "record_type": "event",
            }
        else:
            body = {"data": data, "meta": {"attempt": attempt, "delivered_to": url}}
        return json.dumps(body, separators=(",", ":")).encode("utf-8")

    async def _post(self, record: DeliveryRecord, where: Target, url: str, attempt: int) -> Attempt:
        body = self._body(record.data, url, attempt, where.api_version)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "telnyx-webhooks",
            **sign(body, self.signing_key, timestamp=int(time.time())),
        }
        timeout = where.timeout if where.timeout else self.policy.timeout
        result = Attempt(attempt, url)
        try:
            session = self._ensure_session()
            async with session.post(
                url,
                data=body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=timeout),
                allow_redirects=False,  # a 3xx counts as not received (Webhook Fundamentals)
            ) as response:
                result.status = response.status
                result.ok = 200 <= response.status < 300
                await response.read()
        except TimeoutError:
            result.error = f"no answer within {timeout} s"
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            result.error = f"{type(exc).__name__}: {exc}"
        return result

    def _ensure_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
