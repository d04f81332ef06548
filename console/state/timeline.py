"""The history of one leg or conference: entries kept by id and folded in a fixed order.

Webhooks arrive duplicated, late and out of order, so the state of a leg (or a conference) is
defined as the fold of *all* its entries sorted by :attr:`Entry.key`. The result depends only on
the *set* of entries, never on their arrival order, and a duplicate (same id) is a no-op by
construction.

Re-folding everything on each arrival costs O(n) per event, O(n²) per leg or conference (a
conference with many participants has hundreds of entries). Yet most entries arrive in order:
when every entry added since the last fold sorts after all the entries folded then, folding
them onto a copy of the last fold gives exactly what a fold from scratch would, because a fold
is a sequence of steps over the sorted entries and those are simply its next steps.
:meth:`Timeline.fold` does that, and starts over only when an entry lands among the folded ones
(a late webhook, or a confirmation stamped at the same instant as a higher-ranked event).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, Self, TypeVar, cast

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


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing that happened to a leg or conference: a webhook, a confirmation, a resync."""

    id: str
    kind: str  # the event_type, or "mark.*" / "resync.*" for facts learnt outside webhooks
    at: datetime
    payload: Any  # a SlimPayload for webhooks (see slim.py); a facts.py record otherwise

    @property
    def rank(self) -> int:
        return RANK.get(self.kind, DEFAULT_RANK)

    @property
    def key(self) -> tuple[datetime, int, str]:
        return (self.at, self.rank, self.id)

    @property
    def is_webhook(self) -> bool:
        return not self.kind.startswith(("mark.", "resync."))


class Fold(Protocol):
    """The state of a fold in progress: ``legs.LegFold``, ``conferences.ConferenceFold``."""

    def step(self, entry: Entry) -> None: ...

    def copy(self) -> Self:
        """A fold in the same state that can step on without changing this one or its result."""
        ...


F = TypeVar("F", bound=Fold)


def _key(entry: Entry) -> tuple[datetime, int, str]:
    return entry.key


class Timeline:
    """The entries of one leg or conference, deduplicated by id, and their latest fold."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        # The ids of its webhooks, kept as they are added: a checkpoint asks every live
        # timeline for them, and filtering all entries then cost ~30 ms at 5,000 live calls.
        self._webhook_ids: dict[str, None] = {}
        self._last_fold: Any = None  # what fold() returned last; None: fold from scratch
        self._folded_up_to: tuple[datetime, int, str] | None = None  # key of its newest entry
        self._unfolded: list[Entry] = []  # added since, every one sorting after _folded_up_to

    def add(self, entry: Entry) -> bool:
        """Keep ``entry``; False when an entry with its id is already there (or it is the same)."""
        previous = self._entries.get(entry.id)
        if previous == entry:
            return False
        self._entries[entry.id] = entry
        if entry.is_webhook:
            self._webhook_ids[entry.id] = None
        if self._last_fold is not None:
            # An entry replaced (a second resync at the same taken_at) or one landing among the
            # folded entries changes the fold's past: the next fold starts over.
            landed_in_past = self._folded_up_to is not None and entry.key <= self._folded_up_to
            if previous is not None or landed_in_past:
                self._last_fold = None
            else:
                self._unfolded.append(entry)
        return True

    def fold(self, start: Callable[[], F], *, from_scratch: bool = False) -> F:
        """Every entry folded in key order into ``start()``: the same result either way, but
        when the entries added since the last call all sort after the ones folded then, only
        those are stepped, on a copy of the last fold (which stays as it was).

        ``from_scratch`` forces a full fold: the caller's ``start`` itself changed.
        """
        if from_scratch or self._last_fold is None:
            fold, steps = start(), self.ordered()
            self._folded_up_to = None
        elif not self._unfolded:
            return cast(
                F, self._last_fold
            )  # nothing new: it stands (no one changes a fold's result)
        else:
            fold, steps = self._last_fold.copy(), sorted(self._unfolded, key=_key)
        for entry in steps:
            fold.step(entry)
        if steps:  # the newest entry of all: a full fold's last step, or one after all others
            self._folded_up_to = steps[-1].key
        self._last_fold = fold
        self._unfolded = []
        return fold

    @property
    def last_fold(self) -> Any:
        """What :meth:`fold` returned last, if the entries added since can extend it."""
        return self._last_fold

    def ordered(self) -> list[Entry]:
        return sorted(self._entries.values(), key=_key)

    @property
    def webhook_ids(self) -> dict[str, None]:
        """The ids of its webhook entries, in the order added (read only)."""
        return self._webhook_ids

    def last_added(self) -> Entry | None:
        """The entry added last (not the newest by time)."""
        return next(reversed(self._entries.values()), None)

    def newest_at(self) -> datetime | None:
        return max((e.at for e in self._entries.values()), default=None)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)
