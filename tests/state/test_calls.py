"""A leg's life from its webhooks: fields, duplicates, late and unknown events, recordings."""

from __future__ import annotations

from console.state.entities import CallState, RecordingState
from console.state.store import Store
from tests.state.factories import Leg, at, b64, envelope


def test_initiated_fills_the_leg(store: Store):
    leg = Leg("a", client_state=b64("ivr:main"))
    changes = store.apply(leg.initiated(0))
    call = store.call(leg.ccid)
    assert changes.calls.added == {leg.ccid}
    assert call is not None
    assert call.state is CallState.RINGING
    assert (call.call_leg_id, call.call_session_id) == (leg.leg_id, leg.session_id)
    assert call.connection_id is not None
    assert (call.direction, call.from_number, call.to_number) == ("incoming", leg.from_, leg.to)
    assert call.caller_name == "Ada Lovelace"
    assert call.started_at == at(0)
    assert call.client_state == "ivr:main"
    assert call.needs_resync is False
    assert call.last_event_at == at(0)
    assert store.call_for_leg_id(leg.leg_id) is call
    assert store.live_calls() == [call]


def test_short_call_lifecycle(store: Store):
    leg = Leg("a")
    store.apply(leg.initiated(0))
    store.apply(leg.answered(2))
    assert store.call(leg.ccid).state is CallState.ANSWERED
    store.apply(leg.hangup(30, cause="normal_clearing", source="callee"))
    call = store.call(leg.ccid)
    assert call.state is CallState.ENDED
    assert (call.answered_at, call.ended_at) == (at(2), at(30))
    assert (call.hangup_cause, call.hangup_source, call.sip_hangup_cause) == (
        "normal_clearing",
        "callee",
        "200",
    )
    assert store.live_calls() == []


def test_same_event_twice_changes_nothing(store: Store):
    leg = Leg("a")
    answered = leg.answered(2)
    store.apply(leg.initiated(0))
    first = store.apply(answered)
    assert first.calls.changed == {leg.ccid}
    before = store.call(leg.ccid)
    second = store.apply(answered)
    assert not second
    assert store.call(leg.ccid) == before


def test_redelivery_with_a_new_attempt_is_still_a_duplicate(store: Store):
    leg = Leg("a")
    store.apply(leg.initiated(0, event_id="evt-1"))
    assert not store.apply(leg.initiated(0, event_id="evt-1"))


def test_hangup_before_answer(store: Store):
    leg = Leg("a")
    store.apply(leg.initiated(0))
    store.apply(leg.hangup(20, cause="originator_cancel"))
    call = store.call(leg.ccid)
    assert call.state is CallState.ENDED
    assert call.answered_at is None
    assert call.hangup_cause == "originator_cancel"


def test_late_answered_after_hangup_does_not_revive(store: Store):
    leg = Leg("a")
    store.apply(leg.initiated(0))
    store.apply(leg.hangup(30))
    store.apply(leg.answered(2))  # delivered late, happened before the hangup
    call = store.call(leg.ccid)
    assert call.state is CallState.ENDED
    assert call.answered_at == at(2)
    assert call.ended_at == at(30)


def test_event_stamped_after_hangup_does_not_revive(store: Store):
    leg = Leg("a")
    store.apply(leg.initiated(0))
    store.apply(leg.hangup(30))
    store.apply(leg.bridged(31))
    assert store.call(leg.ccid).state is CallState.ENDED


def test_same_timestamp_folds_in_lifecycle_order(store: Store):
    leg = Leg("a")
    store.apply(leg.hangup(5, event_id="00000000-aaaa"))
    store.apply(leg.answered(5, event_id="ffffffff-zzzz"))
    store.apply(leg.initiated(5, event_id="77777777-mmmm"))
    call = store.call(leg.ccid)
    assert call.state is CallState.ENDED
    assert call.answered_at == at(5)


def test_unknown_leg_is_created_and_flagged_for_resync(store: Store):
    leg = Leg("stranger")
    changes = store.apply(leg.bridged(10))
    call = store.call(leg.ccid)
    assert changes.calls.added == {leg.ccid}
    assert call.state is CallState.BRIDGED
    assert call.needs_resync is True
    assert call.call_session_id == leg.session_id


def test_unknown_leg_hangup_is_created_ended(store: Store):
    leg = Leg("stranger")
    store.apply(leg.hangup(10))
    call = store.call(leg.ccid)
    assert call.state is CallState.ENDED
    assert call.needs_resync is True


def test_late_initiated_clears_needs_resync(store: Store):
    leg = Leg("a")
    store.apply(leg.answered(2))
    assert store.call(leg.ccid).needs_resync
    store.apply(leg.initiated(0))
    call = store.call(leg.ccid)
    assert call.needs_resync is False
    assert call.state is CallState.ANSWERED


def test_informational_events_do_not_create_calls(store: Store):
    leg = Leg("a", client_state=b64("menu"))
    assert not store.apply(leg.dtmf(1))
    assert store.call(leg.ccid) is None
    store.apply(leg.initiated(0))
    # The earlier DTMF still counts for last_event_at: it is part of the leg's history.
    assert store.call(leg.ccid).last_event_at == at(1)


def test_unknown_event_types_are_ignored(store: Store):
    leg = Leg("a")
    store.apply(leg.initiated(0))
    before = store.call(leg.ccid)
    changes = store.apply(envelope("call.brand_new.thing", 3, leg.ids()))
    assert not changes
    assert store.call(leg.ccid) == before


def test_client_state_follows_the_latest_event(store: Store):
    leg = Leg("a", client_state=b64("stage-1"))
    store.apply(leg.initiated(0))
    leg.client_state = b64("stage-2")
    store.apply(leg.answered(2))
    leg.client_state = ""  # "" means nothing set; it must not erase what we know
    store.apply(leg.dtmf(3))
    assert store.call(leg.ccid).client_state == "stage-2"


def test_recording_confirmation_then_saved(store: Store, clock):
    leg = Leg("a")
    store.apply(leg.initiated(0))
    store.apply(leg.answered(1))
    clock.now = at(5)
    changes = store.mark_call_recording(leg.ccid, RecordingState.RECORDING)
    assert changes.calls.changed == {leg.ccid}
    assert store.call(leg.ccid).recording is RecordingState.RECORDING
    assert not store.mark_call_recording(leg.ccid, RecordingState.RECORDING)

    store.apply(leg.recording_saved(20))  # no call_control_id: found by call_leg_id
    call = store.call(leg.ccid)
    assert call.recording is RecordingState.OFF
    assert len(call.recordings) == 1
    recording = call.recordings[0]
    assert recording.recording_id == "rec-1"
    assert recording.url == "https://example.com/rec-1.wav"
    assert (recording.started_at, recording.ended_at) == (at(15), at(20))
    assert recording.call_control_id == leg.ccid


def test_recording_saved_before_the_leg_is_known_is_adopted(store: Store):
    leg = Leg("a")
    assert not store.apply(leg.recording_saved(40))
    store.apply(leg.initiated(0))
    assert [r.recording_id for r in store.call(leg.ccid).recordings] == ["rec-1"]


def test_recording_error_stops_recording(store: Store, clock):
    leg = Leg("a")
    store.apply(leg.initiated(0))
    store.apply(leg.answered(1))
    clock.now = at(2)
    store.mark_call_recording(leg.ccid, RecordingState.RECORDING)
    store.apply(leg.recording_error(3))
    assert store.call(leg.ccid).recording is RecordingState.OFF


def test_marks_for_unknown_legs_are_ignored(store: Store):
    assert not store.mark_call_recording("v3:nobody", RecordingState.RECORDING)
    assert not store.mark_participants("conf-x", ["v3:nobody"], muted=True)
    assert not store.mark_conference_recording("conf-x", RecordingState.RECORDING)
    assert not store.note_bridge("v3:a", "v3:b")
