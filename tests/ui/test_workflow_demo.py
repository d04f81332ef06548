"""The operator's workflow on the real window and a real demo session (simulator, receiver,
journal, store, client, operations; nothing faked): a call is answered, noted, wrapped up with
a disposition, found again by searching the note, and called back from history; a contact is
imported and its name is on the next ringing call from that number; Do not disturb silences it.
"""

from __future__ import annotations

import csv
import io

import pytest
from PySide6.QtCore import Qt

from console.ui.calls_model import COL_FROM
from console.ui.history_model import COL_RESULT
from tests.e2e.conftest import session, transport, window  # noqa: F401  (fixtures)
from tests.e2e.operator import Operator

PAT = "+13125550142"


@pytest.fixture
def op(qtbot, window, session, transport):  # noqa: F811
    return Operator(qtbot, window, session, transport)


@pytest.fixture
def workflow(window):  # noqa: F811
    assert window.workflow is not None, "install_workflow did not run"
    return window.workflow


def from_cell(window, ccid):  # noqa: F811
    """What the calls table paints in the From cell (the contact-name delegate's text)."""
    model = window.calls_model
    source = model.index(model.row_of(ccid), COL_FROM)
    index = window.calls_proxy.mapFromSource(source)
    return window.calls_view.itemDelegateForColumn(COL_FROM).text(index)


def test_answer_note_wrap_up_find_by_note_and_call_back_from_history(
    qtbot,
    op,
    window,  # noqa: F811
    session,  # noqa: F811
    workflow,
):
    desk = workflow.desk
    ccid = op.answered_inbound(from_=PAT, caller_name="Pat Caller")

    # Notes during the call: Ctrl+Shift+W puts the cursor in the wrap-up card's notes.
    window.select_calls([ccid])
    workflow.notes_action.trigger()
    card = workflow.card
    assert card.live and card.call_key == ccid
    assert card.notes.hasFocus() or card.notes.isEnabled()
    qtbot.keyClicks(card.notes, "Router reboots every hour")
    op.wait(lambda: (desk.wrapups.get(ccid) or None) and "reboots" in desk.wrapups.get(ccid).notes)
    assert not desk.wrapups.get(ccid).done  # a draft until the call is wrapped up

    # The call ends: its wrap-up card opens (non-modal) with the notes already there.
    op.act("hangup", ccid)
    op.wait(lambda: card.busy and card.call_key == ccid)
    assert workflow.wrapup_dock.isVisible()
    assert card.notes.toPlainText() == "Router reboots every hour"
    assert "wrap it up" in card.title.text()

    # Done without a disposition says so and keeps the notes.
    qtbot.keyClick(card.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Choose a disposition" in card.error_label.text()
    assert desk.wrapups.get(ccid).notes == "Router reboots every hour"

    card.disposition.setCurrentText("Call back")
    qtbot.keyClicks(card.tags, "hardware")
    qtbot.keyClick(card.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wrapup = desk.wrapups.get(ccid)
    assert wrapup.done and wrapup.disposition == "Call back" and wrapup.tags == ("hardware",)
    assert card.entry is None  # nothing else waits for wrap-up

    # The session's history recorder writes the call's row; the desk reads the same database.
    op.wait(lambda: desk.history.get(ccid) is not None)
    assert desk.history.get(ccid).from_number == PAT

    # Ctrl+F: the note finds the call again.
    workflow.search_action.trigger()
    search = workflow.search_dialog
    assert search.isVisible()
    qtbot.keyClicks(search.edit, "reboots every")
    op.wait(lambda: search.items("call"))
    (hit,) = search.items("call")
    assert "Call back" in hit.text(1)

    # The history panel's own search box finds it by its note, and by its disposition.
    search.close()
    panel = window.history_panel
    window.history_dock.show()
    for words in ("router reboots", "call back"):
        panel.search.setText(words)
        panel.refresh()
        assert [e.call_control_id for e in panel.entries] == [ccid], words
    panel.search.setText("no such words anywhere")
    panel.refresh()
    assert panel.entries == []
    panel.search.clear()
    panel.refresh()

    # Called back from history: Enter on the row dials the caller through the dialer.
    op.wait(lambda: any(e.call_control_id == ccid for e in panel.entries))
    row = next(i for i, e in enumerate(panel.entries) if e.call_control_id == ccid)
    result = panel.table.model().index(row, COL_RESULT)
    assert workflow.history_result.text(result).endswith(" · Call back")  # shown in history
    panel.table.selectRow(row)
    panel.table.setFocus()
    before = len(op.transport.posts("/v2/calls"))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    op.wait(lambda: len(op.transport.posts("/v2/calls")) > before)
    dialled = op.transport.posts("/v2/calls")[-1].body
    assert dialled["to"] == PAT
    assert dialled["from"] == window.dialer.from_combo.currentText()  # as the dialer chooses
    op.wait(window.actions.idle)

    # The history CSV carries the disposition, notes and tags.
    out = io.StringIO()
    from console.desk.history_export import export_history

    export_history(desk.history, desk.wrapups, desk.contacts, out)
    rows = {r["call_control_id"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows[ccid]["disposition"] == "Call back"
    assert rows[ccid]["notes"] == "Router reboots every hour"


def test_an_imported_contact_names_the_next_ringing_call_and_dnd_silences_it(
    qtbot,
    op,
    window,  # noqa: F811
    session,  # noqa: F811
    workflow,
    tmp_path,
):
    path = tmp_path / "contacts.csv"
    path.write_text(
        "Name,Company,Phone,Email\n"
        "Pat Lee,Acme,(312) 555-0142,pat@example.com\n"
        "Broken,,,not-an-email\n",
        encoding="utf-8",
    )
    workflow.contacts_action.trigger()
    contacts = workflow.contacts_dialog
    assert contacts.isVisible()
    report = contacts.import_from(path)
    assert report.added == 1
    assert [(p.line, "e-mail" in p.message) for p in report.problems] == [(3, True)]
    assert "line 3" in contacts.report_label.text()

    ccid = op.inbound(from_=PAT, caller_name="PAT CALLER")
    assert from_cell(window, ccid) == f"Pat Lee (Acme) <{PAT}>"
    # The ringing call is selected for the operator: the caller panel says who it is.
    op.wait(lambda: window.selected_ccids() == [ccid])
    op.wait(lambda: workflow.caller_panel.name_label.text() == "Pat Lee")
    assert "First call this week" in workflow.caller_panel.headline.text()
    # (a demo call rings for the operator after a short grace: see ringing.DEMO_RING_GRACE_MS)
    expected = ("Incoming call", f"Incoming call from Pat Lee (Acme) <{PAT}>")
    op.wait(lambda: expected in window.tray.notifications)
    # The ringing popup names the contact first, the number under it (not the network's name).
    popup = window.ring_alerts.popup
    op.wait(lambda: popup.isVisible() and popup.ccid == ccid)
    assert popup.caller_label.text() == "Pat Lee (Acme)"
    assert popup.number_label.text() == PAT
    assert popup.toolTip().startswith(f"Pat Lee (Acme) <{PAT}>")
    op.act("reject", ccid)

    # Do not disturb: the next ringing call raises no notification (nor, with the hook, a popup).
    workflow.status_selector.dnd_action.trigger()
    assert not workflow.desk.status.rings
    notified = len(window.tray.notifications)
    second = op.inbound(from_=PAT, caller_name="PAT CALLER")
    op.wait(lambda: window.calls_model.row_of(second) is not None)
    op.wait(lambda: not window.ring_alerts.in_grace)  # (no grace left to wait out)
    assert not window.ring_alerts.popup.isVisible()
    assert len(window.tray.notifications) == notified  # nothing popped up or rang
    op.act("reject", second)


def test_the_caller_panel_counts_a_call_that_just_ended_from_the_same_caller(
    qtbot,
    op,
    window,  # noqa: F811
    session,  # noqa: F811
    workflow,
):
    first = op.answered_inbound(from_=PAT, caller_name="Pat Caller")
    second = op.inbound(from_=PAT, caller_name="Pat Caller")
    window.select_calls([second])
    panel = workflow.caller_panel
    # The first call's history row comes from the recorder, in the background: until then the
    # panel says there are no earlier calls.
    op.wait(lambda: panel.number == PAT and "in progress" in panel.recent.item(0).text())
    assert panel.recent.count() == 1

    # The caller hangs up the first call: its history row is rewritten in the background, and
    # the panel of the selected (second) call shows it ended, without the operator touching it.
    op.sim.remote_hangup(first)
    op.wait(lambda: "in progress" not in panel.recent.item(0).text())
    assert window.selected_ccids() == [second]
    assert "missed" not in panel.recent.item(0).text()  # it was answered: a talk time
    op.act("reject", second)
