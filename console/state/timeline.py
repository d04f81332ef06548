"""The history of one leg or conference: entries kept by id and folded in a fixed order.

Webhooks arrive duplicated, late and out of order, so the store never applies an event to the
current state. It keeps every entry that concerns a leg (or a conference) and re-folds them all,
sorted by :attr:`Entry.key`, whenever a new one arrives. The result depends only on the *set* of
entries, never on their arrival order, and a duplicate (same id) is a no-op by construction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# Tie-break for entries that share an occurred_at (Telnyx timestamps are often equal to the
# microsecond within one call): fold them in lifecycle order, so "answered" can never come
# after "hangup" merely because of the event ids.
RANK: dict[str, int] = {
    "call.initiated": 0,
    "conference.created": 0,
    "call.answered": 1,
    "call.enqueued": 2,
    "call.dequeued": 3,
    "call.bridged": 4,
    "conference.participant.joined": 4,
    "conference.participant.left": 6,
    "call.recording.error": 6,
    "call.hangup": 7,
    "conference.ended": 8,
    "call.recording.saved": 9,
    "conference.recording.saved": 9,
    # A REST snapshot describes everything up to and including its taken_at.
    "resync.leg": 10,
    "resync.leg_absent": 10,
    "resync.conference": 10,
    "resync.conference_absent": 10,
    "resync.queue": 10,
}
DEFAULT_RANK = 5  # media, DTMF, command confirmations...


def aware(moment: datetime) -> datetime:
    """Telnyx sends UTC; a naive timestamp (hand-written test data, old journal) is taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    """One thing that happened to a leg or conference: a webhook, a confirmation, a resync."""

    id: str
    kind: str  # the event_type, or "mark.*" / "resync.*" for facts learnt outside webhooks
    at: datetime
    payload: Any

    @property
    def rank(self) -> int:
        return RANK.get(self.kind, DEFAULT_RANK)

    @property
    def key(self) -> tuple[datetime, int, str]:
        return (self.at, self.rank, self.id)

    @property
    def is_webhook(self) -> bool:
        return not self.kind.startswith(("mark.", "resync."))


class Timeline:
    """The entries of one leg or conference, deduplicated by id."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}

    def add(self, entry: Entry) -> bool:
        """Keep ``entry``; False when an entry with its id is already there (or it is the same)."""
        if self._entries.get(entry.id) == entry:
            return False
        self._entries[entry.id] = entry
        return True

    def ordered(self) -> list[Entry]:
        return sorted(self._entries.values(), key=lambda e: e.key)

    def newest_at(self) -> datetime | None:
        return max((e.at for e in self._entries.values()), default=None)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)
