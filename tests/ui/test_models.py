"""The table/tree models against the real Store fed with parsed Telnyx webhooks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console.state.store import Store
from console.ui import formatting as fmt
from console.ui.calls_model import (
    BADGES_ROLE,
    COL_DURATION,
    COL_ENDED,
    COL_FLAGS,
    COL_FROM,
    COL_STATE,
    COL_WHERE,
    CallsModel,
)
from console.ui.conferences_model import ConferencesModel
from console.ui.event_log_entries import LogEntry
from console.ui.event_log_model import EventLogModel
from console.ui.pending import PendingOps
from console.ui.queues_model import COL_WAIT, QueuesModel
from tests.ui.fakes import Events, live_call


class Spy:
    """Records the structural and data signals a model emits."""

    def __init__(self, model):
        self.resets = 0
        self.inserted: list[tuple[int, int]] = []
        self.removed: list[tuple[int, int]] = []
        self.changed: list[tuple[int, int, int, int]] = []
        model.modelReset.connect(self._reset)
        model.rowsInserted.connect(lambda _p, a, b: self.inserted.append((a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.removed.append((a, b)))
        model.dataChanged.connect(
            lambda tl, br, _roles=(): self.changed.append(
                (tl.row(), br.row(), tl.column(), br.column())
            )
        )

    def _reset(self):
        self.resets += 1

    def changed_rows(self) -> set[int]:
        rows = set()
        for top, bottom, _l, _r in self.changed:
            rows.update(range(top, bottom + 1))
        return rows


@pytest.fixture
def store():
    return Store()


@pytest.fixture
def events():
    return Events()


def text(model, row, col, parent=None):
    idx = model.index(row, col) if parent is None else model.index(row, col, parent)
    return idx.data(Qt.ItemDataRole.DisplayRole)


# --- calls -----------------------------------------------------------------------------------


def test_calls_model_passes_the_model_tester(qtmodeltester, store, events):
    live_call(store, events, "v3:a")
    store.apply(events.initiated("v3:b", "outgoing"))
    model = CallsModel(store)
    qtmodeltester.check(model)
    model.apply_changes(store.apply(events.initiated("v3:c")))
    model.apply_changes(store.apply(events.hangup("v3:a")))
    qtmodeltester.check(model)


def test_new_call_is_inserted_without_reset(store, events):
    model = CallsModel(store)
    spy = Spy(model)
    model.apply_changes(store.apply(events.initiated("v3:new")))
    assert spy.resets == 0
    assert spy.inserted == [(0, 0)]
    assert model.ccids() == ["v3:new"]
    assert text(model, 0, COL_STATE) == "Ringing"
    assert text(model, 0, COL_FROM) == "Ada Lovelace <+13125550100>"


def test_one_event_among_hundreds_of_calls_changes_one_row(store, events):
    for i in range(300):
        live_call(store, events, f"v3:c{i}")
    model = CallsModel(store)
    assert model.rowCount() == 300
    spy = Spy(model)
    target = "v3:c123"
    row = model.row_of(target)
    model.apply_changes(store.apply(events.hangup(target, cause="user_busy")))
    assert spy.resets == 0
    assert spy.inserted == [] and spy.removed == []
    assert spy.changed_rows() == {row}
    assert text(model, row, COL_ENDED) == "Busy"


def test_ended_call_shows_cause_then_leaves_the_model_only(store, events):
    live_call(store, events, "v3:a")
    model = CallsModel(store, retention_secs=3600)
    model.apply_changes(store.apply(events.hangup("v3:a", "normal_clearing", "callee")))
    # The callee of an incoming call is this console's side: the end came from here.
    assert text(model, 0, COL_ENDED) == "Completed (ended here)"
    assert "SIP response: 200" in model.index(0, COL_ENDED).data(Qt.ItemDataRole.ToolTipRole)
    spy = Spy(model)
    model.set_retention(0)
    model._expiry["v3:a"] = 0  # as if its retention ran out
    model.tick()
    assert spy.removed == [(0, 0)] and spy.resets == 0
    assert model.rowCount() == 0
    assert store.call("v3:a") is not None  # the store keeps the history


def test_tick_repaints_only_the_duration_of_live_rows(store, events):
    live_call(store, events, "v3:a")
    live_call(store, events, "v3:b")
    model = CallsModel(store, retention_secs=3600)
    model.apply_changes(store.apply(events.hangup("v3:b")))
    spy = Spy(model)
    model.tick()
    assert spy.changed == [(0, 0, COL_STATE, COL_DURATION)]  # hold timer and call timer


def test_reset_reloads(store, events):
    live_call(store, events, "v3:a")
    model = CallsModel(store)
    spy = Spy(model)
    from console.state.changes import Changes

    model.apply_changes(Changes(reset=True))
    assert spy.resets == 1 and model.ccids() == ["v3:a"]


def test_pending_text_and_badges(store, events):
    live_call(store, events, "v3:a")
    store.apply(events.conference_created("conf-1", "v3:a"))
    store.apply(events.joined("v3:a", "conf-1"))
    pending = PendingOps()
    model = CallsModel(store, pending)
    spy = Spy(model)
    pending.set("v3:a", "holding…")
    assert text(model, 0, COL_STATE) == "holding…"
    assert spy.changed == [(0, 0, COL_STATE, COL_STATE)]
    pending.clear("v3:a")
    model.apply_changes(store.mark_participants("conf-1", ["v3:a"], on_hold=True, muted=True))
    assert text(model, 0, COL_FLAGS) == ""  # icons, with the words in tooltip and role
    assert model.index(0, COL_FLAGS).data(BADGES_ROLE) == "On hold · Muted · Conference"
    assert model.index(0, COL_FLAGS).data(Qt.ItemDataRole.DecorationRole) is not None
    assert text(model, 0, COL_WHERE) == "Conference conf-1"  # unnamed, nobody else in it


def test_conferences_are_named_by_who_is_in_them(store, events):
    live_call(store, events, "v3:a", caller_id_name="Ravi Menon")
    live_call(store, events, "v3:b", caller_id_name="Lucia Ortega")
    live_call(store, events, "v3:c", caller_id_name="Pat Caller")
    for cid, members in (("conf-own", ["v3:c"]), ("conf-merged", ["v3:a", "v3:b"])):
        store.apply(events.conference_created(cid, members[0]))
        for ccid in members:
            store.apply(events.joined(ccid, cid))
    store.note_conference_name("conf-own", "console-call-0c5807d5528f5376")
    store.note_conference_name("conf-merged", "console-conf-91d2532fe031")
    calls, conferences = store.calls, store.conferences

    merged, own = conferences["conf-merged"], conferences["conf-own"]
    assert fmt.conference_title(merged, calls) == "Ravi Menon, Lucia Ortega"
    assert fmt.conference_title(own, calls) == "Call with Pat Caller"
    assert fmt.conference_place(calls["v3:a"], merged, calls) == "With Lucia Ortega"
    assert fmt.conference_place(calls["v3:c"], own, calls) == ""  # a 1:1 call, held or muted

    store.note_conference_name("conf-merged", "Sales stand-up")  # a name a person gave
    merged = store.conferences["conf-merged"]
    assert fmt.conference_title(merged, calls) == "Sales stand-up"
    assert fmt.conference_place(calls["v3:a"], merged, calls) == "Conference Sales stand-up"

    model = CallsModel(store, PendingOps())
    assert text(model, model.row_of("v3:b"), COL_WHERE) == "Conference Sales stand-up"
    assert text(model, model.row_of("v3:c"), COL_WHERE) == ""
    assert text(model, model.row_of("v3:c"), COL_STATE) == "Answered"  # not "In conference"


# --- conferences -----------------------------------------------------------------------------


def test_conferences_model_incremental(qtmodeltester, store, events):
    for ccid in ("v3:a", "v3:b", "v3:c"):
        live_call(store, events, ccid)
    store.apply(events.conference_created("conf-1", "v3:a"))
    store.apply(events.joined("v3:a", "conf-1"))
    model = ConferencesModel(store)
    qtmodeltester.check(model)
    spy = Spy(model)
    model.apply_changes(store.apply(events.joined("v3:b", "conf-1")))
    assert spy.resets == 0
    assert spy.inserted == [(1, 1)]  # a child row under conf-1
    assert model.participant_ids("conf-1") == ["v3:a", "v3:b"]
    spy.changed.clear()
    model.apply_changes(store.mark_participants("conf-1", ["v3:b"], muted=True))
    child_changes = [c for c in spy.changed if c[0] == 1]
    assert child_changes, "the participant's row changed"
    parent = model.index_of_conference("conf-1")
    assert text(model, 1, 1, parent) == "Muted"
    model.apply_changes(store.apply(events.left("v3:a", "conf-1")))
    assert model.participant_ids("conf-1") == ["v3:b"]
    assert spy.resets == 0
    qtmodeltester.check(model)


# --- queues ----------------------------------------------------------------------------------


def test_queues_model_inserts_waiters_and_highlights_the_oldest(qtmodeltester, store, events):
    model = QueuesModel(store)
    spy = Spy(model)
    for i, ccid in enumerate(("v3:a", "v3:b")):
        live_call(store, events, ccid)
        model.apply_changes(store.apply(events.enqueued(ccid, "support", i + 1)))
    assert spy.resets == 0
    assert model.queue_names() == ["support"]
    assert model.waiter_ids("support") == ["v3:a", "v3:b"]
    qtmodeltester.check(model)
    parent = model.index_of_queue("support")
    assert text(model, 0, 1) == "2 waiting"
    oldest = model.index(0, 0, parent).data(Qt.ItemDataRole.BackgroundRole)
    newer = model.index(1, 0, parent).data(Qt.ItemDataRole.BackgroundRole)
    assert oldest is not None and newer is None
    assert text(model, 0, COL_WAIT, parent) != ""
    model.apply_changes(store.apply(events.dequeued("v3:a", "support")))
    assert model.waiter_ids("support") == ["v3:b"]
    assert spy.resets == 0
    qtmodeltester.check(model)


# --- event log -------------------------------------------------------------------------------


def test_event_log_is_bounded_and_appends_in_batches(qtmodeltester):
    model = EventLogModel(max_rows=100)
    spy = Spy(model)
    for i in range(250):
        model.append(LogEntry(None, "call.initiated", f"v3:{i}", 1, {"n": i}))
    model.flush()
    assert spy.inserted == [(0, 99)]  # one insert for the burst (only the newest 100 kept)
    assert model.rowCount() == 100
    assert model.entry(99).raw == {"n": 249}
    for i in range(5):
        model.append(LogEntry(None, "call.answered", f"v3:{i}", 1, {}))
    model.flush()
    assert model.rowCount() <= 100
    assert model.entry(model.rowCount() - 1).event_type == "call.answered"
    qtmodeltester.check(model)
