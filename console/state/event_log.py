"""What the store was told: every event, filed in the timeline of each leg and conference it
concerns, with the ids already seen and the legs and conferences already pruned.

A webhook goes to the timeline of the leg it names (``call_control_id``; failing that, the leg
whose ``call_leg_id`` it gives) and, for conference events, of the conference. One naming a leg
id not seen yet waits as an orphan until a leg with that id shows up (call.recording.saved has
no call_control_id in the spec). Command confirmations and resync results are filed in the same
timelines by the store; this module only says which timelines a webhook touched, so the store
re-derives just those (``derived.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field
from datetime import datetime

from console.events.models import EVENT_MODELS, Envelope, GenericEvent, Payload, payload_field
from console.state.conferences import CONFERENCE_KINDS
from console.state.indexes import LegIndex, PrunedIds
from console.state.queue_reports import QueueReports
from console.state.slim import SlimPayload, slim
from console.state.timeline import Entry, Timeline, aware

#: Conference events that also belong to the timeline of the leg they name.
_PARTICIPANT_KINDS = frozenset({"conference.participant.joined", "conference.participant.left"})
_LEG_PREFIXES = ("call.", "streaming.")
#: One copy of each event type string for all the entries, not one per parsed webhook.
_KINDS = {kind: kind for kind in EVENT_MODELS}


@dataclass
class Touched:
    """The legs, conferences and queues whose state must be re-derived."""

    legs: set[str] = field(default_factory=set)
    conferences: set[str] = field(default_factory=set)
    queues: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.legs or self.conferences or self.queues)

    def __ior__(self, other: Touched) -> Touched:
        self.legs |= other.legs
        self.conferences |= other.conferences
        self.queues |= other.queues
        return self


class EventLog:
    """The timelines of every leg and conference the store still holds, and what it forgot."""

    def __init__(
        self, legs_index: LegIndex, queue_reports: QueueReports, clock: Callable[[], datetime]
    ) -> None:
        self._legs_index = legs_index
        self._queue_reports = queue_reports
        self._clock = clock
        self.seen_ids: set[str] = set()
        self.leg_timelines: dict[str, Timeline] = {}
        self.conference_timelines: dict[str, Timeline] = {}
        # call_leg_id -> events naming only it, adopted once a leg with that id shows up.
        self.orphans: dict[str, list[Entry]] = defaultdict(list)
        # Late events for these (call.cost, a redelivery) are history, not new rows. Kept in
        # the order pruned and bounded (a redelivery comes within hours, not months).
        self.pruned_legs = PrunedIds()
        self.pruned_conferences = PrunedIds()

    # --- filing webhooks -------------------------------------------------------------------

    def take(self, envelope: Envelope) -> Touched | None:
        """File a webhook in the timelines it concerns; None if it is a repeat or not modelled."""
        data = envelope.data
        kind = data.event_type
        if isinstance(data, GenericEvent) or kind not in EVENT_MODELS:
            return None
        if data.id in self.seen_ids:
            return None
        self.seen_ids.add(data.id)
        occurred = data.effective_occurred_at
        # conference.recording.saved carries no time at all: it counts from when it arrived.
        at = aware(occurred) if occurred is not None else self._clock()
        payload = data.payload
        # The timelines keep only what the folds read: the parsed payload is ~10× bigger.
        kept = slim(payload, like=self._last_webhook_of_leg(payload))
        entry = Entry(id=data.id, kind=_KINDS[kind], at=at, payload=kept)
        touched = Touched()
        conference_id = payload_field(payload, "conference_id")
        if (
            kind in CONFERENCE_KINDS
            and conference_id
            and conference_id not in self.pruned_conferences
        ):
            self.conference_timeline(conference_id).add(entry)
            touched.conferences.add(conference_id)
        if kind.startswith(_LEG_PREFIXES) or kind in _PARTICIPANT_KINDS:
            ccid = self._route_to_leg(entry)
            if ccid is not None:
                touched.legs.add(ccid)
        # read by name: a payload that did not fit its model arrives as the generic Payload
        queue = payload_field(payload, "queue")
        if kind == "call.enqueued" and queue:
            avg = getattr(payload, "queue_avg_wait_time_secs", None)
            self._queue_reports.report(queue, entry.key, avg=avg)
            touched.queues.add(queue)
        return touched

    def _last_webhook_of_leg(self, payload: Payload) -> SlimPayload | None:
        """What we kept of the webhook filed last for the leg ``payload`` is about, if any."""
        ccid = payload.call_control_id or self._legs_index.leg_for(payload.call_leg_id or "")
        timeline = self.leg_timelines.get(ccid) if ccid else None
        last = timeline.last_added() if timeline is not None else None
        return last.payload if last is not None and isinstance(last.payload, SlimPayload) else None

    def _route_to_leg(self, entry: Entry) -> str | None:
        payload = entry.payload
        ccid: str | None = payload.call_control_id
        if ccid is None and payload.call_leg_id:
            ccid = self._legs_index.leg_for(payload.call_leg_id)
            if ccid is None:
                self.orphans[payload.call_leg_id].append(entry)
                return None
        if ccid is None or ccid in self.pruned_legs:
            return None
        self.leg_timeline(ccid).add(entry)
        return ccid

    # --- timelines -------------------------------------------------------------------------

    def leg_timeline(self, ccid: str) -> Timeline:
        """The timeline of leg ``ccid``, started empty if it had none."""
        return self.leg_timelines.setdefault(ccid, Timeline())

    def conference_timeline(self, conference_id: str) -> Timeline:
        return self.conference_timelines.setdefault(conference_id, Timeline())

    def adopt_orphans(self, call_leg_id: str | None) -> list[Entry]:
        """The events waiting for a leg with this call_leg_id, handed over (once)."""
        return self.orphans.pop(call_leg_id, []) if call_leg_id else []

    def facts(self) -> tuple[list[tuple[str, Entry]], list[tuple[str, Entry]]]:
        """The entries that are not webhooks (confirmations, resyncs), of legs and conferences:
        a journal replay does not bring them back."""
        return _facts(self.leg_timelines.items()), _facts(self.conference_timelines.items())

    def retained_event_ids(self) -> list[str]:
        """The ids of every webhook still held (timelines and unclaimed orphans)."""
        ids: dict[str, None] = {}
        for timelines in (self.leg_timelines.values(), self.conference_timelines.values()):
            for timeline in timelines:
                ids.update(timeline.webhook_ids)
        for entries in self.orphans.values():
            ids.update((e.id, None) for e in entries)
        return list(ids)

    # --- forgetting ------------------------------------------------------------------------

    def forget_leg(self, ccid: str) -> None:
        """Drop the leg's timeline; its late events are kept out by the pruned set from now."""
        self._forget_ids(self.leg_timelines.pop(ccid))
        self.pruned_legs.add(ccid)

    def forget_conference(self, conference_id: str) -> None:
        self._forget_ids(self.conference_timelines.pop(conference_id))
        self.pruned_conferences.add(conference_id)

    def drop_strays(
        self, cutoff: datetime, legs_kept: Set[str], conferences_kept: Set[str]
    ) -> None:
        """Forget timelines that never became a row (a stray call.cost...) and orphans, once
        all they hold is older than ``cutoff``."""
        for timelines, kept in (
            (self.leg_timelines, legs_kept),
            (self.conference_timelines, conferences_kept),
        ):
            for key in timelines.keys() - kept:
                newest = timelines[key].newest_at()
                if newest is None or newest < cutoff:
                    del timelines[key]
        for leg_id, entries in list(self.orphans.items()):
            if all(e.at < cutoff for e in entries):
                del self.orphans[leg_id]

    def _forget_ids(self, timeline: Timeline) -> None:
        # Its late duplicates are stopped by the pruned set: the ids need not stay (memory
        # then follows the calls kept, not every event ever seen).
        self.seen_ids.difference_update(e.id for e in timeline)


def _facts(timelines: Iterable[tuple[str, Timeline]]) -> list[tuple[str, Entry]]:
    return [(key, e) for key, timeline in timelines for e in timeline if not e.is_webhook]
