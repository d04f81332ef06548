"""Queues: entries in FIFO order with positions, removal on dequeue and hangup, reported wait."""

from __future__ import annotations

from console.state.entities import CallState
from console.state.store import Store
from tests.state.factories import Leg, at


def _queue_three(store: Store) -> tuple[Leg, Leg, Leg]:
    legs = Leg("q1"), Leg("q2"), Leg("q3")
    for i, leg in enumerate(legs):
        store.apply(leg.initiated(i))
        store.apply(leg.answered(i + 0.5))
        store.apply(leg.enqueued(10 + i, "support", i + 1, avg=5 * i))
    return legs


def positions(store: Store, name: str) -> list[tuple[str, int | None]]:
    return [(e.call_control_id, e.position) for e in store.queue(name).waiting()]


def test_enqueue_positions_and_times(store: Store):
    q1, q2, q3 = _queue_three(store)
    assert positions(store, "support") == [(q1.ccid, 1), (q2.ccid, 2), (q3.ccid, 3)]
    queue = store.queue("support")
    assert queue.entries[q2.ccid].enqueued_at == at(11)
    assert queue.average_wait_secs == 10  # as last reported
    call = store.call(q2.ccid)
    assert (call.state, call.queue_name, call.queue_position) == (CallState.QUEUED, "support", 2)
    assert call.enqueued_at == at(11)


def test_dequeue_removes_the_entry_and_moves_the_rest_up(store: Store):
    q1, q2, q3 = _queue_three(store)
    changes = store.apply(q1.dequeued(20, "support", position=1, reason="bridged"))
    assert positions(store, "support") == [(q2.ccid, 1), (q3.ccid, 2)]
    assert changes.queues.changed == {"support"}
    # q1 left; the others moved up a place: exactly these rows changed.
    assert changes.calls.changed == {q1.ccid, q2.ccid, q3.ccid}
    call = store.call(q1.ccid)
    assert call.state is CallState.PARKED  # until call.bridged arrives
    assert (call.queue_name, call.queue_position, call.enqueued_at) == (None, None, None)
    assert store.call(q3.ccid).queue_position == 2


def test_hangup_while_queued_removes_the_entry(store: Store):
    q1, q2, q3 = _queue_three(store)
    store.apply(q2.hangup(15, cause="normal_clearing"))
    assert positions(store, "support") == [(q1.ccid, 1), (q3.ccid, 2)]
    assert store.call(q2.ccid).queue_name is None


def test_late_enqueued_after_dequeue_does_not_requeue(store: Store):
    leg = Leg("q1")
    store.apply(leg.initiated(0))
    store.apply(leg.dequeued(20, "support", reason="leave"))
    store.apply(leg.enqueued(10, "support", 1))
    assert store.queue("support").entries == {}
    assert store.call(leg.ccid).state is CallState.PARKED


def test_average_wait_is_the_newest_report_whatever_the_order(store: Store):
    a, b = Leg("a"), Leg("b")
    store.apply(b.enqueued(20, "sales", 2, avg=42))
    store.apply(a.enqueued(10, "sales", 1, avg=7))
    assert store.queue("sales").average_wait_secs == 42


def test_dequeued_then_bridged(store: Store):
    caller, agent = Leg("caller"), Leg("agent")
    store.apply(caller.initiated(0))
    store.apply(caller.answered(1))
    store.apply(caller.enqueued(2, "support", 1))
    store.apply(agent.initiated(5, direction="outgoing"))
    store.apply(agent.answered(8))
    store.note_bridge(caller.ccid, agent.ccid)
    store.apply(caller.dequeued(9, "support", reason="bridged"))
    store.apply(caller.bridged(9))
    store.apply(agent.bridged(9))
    assert store.call(caller.ccid).state is CallState.BRIDGED
    assert store.call(caller.ccid).bridged_to == agent.ccid
    assert store.queue("support").entries == {}
