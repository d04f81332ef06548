"""The event feed: committed events from an event source, folded into the store in batches.

This is the only path by which webhooks reach the console's state (solo mode's journal tail
and team mode's JetStream source both deliver here). Per batch it does work proportional to
the batch, never to the number of calls: one ``Store.apply_batch`` (each touched row
re-derived once, one change notification), the per-event listeners (the event log, the path
test), and a look at the calls the batch touched for one the store never saw start (which
asks for a resync once per call).

The feed also keeps the figures the health display needs as counters: the newest sequence
folded, and when the last event arrived.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from console.events.deliveries import ReceivedEvent
from console.events.journal import JournalRecord
from console.events.models import Envelope
from console.state.changes import Changes
from console.state.store import Store

log = logging.getLogger(__name__)

EventListener = Callable[[Envelope, ReceivedEvent], None]
#: How many calls that need a resync are remembered (each asks once).
MAX_RESYNC_REQUESTS_REMEMBERED = 10_000


def received_event(record: JournalRecord, envelope: Envelope, *, verified: bool) -> ReceivedEvent:
    """The delivery facts of a journalled event, as listeners know them from the receiver."""
    occurred = envelope.data.effective_occurred_at
    delay = None
    if occurred is not None and occurred.tzinfo is not None:
        delay = record.received_at - occurred.timestamp()
    return ReceivedEvent(
        received_at=record.received_at,
        attempt=record.attempt,
        raw=record.raw,
        seq=record.seq,
        verified=verified,
        delivery_delay=delay,
    )


class EventFeed:
    """Folds batches of committed records into ``store`` (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        *,
        on_event: Callable[[Envelope, ReceivedEvent], None],
        request_resync: Callable[[str], None],
        verified: Callable[[], bool] = lambda: True,
    ):
        self.store = store
        self._on_event = on_event
        self._request_resync = request_resync
        self._verified = verified
        self._resync_asked: dict[str, None] = {}
        self.folded_seq = 0
        self.folded_events = 0
        self.last_received_at: float | None = None

    def start_at(self, seq: int) -> None:
        """The state already holds everything up to ``seq`` (a checkpoint's cursor)."""
        self.folded_seq = max(self.folded_seq, int(seq))

    def deliver(self, records: Sequence[JournalRecord]) -> None:
        """Fold one batch (an :data:`~console.events.source.BatchSink`)."""
        if not records:
            return
        fresh = [r for r in records if r.seq > self.folded_seq]
        if not fresh:
            return  # a source re-delivering what a checkpoint already holds
        envelopes = [record.envelope() for record in fresh]
        changes = self.store.apply_batch(envelopes)
        self.folded_seq = fresh[-1].seq
        self.folded_events += len(fresh)
        self.last_received_at = max(r.received_at for r in fresh)
        verified = self._verified()
        for record, envelope in zip(fresh, envelopes, strict=True):
            self._on_event(envelope, received_event(record, envelope, verified=verified))
        self._ask_resync_for_unknown_legs(changes)

    def _ask_resync_for_unknown_legs(self, changes: Changes) -> None:
        for ccid in changes.calls.added | changes.calls.changed:
            call = self.store.call(ccid)
            if call is None or not call.needs_resync or ccid in self._resync_asked:
                continue
            self._resync_asked[ccid] = None
            while len(self._resync_asked) > MAX_RESYNC_REQUESTS_REMEMBERED:
                del self._resync_asked[next(iter(self._resync_asked))]
            self._request_resync("an event named a call the console had not seen")
