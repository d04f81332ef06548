"""The ringing-calls index follows the store's change batches: ringing incoming calls in, oldest
first; answered, ended, removed or outgoing calls out; a reset reads the store again."""

from __future__ import annotations

from console.state.store import Store
from console.ui.ringing_calls import RingingCalls
from tests.ui.fakes import Events


def ids(index: RingingCalls) -> list[str]:
    return [c.call_control_id for c in index.calls()]


def test_it_follows_each_batch_and_keeps_the_oldest_first():
    store, events = Store(), Events()
    store.apply(events.initiated("v3:already"))  # ringing before the index existed
    index = RingingCalls(store)
    assert ids(index) == ["v3:already"]

    for envelope in (
        events.initiated("v3:second"),
        events.initiated("v3:out", direction="outgoing"),  # dialled by us: nothing rings
        events.answered("v3:already"),
    ):
        index.apply(store.apply(envelope))
    assert ids(index) == ["v3:second"]

    index.apply(store.apply(events.initiated("v3:third")))
    index.apply(store.apply(events.hangup("v3:second")))
    assert ids(index) == ["v3:third"]
    assert len(index) == 1


def test_a_reset_batch_reads_the_store_again():
    store, events = Store(), Events()
    index = RingingCalls(store)
    store.apply(events.initiated("v3:missed-by-the-index"))  # a change the index never saw
    assert ids(index) == []
    changes = store.apply(events.initiated("v3:other"))
    changes.reset = True  # a resync replaced everything
    index.apply(changes)
    assert ids(index) == ["v3:missed-by-the-index", "v3:other"]
