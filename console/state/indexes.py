"""The store's lookups beside its tables: small classes, each kept true in one place.

``LegIndex`` answers "which leg has this call_leg_id", "which legs share this call session",
"which legs name this conference" and "who waits in this queue" from the folded legs; the
store updates it whenever a leg's fold changes (``index``/``unindex``), so no lookup scans.
``PrunedIds`` remembers, bounded and oldest first out, the legs and conferences pruned, so
their late events (call.cost, a redelivery) are history and not new rows.
``Memberships`` maps a leg to the conferences whose participants name it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Set

from console.state.entities import Call

#: Pruned legs/conferences remembered (to keep their late events out of the tables).
MAX_PRUNED_REMEMBERED = 20_000

_EMPTY: frozenset[str] = frozenset()


class LegIndex:
    """Lookups from the folded legs: leg id, call session, conference, queue."""

    def __init__(self) -> None:
        self._by_leg_id: dict[str, str] = {}
        self._by_session: dict[str, set[str]] = defaultdict(set)
        # conference id -> legs whose fold names it (Call.conference_id). Not the same as the
        # participants: a leg can join after the conference ended (no participant then), or be
        # dropped from the participants by a resync while its own timeline still says joined.
        # Their rows show the conference's liveness (project_leg), so they are re-derived with
        # it.
        self._by_conference: dict[str, set[str]] = defaultdict(set)
        self._queue_members: dict[str, set[str]] = defaultdict(set)

    # --- reading ---------------------------------------------------------------------------

    def leg_for(self, call_leg_id: str) -> str | None:
        """The call_control_id of the leg with this call_leg_id."""
        return self._by_leg_id.get(call_leg_id)

    def in_session(self, call_session_id: str) -> Set[str]:
        return self._by_session.get(call_session_id, _EMPTY)

    def naming_conference(self, conference_id: str) -> Set[str]:
        return self._by_conference.get(conference_id, _EMPTY)

    def in_queue(self, name: str) -> Set[str]:
        return self._queue_members.get(name, _EMPTY)

    # --- keeping it true -------------------------------------------------------------------

    def note_leg_id(self, ccid: str, call: Call) -> None:
        """Known as soon as a fold names it, even before the leg proves to be a call row."""
        if call.call_leg_id:
            self._by_leg_id[call.call_leg_id] = ccid

    def index(self, ccid: str, call: Call) -> None:
        """A leg that is a call row: its session, conference and (while live) queue."""
        if call.call_session_id:
            self._by_session[call.call_session_id].add(ccid)
        if call.conference_id:
            self._by_conference[call.conference_id].add(ccid)
        if call.queue_name and call.is_live:
            self._queue_members[call.queue_name].add(ccid)

    def unindex(self, ccid: str, call: Call) -> None:
        if call.call_session_id:
            self._by_session[call.call_session_id].discard(ccid)
        if call.queue_name:
            self._queue_members[call.queue_name].discard(ccid)
        if call.conference_id:
            self._by_conference[call.conference_id].discard(ccid)
        if call.call_leg_id and self._by_leg_id.get(call.call_leg_id) == ccid:
            del self._by_leg_id[call.call_leg_id]

    def forget_conference(self, conference_id: str) -> None:
        self._by_conference.pop(conference_id, None)


class Memberships:
    """Leg -> the conferences whose participants name it (from the conference folds)."""

    def __init__(self) -> None:
        self._of: dict[str, set[str]] = defaultdict(set)

    def of(self, ccid: str) -> Set[str]:
        return self._of.get(ccid, _EMPTY)

    def add(self, ccid: str, conference_id: str) -> None:
        self._of[ccid].add(conference_id)

    def leave(self, ccid: str, conference_id: str) -> None:
        members = self._of.get(ccid)
        if members is not None:
            members.discard(conference_id)

    def forget(self, ccid: str) -> None:
        self._of.pop(ccid, None)


class PrunedIds:
    """An insertion-ordered set that forgets its oldest keys beyond ``limit``."""

    def __init__(self, limit: int = MAX_PRUNED_REMEMBERED) -> None:
        self._keys: dict[str, None] = {}
        self._limit = limit

    def add(self, key: str) -> None:
        self._keys[key] = None
        while len(self._keys) > self._limit:
            del self._keys[next(iter(self._keys))]

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)
