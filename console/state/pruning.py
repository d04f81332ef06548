"""Forgetting what ended long ago, without losing what a live call still needs.

A leg that ended before the cutoff goes, unless a live leg needs it to explain itself (its
bridge partner, the other legs of its call session, a participant of a live conference); an
ended conference goes unless a live leg's own timeline still names it (that is what parks the
leg, see ``project_leg``). What goes is remembered as pruned, so its late events (call.cost, a
redelivery) stay history instead of bringing a row back.
"""

from __future__ import annotations

from datetime import datetime

from console.state.changes import Changes
from console.state.derived import DerivedState
from console.state.event_log import EventLog


def prune_ended(log: EventLog, state: DerivedState, cutoff: datetime) -> Changes:
    """Forget the legs and conferences that ended before ``cutoff``; report the rows gone."""
    changes = Changes()
    # Runs on the window's loop every few seconds: with thousands of live calls and none ended
    # long enough, finding that out must not cost what working out what to keep does.
    old_enough = [
        ccid
        for ccid, call in state.calls.items()
        if call.ended_at is not None and call.ended_at < cutoff and not call.is_live
    ]
    if old_enough:
        keep = _needed_by_live(state)
        for ccid in old_enough:
            if ccid not in keep:
                state.forget_leg(ccid)
                log.forget_leg(ccid)
                changes.calls.remove(ccid)
    for cid, conference in list(state.conferences.items()):
        if conference.ended_at is None or conference.ended_at >= cutoff:
            continue
        if any(state.folded_legs[c].is_live for c in state.legs_index.naming_conference(cid)):
            continue
        state.forget_conference(changes, cid)
        log.forget_conference(cid)
    log.drop_strays(cutoff, state.folded_legs.keys(), state.folded_conferences.keys())
    return changes


def _needed_by_live(state: DerivedState) -> set[str]:
    """Ended legs a live one still needs: its bridge partner, its session's other legs, the
    participants of a live conference."""
    live = [c for c in state.folded_legs.values() if c.is_live]
    keep = {c.bridged_to for c in state.calls.values() if c.is_live and c.bridged_to}
    for session in {c.call_session_id for c in live if c.call_session_id}:
        keep |= state.legs_index.in_session(session)
    for conference in state.folded_conferences.values():
        if conference.is_live:
            keep |= {p.call_control_id for p in conference.present_participants()}
    return keep
