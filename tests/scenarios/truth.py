"""Compare the console's store with the simulator's true state."""

from __future__ import annotations

from typing import Any

from console.state.entities import CallState

# The simulator's one-word states and the store states each may show as.
_STATES: dict[str, set[CallState]] = {
    "parked": {CallState.RINGING},  # an inbound call not answered yet
    "ringing": {CallState.RINGING},
    "conference": {CallState.IN_CONFERENCE},
    "queued": {CallState.QUEUED},
    "bridged": {CallState.BRIDGED},
    "active": {CallState.ANSWERED, CallState.PARKED},
    "held": {CallState.ANSWERED, CallState.PARKED},
}


def differences(session: Any) -> list[str]:
    """Every way the store disagrees with ``sim.truth()`` (empty when they agree)."""
    truth = session.simulator.truth()
    store = session.store
    problems: list[str] = []

    live = {c.call_control_id: c for c in store.live_calls()}
    if set(live) != set(truth["calls"]):
        problems.append(
            f"live calls: store-only {sorted(set(live) - set(truth['calls']))}, "
            f"simulator-only {sorted(set(truth['calls']) - set(live))}"
        )
    for ccid, real in truth["calls"].items():
        call = live.get(ccid)
        if call is None:
            continue
        if call.state not in _STATES[real["state"]]:
            problems.append(f"{ccid}: store {call.state}, simulator {real['state']}")
        if call.conference_id != real["conference_id"]:
            problems.append(f"{ccid}: conference {call.conference_id} vs {real['conference_id']}")
        if call.queue_name != real["queue"]:
            problems.append(f"{ccid}: queue {call.queue_name} vs {real['queue']}")
    for ccid, ended in truth["ended_calls"].items():
        call = store.call(ccid)
        if call is not None and call.is_live:
            problems.append(f"{ccid}: live in the store, ended ({ended['hangup_cause']})")

    for cid, real in truth["conferences"].items():
        conference = store.conference(cid)
        live_conf = real["status"] != "completed"
        if conference is None:
            if live_conf:
                problems.append(f"conference {cid} missing from the store")
            continue
        if conference.is_live != live_conf:
            problems.append(f"conference {cid}: live {conference.is_live} vs {real['status']}")
        if not live_conf:
            continue
        present = {p.call_control_id: p for p in conference.present_participants()}
        joined = {k: v for k, v in real["participants"].items() if v["status"] == "joined"}
        if set(present) != set(joined):
            problems.append(f"conference {cid}: participants {sorted(present)} vs {sorted(joined)}")
        for ccid, flags in joined.items():
            p = present.get(ccid)
            if p is not None and (p.muted, p.on_hold) != (flags["muted"], flags["on_hold"]):
                problems.append(
                    f"{cid}/{ccid}: muted/on_hold {(p.muted, p.on_hold)} vs "
                    f"{(flags['muted'], flags['on_hold'])}"
                )
    for name, members in truth["queues"].items():
        queue = store.queue(name)
        waiting = [e.call_control_id for e in queue.waiting()] if queue else []
        if sorted(waiting) != sorted(members):
            problems.append(f"queue {name}: {waiting} vs {members}")
    return problems
