"""Operator polish: first-run size, docks, readable columns, one key answers, conference words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from console.ui import formatting as fmt
from console.ui.calls_model import COL_FROM, COL_TO, COL_WHERE, CallsModel
from console.ui.conferences_model import ConferencesModel
from console.ui.main_window import RIGHT_DOCK_WIDTH
from console.ui.pending import PendingOps
from tests.ui.fakes import live_call


def deliver(window, session, *envelopes):
    for envelope in envelopes:
        session.deliver(envelope)
    window.store_bridge.flush()


# --- 1, 2: first-run geometry and docks -------------------------------------------------------


def test_first_run_opens_centred_on_most_of_the_available_screen(window):
    area = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    frame = window.geometry()
    assert frame.top() >= area.top() and frame.left() >= area.left()
    assert frame.height() == int(area.height() * 0.9)
    assert abs(frame.center().y() - area.center().y()) <= 1
    if window.minimumSizeHint().width() <= area.width() * 0.9:
        assert frame.width() == int(area.width() * 0.9)
        assert abs(frame.center().x() - area.center().x()) <= 1
    else:  # the offscreen test screen is small: the window's minimum width wins
        assert frame.width() == window.minimumSizeHint().width()


def test_first_run_docks_leave_the_calls_table_room(qtbot, window):
    assert 0.15 * window.height() <= window.history_dock.height() <= 0.3 * window.height()
    assert window.recordings_dock in window.tabifiedDockWidgets(window.history_dock)
    # The engineer's docks, hidden at first, open at a size that leaves the calls room.
    window.health_dock.show()
    window.event_log.show()
    qtbot.waitUntil(lambda: abs(window.health_dock.width() - RIGHT_DOCK_WIDTH) <= 20)
    assert window.history_dock in window.tabifiedDockWidgets(window.event_log)


# --- 3: columns ----------------------------------------------------------------------------


def test_to_column_shows_a_full_e164_number_and_from_takes_the_slack(qtbot, window):
    window.resize(1440, 900)
    view = window.calls_view
    header = view.horizontalHeader()
    assert header.sectionSize(COL_TO) >= view.fontMetrics().horizontalAdvance("+13125550100")
    assert not header.stretchLastSection()  # "Ended" no longer swallows the slack
    assert header.sectionResizeMode(COL_FROM) == header.ResizeMode.Stretch


def test_conference_and_queue_trees_stretch_their_name_column(window):
    for view in (window.conferences_view, window.queues_view):
        header = view.header()
        assert not header.stretchLastSection()
        assert header.sectionResizeMode(0) == header.ResizeMode.Stretch
        last = header.count() - 1
        title = str(view.model().headerData(last, Qt.Orientation.Horizontal))
        assert header.sectionSize(last) >= header.fontMetrics().horizontalAdvance(title)


def test_event_log_detail_column_stretches(window):
    header = window.event_log.view.horizontalHeader()
    assert header.stretchLastSection()
    from console.ui.event_log_model import COL_TYPE

    type_width = window.event_log.view.fontMetrics().horizontalAdvance(
        "conference.participant.joined"
    )
    assert header.sectionSize(COL_TYPE) >= type_width


# --- 4: one key answers the ringing call ----------------------------------------------------


def test_answer_with_nothing_selected_takes_the_oldest_ringing_incoming_call(
    qtbot, window, session, events
):
    actions = window.actions
    assert not actions.answer.isEnabled() and not actions.reject.isEnabled()
    # An outgoing call still dialling is older, but it is not the operator's to answer.
    deliver(window, session, events.initiated("v3:dialling", direction="outgoing"))
    events.seconds += 2
    deliver(
        window,
        session,
        events.initiated("v3:pat", caller_id_name="Pat Caller", **{"from": "+13125550142"}),
    )
    events.seconds += 2
    deliver(window, session, events.initiated("v3:later", caller_id_name="Dana Whitfield"))
    window.calls_view.clearSelection()
    window._on_selection()
    assert window.selected_ccids() == []

    assert actions.answer.isEnabled() and actions.reject.isEnabled()
    assert "Answer Pat Caller" in actions.answer.statusTip()
    assert "+13125550142" in actions.answer.toolTip()
    assert "Reject Pat Caller" in actions.reject.statusTip()

    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: session.ops.names() == ["answer"])
    assert session.ops.calls[0] == ("answer", ("v3:pat",))
    qtbot.waitUntil(actions.idle)


def test_reject_with_nothing_selected_takes_the_oldest_ringing_call(qtbot, window, session, events):
    deliver(window, session, events.initiated("v3:first"))
    events.seconds += 2
    deliver(window, session, events.initiated("v3:second"))
    window.calls_view.clearSelection()
    window.actions.reject.trigger()
    qtbot.waitUntil(lambda: session.ops.names() == ["reject"])
    assert session.ops.calls[0] == ("reject", ("v3:first",))
    qtbot.waitUntil(window.actions.idle)


def test_a_new_ringing_call_is_selected_when_nothing_is(window, session, events):
    deliver(window, session, events.initiated("v3:ring", caller_id_name="Pat Caller"))
    assert window.selected_ccids() == ["v3:ring"]
    assert window.actions.answer.isEnabled()

    # A second call rings: the first stays selected (F5 still answers the oldest).
    events.seconds += 2
    deliver(window, session, events.initiated("v3:next"))
    assert window.selected_ccids() == ["v3:ring"]


def test_a_ringing_call_never_steals_the_operators_selection(window, session, events):
    live_call(session.store, events, "v3:talking")
    window.store_bridge.flush()
    window.select_calls(["v3:talking"])
    deliver(window, session, events.initiated("v3:ring"))
    assert window.selected_ccids() == ["v3:talking"]
    assert window.actions.answer.isEnabled()  # still one key away


def test_an_ended_auto_selected_call_makes_way_for_the_next(window, session, events):
    deliver(window, session, events.initiated("v3:gone"))
    assert window.selected_ccids() == ["v3:gone"]
    deliver(window, session, events.hangup("v3:gone", cause="originator_cancel"))
    events.seconds += 2
    deliver(window, session, events.initiated("v3:next"))
    assert window.selected_ccids() == ["v3:next"]


# --- 5: conferences in operator words --------------------------------------------------------


def _conference(store, events, cid, name, members):
    store.apply(events.conference_created(cid, members[0]))
    for ccid in members:
        store.apply(events.joined(ccid, cid))
    store.note_conference_name(cid, name)
    return store.conferences[cid]


def test_naming_leaves_out_the_operators_own_leg(events):
    from console.state.store import Store

    store = Store()
    live_call(store, events, "v3:pat", caller_id_name="Pat Caller")
    live_call(store, events, "v3:op", direction="outgoing", to="+12025550123")
    live_call(store, events, "v3:ravi", caller_id_name="Ravi Menon")
    live_call(store, events, "v3:lucia", caller_id_name="Lucia Ortega")
    live_call(store, events, "v3:sam", caller_id_name="Sam Okafor")
    own = _conference(store, events, "c-own", "console-call-0c5807d5528f", ["v3:pat", "v3:op"])
    merged = _conference(
        store, events, "c-merged", "console-conf-91d2", ["v3:ravi", "v3:lucia", "v3:sam"]
    )
    is_op = {"v3:op"}.__contains__
    calls = store.calls

    assert fmt.conference_title(own, calls, is_op) == "Call with Pat Caller"
    assert fmt.conference_title(merged, calls, is_op) == "Ravi Menon, Lucia Ortega, Sam Okafor"
    assert fmt.conference_place(calls["v3:pat"], own, calls, is_op) == "With you"
    assert fmt.conference_place(calls["v3:op"], own, calls, is_op) == "With Pat Caller"
    assert fmt.conference_place(calls["v3:ravi"], merged, calls, is_op) == (
        "With Lucia Ortega, Sam Okafor"
    )

    # The models show the words; the raw name stays in the tooltip.
    conferences = ConferencesModel(store)
    conferences.is_operator_leg = is_op
    row = conferences.index_of_conference("c-own")
    assert row.data(Qt.ItemDataRole.DisplayRole) == "Call with Pat Caller"
    assert "console-call-0c5807d5528f" in row.data(Qt.ItemDataRole.ToolTipRole)
    operator_row = conferences.index_of_participant("c-own", "v3:op")
    assert operator_row.data(Qt.ItemDataRole.DisplayRole) == "You <+12025550123>"

    model = CallsModel(store, PendingOps())
    model.is_operator_leg = is_op
    cell = model.index(model.row_of("v3:pat"), COL_WHERE)
    assert cell.data(Qt.ItemDataRole.DisplayRole) == "With you"
    assert "console-call-0c5807d5528f" in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_the_window_asks_the_session_which_leg_is_the_operators(window, session, events):
    session.ops.is_operator_leg = lambda ccid: ccid == "v3:op"
    assert window.calls_model.is_operator_leg("v3:op")
    assert not window.conferences_model.is_operator_leg("v3:pat")
    session.ops = None  # before the session started: no operator leg yet
    assert not window.calls_model.is_operator_leg("v3:op")
