"""Conferences and participants: lifecycle, mute/hold confirmations, conference-only events."""

from __future__ import annotations

from console.state.entities import CallState, RecordingState
from console.state.store import Store
from tests.state.factories import Leg, at, conference_event

CONF = "428c31b6-abf3-3bc1-b7f4-5013ef9657c1"


def _two_in_conference(store: Store) -> tuple[Leg, Leg]:
    a, b = Leg("a"), Leg("b")
    for leg in (a, b):
        store.apply(leg.initiated(0))
        store.apply(leg.answered(1))
    store.apply(conference_event("conference.created", CONF, 2, creator=a))
    store.apply(a.joined(3, CONF))
    store.apply(b.joined(4, CONF))
    return a, b


def test_created_without_a_name_then_named(store: Store):
    a = Leg("a")
    changes = store.apply(conference_event("conference.created", CONF, 2, creator=a))
    assert changes.conferences.added == {CONF}
    conference = store.conference(CONF)
    assert conference.name is None
    assert conference.created_at == at(2)
    assert conference.is_live
    # conference.created names the creating leg, but says nothing about its state.
    assert store.call(a.ccid) is None

    changes = store.note_conference_name(CONF, "Support 1")
    assert changes.conferences.changed == {CONF}
    assert store.conference(CONF).name == "Support 1"


def test_name_noted_before_the_conference_exists(store: Store):
    assert not store.note_conference_name(CONF, "Early")
    store.apply(conference_event("conference.created", CONF, 2))
    assert store.conference(CONF).name == "Early"


def test_participants_join_and_leave(store: Store):
    a, b = _two_in_conference(store)
    conference = store.conference(CONF)
    assert [p.call_control_id for p in conference.present_participants()] == [a.ccid, b.ccid]
    assert conference.participants[a.ccid].joined_at == at(3)
    assert store.call(a.ccid).state is CallState.IN_CONFERENCE
    assert store.call(a.ccid).conference_id == CONF

    changes = store.apply(a.left(20, CONF))
    assert changes.participants.changed == {(CONF, a.ccid)}
    assert changes.calls.changed == {a.ccid}
    assert changes.conferences.changed == {CONF}  # one fewer present
    assert store.conference(CONF).participants[a.ccid].left_at == at(20)
    call = store.call(a.ccid)
    assert call.state is CallState.PARKED
    assert call.conference_id is None


def test_hangup_in_conference_leaves_it(store: Store):
    a, _ = _two_in_conference(store)
    store.apply(a.hangup(20))
    assert store.call(a.ccid).state is CallState.ENDED
    # conference.participant.left may come later (or never): the hangup already says it.
    assert store.conference(CONF).participants[a.ccid].left_at == at(20)
    store.apply(a.left(20, CONF))
    assert store.conference(CONF).participants[a.ccid].left_at == at(20)


def test_conference_ended_parks_everyone_still_there(store: Store):
    a, b = _two_in_conference(store)
    store.apply(a.hangup(20))
    changes = store.apply(
        conference_event("conference.ended", CONF, 30, creator=a, reason="host_left")
    )
    conference = store.conference(CONF)
    assert (conference.ended_at, conference.end_reason) == (at(30), "host_left")
    assert not conference.is_live
    assert conference.present_participants() == []
    assert conference.participants[b.ccid].left_at == at(30)
    assert store.call(b.ccid).state is CallState.PARKED
    assert store.call(b.ccid).conference_id is None
    assert changes.conferences.changed == {CONF}
    assert changes.participants.changed == {(CONF, b.ccid)}
    assert changes.calls.changed == {b.ccid}


def test_join_arriving_after_conference_ended(store: Store):
    a = Leg("a")
    store.apply(a.initiated(0))
    store.apply(conference_event("conference.ended", CONF, 30, reason="all_left"))
    store.apply(a.joined(3, CONF))
    assert store.call(a.ccid).state is CallState.PARKED
    assert store.conference(CONF).participants[a.ccid].left_at == at(30)


def test_mute_and_hold_confirmations_mirror_on_calls(store: Store, clock):
    a, b = _two_in_conference(store)
    clock.now = at(10)
    changes = store.mark_participants(CONF, [a.ccid], muted=True)
    assert changes.participants.changed == {(CONF, a.ccid)}
    assert changes.calls.changed == {a.ccid}
    assert not changes.conferences  # mute is not shown on the conference row
    assert store.participant(CONF, a.ccid).muted is True
    assert store.call(a.ccid).muted is True
    assert store.call(b.ccid).muted is False

    changes = store.mark_participants(CONF, [a.ccid, b.ccid], on_hold=True)
    assert changes.calls.changed == {a.ccid, b.ccid}
    assert store.call(a.ccid).on_hold and store.call(b.ccid).on_hold
    assert store.call(a.ccid).muted  # untouched

    assert not store.mark_participants(CONF, [a.ccid], muted=True)  # already so
    store.mark_participants(CONF, [a.ccid], muted=False, on_hold=False)
    call = store.call(a.ccid)
    assert (call.muted, call.on_hold) == (False, False)


def test_empty_list_means_everyone(store: Store, clock):
    a, b = _two_in_conference(store)
    clock.now = at(10)
    store.mark_participants(CONF, [], muted=True)
    assert store.call(a.ccid).muted and store.call(b.ccid).muted


def test_mute_mirror_clears_when_the_leg_leaves(store: Store, clock):
    a, _ = _two_in_conference(store)
    clock.now = at(10)
    store.mark_participants(CONF, [a.ccid], muted=True, on_hold=True)
    store.apply(a.left(20, CONF))
    call = store.call(a.ccid)
    assert (call.muted, call.on_hold) == (False, False)


def test_conference_only_events_touch_no_call(store: Store):
    _two_in_conference(store)
    before = dict(store.calls)
    for kind in ("conference.speak.started", "conference.playback.ended"):
        changes = store.apply(conference_event(kind, CONF, 12, media_url="https://x/a.mp3"))
        assert not changes.calls
    assert dict(store.calls) == before


def test_conference_recording(store: Store, clock):
    a, _ = _two_in_conference(store)
    clock.now = at(10)
    changes = store.mark_conference_recording(CONF, RecordingState.RECORDING)
    assert changes.conferences.changed == {CONF}
    assert store.conference(CONF).recording is RecordingState.RECORDING
    saved = conference_event(
        "conference.recording.saved",
        CONF,
        40,
        creator=a,
        recording_id="crec-1",
        channels="single",
        format="mp3",
        recording_urls={"mp3": "https://example.com/c.mp3", "wav": None},
    )
    store.apply(saved)
    conference = store.conference(CONF)
    assert conference.recording is RecordingState.OFF
    assert [(r.recording_id, r.url, r.conference_id) for r in conference.recordings] == [
        ("crec-1", "https://example.com/c.mp3", CONF)
    ]


def test_participant_joined_for_unknown_leg_creates_it(store: Store):
    stranger = Leg("stranger")
    changes = store.apply(stranger.joined(5, CONF))
    assert changes.calls.added == {stranger.ccid}
    assert changes.conferences.added == {CONF}
    assert changes.participants.added == {(CONF, stranger.ccid)}
    call = store.call(stranger.ccid)
    assert call.state is CallState.IN_CONFERENCE
    assert call.needs_resync is True
