"""Live calls seen from the desk: a store call as a history entry, and which calls need wrap-up.

A call's wrap-up, notes and caller context are keyed by the history's ``call_key``; a live call
has no history row yet, so its entry is built from the store's picture of it (the history row
written when it ends carries the same key).
"""

from __future__ import annotations

from collections.abc import Callable

from console.history import CallHistoryEntry
from console.state.entities import Call


def entry_from_call(call: Call) -> CallHistoryEntry:
    return CallHistoryEntry(
        call_control_id=call.call_control_id,
        call_leg_id=call.call_leg_id,
        call_session_id=call.call_session_id,
        direction=call.direction,
        from_number=call.from_number,
        to_number=call.to_number,
        caller_name=call.caller_name,
        started_at=call.started_at,
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        hangup_cause=call.hangup_cause,
        hangup_source=call.hangup_source,
        sip_hangup_cause=call.sip_hangup_cause,
        recording_urls=tuple(url for r in call.recordings for url in (r.wav_url, r.mp3_url) if url),
        recording_count=len(call.recordings),
        conference_ids=(call.conference_id,) if call.conference_id else (),
        queue_names=(call.queue_name,) if call.queue_name else (),
        first_seen_at=call.started_at,
        last_seen_at=call.last_event_at,
    )


def handled(call: Call, is_operator_leg: Callable[[str], bool]) -> bool:
    """A call the operator talked on: answered, and not the console's leg to their own phone."""
    return call.answered_at is not None and not is_operator_leg(call.call_control_id)
