"""The store: the one writer of call, conference and queue state, and its change notifications.

How it stays right when webhooks come duplicated, late and out of order
-----------------------------------------------------------------------
Every webhook is kept (what the folds read of it: ``slim.py``) in the timeline of the leg it
names (``call_control_id``; failing that, its ``call_leg_id``) and, for conference events, of
the conference (``event_log.py``). The state of a leg or conference is the fold of its timeline
in (occurred_at, lifecycle rank, id) order (``legs.py``, ``conferences.py``): applying a
webhook steps just that entry onto the last fold when it sorts after everything folded, and
folds it all again when it lands in the past (``timeline.py``). Then the facts that span
entities are re-derived (``projection.py``, driven by ``derived.py``):

* idempotent: an event id seen before changes nothing;
* order-free: the state is a function of the *set* of events, so every arrival order of the
  same events ends in the same state, and a late call.answered cannot revive a hung-up leg;
* command confirmations (mute, hold, recording...) and REST resyncs enter the same timelines as
  entries at their own time, so a snapshot is "an event at taken_at": a webhook that happened
  before it cannot undo what it repaired, and one that happened after it still counts
  (``reconciliation.py``).

Change notifications name exactly the rows whose visible data differ, found by comparing each
re-derived row with the previous one. What ended long ago is forgotten by ``pruning.py``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from console.events.models import Envelope
from console.state.changes import ChangeListener, Changes
from console.state.derived import DerivedState
from console.state.entities import Call, Conference, Participant, Queue, RecordingState
from console.state.event_log import EventLog, Touched
from console.state.facts import BridgeMark, ParticipantMark, RecordingMark
from console.state.indexes import LegIndex
from console.state.pruning import prune_ended
from console.state.publisher import ChangePublisher
from console.state.queue_reports import QueueReports
from console.state.reconciliation import file_snapshot
from console.state.snapshot import Snapshot
from console.state.timeline import Entry, Timeline


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """Calls (legs), conferences with participants, and queues, as the webhooks describe them."""

    def __init__(
        self, clock: Callable[[], datetime] = _utc_now, *, incremental: bool = True
    ) -> None:
        """``incremental=False`` re-folds every timeline from scratch on each change: slower,
        the same state; it is the reference the tests hold the incremental folds to."""
        self._clock = clock
        self._incremental = incremental
        self._publisher = ChangePublisher()
        self._conference_names: dict[str, str] = {}  # survives rebuild: names are not events
        # Numbers the confirmations; survives rebuild, which keeps them.
        self._serial = itertools.count()
        self._reset()

    def _reset(self) -> None:
        legs_index = LegIndex()
        self._queue_reports = QueueReports()
        self._log = EventLog(legs_index, self._queue_reports, self._clock)
        self._state = DerivedState(
            self._log,
            legs_index,
            self._queue_reports,
            self._conference_names,
            incremental=self._incremental,
        )

    # --- reading ---------------------------------------------------------------------------

    @property
    def calls(self) -> Mapping[str, Call]:
        return MappingProxyType(self._state.calls)

    @property
    def conferences(self) -> Mapping[str, Conference]:
        return MappingProxyType(self._state.conferences)

    @property
    def queues(self) -> Mapping[str, Queue]:
        return MappingProxyType(self._state.queues)

    def call(self, call_control_id: str) -> Call | None:
        return self._state.calls.get(call_control_id)

    @property
    def live_count(self) -> int:
        """How many calls are live (O(1): kept as calls change)."""
        return self._state.live_count

    def live_calls(self) -> list[Call]:
        """Legs not ended, oldest first."""
        never = datetime.max.replace(tzinfo=UTC)
        live = [c for c in self._state.calls.values() if c.is_live]
        return sorted(live, key=lambda c: (c.started_at or never, c.call_control_id))

    def call_for_leg_id(self, call_leg_id: str) -> Call | None:
        ccid = self._state.legs_index.leg_for(call_leg_id)
        return self._state.calls.get(ccid) if ccid is not None else None

    def calls_in_session(self, call_session_id: str) -> list[Call]:
        ccids = sorted(self._state.legs_index.in_session(call_session_id))
        calls = self._state.calls
        return [calls[c] for c in ccids if c in calls]

    def conference(self, conference_id: str) -> Conference | None:
        return self._state.conferences.get(conference_id)

    def participant(self, conference_id: str, call_control_id: str) -> Participant | None:
        conference = self._state.conferences.get(conference_id)
        return conference.participants.get(call_control_id) if conference else None

    def queue(self, name: str) -> Queue | None:
        return self._state.queues.get(name)

    # --- listeners -------------------------------------------------------------------------

    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Call ``listener`` with every non-empty Changes; returns a function that unsubscribes."""
        return self._publisher.subscribe(listener)

    def unsubscribe(self, listener: ChangeListener) -> None:
        self._publisher.unsubscribe(listener)

    def _publish(self, touched: Touched) -> Changes:
        """Re-derive what ``touched`` names and tell the listeners what differs."""
        return self._publisher.publish(self._state.refresh(touched) if touched else Changes())

    # --- webhooks --------------------------------------------------------------------------

    def apply(self, envelope: Envelope) -> Changes:
        """Apply one webhook. A repeated event id, or an event type not modelled, is a no-op."""
        return self._publish(self._log.take(envelope) or Touched())

    def apply_batch(self, envelopes: Iterable[Envelope]) -> Changes:
        """Apply webhooks together: the same state as applying them one by one (the state is a
        function of the set of events), with each touched row re-derived once and one
        notification for the batch."""
        return self._publish(self._take_all(envelopes))

    def rebuild(self, envelopes: Iterable[Envelope]) -> Changes:
        """Replace the state by a journal replay; listeners get one notification with reset=True.

        Confirmations and resync results are not in the journal, so they are kept.
        """
        leg_facts, conference_facts = self._log.facts()
        self._reset()
        # Take every event first and fold each timeline once: a replay costs n log n, not n².
        touched = self._take_all(envelopes)
        for ccid, entry in leg_facts:
            self._log.leg_timeline(ccid).add(entry)
            touched.legs.add(ccid)
        for cid, entry in conference_facts:
            self._log.conference_timeline(cid).add(entry)
            touched.conferences.add(cid)
        self._state.refresh(touched)
        return self._publisher.publish(Changes(reset=True))

    def _take_all(self, envelopes: Iterable[Envelope]) -> Touched:
        touched = Touched()
        for envelope in envelopes:
            if taken := self._log.take(envelope):
                touched |= taken
        return touched

    # --- checkpoints ---------------------------------------------------------------------------

    def retained_event_ids(self) -> list[str]:
        """The ids of every webhook the state still rests on (live and recently ended calls,
        their conferences, unclaimed orphans): refolding just these gives this state again."""
        return self._log.retained_event_ids()

    def pruned_ids(self) -> tuple[list[str], list[str]]:
        """Legs and conferences already pruned (a late event for them is history)."""
        return list(self._log.pruned_legs), list(self._log.pruned_conferences)

    def conference_names(self) -> dict[str, str]:
        return dict(self._conference_names)

    def restore(
        self,
        envelopes: Iterable[Envelope],
        *,
        pruned_legs: Iterable[str] = (),
        pruned_conferences: Iterable[str] = (),
        conference_names: Mapping[str, str] | None = None,
    ) -> Changes:
        """Start from a checkpoint: its retained events and what it had pruned."""
        self._conference_names.update(conference_names or {})
        changes = self.rebuild(envelopes)
        for ccid in pruned_legs:
            if ccid not in self._log.leg_timelines:
                self._log.pruned_legs.add(ccid)
        for cid in pruned_conferences:
            if cid not in self._log.conference_timelines:
                self._log.pruned_conferences.add(cid)
        return changes

    # --- confirmations of commands (no webhooks exist for these) ----------------------------

    def mark_participants(
        self,
        conference_id: str,
        call_control_ids: Iterable[str],
        *,
        muted: bool | None = None,
        on_hold: bool | None = None,
    ) -> Changes:
        """Mute/unmute/hold/unhold answered 200. An empty list means everyone, as in the API."""
        if conference_id not in self._state.folded_conferences or (
            muted is None and on_hold is None
        ):
            return Changes()
        mark = ParticipantMark(tuple(call_control_ids), muted=muted, on_hold=on_hold)
        self._add_fact(self._log.conference_timelines[conference_id], "mark.participants", mark)
        return self._publish(Touched(conferences={conference_id}))

    def mark_call_recording(self, call_control_id: str, state: RecordingState) -> Changes:
        if call_control_id not in self._state.folded_legs:
            return Changes()
        timeline = self._log.leg_timelines[call_control_id]
        self._add_fact(timeline, "mark.recording", RecordingMark(state))
        return self._publish(Touched(legs={call_control_id}))

    def mark_conference_recording(self, conference_id: str, state: RecordingState) -> Changes:
        if conference_id not in self._state.folded_conferences:
            return Changes()
        timeline = self._log.conference_timelines[conference_id]
        self._add_fact(timeline, "mark.recording", RecordingMark(state))
        return self._publish(Touched(conferences={conference_id}))

    def note_bridge(self, call_control_id: str, other_call_control_id: str) -> Changes:
        """A bridge command answered 200: pairs two legs that share no call session."""
        pair = (call_control_id, other_call_control_id)
        if any(ccid not in self._state.folded_legs for ccid in pair):
            return Changes()
        for ccid, other in (pair, pair[::-1]):
            self._add_fact(self._log.leg_timelines[ccid], "mark.bridge", BridgeMark(other))
        return self._publish(Touched(legs=set(pair)))

    def note_conference_name(self, conference_id: str, name: str) -> Changes:
        """conference.created does not carry the name; whoever created or listed it does."""
        self._conference_names[conference_id] = name
        if conference_id not in self._log.conference_timelines:
            return Changes()
        return self._publish(Touched(conferences={conference_id}))

    def _add_fact(self, timeline: Timeline, kind: str, payload: object) -> None:
        # A confirmation comes after the events we already hold for that leg or conference,
        # even when the local clock lags behind Telnyx's.
        newest = timeline.newest_at()
        now = self._clock()
        at = now if newest is None else max(now, newest)
        timeline.add(Entry(id=f"{kind}#{next(self._serial)}", kind=kind, at=at, payload=payload))

    # --- REST resync and pruning ----------------------------------------------------------

    def reconcile(self, snapshot: Snapshot) -> Changes:
        """Correct the state by what the REST API listed at ``snapshot.taken_at``."""
        touched = file_snapshot(
            snapshot, self._log, self._state, self._queue_reports, self._conference_names
        )
        return self._publish(touched)

    def prune_ended(self, older_than: timedelta) -> Changes:
        """Forget legs and conferences that ended more than ``older_than`` ago.

        A leg still needed to explain a live one (same session, bridge partner, or a participant
        of a live conference) stays until that one is over too; so does an ended conference that
        a live leg's own timeline still names (it is what parks that leg, see project_leg).
        """
        cutoff = self._clock() - older_than
        return self._publisher.publish(prune_ended(self._log, self._state, cutoff))
