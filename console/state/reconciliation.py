"""Filing a REST resync: what the API listed at ``taken_at`` as entries in the timelines.

A snapshot is "an event at taken_at": each leg, conference and queue it lists gets an entry at
that time, and each live one it does not list gets an "absent" entry. So a webhook that
happened before the listing cannot undo what it repaired, and one that happened after still
counts. A listing of something already pruned, or of a conference that came and went unseen,
is history and changes nothing.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from console.state.derived import DerivedState
from console.state.event_log import EventLog, Touched
from console.state.facts import ConferenceGone, ConferenceSeen, LegGone, LegSeen
from console.state.queue_reports import QueueReports
from console.state.resync_facts import legs_in
from console.state.snapshot import Snapshot
from console.state.timeline import Entry, aware


def file_snapshot(
    snapshot: Snapshot,
    log: EventLog,
    state: DerivedState,
    queue_reports: QueueReports,
    conference_names: MutableMapping[str, str],
) -> Touched:
    """Enter what ``snapshot`` listed (and did not list) into the timelines; return what it
    touched, for the store to re-derive."""
    at = aware(snapshot.taken_at)
    entry_id = f"resync@{at.isoformat()}"
    touched = Touched()

    seen = legs_in(snapshot)
    for ccid, facts in seen.items():
        if ccid not in log.pruned_legs:
            log.leg_timeline(ccid).add(Entry(entry_id, "resync.leg", at, LegSeen(**facts)))
            touched.legs.add(ccid)
    for ccid, call in state.calls.items():
        if call.is_live and ccid not in seen:
            log.leg_timelines[ccid].add(Entry(entry_id, "resync.leg_absent", at, LegGone()))
            touched.legs.add(ccid)

    for listed in snapshot.conferences:
        if listed.name:
            conference_names[listed.id] = listed.name
        if listed.id in log.pruned_conferences or (
            not listed.is_live and listed.id not in log.conference_timelines
        ):
            continue  # history already, or one that came and went unseen
        log.conference_timeline(listed.id).add(
            Entry(entry_id, "resync.conference", at, ConferenceSeen(listed))
        )
        touched.conferences.add(listed.id)
    listed_ids = {c.id for c in snapshot.conferences}
    for cid, conference in state.conferences.items():
        if conference.is_live and cid not in listed_ids:
            gone = Entry(entry_id, "resync.conference_absent", at, ConferenceGone())
            log.conference_timelines[cid].add(gone)
            touched.conferences.add(cid)

    for queue in snapshot.queues:
        queue_reports.report(
            queue.name,
            Entry(entry_id, "resync.queue", at, None).key,
            avg=queue.average_wait_time_secs,
            max_size=queue.max_size,
        )
        touched.queues.add(queue.name)
    return touched
