"""The console's event source in team mode: the relay's stream, read from the console's cursor.

:class:`JetStreamSource` implements :class:`console.events.source.EventSource`. It reads with an
*ordered consumer* (ephemeral, flow-controlled, recreated by nats-py at the right sequence after
a drop) starting at ``cursor + 1``; the cursor is the stream sequence and stays in the
console's own database, so the broker keeps no per-console state. Records are handed over in
batches (everything that arrived before the loop got to them), oldest first, each once.

When the console must ask Telnyx over REST instead (``on_resync(reason)``):

* ``GAP``: the stream's first sequence is above ``cursor + 1`` - retention dropped events the
  console never saw (offline longer than the stream's max age); reading goes on from the first;
* ``RECONNECTED``: the broker connection came back after a drop; reading resumes from the
  cursor with no gap, but calls may have changed in ways a resync confirms at once;
* ``STREAM_RESET``: the stream was created anew (the broker lost its store and the relay is
  republishing): seen as a new creation time while running, or at start as a stream that ends
  before the cursor. Reading restarts at the stream's first sequence, so
  sequences go *back*: the console must reset its saved cursor to the records it gets next
  (events it already has are dropped by the store's dedupe, by event id).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from enum import StrEnum

from nats.aio.msg import Msg
from nats.js import api
from nats.js.errors import NotFoundError

from console.events.journal import JournalRecord
from console.events.models import EventParseError
from console.events.source import BatchSink
from console.relay.connection import BrokerConnection, BrokerState
from console.relay.stream import StreamSettings, record_from_message
from console.relay.tasks import raise_if_cancelled, stop_task

log = logging.getLogger(__name__)

#: How often the source looks again for a stream the relay has not created yet.
STREAM_RETRY_SECS = 1.0


class ResyncReason(StrEnum):
    GAP = "events were dropped by the broker before this console read them"
    RECONNECTED = "the broker connection came back"
    STREAM_RESET = "the broker's event stream was reset"


class JetStreamSource:
    """Committed events from the relay's stream, from the console's cursor on."""

    def __init__(
        self,
        broker: BrokerConnection,
        stream: StreamSettings,
        *,
        on_resync: Callable[[ResyncReason], None] = lambda _reason: None,
    ):
        self._broker = broker
        self._stream = stream
        self._on_resync = on_resync
        self._deliver: BatchSink | None = None
        self._sub: object | None = None
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe_state: Callable[[], None] | None = None
        self._batch: list[JournalRecord] = []
        self._flush_scheduled = False
        self._pending = 0
        self._subscribed = asyncio.Event()
        self._stream_created: object | None = None  # which incarnation of the stream we read
        #: The stream sequence of the newest record handed over (the console's cursor).
        self.cursor = 0
        self._seen = 0  # the newest sequence received (handed over or in the batch)
        self.skipped = 0  # messages on the subjects that were not events
        self.problem: str | None = None  # why nothing arrives now, in words

    @property
    def pending(self) -> int:
        """Messages in the stream after the newest one received (the catch-up backlog)."""
        return self._pending + len(self._batch)

    async def start(self, after_seq: int, deliver: BatchSink) -> None:
        self._deliver = deliver
        self.cursor = int(after_seq)
        if self._unsubscribe_state is None:
            self._unsubscribe_state = self._broker.on_state(self._broker_state)
        self._spawn()

    async def subscribed(self) -> None:
        """Wait until the consumer is reading (tests; the UI does not need to)."""
        await self._subscribed.wait()

    async def stop(self) -> None:
        if self._unsubscribe_state is not None:
            self._unsubscribe_state()
            self._unsubscribe_state = None
        task, self._task = self._task, None
        await stop_task(task)
        await self._drop_subscription()
        self._flush()

    # --- subscribing ----------------------------------------------------------------------

    def _spawn(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._subscribe_when_possible(), name="js-source")

    async def _subscribe_when_possible(self) -> None:
        while True:
            try:
                await self._broker.wait_connected()
                await self._subscribe()
                return
            except NotFoundError:
                self.problem = f"the relay has not created the stream {self._stream.name} yet"
            except Exception as exc:  # the broker went away between the checks: try again
                self.problem = f"broker unavailable ({exc or type(exc).__name__})"
            log.info("event source: %s", self.problem)
            raise_if_cancelled()
            await asyncio.sleep(STREAM_RETRY_SECS)

    async def _subscribe(self) -> None:
        await self._drop_subscription()
        self._flush()  # hand over what arrived, so the cursor is exact
        js = self._broker.js
        info = await js.stream_info(self._stream.name)
        first, last = info.state.first_seq, info.state.last_seq
        start = self.cursor + 1
        created, self._stream_created = self._stream_created, info.created
        recreated = created is not None and info.created != created
        if recreated or self.cursor > last:
            log.warning("stream %s ends at %d, before this console's cursor %d: it was reset",
                        self._stream.name, last, self.cursor)  # fmt: skip
            start = max(first, 1)
            self.cursor = start - 1
            self._on_resync(ResyncReason.STREAM_RESET)
        elif first > start and last >= start:
            log.warning("stream %s starts at %d; this console read up to %d: events were lost",
                        self._stream.name, first, self.cursor)  # fmt: skip
            start = first
            self._on_resync(ResyncReason.GAP)
        self._seen = start - 1
        self._sub = await js.subscribe(
            self._stream.all_subjects,
            stream=self._stream.name,
            cb=self._on_message,
            ordered_consumer=True,
            config=api.ConsumerConfig(
                deliver_policy=api.DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=start
            ),
        )
        self._pending = max(last - start + 1, 0)
        self.problem = None
        self._subscribed.set()
        log.info("reading stream %s from sequence %d", self._stream.name, start)

    async def _drop_subscription(self) -> None:
        sub, self._sub = self._sub, None
        self._subscribed.clear()
        if sub is not None:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()  # type: ignore[attr-defined]

    def _broker_state(self, state: BrokerState) -> None:
        if state is BrokerState.DISCONNECTED:
            self.problem = "broker disconnected"
        elif state is BrokerState.RECONNECTED:
            self.problem = None
            self._on_resync(ResyncReason.RECONNECTED)
            # The broker may have restarted: the ephemeral consumer is gone with it, and nats-py
            # would only notice after missed heartbeats (10 s+). Resubscribe from our cursor now;
            # this also checks whether the stream lost events or was created anew.
            self._spawn_resubscribe()

    def _spawn_resubscribe(self) -> None:
        if self._task is not None and not self._task.done():
            return
        self._task = asyncio.create_task(self._subscribe_when_possible(), name="js-source")

    # --- messages -------------------------------------------------------------------------

    async def _on_message(self, msg: Msg) -> None:
        meta = msg.metadata
        seq = meta.sequence.stream
        if seq <= self._seen:
            return  # from a subscription being replaced: already taken
        self._seen = seq
        self._pending = meta.num_pending
        try:
            record = record_from_message(seq, msg.data, msg.headers)
        except (EventParseError, UnicodeDecodeError) as exc:
            self.skipped += 1
            log.warning("stream message %d is not a Telnyx event (%s); skipped", seq, exc)
            if not self._batch:
                self.cursor = max(self.cursor, seq)
            return
        self._batch.append(record)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        self.cursor = batch[-1].seq
        if self._deliver is not None:
            try:
                self._deliver(batch)
            except Exception:
                log.exception("the console failed to take %d events from the stream", len(batch))
