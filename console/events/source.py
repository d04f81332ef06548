"""Where the console's committed events come from: the seam between ingest and the store.

In solo mode the console tails its own journal (written by the ingest component); in team mode
it reads the relay's JetStream stream from its own cursor. Either way the console sees the same
thing: :class:`~console.events.journal.JournalRecord` batches in commit order, each record once,
with a sequence number that only grows within the source, so a saved cursor says exactly where
to resume.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from console.events.journal import JournalRecord

#: Receives each batch of committed records, oldest first.
BatchSink = Callable[[Sequence[JournalRecord]], None]


class EventSource(Protocol):
    """Committed events in order, from a cursor on."""

    async def start(self, after_seq: int, deliver: BatchSink) -> None:
        """Deliver every record with a sequence above ``after_seq``, then each new one."""
        ...

    async def stop(self) -> None: ...

    @property
    def pending(self) -> int:
        """Records known to be committed but not yet delivered (the catch-up backlog)."""
        ...
