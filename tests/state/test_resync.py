"""REST snapshot reconciliation: orphans closed, unknown legs created, corrections, ordering."""

from __future__ import annotations

import itertools

from console.state.entities import CallState
from console.state.facts import HANGUP_UNOBSERVED
from console.state.snapshot import (
    ActiveCallSnapshot,
    ConferenceSnapshot,
    ParticipantSnapshot,
    QueueCallSnapshot,
    QueueSnapshot,
    Snapshot,
)
from console.state.store import Store
from tests.state.factories import Leg, at, b64, conference_event, state_of
from tests.state.fake_clock import FakeClock

CONF = "conf-1"


def active(leg: Leg, duration: int = 30, client_state: str | None = None) -> ActiveCallSnapshot:
    return ActiveCallSnapshot(
        call_control_id=leg.ccid,
        call_leg_id=leg.leg_id,
        call_session_id=leg.session_id,
        call_duration=duration,
        client_state=client_state,
    )


def test_orphan_is_closed_and_unknown_live_leg_is_created(store: Store):
    orphan, known, unknown = Leg("orphan"), Leg("known"), Leg("unknown")
    for leg in (orphan, known):
        store.apply(leg.initiated(0))
        store.apply(leg.answered(1))

    snapshot = Snapshot(
        taken_at=at(100), active_calls=[active(known), active(unknown, 40, b64("vip"))]
    )
    changes = store.reconcile(snapshot)
    assert changes.calls.added == {unknown.ccid}
    assert changes.calls.changed == {orphan.ccid}

    closed = store.call(orphan.ccid)
    assert closed.state is CallState.ENDED
    assert closed.repaired is True
    assert closed.ended_at == at(100)
    assert closed.hangup_cause == HANGUP_UNOBSERVED

    created = store.call(unknown.ccid)
    assert created.is_live
    assert created.repaired is True
    assert created.needs_resync is False
    assert created.started_at == at(60)
    assert created.client_state == "vip"
    assert (created.call_leg_id, created.call_session_id) == (unknown.leg_id, unknown.session_id)

    untouched = store.call(known.ccid)
    assert (untouched.state, untouched.repaired) == (CallState.ANSWERED, False)


def test_reconciling_the_same_snapshot_twice_changes_nothing(store: Store):
    orphan = Leg("orphan")
    store.apply(orphan.initiated(0))
    snapshot = Snapshot(taken_at=at(100), active_calls=[active(Leg("new"))])
    assert store.reconcile(snapshot)
    assert not store.reconcile(snapshot)


def test_resync_clears_needs_resync(store: Store):
    stranger = Leg("stranger")
    store.apply(stranger.bridged(10))
    assert store.call(stranger.ccid).needs_resync
    store.reconcile(Snapshot(taken_at=at(20), active_calls=[active(stranger)]))
    call = store.call(stranger.ccid)
    assert (call.needs_resync, call.state, call.repaired) == (False, CallState.BRIDGED, False)


def test_late_webhooks_do_not_revive_a_leg_the_snapshot_closed(store: Store):
    leg = Leg("a")
    store.apply(leg.initiated(0))
    store.reconcile(Snapshot(taken_at=at(100)))
    store.apply(leg.answered(2))
    store.apply(leg.bridged(3))
    call = store.call(leg.ccid)
    assert call.state is CallState.ENDED
    assert call.answered_at == at(2)


def test_real_hangup_arriving_after_the_resync_replaces_the_guess(store: Store):
    leg = Leg("a")
    store.apply(leg.initiated(0))
    store.reconcile(Snapshot(taken_at=at(100)))
    store.apply(leg.hangup(50, cause="user_busy"))
    call = store.call(leg.ccid)
    assert (call.state, call.ended_at, call.hangup_cause) == (CallState.ENDED, at(50), "user_busy")
    assert call.repaired is False  # the webhook explains it after all


def test_leg_that_began_after_the_snapshot_is_not_closed(store: Store):
    leg = Leg("a")
    store.apply(leg.initiated(120))  # after taken_at: the listing could not know it
    store.reconcile(Snapshot(taken_at=at(100)))
    assert store.call(leg.ccid).is_live


def test_conference_participants_are_corrected(store: Store):
    stayed, vanished, joined_unseen = Leg("stayed"), Leg("vanished"), Leg("unseen")
    for leg in (stayed, vanished, joined_unseen):
        store.apply(leg.initiated(0))
        store.apply(leg.answered(1))
    store.apply(conference_event("conference.created", CONF, 2, creator=stayed))
    store.apply(stayed.joined(3, CONF))
    store.apply(vanished.joined(4, CONF))

    snapshot = Snapshot(
        taken_at=at(100),
        active_calls=[active(leg) for leg in (stayed, vanished, joined_unseen)],
        conferences=[
            ConferenceSnapshot(
                id=CONF,
                name="Support room",
                status="in_progress",
                participants=[
                    ParticipantSnapshot(stayed.ccid, stayed.leg_id, "p-1", muted=True),
                    ParticipantSnapshot(
                        joined_unseen.ccid, joined_unseen.leg_id, "p-3", on_hold=True
                    ),
                ],
            )
        ],
    )
    changes = store.reconcile(snapshot)
    conference = store.conference(CONF)
    assert conference.name == "Support room"
    assert conference.repaired is True
    assert {p.call_control_id for p in conference.present_participants()} == {
        stayed.ccid,
        joined_unseen.ccid,
    }
    assert conference.participants[vanished.ccid].left_at == at(100)
    assert conference.participants[stayed.ccid].participant_id == "p-1"
    assert changes.participants.added == {(CONF, joined_unseen.ccid)}
    assert changes.participants.changed == {(CONF, stayed.ccid), (CONF, vanished.ccid)}

    assert store.call(stayed.ccid).muted is True  # muted/on_hold come from the listing
    assert store.call(joined_unseen.ccid).on_hold is True
    assert store.call(joined_unseen.ccid).state is CallState.IN_CONFERENCE
    assert store.call(joined_unseen.ccid).repaired is True
    assert store.call(vanished.ccid).state is CallState.PARKED
    assert store.call(vanished.ccid).repaired is True


def test_conference_missing_from_the_snapshot_is_ended(store: Store):
    a = Leg("a")
    store.apply(a.initiated(0))
    store.apply(a.joined(3, CONF))
    store.reconcile(Snapshot(taken_at=at(100), active_calls=[active(a)]))
    conference = store.conference(CONF)
    assert (conference.ended_at, conference.repaired) == (at(100), True)
    assert store.call(a.ccid).state is CallState.PARKED


def test_unknown_conference_and_queue_calls_are_created(store: Store):
    member, waiting = Leg("member"), Leg("waiting")
    snapshot = Snapshot(
        taken_at=at(100),
        active_calls=[active(member), active(waiting)],
        conferences=[
            ConferenceSnapshot(
                id=CONF,
                name="Room",
                status="in_progress",
                created_at=at(50),
                participants=[ParticipantSnapshot(member.ccid, member.leg_id)],
            ),
            ConferenceSnapshot(id="old", name="Old", status="completed"),
        ],
        queues=[
            QueueSnapshot(
                name="support",
                average_wait_time_secs=33,
                max_size=10,
                calls=[
                    QueueCallSnapshot(
                        waiting.ccid,
                        waiting.leg_id,
                        waiting.session_id,
                        from_="+15550002222",
                        to="+15550003333",
                        queue_position=1,
                        wait_time_secs=20,
                        enqueued_at=at(80),
                    )
                ],
            )
        ],
    )
    changes = store.reconcile(snapshot)
    assert changes.conferences.added == {CONF}  # a completed unknown one is not history we need
    assert changes.queues.added == {"support"}
    conference = store.conference(CONF)
    assert (conference.name, conference.created_at, conference.repaired) == ("Room", at(50), True)
    assert store.call(member.ccid).state is CallState.IN_CONFERENCE
    queued = store.call(waiting.ccid)
    assert (queued.state, queued.queue_name, queued.queue_position) == (
        CallState.QUEUED,
        "support",
        1,
    )
    assert (queued.from_number, queued.enqueued_at) == ("+15550002222", at(80))
    queue = store.queue("support")
    assert (queue.average_wait_secs, queue.max_size) == (33, 10)
    assert list(queue.entries) == [waiting.ccid]


def test_queued_leg_missing_from_its_queue_listing_is_dequeued(store: Store):
    leg = Leg("a")
    store.apply(leg.initiated(0))
    store.apply(leg.enqueued(5, "support", 1))
    snapshot = Snapshot(
        taken_at=at(100), active_calls=[active(leg)], queues=[QueueSnapshot(name="support")]
    )
    store.reconcile(snapshot)
    call = store.call(leg.ccid)
    assert (call.state, call.queue_name, call.repaired) == (CallState.PARKED, None, True)
    assert store.queue("support").entries == {}


def test_known_conference_listed_as_completed_is_ended(store: Store):
    a = Leg("a")
    store.apply(a.initiated(0))
    store.apply(a.joined(3, CONF))
    listed = ConferenceSnapshot(id=CONF, status="completed", end_reason="ended_via_api")
    store.reconcile(Snapshot(taken_at=at(100), active_calls=[active(a)], conferences=[listed]))
    conference = store.conference(CONF)
    assert (conference.ended_at, conference.end_reason) == (at(100), "ended_via_api")
    assert conference.repaired is True
    assert store.call(a.ccid).state is CallState.PARKED


def test_a_resync_anywhere_in_the_stream_ends_the_same():
    """The snapshot is an event at taken_at: when it is reconciled does not matter."""
    ended, alive, later = Leg("ended"), Leg("alive"), Leg("later")
    snapshot = Snapshot(taken_at=at(100), active_calls=[active(alive)])
    steps = [
        ended.initiated(0),
        ended.hangup(50, cause="user_busy"),
        alive.initiated(10),
        later.initiated(120),  # began after the snapshot: it cannot be listed
        snapshot,
    ]

    def run(order) -> Store:
        store = Store(clock=FakeClock(at(0)))
        for step in order:
            if isinstance(step, Snapshot):
                store.reconcile(step)
            else:
                store.apply(step)
        return store

    expected = state_of(run(steps))
    calls = expected[0]
    assert calls[ended.ccid].hangup_cause == "user_busy"
    assert calls[alive.ccid].is_live and calls[later.ccid].is_live
    assert not any(c.repaired for c in calls.values())
    for order in itertools.permutations(steps):
        assert state_of(run(order)) == expected


def test_conference_ending_after_a_resync_dropped_its_participant_parks_the_leg():
    """Found by test_incremental: a resync at t0 lists conf-2 with p0 only, so p1, which joined
    conf-2 at t0, left it then as far as the conference knows; its own timeline still says
    joined. conference.ended (t0+1) then changes no participant of p1's, yet p1's row shows
    whether conf-2 is going: it must be parked, live as after a journal replay, in any order."""
    creator, p0, p1 = Leg("creator"), Leg("p0"), Leg("p1")
    listed = ConferenceSnapshot(
        id="conf-2", status="in_progress", participants=[ParticipantSnapshot(p0.ccid, muted=True)]
    )
    snapshot = Snapshot(taken_at=at(0), conferences=[listed])
    events = [
        conference_event("conference.created", "conf-1", 0, creator=creator),
        conference_event("conference.created", "conf-2", 0, creator=creator),
        p0.initiated(0),
        p0.answered(0),
        p0.joined(0, "conf-1"),
        p1.initiated(0),
        p1.answered(0),
        p1.joined(0, "conf-2"),
        conference_event("conference.ended", "conf-2", 1, reason="all_left"),
    ]
    for incremental in (True, False):
        store = Store(clock=FakeClock(at(0)), incremental=incremental)
        store.reconcile(snapshot)
        for event in events:
            store.apply(event)
        parked = store.call(p1.ccid)
        assert (parked.state, parked.conference_id) == (CallState.PARKED, None)
        assert store.call(p0.ccid).state is CallState.PARKED
        live = state_of(store)
        store.rebuild(events)
        assert state_of(store) == live

    # The conference ending before p1's join reaches us parks it the same way.
    store = Store(clock=FakeClock(at(0)))
    store.reconcile(snapshot)
    for event in [*events[-1:], *events[:-1]]:
        store.apply(event)
    assert state_of(store) == live


def test_a_second_listing_at_the_same_instant_takes_back_what_the_first_showed():
    """Found by test_incremental: two resyncs taken at the same instant are one entry (the
    later replaces the earlier). The first listed conf-1 with an unknown leg p1; the second,
    empty, shows neither: nothing proves them any more, so their rows go, live as in a replay."""
    p0, p1 = Leg("p0"), Leg("p1")
    listed = ConferenceSnapshot(
        id=CONF, status="in_progress", participants=[ParticipantSnapshot(p1.ccid, muted=True)]
    )
    events = [p0.initiated(0), p0.answered(0)]
    for incremental in (True, False):
        store = Store(clock=FakeClock(at(0)), incremental=incremental)
        store.reconcile(Snapshot(taken_at=at(0), conferences=[listed]))
        assert store.call(p1.ccid) is not None and store.conference(CONF) is not None
        changes = store.reconcile(Snapshot(taken_at=at(0)))
        assert changes.calls.removed == {p1.ccid}
        assert changes.conferences.removed == {CONF}
        assert changes.participants.removed == {(CONF, p1.ccid)}
        for event in events:
            store.apply(event)
        assert set(store.calls) == {p0.ccid} and store.conferences == {}
        live = state_of(store)
        store.rebuild(events)
        assert state_of(store) == live
