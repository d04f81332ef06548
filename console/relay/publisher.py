"""Journal → JetStream: publish every journalled event once, resuming exactly where the stream ends.

The publisher keeps no position of its own. Whenever it (re)starts, and after any trouble with
the broker, it asks the stream for the last message on this relay's subject and reads its
``Telnyx-Relay-Seq`` header: what the broker has is the truth, so a broker that lost its last
writes (2.9 fsyncs about every 2 minutes) gets them again from the relay's fsync'd journal, and
a relay restart publishes nothing twice. Messages carry the event id as ``Nats-Msg-Id``, so a
publish that timed out but was stored is dropped by the server when it is retried.

Publishes are sequential, each awaiting its ack: then the stream's last message always marks a
prefix of the journal with no holes (measured ~2,000+ acked publishes/s, far above what one
Call Control application sends). Records older than the stream's max age are skipped: the
broker would have aged them out anyway, and republishing them would bring old events back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Protocol

from nats.errors import Error as NatsError
from nats.js.errors import NotFoundError

from console.events.journal import JournalError, JournalRecord
from console.relay.connection import BrokerConnection
from console.relay.errors import BrokerUnavailable
from console.relay.stream import (
    StreamSettings,
    check_relay_name,
    ensure_stream,
    message_headers,
    relay_seq_of,
)
from console.relay.tasks import raise_if_cancelled, stop_task

log = logging.getLogger(__name__)

BATCH = 256
FIRST_RETRY_SECS = 0.1
MAX_RETRY_SECS = 5.0
#: A safety net: even without a commit notice the journal is looked at this often.
IDLE_CHECK_SECS = 1.0


class JournalReader(Protocol):
    """What the publisher reads (:class:`console.events.journal.Journal`, read-only)."""

    def records_after(self, seq: int, *, limit: int = 500) -> list[JournalRecord]: ...

    def last_seq(self) -> int: ...


class JournalPublisher:
    """Publishes a relay's journal to the stream; :meth:`wake` on each commit."""

    def __init__(
        self,
        broker: BrokerConnection,
        journal: JournalReader,
        stream: StreamSettings,
        relay_name: str,
        *,
        on_published: Callable[[int], None] = lambda _seq: None,
        clock: Callable[[], float] = time.time,
    ):
        self._broker = broker
        self._journal = journal
        self._stream = stream
        self._relay = check_relay_name(relay_name)
        self._subject = stream.relay_subject(relay_name)
        self._on_published = on_published
        self._clock = clock
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        #: The journal seq the stream is known to hold up to (None: ask the stream).
        self.position: int | None = None
        self.published = 0
        self.duplicates = 0
        self.skipped_old = 0
        self.problem: str | None = None  # why it is not publishing now, in words

    @property
    def subject(self) -> str:
        return self._subject

    def wake(self, _seq: int | None = None) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="relay-publisher")

    async def stop(self) -> None:
        task, self._task = self._task, None
        await stop_task(task)

    async def caught_up(self, within: float = 10.0) -> None:
        """Wait until everything journalled so far is in the stream (tests, clean shutdown)."""
        target = await asyncio.to_thread(self._journal.last_seq)
        deadline = asyncio.get_running_loop().time() + within
        while self.position is None or self.position < target:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"publisher at {self.position}, journal at {target}")
            await asyncio.sleep(0.01)

    # --- the loop -------------------------------------------------------------------------

    async def _run(self) -> None:
        delay = FIRST_RETRY_SECS
        while True:
            try:
                if not self._broker.connected:
                    # The broker may come back with less than it acked: ask it again then.
                    self.position = None
                    self.problem = "broker disconnected"
                    await self._broker.wait_connected()
                if self.position is None:
                    self.position = await self._stream_position()
                    log.info("publishing %s after journal seq %d", self._subject, self.position)
                self._wake.clear()
                records = await asyncio.to_thread(
                    self._journal.records_after, self.position, limit=BATCH
                )
                raise_if_cancelled()
                if not records:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), IDLE_CHECK_SECS)
                    continue
                await self._publish(records)
                delay = FIRST_RETRY_SECS
                self.problem = None
            except asyncio.CancelledError:
                raise
            except (NatsError, BrokerUnavailable, TimeoutError, OSError) as exc:
                # Whatever was stored stays stored; where the stream ends is asked again.
                self.position = None
                self.problem = f"broker unavailable ({exc or type(exc).__name__})"
                log.warning("publisher: %s; retrying in %.1f s", self.problem, delay)
                raise_if_cancelled()
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_SECS)
            except JournalError as exc:
                self.problem = f"journal unreadable ({exc})"
                log.error("publisher: %s; retrying in %.1f s", self.problem, delay)
                raise_if_cancelled()
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_SECS)

    async def _stream_position(self) -> int:
        js = self._broker.js
        await ensure_stream(js, self._stream)
        try:
            last = await js.get_last_msg(self._stream.name, self._subject)
        except NotFoundError:
            return 0
        position = relay_seq_of(last.headers)
        journal_last = await asyncio.to_thread(self._journal.last_seq)
        if position > journal_last:
            # The stream remembers more than this journal holds: a new journal under the same
            # relay name. Publishing it from the start is safe (ids dedupe), skipping it is not.
            log.error(
                "stream %s holds journal seq %d of relay %s but the journal ends at %d: was the "
                "journal replaced? Publishing it from the start; give a new journal a new relay "
                "name.",
                self._stream.name, position, self._relay, journal_last,
            )  # fmt: skip
            return 0
        return position

    async def _publish(self, records: list[JournalRecord]) -> None:
        js = self._broker.js
        oldest_kept = self._clock() - self._stream.max_age_secs
        for record in records:
            if record.received_at < oldest_kept:
                self.skipped_old += 1
            else:
                ack = await js.publish(
                    self._subject,
                    record.raw.encode("utf-8"),
                    stream=self._stream.name,
                    headers=message_headers(record, self._relay),
                )
                if ack.duplicate:
                    self.duplicates += 1
                else:
                    self.published += 1
            self.position = record.seq
        self._on_published(records[-1].seq)
