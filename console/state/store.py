"""The store: the one writer of call, conference and queue state, and its change notifications.

How it stays right when webhooks come duplicated, late and out of order
-----------------------------------------------------------------------
Every webhook is kept (what the folds read of it: ``slim.py``) in the timeline of the leg it
names (``call_control_id``; failing that, its ``call_leg_id``) and, for conference events, of
the conference. The state of a leg or conference is the fold of its timeline in (occurred_at,
lifecycle rank, id) order (``legs.py``, ``conferences.py``): applying a webhook steps just that
entry onto the last fold when it sorts after everything folded, and folds it all again when it
lands in the past (``timeline.py``). Then the facts that span entities are re-derived
(``projection.py``):

* idempotent: an event id seen before changes nothing;
* order-free: the state is a function of the *set* of events, so every arrival order of the
  same events ends in the same state, and a late call.answered cannot revive a hung-up leg;
* command confirmations (mute, hold, recording...) and REST resyncs enter the same timelines as
  entries at their own time, so a snapshot is "an event at taken_at": a webhook that happened
  before it cannot undo what it repaired, and one that happened after it still counts.

Change notifications name exactly the rows whose visible data differ, found by comparing each
re-derived row with the previous one.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

from console.events.models import (
    EVENT_MODELS,
    Envelope,
    GenericEvent,
    Payload,
)
from console.state.changes import ChangeListener, Changes
from console.state.conferences import CONFERENCE_KINDS, ConferenceFold, proves_conference
from console.state.diffing import diff, diff_conference
from console.state.entities import Call, Conference, Participant, Queue, RecordingState
from console.state.facts import (
    BridgeMark,
    ConferenceGone,
    ConferenceSeen,
    LegGone,
    LegSeen,
    ParticipantMark,
    RecordingMark,
)
from console.state.indexes import LegIndex, Memberships, PrunedIds
from console.state.legs import LegFold, proves_leg
from console.state.projection import find_partner, project_conference, project_leg, project_queue
from console.state.resync_facts import legs_in
from console.state.slim import SlimPayload, slim
from console.state.snapshot import Snapshot
from console.state.timeline import Entry, Timeline, aware

log = logging.getLogger(__name__)

#: Conference events that also belong to the timeline of the leg they name.
_PARTICIPANT_KINDS = frozenset({"conference.participant.joined", "conference.participant.left"})
_LEG_PREFIXES = ("call.", "streaming.")
#: One copy of each event type string for all the entries, not one per parsed webhook.
_KINDS = {kind: kind for kind in EVENT_MODELS}


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
        self._listeners: list[ChangeListener] = []
        self._conference_names: dict[str, str] = {}  # survives rebuild: names are not events
        self._serial = itertools.count()
        self._reset()

    def _reset(self) -> None:
        self._seen_ids: set[str] = set()
        self._leg_logs: dict[str, Timeline] = {}
        self._conference_logs: dict[str, Timeline] = {}
        # Events naming only a call_leg_id we cannot map to a leg yet (call.recording.saved has
        # no call_control_id in the spec): adopted once a leg with that id shows up.
        self._orphans: dict[str, list[Entry]] = defaultdict(list)
        self._folded_legs: dict[str, Call] = {}
        self._folded_conferences: dict[str, Conference] = {}
        self._calls: dict[str, Call] = {}
        self._conferences: dict[str, Conference] = {}
        self._queues: dict[str, Queue] = {}
        self._legs_index = LegIndex()  # leg id, call session, conference, queue -> legs
        self._memberships = Memberships()  # leg -> conferences whose participants name it
        # queue name -> field -> (entry key, value): the newest report wins, whatever the order.
        self._queue_reports: dict[str, dict[str, tuple[Any, int | None]]] = {}
        # Late events for these (call.cost, a redelivery) are history, not new rows. Kept in
        # the order pruned and bounded (a redelivery comes within hours, not months).
        self._pruned_legs = PrunedIds()
        self._pruned_conferences = PrunedIds()
        self._live_count = 0  # calls whose is_live holds: a counter, never a scan

    # --- reading ---------------------------------------------------------------------------

    @property
    def calls(self) -> Mapping[str, Call]:
        return MappingProxyType(self._calls)

    @property
    def conferences(self) -> Mapping[str, Conference]:
        return MappingProxyType(self._conferences)

    @property
    def queues(self) -> Mapping[str, Queue]:
        return MappingProxyType(self._queues)

    def call(self, call_control_id: str) -> Call | None:
        return self._calls.get(call_control_id)

    @property
    def live_count(self) -> int:
        """How many calls are live (O(1): kept as calls change)."""
        return self._live_count

    def live_calls(self) -> list[Call]:
        """Legs not ended, oldest first."""
        never = datetime.max.replace(tzinfo=UTC)
        live = [c for c in self._calls.values() if c.is_live]
        return sorted(live, key=lambda c: (c.started_at or never, c.call_control_id))

    def call_for_leg_id(self, call_leg_id: str) -> Call | None:
        ccid = self._legs_index.leg_for(call_leg_id)
        return self._calls.get(ccid) if ccid is not None else None

    def calls_in_session(self, call_session_id: str) -> list[Call]:
        ccids = sorted(self._legs_index.in_session(call_session_id))
        return [self._calls[c] for c in ccids if c in self._calls]

    def conference(self, conference_id: str) -> Conference | None:
        return self._conferences.get(conference_id)

    def participant(self, conference_id: str, call_control_id: str) -> Participant | None:
        conference = self._conferences.get(conference_id)
        return conference.participants.get(call_control_id) if conference else None

    def queue(self, name: str) -> Queue | None:
        return self._queues.get(name)

    # --- listeners -------------------------------------------------------------------------

    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Call ``listener`` with every non-empty Changes; returns a function that unsubscribes."""
        if listener not in self._listeners:
            self._listeners.append(listener)
        return lambda: self.unsubscribe(listener)

    def unsubscribe(self, listener: ChangeListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, changes: Changes) -> Changes:
        if changes:
            for listener in list(self._listeners):
                try:
                    listener(changes)
                except Exception:
                    # One broken view must not stop the others (or the webhook pipeline).
                    log.exception("store listener %r failed", listener)
        return changes

    # --- webhooks --------------------------------------------------------------------------

    def apply(self, envelope: Envelope) -> Changes:
        """Apply one webhook. A repeated event id, or an event type not modelled, is a no-op."""
        touched = self._take(envelope)
        return self._notify(self._refresh(*touched) if touched else Changes())

    def apply_batch(self, envelopes: Iterable[Envelope]) -> Changes:
        """Apply webhooks together: the same state as applying them one by one (the state is a
        function of the set of events), with each touched row re-derived once and one
        notification for the batch."""
        legs: set[str] = set()
        conferences: set[str] = set()
        queues: set[str] = set()
        for envelope in envelopes:
            if touched := self._take(envelope):
                legs |= touched[0]
                conferences |= touched[1]
                queues |= touched[2]
        if not (legs or conferences or queues):
            return Changes()
        return self._notify(self._refresh(legs, conferences, queues))

    def rebuild(self, envelopes: Iterable[Envelope]) -> Changes:
        """Replace the state by a journal replay; listeners get one notification with reset=True.

        Confirmations and resync results are not in the journal, so they are kept.
        """
        facts = [(ccid, e) for ccid, tl in self._leg_logs.items() for e in tl if not e.is_webhook]
        conference_facts = [
            (cid, e) for cid, tl in self._conference_logs.items() for e in tl if not e.is_webhook
        ]
        self._reset()
        legs, conferences, queues = set(), set(), set()
        # Take every event first and fold each timeline once: a replay costs n log n, not n².
        for envelope in envelopes:
            if touched := self._take(envelope):
                legs |= touched[0]
                conferences |= touched[1]
                queues |= touched[2]
        for ccid, entry in facts:
            self._leg_logs.setdefault(ccid, Timeline()).add(entry)
            legs.add(ccid)
        for cid, entry in conference_facts:
            self._conference_logs.setdefault(cid, Timeline()).add(entry)
            conferences.add(cid)
        self._refresh(legs, conferences, queues)
        return self._notify(Changes(reset=True))

    # --- checkpoints ---------------------------------------------------------------------------

    def retained_event_ids(self) -> list[str]:
        """The ids of every webhook the state still rests on (live and recently ended calls,
        their conferences, unclaimed orphans): refolding just these gives this state again."""
        ids: dict[str, None] = {}
        for timelines in (self._leg_logs.values(), self._conference_logs.values()):
            for timeline in timelines:
                ids.update(timeline.webhook_ids)
        for entries in self._orphans.values():
            ids.update((e.id, None) for e in entries)
        return list(ids)

    def pruned_ids(self) -> tuple[list[str], list[str]]:
        """Legs and conferences already pruned (a late event for them is history)."""
        return list(self._pruned_legs), list(self._pruned_conferences)

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
            if ccid not in self._leg_logs:
                self._pruned_legs.add(ccid)
        for cid in pruned_conferences:
            if cid not in self._conference_logs:
                self._pruned_conferences.add(cid)
        return changes

    def _take(self, envelope: Envelope) -> tuple[set[str], set[str], set[str]] | None:
        """File a webhook in the timelines it concerns; None if it is a repeat or not modelled.

        Returns the legs, conferences and queues whose state must be re-derived.
        """
        data = envelope.data
        kind = data.event_type
        if isinstance(data, GenericEvent) or kind not in EVENT_MODELS:
            return None
        if data.id in self._seen_ids:
            return None
        self._seen_ids.add(data.id)
        occurred = data.effective_occurred_at
        # conference.recording.saved carries no time at all: it counts from when it arrived.
        at = aware(occurred) if occurred is not None else self._clock()
        payload = data.payload
        # The timelines keep only what the folds read: the parsed payload is ~10× bigger.
        kept = slim(payload, like=self._last_webhook_of_leg(payload))
        entry = Entry(id=data.id, kind=_KINDS[kind], at=at, payload=kept)
        legs: set[str] = set()
        conferences: set[str] = set()
        queues: set[str] = set()
        conference_id = _field(payload, "conference_id")
        if kind in CONFERENCE_KINDS and conference_id and not self._is_pruned(conference_id):
            self._conference_logs.setdefault(conference_id, Timeline()).add(entry)
            conferences.add(conference_id)
        if kind.startswith(_LEG_PREFIXES) or kind in _PARTICIPANT_KINDS:
            ccid = self._route_to_leg(entry)
            if ccid is not None:
                legs.add(ccid)
        # read by name: a payload that did not fit its model arrives as the generic Payload
        queue = _field(payload, "queue")
        if kind == "call.enqueued" and queue:
            avg = getattr(payload, "queue_avg_wait_time_secs", None)
            self._report_queue(queue, entry.key, avg=avg)
            queues.add(queue)
        return legs, conferences, queues

    def _last_webhook_of_leg(self, payload: Payload) -> SlimPayload | None:
        """What we kept of the webhook filed last for the leg ``payload`` is about, if any."""
        ccid = payload.call_control_id or self._legs_index.leg_for(payload.call_leg_id or "")
        timeline = self._leg_logs.get(ccid) if ccid else None
        last = timeline.last_added() if timeline is not None else None
        return last.payload if last is not None and isinstance(last.payload, SlimPayload) else None

    def _is_pruned(self, conference_id: str) -> bool:
        return conference_id in self._pruned_conferences

    def _route_to_leg(self, entry: Entry) -> str | None:
        payload = entry.payload
        ccid: str | None = payload.call_control_id
        if ccid is None and payload.call_leg_id:
            ccid = self._legs_index.leg_for(payload.call_leg_id)
            if ccid is None:
                self._orphans[payload.call_leg_id].append(entry)
                return None
        if ccid is None or ccid in self._pruned_legs:
            return None
        self._leg_logs.setdefault(ccid, Timeline()).add(entry)
        return ccid

    def _report_queue(self, name: str, key: Any, **values: int | None) -> None:
        reports = self._queue_reports.setdefault(name, {})
        for field_name, value in values.items():
            current = reports.get(field_name)
            if current is None or current[0] <= key:
                reports[field_name] = (key, value)

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
        if conference_id not in self._folded_conferences or (muted is None and on_hold is None):
            return Changes()
        mark = ParticipantMark(tuple(call_control_ids), muted=muted, on_hold=on_hold)
        self._add_fact(self._conference_logs[conference_id], "mark.participants", mark)
        return self._notify(self._refresh(set(), {conference_id}, set()))

    def mark_call_recording(self, call_control_id: str, state: RecordingState) -> Changes:
        if call_control_id not in self._folded_legs:
            return Changes()
        self._add_fact(self._leg_logs[call_control_id], "mark.recording", RecordingMark(state))
        return self._notify(self._refresh({call_control_id}, set(), set()))

    def mark_conference_recording(self, conference_id: str, state: RecordingState) -> Changes:
        if conference_id not in self._folded_conferences:
            return Changes()
        self._add_fact(self._conference_logs[conference_id], "mark.recording", RecordingMark(state))
        return self._notify(self._refresh(set(), {conference_id}, set()))

    def note_bridge(self, call_control_id: str, other_call_control_id: str) -> Changes:
        """A bridge command answered 200: pairs two legs that share no call session."""
        pair = (call_control_id, other_call_control_id)
        if any(ccid not in self._folded_legs for ccid in pair):
            return Changes()
        for ccid, other in (pair, pair[::-1]):
            self._add_fact(self._leg_logs[ccid], "mark.bridge", BridgeMark(other))
        return self._notify(self._refresh(set(pair), set(), set()))

    def note_conference_name(self, conference_id: str, name: str) -> Changes:
        """conference.created does not carry the name; whoever created or listed it does."""
        self._conference_names[conference_id] = name
        if conference_id not in self._conference_logs:
            return Changes()
        return self._notify(self._refresh(set(), {conference_id}, set()))

    def _add_fact(self, timeline: Timeline, kind: str, payload: object) -> None:
        # A confirmation comes after the events we already hold for that leg or conference,
        # even when the local clock lags behind Telnyx's.
        newest = timeline.newest_at()
        now = self._clock()
        at = now if newest is None else max(now, newest)
        timeline.add(Entry(id=f"{kind}#{next(self._serial)}", kind=kind, at=at, payload=payload))

    # --- REST resync ----------------------------------------------------------------------

    def reconcile(self, snapshot: Snapshot) -> Changes:
        """Correct the state by what the REST API listed at ``snapshot.taken_at``."""
        at = aware(snapshot.taken_at)
        entry_id = f"resync@{at.isoformat()}"
        seen = legs_in(snapshot)
        legs: set[str] = set()
        for ccid, facts in seen.items():
            if ccid not in self._pruned_legs:
                self._leg_logs.setdefault(ccid, Timeline()).add(
                    Entry(entry_id, "resync.leg", at, LegSeen(**facts))
                )
                legs.add(ccid)
        for ccid, call in self._calls.items():
            if call.is_live and ccid not in seen:
                self._leg_logs[ccid].add(Entry(entry_id, "resync.leg_absent", at, LegGone()))
                legs.add(ccid)

        conferences: set[str] = set()
        for listed in snapshot.conferences:
            if listed.name:
                self._conference_names[listed.id] = listed.name
            if self._is_pruned(listed.id) or (
                not listed.is_live and listed.id not in self._conference_logs
            ):
                continue  # history already, or one that came and went unseen
            self._conference_logs.setdefault(listed.id, Timeline()).add(
                Entry(entry_id, "resync.conference", at, ConferenceSeen(listed))
            )
            conferences.add(listed.id)
        listed_ids = {c.id for c in snapshot.conferences}
        for cid, conference in self._conferences.items():
            if conference.is_live and cid not in listed_ids:
                gone = Entry(entry_id, "resync.conference_absent", at, ConferenceGone())
                self._conference_logs[cid].add(gone)
                conferences.add(cid)

        queues: set[str] = set()
        for queue in snapshot.queues:
            self._report_queue(
                queue.name,
                Entry(entry_id, "resync.queue", at, None).key,
                avg=queue.average_wait_time_secs,
                max_size=queue.max_size,
            )
            queues.add(queue.name)
        return self._notify(self._refresh(legs, conferences, queues))

    # --- pruning ---------------------------------------------------------------------------

    def _needed_by_live(self) -> set[str]:
        """Ended legs a live one still needs: its bridge partner, its session's other legs,
        the participants of a live conference."""
        live = [c for c in self._folded_legs.values() if c.is_live]
        keep = {c.bridged_to for c in self._calls.values() if c.is_live and c.bridged_to}
        for session in {c.call_session_id for c in live if c.call_session_id}:
            keep |= self._legs_index.in_session(session)
        for conference in self._folded_conferences.values():
            if conference.is_live:
                keep |= {p.call_control_id for p in conference.present_participants()}
        return keep

    def prune_ended(self, older_than: timedelta) -> Changes:
        """Forget legs and conferences that ended more than ``older_than`` ago.

        A leg still needed to explain a live one (same session, bridge partner, or a participant
        of a live conference) stays until that one is over too; so does an ended conference that
        a live leg's own timeline still names (it is what parks that leg, see project_leg).
        """
        cutoff = self._clock() - older_than
        changes = Changes()
        # Runs on the window's loop every few seconds: with thousands of live calls and none
        # ended long enough, finding that out must not cost what working out what to keep does.
        old_enough = [
            ccid
            for ccid, call in self._calls.items()
            if call.ended_at is not None and call.ended_at < cutoff and not call.is_live
        ]
        if old_enough:
            keep = self._needed_by_live()
            for ccid in old_enough:
                if ccid not in keep:
                    self._forget_leg(ccid)
                    changes.calls.remove(ccid)
        for cid, conference in list(self._conferences.items()):
            if conference.ended_at is None or conference.ended_at >= cutoff:
                continue
            if any(self._folded_legs[c].is_live for c in self._legs_index.naming_conference(cid)):
                continue
            for ccid in conference.participants:
                changes.participants.remove((cid, ccid))
                self._memberships.leave(ccid, cid)
            del self._conferences[cid], self._folded_conferences[cid]
            self._forget_ids(self._conference_logs.pop(cid))
            self._legs_index.forget_conference(cid)
            self._pruned_conferences.add(cid)
            changes.conferences.remove(cid)
        # Timelines that never became a row (a stray call.cost...) and unclaimed orphans.
        for ccid in self._leg_logs.keys() - self._folded_legs.keys():
            newest = self._leg_logs[ccid].newest_at()
            if newest is None or newest < cutoff:
                del self._leg_logs[ccid]
        for cid in self._conference_logs.keys() - self._folded_conferences.keys():
            newest = self._conference_logs[cid].newest_at()
            if newest is None or newest < cutoff:
                del self._conference_logs[cid]
        for leg_id, entries in list(self._orphans.items()):
            if all(e.at < cutoff for e in entries):
                del self._orphans[leg_id]
        return self._notify(changes)

    def _forget_leg(self, ccid: str) -> None:
        call = self._folded_legs.pop(ccid)
        self._legs_index.unindex(ccid, call)
        self._memberships.forget(ccid)
        self._set_call(ccid, None)
        self._forget_ids(self._leg_logs.pop(ccid))
        self._pruned_legs.add(ccid)

    def _forget_ids(self, timeline: Timeline) -> None:
        # Its late duplicates are stopped by the pruned set: the ids need not stay (memory
        # then follows the calls kept, not every event ever seen).
        self._seen_ids.difference_update(e.id for e in timeline)

    def _set_call(self, ccid: str, call: Call | None) -> Call | None:
        """The one place ``_calls`` changes: keeps the live counter true."""
        old = self._calls.pop(ccid, None) if call is None else self._calls.get(ccid)
        if call is not None:
            self._calls[ccid] = call
        self._live_count += (call is not None and call.is_live) - (old is not None and old.is_live)
        return old

    # --- re-deriving -----------------------------------------------------------------------

    def _refresh(self, legs: set[str], conferences: set[str], queues: set[str]) -> Changes:
        """Re-fold the named timelines, re-derive everything they affect, report what differs."""
        changes = Changes()
        affected_legs = set(legs)
        affected_conferences = set(conferences)
        affected_queues = set(queues)
        sessions: set[str] = set()

        for ccid in legs:
            before, after = self._refold_leg(ccid)
            for call in (before, after):
                if call is None:
                    continue
                if call.call_session_id:
                    sessions.add(call.call_session_id)
                if call.queue_name:
                    affected_queues.add(call.queue_name)
                if call.bridged_to:
                    affected_legs.add(call.bridged_to)
            affected_conferences |= self._memberships.of(ccid)
            if (public := self._calls.get(ccid)) and public.bridged_to:
                affected_legs.add(public.bridged_to)

        for cid in conferences:
            self._refold_conference(cid)
        for cid in affected_conferences:
            folded = self._folded_conferences.get(cid)
            if folded is None:
                affected_legs |= self._drop_conference(changes, cid)
                continue
            conference = project_conference(folded, self._folded_legs)
            old_conference = self._conferences.get(cid)
            # Calls mirror their participant (present, muted, on hold): only those that differ
            # need a new look...
            affected_legs |= diff_conference(changes, old_conference, conference)
            # ...and every leg that names the conference shows whether it is still going (an
            # ended one parks it), participant or not: a late join, or one a resync removed.
            if old_conference is None or old_conference.is_live != conference.is_live:
                affected_legs |= self._legs_index.naming_conference(cid)
            self._conferences[cid] = conference

        for name in affected_queues:
            reports = self._queue_reports.get(name, {})
            members = self._legs_index.in_queue(name)
            queue = project_queue(
                name,
                (self._folded_legs[c] for c in members),
                average_wait_secs=reports.get("avg", (None, None))[1],
                max_size=reports.get("max_size", (None, None))[1],
            )
            old_queue = self._queues.get(name)
            diff(changes.queues, name, old_queue, queue)
            self._queues[name] = queue
            # Calls show their position: re-derive those whose entry moved, came or went.
            old_entries = old_queue.entries if old_queue is not None else {}
            for ccid in old_entries.keys() | queue.entries.keys():
                if old_entries.get(ccid) != queue.entries.get(ccid):
                    affected_legs.add(ccid)

        for session in sessions:
            affected_legs |= self._legs_index.in_session(session)
        for ccid in affected_legs:
            folded_leg = self._folded_legs.get(ccid)
            if folded_leg is None:
                if self._set_call(ccid, None) is not None:  # its timeline proves it no more
                    changes.calls.remove(ccid)
                continue
            peers = self._legs_index.in_session(folded_leg.call_session_id or "")
            call = project_leg(
                folded_leg,
                partner=find_partner(folded_leg, self._folded_legs, peers),
                conference=self._conferences.get(folded_leg.conference_id or ""),
                queue=self._queues.get(folded_leg.queue_name or ""),
            )
            diff(changes.calls, ccid, self._set_call(ccid, call), call)
        return changes

    def _refold_leg(self, ccid: str) -> tuple[Call | None, Call | None]:
        timeline = self._leg_logs.get(ccid)
        before = self._folded_legs.get(ccid)
        if timeline is None:
            return before, before
        call = self._fold_leg(ccid, timeline)
        orphans = self._orphans.pop(call.call_leg_id, None) if call.call_leg_id else None
        if orphans:
            for entry in orphans:
                timeline.add(entry)
            call = self._fold_leg(ccid, timeline)
        if before is not None:
            self._legs_index.unindex(ccid, before)
        self._legs_index.note_leg_id(ccid, call)
        if not proves_leg(timeline):
            # Only media/DTMF events so far: a history, not yet a call row. Or no longer one: a
            # resync's entry is replaced by a later listing taken at the same instant, and what
            # that listing says (not there) proves nothing. Either way, no row: as a replay.
            self._folded_legs.pop(ccid, None)
            return before, None
        self._folded_legs[ccid] = call
        self._legs_index.index(ccid, call)
        return before, call

    def _fold_leg(self, ccid: str, timeline: Timeline) -> Call:
        # Usually steps just the new entries: see timeline.py.
        fold = timeline.fold(lambda: LegFold(ccid), from_scratch=not self._incremental)
        return fold.call

    def _refold_conference(self, cid: str) -> None:
        timeline = self._conference_logs.get(cid)
        if timeline is None:
            return
        if not proves_conference(timeline):  # not yet, or no longer (see _refold_leg)
            self._folded_conferences.pop(cid, None)
            return
        conference = self._fold_conference(cid, timeline)
        self._folded_conferences[cid] = conference
        for ccid in conference.participants:
            self._memberships.add(ccid, cid)

    def _fold_conference(self, cid: str, timeline: Timeline) -> Conference:
        name = self._conference_names.get(cid)
        last = timeline.last_fold
        # The name is where the fold starts from: once we know another, it starts over.
        renamed = last is not None and last.name != name
        fold = timeline.fold(
            lambda: ConferenceFold(cid, name), from_scratch=renamed or not self._incremental
        )
        return fold.conference

    def _drop_conference(self, changes: Changes, cid: str) -> set[str]:
        """Remove the row of a conference whose timeline proves it no more, if it had one;
        return the legs whose rows showed it."""
        conference = self._conferences.pop(cid, None)
        if conference is None:
            return set()
        for ccid in conference.participants:
            changes.participants.remove((cid, ccid))
        changes.conferences.remove(cid)
        return set(conference.participants) | self._legs_index.naming_conference(cid)


def _field(payload: Payload, name: str) -> Any:
    """``payload.<name>`` if the model or the webhook has it, else None.

    ``getattr(model, name, None)`` on a pydantic model that lacks the field raises and catches
    an AttributeError inside pydantic: the store asks twice per webhook, and that was its
    largest single cost with thousands of live calls.
    """
    value = payload.__dict__.get(name)
    if value is None and payload.__pydantic_extra__:
        value = payload.__pydantic_extra__.get(name)
    return value
