"""The rows the store shows, derived from the timelines: calls, conferences and queues.

Each leg's and conference's timeline is folded (``legs.py``, ``conferences.py``; usually just
stepping the new entries, see ``timeline.py``), then the facts that span entities are
re-derived (``projection.py``): a call shows its bridge partner, its conference's liveness and
its queue position, a conference its participants as their legs say, a queue who waits in it.
``refresh`` re-derives only what the touched timelines can affect and reports exactly the rows
whose visible data differ.
"""

from __future__ import annotations

from collections.abc import Mapping

from console.state.changes import Changes
from console.state.conferences import ConferenceFold, proves_conference
from console.state.diffing import diff, diff_conference
from console.state.entities import Call, Conference, Queue
from console.state.event_log import EventLog, Touched
from console.state.indexes import LegIndex, Memberships
from console.state.legs import LegFold, proves_leg
from console.state.projection import find_partner, project_conference, project_leg, project_queue
from console.state.queue_reports import QueueReports
from console.state.timeline import Timeline


class DerivedState:
    """The folds of the timelines and the rows projected from them, with their lookups."""

    def __init__(
        self,
        log: EventLog,
        legs_index: LegIndex,
        queue_reports: QueueReports,
        conference_names: Mapping[str, str],
        *,
        incremental: bool,
    ) -> None:
        self._log = log
        self._queue_reports = queue_reports
        self._conference_names = conference_names
        self._incremental = incremental
        self.legs_index = legs_index  # leg id, call session, conference, queue -> legs
        self.memberships = Memberships()  # leg -> conferences whose participants name it
        self.folded_legs: dict[str, Call] = {}
        self.folded_conferences: dict[str, Conference] = {}
        self.calls: dict[str, Call] = {}
        self.conferences: dict[str, Conference] = {}
        self.queues: dict[str, Queue] = {}
        self.live_count = 0  # calls whose is_live holds: a counter, never a scan

    def set_call(self, ccid: str, call: Call | None) -> Call | None:
        """The one place ``calls`` changes: keeps the live counter true. Returns the old row."""
        old = self.calls.pop(ccid, None) if call is None else self.calls.get(ccid)
        if call is not None:
            self.calls[ccid] = call
        self.live_count += (call is not None and call.is_live) - (old is not None and old.is_live)
        return old

    # --- re-deriving -----------------------------------------------------------------------

    def refresh(self, touched: Touched) -> Changes:
        """Re-fold the touched timelines, re-derive everything they affect, report what differs."""
        changes = Changes()
        affected_legs = set(touched.legs)
        affected_conferences = set(touched.conferences)
        affected_queues = set(touched.queues)
        sessions: set[str] = set()

        for ccid in touched.legs:
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
            affected_conferences |= self.memberships.of(ccid)
            if (public := self.calls.get(ccid)) and public.bridged_to:
                affected_legs.add(public.bridged_to)

        for cid in touched.conferences:
            self._refold_conference(cid)
        for cid in affected_conferences:
            affected_legs |= self._reproject_conference(changes, cid)
        for name in affected_queues:
            affected_legs |= self._reproject_queue(changes, name)
        for session in sessions:
            affected_legs |= self.legs_index.in_session(session)
        for ccid in affected_legs:
            self._reproject_leg(changes, ccid)
        return changes

    def _reproject_conference(self, changes: Changes, cid: str) -> set[str]:
        """Project conference ``cid`` again; return the legs whose rows must follow."""
        folded = self.folded_conferences.get(cid)
        if folded is None:
            return self._drop_conference(changes, cid)
        conference = project_conference(folded, self.folded_legs)
        old_conference = self.conferences.get(cid)
        # Calls mirror their participant (present, muted, on hold): only those that differ
        # need a new look...
        legs = diff_conference(changes, old_conference, conference)
        # ...and every leg that names the conference shows whether it is still going (an ended
        # one parks it), participant or not: a late join, or one a resync removed.
        if old_conference is None or old_conference.is_live != conference.is_live:
            legs |= self.legs_index.naming_conference(cid)
        self.conferences[cid] = conference
        return legs

    def _reproject_queue(self, changes: Changes, name: str) -> set[str]:
        """Project queue ``name`` again; return the calls whose position moved, came or went."""
        reports = self._queue_reports
        queue = project_queue(
            name,
            (self.folded_legs[c] for c in self.legs_index.in_queue(name)),
            average_wait_secs=reports.value(name, "avg"),
            max_size=reports.value(name, "max_size"),
        )
        old_queue = self.queues.get(name)
        diff(changes.queues, name, old_queue, queue)
        self.queues[name] = queue
        old_entries = old_queue.entries if old_queue is not None else {}
        return {
            ccid
            for ccid in old_entries.keys() | queue.entries.keys()
            if old_entries.get(ccid) != queue.entries.get(ccid)
        }

    def _reproject_leg(self, changes: Changes, ccid: str) -> None:
        folded_leg = self.folded_legs.get(ccid)
        if folded_leg is None:
            if self.set_call(ccid, None) is not None:  # its timeline proves it no more
                changes.calls.remove(ccid)
            return
        peers = self.legs_index.in_session(folded_leg.call_session_id or "")
        call = project_leg(
            folded_leg,
            partner=find_partner(folded_leg, self.folded_legs, peers),
            conference=self.conferences.get(folded_leg.conference_id or ""),
            queue=self.queues.get(folded_leg.queue_name or ""),
        )
        diff(changes.calls, ccid, self.set_call(ccid, call), call)

    def _refold_leg(self, ccid: str) -> tuple[Call | None, Call | None]:
        timeline = self._log.leg_timelines.get(ccid)
        before = self.folded_legs.get(ccid)
        if timeline is None:
            return before, before
        call = self._fold_leg(ccid, timeline)
        orphans = self._log.adopt_orphans(call.call_leg_id)
        if orphans:
            for entry in orphans:
                timeline.add(entry)
            call = self._fold_leg(ccid, timeline)
        if before is not None:
            self.legs_index.unindex(ccid, before)
        self.legs_index.note_leg_id(ccid, call)
        if not proves_leg(timeline):
            # Only media/DTMF events so far: a history, not yet a call row. Or no longer one: a
            # resync's entry is replaced by a later listing taken at the same instant, and what
            # that listing says (not there) proves nothing. Either way, no row: as a replay.
            self.folded_legs.pop(ccid, None)
            return before, None
        self.folded_legs[ccid] = call
        self.legs_index.index(ccid, call)
        return before, call

    def _fold_leg(self, ccid: str, timeline: Timeline) -> Call:
        # Usually steps just the new entries: see timeline.py.
        fold = timeline.fold(lambda: LegFold(ccid), from_scratch=not self._incremental)
        return fold.call

    def _refold_conference(self, cid: str) -> None:
        timeline = self._log.conference_timelines.get(cid)
        if timeline is None:
            return
        if not proves_conference(timeline):  # not yet, or no longer (see _refold_leg)
            self.folded_conferences.pop(cid, None)
            return
        conference = self._fold_conference(cid, timeline)
        self.folded_conferences[cid] = conference
        for ccid in conference.participants:
            self.memberships.add(ccid, cid)

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
        conference = self.conferences.pop(cid, None)
        if conference is None:
            return set()
        for ccid in conference.participants:
            changes.participants.remove((cid, ccid))
        changes.conferences.remove(cid)
        return set(conference.participants) | self.legs_index.naming_conference(cid)

    # --- forgetting ------------------------------------------------------------------------

    def forget_leg(self, ccid: str) -> None:
        """Drop a leg's fold, row and lookups (pruning; its timeline goes with the event log)."""
        call = self.folded_legs.pop(ccid)
        self.legs_index.unindex(ccid, call)
        self.memberships.forget(ccid)
        self.set_call(ccid, None)

    def forget_conference(self, changes: Changes, cid: str) -> None:
        """Drop an ended conference's row, fold and lookups, reporting its participants gone."""
        for ccid in self.conferences[cid].participants:
            changes.participants.remove((cid, ccid))
            self.memberships.leave(ccid, cid)
        del self.conferences[cid], self.folded_conferences[cid]
        self.legs_index.forget_conference(cid)
        changes.conferences.remove(cid)
