"""Facts that span entities, derived after folding: bridge partners, mirrors, queue order.

Each function is pure: folded legs and conferences in, the rows the UI reads out. Folded
objects are never modified; a row that needs a change is a copy.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime

from console.state.conferences import copy_conference
from console.state.entities import Call, CallState, Conference, Queue, QueueEntry

_NEVER = datetime.max.replace(tzinfo=UTC)


def project_conference(folded: Conference, legs: Mapping[str, Call]) -> Conference:
    """A participant whose leg hung up left then, even if conference.participant.left is late
    (or conference.ended, which marks everyone still there as leaving, came first)."""
    result: Conference | None = None
    for ccid, participant in folded.participants.items():
        leg = legs.get(ccid)
        if leg is None or leg.is_live or leg.ended_at is None:
            continue
        if participant.left_at is None or leg.ended_at < participant.left_at:
            result = result or copy_conference(folded)
            result.participants[ccid] = replace(participant, left_at=leg.ended_at)
    return result or folded


def project_queue(
    name: str, members: Iterable[Call], *, average_wait_secs: int | None, max_size: int | None
) -> Queue:
    """The queue's live legs in FIFO order, numbered from 1.

    Telnyx reports a position only when a call joins (call.enqueued) and never updates it, so the
    reported number goes stale as soon as a call ahead leaves; the rank is what the operator
    needs.
    """
    waiting = sorted(
        (c for c in members if c.is_live and c.queue_name == name),
        key=lambda c: (c.enqueued_at or _NEVER, c.queue_position or sys.maxsize, c.call_control_id),
    )
    entries = {
        c.call_control_id: QueueEntry(c.call_control_id, position=i, enqueued_at=c.enqueued_at)
        for i, c in enumerate(waiting, start=1)
    }
    return Queue(name=name, entries=entries, average_wait_secs=average_wait_secs, max_size=max_size)


def find_partner(leg: Call, legs: Mapping[str, Call], session_peers: Iterable[str]) -> Call | None:
    """The leg ``leg`` is (or was last) bridged to, if we can tell.

    call.bridged carries only the receiving leg's own ids and from/to, never the other leg's.
    Legs of one call session (a transfer's new leg, a dial with link_to) pair up by session and
    bridge time; from/to cannot pair reliably (an agent leg dialled from our number shares only
    that number with the caller's leg), so legs of different sessions pair only when the action
    layer confirmed the bridge command (``Store.note_bridge``).
    """
    if leg.bridged_to is not None:
        return legs.get(leg.bridged_to)
    if leg.bridged_at is None:
        return None
    candidates = [
        legs[ccid]
        for ccid in session_peers
        if ccid != leg.call_control_id and ccid in legs and legs[ccid].bridged_at is not None
    ]
    if not candidates:
        return None

    def closeness(peer: Call) -> tuple[bool, float, str]:
        assert peer.bridged_at is not None and leg.bridged_at is not None
        gap = abs((peer.bridged_at - leg.bridged_at).total_seconds())
        # A live leg is bridged to a live one: an ended peer is a bridge that is over.
        return (leg.is_live and not peer.is_live, gap, peer.call_control_id)

    return min(candidates, key=closeness)


def project_leg(
    folded: Call,
    *,
    partner: Call | None,
    conference: Conference | None,
    queue: Queue | None,
) -> Call:
    call = copy.copy(folded)  # shallow: recordings are shared, and never modified
    if call.is_live and conference is not None and call.conference_id == conference.conference_id:
        if not conference.is_live:  # conference.ended: every participant is parked
            call.conference_id = None
            if call.state is CallState.IN_CONFERENCE:
                call.state = CallState.PARKED
        else:
            participant = conference.participants.get(call.call_control_id)
            if participant is not None and participant.present:
                call.muted, call.on_hold = participant.muted, participant.on_hold
    if partner is not None:
        call.bridged_to = partner.call_control_id
        if call.state is CallState.BRIDGED and not partner.is_live:
            call.state = CallState.PARKED  # the other side hung up; this leg stays up alone
    if queue is not None and call.queue_name == queue.name:
        entry = queue.entries.get(call.call_control_id)
        if entry is not None:
            call.queue_position = entry.position
    return call
