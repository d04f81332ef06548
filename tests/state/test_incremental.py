"""Incremental folding: stepping only the new entries gives what a fold from scratch gives.

The store folds a leg's or conference's timeline incrementally when the new entries sort after
all the folded ones (timeline.py), and from scratch otherwise. ``Store(incremental=False)``
always folds from scratch: it is the reference every stream below is held to, step by step,
notifications included.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.events.models import Envelope
from console.state.entities import RecordingState
from console.state.snapshot import ConferenceSnapshot, ParticipantSnapshot, Snapshot
from console.state.store import Store
from console.state.timeline import Entry, Timeline
from tests.state.factories import Leg, at, conference_event, state_of
from tests.state.fake_clock import FakeClock

CONFERENCES = ("conf-1", "conf-2")

# --- Timeline.fold on its own ----------------------------------------------------------------


class Steps:
    """A fold that records the ids it stepped, to see which entries each fold() went through."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def step(self, entry: Entry) -> None:
        self.ids.append(entry.id)

    def copy(self) -> Steps:
        other = Steps()
        other.ids = list(self.ids)
        return other


def entry(name: str, seconds: float, kind: str = "call.dtmf.received") -> Entry:
    return Entry(id=name, kind=kind, at=at(seconds), payload=None)


def test_in_order_entries_are_stepped_alone_onto_a_copy():
    timeline = Timeline()
    timeline.add(entry("a", 1))
    first = timeline.fold(Steps)
    timeline.add(entry("b", 2))
    timeline.add(entry("c", 2, kind="call.hangup"))  # same time, higher rank: still after
    second = timeline.fold(Steps)
    assert second.ids == ["a", "b", "c"]
    assert first.ids == ["a"]  # the earlier result is left as it was
    assert timeline.fold(Steps) is second  # nothing new: the last fold stands


def test_an_entry_landing_among_the_folded_ones_restarts_the_fold():
    timeline = Timeline()
    for name, seconds in (("a", 1), ("c", 3)):
        timeline.add(entry(name, seconds))
    timeline.fold(Steps)
    timeline.add(entry("b", 2))
    timeline.add(entry("d", 4))
    assert timeline.fold(Steps).ids == ["a", "b", "c", "d"]


def test_a_replaced_entry_restarts_the_fold():
    timeline = Timeline()
    timeline.add(entry("a", 1))
    timeline.add(entry("r", 5, kind="resync.leg"))
    timeline.fold(Steps)
    # Same id, later than everything folded: yet the fold it replaces must be undone.
    timeline.add(entry("r", 6, kind="resync.leg"))
    assert timeline.fold(Steps).ids == ["a", "r"]


def test_forced_fold_from_scratch():
    timeline = Timeline()
    timeline.add(entry("a", 1))
    timeline.fold(Steps)
    timeline.add(entry("b", 2))
    fold = timeline.fold(Steps, from_scratch=True)
    assert fold.ids == ["a", "b"]
    timeline.add(entry("c", 3))
    assert timeline.fold(Steps).ids == ["a", "b", "c"]


# --- the store: incremental against from scratch ----------------------------------------------


def test_earlier_rows_are_not_changed_by_later_events():
    """Folds step on copies: what the store handed out before stays as it was."""
    store = Store(clock=FakeClock(at(0)))
    a, b = Leg("a"), Leg("b")
    for event in (
        conference_event("conference.created", "conf-1", 0, creator=a),
        a.initiated(0),
        a.answered(1),
        a.joined(2, "conf-1"),
        b.initiated(2),
        b.answered(3),
        b.joined(4, "conf-1"),
    ):
        store.apply(event)
    store.mark_participants("conf-1", [], muted=True)
    store.mark_call_recording(a.ccid, RecordingState.RECORDING)
    rows = state_of(store)
    kept = copy.deepcopy(rows)
    for event in (a.left(5, "conf-1"), a.recording_saved(6), a.hangup(7)):
        store.apply(event)
    store.apply(conference_event("conference.ended", "conf-1", 8, creator=b))
    assert rows == kept
    assert state_of(store) != kept


@dataclass
class Action:
    """One thing done to both stores: a webhook, a confirmation, a resync; or the clock moving."""

    name: str
    run: Callable[[Store], object] | None = None
    advance: float = 0


@st.composite
def conference_events(draw: st.DrawFn) -> list[Envelope]:
    """Up to two conferences with up to 30 participants, on a coarse clock (ties are common)."""
    seconds = st.integers(0, 60)
    events: list[Envelope] = []
    creator = Leg("creator")
    for cid in CONFERENCES:
        events.append(conference_event("conference.created", cid, draw(seconds), creator=creator))
        if draw(st.booleans()):
            events.append(
                conference_event("conference.ended", cid, draw(seconds), reason="all_left")
            )
        if draw(st.booleans()):
            events.append(
                conference_event(
                    "conference.recording.saved",
                    cid,
                    draw(seconds),
                    recording_id=f"rec-{cid}",
                    channels="single",
                    recording_urls={"mp3": None, "wav": "https://example.com/c.wav"},
                )
            )
    for i in range(draw(st.integers(1, 30))):
        leg = Leg(f"p{i}")
        cid = draw(st.sampled_from(CONFERENCES))
        t = sorted(draw(st.lists(seconds, min_size=7, max_size=7)))
        events += [leg.initiated(t[0]), leg.answered(t[1]), leg.joined(t[2], cid)]
        if draw(st.booleans()):
            events.append(leg.dtmf(t[3]))
        if draw(st.booleans()):
            events.append(leg.left(t[4], cid))
        if draw(st.booleans()):
            events.append(leg.hangup(t[5]))
        if draw(st.booleans()):
            events.append(leg.recording_saved(t[6]))  # no call_control_id: found by leg id
    return events


def occurred(event: Envelope) -> datetime:
    moment = event.data.effective_occurred_at
    assert moment is not None
    return moment


def arrival_order(events: list[Envelope], order: str, rng: random.Random) -> list[Envelope]:
    if order == "any order":
        stream = events[:]
        rng.shuffle(stream)
        return stream
    stream = sorted(events, key=occurred)  # ties keep their generation order
    if order == "nearly in order":  # a few late webhooks
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(stream))
            j = max(0, i - rng.randint(1, 6))
            stream.insert(j, stream.pop(i))
    return stream


def confirmation(rng: random.Random) -> Action:
    """A mute/hold/recording confirmation, a name, a resync (often in the past), or time passing.

    Some name legs or conferences the store has not seen: those must change nothing.
    """
    cid = rng.choice(CONFERENCES)
    ccid = Leg(f"p{rng.randrange(30)}").ccid
    flag = rng.choice([True, False])
    recording = rng.choice(list(RecordingState))
    name = f"room {rng.randrange(3)}"
    taken = at(rng.randint(0, 60))
    listed = ConferenceSnapshot(
        id=cid, status="in_progress", participants=[ParticipantSnapshot(ccid, muted=flag)]
    )
    options: dict[str, Callable[[Store], object]] = {
        "mute everyone": lambda s: s.mark_participants(cid, [], muted=flag),
        "hold one": lambda s: s.mark_participants(cid, [ccid], on_hold=flag),
        "conference recording": lambda s: s.mark_conference_recording(cid, recording),
        "call recording": lambda s: s.mark_call_recording(ccid, recording),
        "name": lambda s: s.note_conference_name(cid, name),
        "resync": lambda s: s.reconcile(Snapshot(taken, conferences=[listed])),
        "empty resync": lambda s: s.reconcile(Snapshot(taken)),
    }
    if rng.random() < 0.2:
        return Action("clock", advance=rng.randint(0, 30))
    what = rng.choice(sorted(options))
    return Action(what, options[what])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    conference_events(),
    st.sampled_from(["in order", "nearly in order", "any order"]),
    st.integers(0, 12),
    st.lists(st.integers(0, 10_000), max_size=6),  # redeliveries
    st.randoms(use_true_random=False),
)
def test_incremental_folds_match_folds_from_scratch(events, order, extra, repeats, rng):
    clock = FakeClock(at(0))
    incremental = Store(clock=clock)
    reference = Store(clock=clock, incremental=False)
    stream = arrival_order(events, order, rng)
    stream += [stream[i % len(stream)] for i in repeats]
    actions = [Action(e.event_type, lambda s, e=e: s.apply(e)) for e in stream]
    for _ in range(extra):
        actions.insert(rng.randrange(len(actions) + 1), confirmation(rng))

    for step, action in enumerate(actions):
        clock.advance(action.advance)
        if action.run is None:
            continue
        changes = [action.run(store) for store in (incremental, reference)]
        assert changes[0] == changes[1], (step, action.name)
        assert state_of(incremental) == state_of(reference), (step, action.name)

    # And a journal replay (every timeline folded once, from scratch) ends in the same state.
    final = state_of(incremental)
    incremental.rebuild(stream)
    assert state_of(incremental) == final
