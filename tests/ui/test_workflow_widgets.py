"""The workflow's widgets in the real window on the fake session: status, directory and speed
dials in the transfer prompt, search, contacts, settings, call back from an ended row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from console.desk import Status, make_contact
from console.ui.main_window import MainWindow
from tests.ui.fakes import Events, FakeSession


@pytest.fixture
def session():
    return FakeSession()


@pytest.fixture
def events():
    return Events()


@pytest.fixture
def window(qtbot, session, qsettings):
    w = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


@pytest.fixture
def workflow(window):
    return window.workflow


def deliver(window, session, *envelopes):
    for envelope in envelopes:
        session.deliver(envelope)
    window.store_bridge.flush()


def test_every_new_action_has_its_shortcut_in_its_tooltip_and_no_clash(window, workflow):
    actions = [
        workflow.status_selector.open_action,
        workflow.status_selector.dnd_action,
        workflow.notes_action,
        workflow.contacts_action,
        workflow.add_contact_action,
        workflow.call_back_action,
        workflow.directory_action,
        workflow.search_action,
        *workflow.speed_actions,
    ]
    ours = {}
    for action in actions:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert keys and f"({keys})" in action.toolTip(), action.text()
        ours[keys] = action
    assert len(ours) == len(actions)
    theirs = {
        a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        for a in window.findChildren(type(actions[0]))
        if a not in actions and not a.shortcut().isEmpty()
    }
    assert not theirs & set(ours), theirs & set(ours)
    assert workflow.status_selector.accessibleName() == "Your status"
    assert window.menuBar().cornerWidget(Qt.Corner.TopRightCorner) is workflow.status_selector
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Workflow" in titles


def test_status_menu_and_dnd_toggle(qtbot, workflow):
    selector = workflow.status_selector
    assert selector.text().startswith("● Available")
    selector.away_actions["Lunch"].trigger()
    assert workflow.desk.status.presence.label == "Away: Lunch"
    assert "Away: Lunch" in selector.text() and "do not ring" in selector.toolTip()
    selector.dnd_action.trigger()
    assert workflow.desk.status.status is Status.DND and selector.dnd_action.isChecked()
    selector.dnd_action.trigger()
    assert workflow.desk.status.status is Status.AVAILABLE
    prompt = selector.ask_reason()
    prompt.line_edit.setText("Team huddle")
    prompt.accept()
    assert workflow.desk.status.presence.label == "Away: Team huddle"


def test_transfer_prompt_offers_the_directory_keyboard_first_and_speed_dials(
    qtbot, window, session, events, workflow
):
    desk = workflow.desk
    desk.contacts.add(make_contact("Pat Lee", ["+13125550142"], organisation="Acme"))
    desk.contacts.add(make_contact("Sam Roe", ["+13125550155"], organisation="Globex"))
    desk.speed_dials.set(2, "+13125550100", "Support")
    deliver(window, session, events.initiated("v3:a"), events.answered("v3:a"))
    window.select_calls(["v3:a"])
    window.actions.transfer.trigger()
    prompt = window.last_prompt
    assert prompt.isVisible()
    labels = [b.text() for b in prompt.buttons.buttons()]
    assert "Director&y…" in labels

    workflow.directory_action.trigger()  # F3
    picker = workflow.picker
    assert picker.parent() is prompt and picker.focusWidget() is picker.filter_edit
    qtbot.keyClicks(picker.filter_edit, "glob")
    picker.refresh()
    assert [e.label for e in picker.entries()] == ["Sam Roe"]
    qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Return)
    assert prompt.line_edit.text() == "+13125550155"

    workflow.speed_actions[1].trigger()  # Alt+2 fills the open transfer prompt
    assert prompt.line_edit.text() == "+13125550100"
    prompt.accept()
    qtbot.waitUntil(window.actions.idle)
    assert ("transfer", ("v3:a", "+13125550100")) in session.ops.calls
    assert desk.recent.numbers()[0] == "+13125550100"


def test_directory_arrows_move_the_list_from_the_filter(qtbot, workflow):
    workflow.desk.contacts.add(make_contact("Ann", ["+13125550101"]))
    workflow.desk.contacts.add(make_contact("Bob", ["+13125550102"]))
    picker = workflow.open_directory()
    qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Down)
    assert picker.focusWidget() is picker.filter_edit  # the typing never leaves the filter
    assert picker.list.currentRow() == 1
    qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Return)
    assert workflow.window.dialer.destination_edit.text() == "+13125550102"


def test_search_finds_a_live_call_by_its_contact_name_and_enter_selects_it(
    qtbot, window, session, events, workflow
):
    workflow.desk.contacts.add(make_contact("Grace Hopper", ["+13125550100"]))
    deliver(window, session, events.initiated("v3:g"))
    window.select_calls([])
    dialog = workflow.open_search()
    qtbot.keyClicks(dialog.edit, "hopper")
    dialog.run()
    assert [i.text(0) for i in dialog.items("live")] == ["Grace Hopper"]
    assert [i.text(0) for i in dialog.items("contact")] == ["Grace Hopper"]
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert window.selected_ccids() == ["v3:g"]


def test_ended_row_double_click_calls_back_and_a_live_one_does_not(
    qtbot, window, session, events, workflow
):
    deliver(window, session, events.initiated("v3:e"), events.answered("v3:e"))
    deliver(window, session, events.hangup("v3:e"))
    window.select_calls(["v3:e"])
    workflow.call_back_action.trigger()
    qtbot.waitUntil(window.actions.idle)
    assert ("dial", ("+13125550100", "+13125550100")) in session.ops.calls
    # The ended call was handled: its wrap-up waits in the card.
    assert workflow.card.busy and workflow.card.call_key == "v3:e"


def test_wrap_up_timer_holds_wrap_up_status_until_done(qtbot, window, session, events, workflow):
    workflow.desk.set_wrap_up_secs(120)
    deliver(window, session, events.initiated("v3:w"), events.answered("v3:w"))
    deliver(window, session, events.hangup("v3:w"))
    assert workflow.desk.status.status is Status.WRAP_UP
    workflow.tick()
    assert "left" in workflow.card.timer_label.text()
    workflow.card.disposition.setCurrentText("Resolved")
    assert workflow.card.done()
    assert workflow.desk.status.status is Status.AVAILABLE


def test_add_caller_to_contacts_in_one_action(qtbot, window, session, events, workflow):
    deliver(window, session, events.initiated("v3:c", caller_id_name="Ada Lovelace"))
    window.select_calls(["v3:c"])
    editor = workflow.add_contact_action.trigger() or workflow.editor
    assert editor.isVisible() and editor.name.text() == "Ada Lovelace"
    assert editor.numbers.toPlainText() == "+13125550100"
    editor.email.setText("not mail")
    editor.accept()
    assert "not an e-mail" in editor.error_label.text() and editor.isVisible()  # nothing lost
    editor.email.setText("ada@example.com")
    editor.accept()
    assert workflow.desk.name_for("+13125550100") == "Ada Lovelace"
    qtbot.waitUntil(lambda: workflow.caller_panel.name_label.text() == "Ada Lovelace")


def test_settings_edit_dispositions_timer_and_speed_dials(qtbot, workflow):
    dialog = workflow.open_settings()
    dialog.dispositions.item(0).setText("Fixed")
    dialog.remove_disposition()  # nothing selected: nothing removed
    dialog.dispositions.setCurrentRow(4)
    dialog.remove_disposition()
    dialog.timer.setValue(30)
    from PySide6.QtWidgets import QTableWidgetItem

    dialog.speed.setItem(0, 0, QTableWidgetItem("+13125550100"))
    dialog.speed.setItem(0, 1, QTableWidgetItem("Support"))
    dialog.accept()
    desk = workflow.desk
    assert desk.dispositions.names() == ["Fixed", "Call back", "Escalated", "Wrong number"]
    assert desk.wrap_up_secs == 30
    assert desk.speed_dials.get(1).label == "Support"
    assert workflow.card.disposition.findText("Fixed") > 0


def test_the_main_settings_dialog_opens_the_workflow_settings(qtbot, window, workflow):
    settings = window.open_settings()
    button = settings.workflow_button
    assert button.isVisible() and "Dispositions" in button.toolTip()
    assert window.open_settings() is settings and settings.workflow_button is button  # one
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = workflow.settings_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.parentWidget() is settings  # above the modal Settings, not behind it
    dialog.timer.setValue(45)
    dialog.accept()
    assert workflow.desk.wrap_up_secs == 45
    settings.reject()


def test_contacts_dialog_by_keyboard_import_and_export(qtbot, window, session, workflow, tmp_path):
    vcf = tmp_path / "people.vcf"
    vcf.write_text(
        "BEGIN:VCARD\nFN:Pat Lee\nTEL:+1 312 555 0142\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Desk\nTEL:ext 12\nEND:VCARD\n",
        encoding="utf-8",
    )
    dialog = workflow.open_contacts()
    report = dialog.import_from(vcf)
    assert (report.added, report.unnormalised) == (2, 1)
    table_text = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert "ext 12 (not a valid number)" in table_text  # kept as typed, and marked
    assert dialog.import_from(tmp_path / "missing.csv") is None
    assert dialog.report_label.text().startswith("Nothing imported: Cannot read")

    qtbot.keyClicks(dialog.search, "pat")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # Enter calls the (only) match
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls[-1][0] == "dial" and session.ops.calls[-1][1][0] == "+13125550142"

    out = tmp_path / "out.csv"
    assert dialog.export_to(out) == 2
    assert "Pat Lee" in out.read_text(encoding="utf-8-sig")


def test_notes_key_with_nothing_selected_goes_to_the_waiting_wrap_up(
    qtbot, window, session, events, workflow
):
    deliver(window, session, events.initiated("v3:n"), events.answered("v3:n"))
    deliver(window, session, events.hangup("v3:n"))
    window.select_calls([])
    workflow.notes_action.trigger()
    assert workflow.card.call_key == "v3:n"
    assert workflow.card.window().focusWidget() is workflow.card.notes


def test_hooks_for_the_ringing_popup(workflow):
    workflow.desk.contacts.add(make_contact("Pat Lee", ["+13125550142"]))
    assert workflow.party_words("+13125550142", "PAT CALLER") == "Pat Lee <+13125550142>"
    assert workflow.party_words("+13125550143", "Sam") == "Sam <+13125550143>"
    assert workflow.rings()
    workflow.status_selector.away_actions["Break"].trigger()
    assert not workflow.rings()


def test_calls_that_ended_before_the_window_opened_get_history_rows(qtbot, qsettings, events):
    session = FakeSession()
    for envelope in (
        events.initiated("v3:old"),
        events.answered("v3:old"),
        events.hangup("v3:old"),
    ):
        session.store.apply(envelope)
    window = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(window)
    assert window.workflow.desk.history.get("v3:old").from_number == "+13125550100"
    assert window.workflow.card.entry is None  # no wrap-up for a call from before
    window.close()


def test_history_row_menu_calls_back_saves_or_copies_the_id(qtbot, window, session, workflow):
    from console.history import CallHistoryEntry

    table = window.history_panel.table
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert workflow.call_back_action in table.actions()
    assert workflow.copy_call_id_action in table.actions()
    # The caller panel's past calls call the caller back on Enter.
    workflow.desk.record_call(
        CallHistoryEntry(call_control_id="v3:p", direction="incoming", from_number="+13125550142")
    )
    workflow.caller_panel.show_number("+13125550142", live=False)
    item = workflow.caller_panel.recent.item(0)
    workflow.caller_panel.recent.itemActivated.emit(item)
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls[-1][0] == "dial" and session.ops.calls[-1][1][0] == "+13125550142"


def test_calls_ending_behind_an_open_wrap_up_wait_in_order_once_each(
    qtbot, window, session, events, workflow
):
    for key in ("v3:a", "v3:b", "v3:c"):
        deliver(window, session, events.initiated(key), events.answered(key))
    for key in ("v3:a", "v3:b", "v3:c"):
        deliver(window, session, events.hangup(key))
    card = workflow.card
    assert card.call_key == "v3:a"
    card.add_ended(card.pending["v3:b"])  # the same call ending twice waits once
    assert list(card.pending) == ["v3:b", "v3:c"]
    assert card.next_label.text() == "2 more to wrap up"

    # Notes for a live call: the wrap-up on show steps back to the head of the line.
    deliver(window, session, events.initiated("v3:live"), events.answered("v3:live"))
    window.select_calls(["v3:live"])
    workflow.notes_action.trigger()
    assert card.live and list(card.pending) == ["v3:a", "v3:b", "v3:c"]

    deliver(window, session, events.hangup("v3:live"))
    done_in_order = []
    while card.entry is not None:
        done_in_order.append(card.call_key)
        card.disposition.setCurrentText("Resolved")
        assert card.done(), card.last_error
    assert done_in_order == ["v3:live", "v3:a", "v3:b", "v3:c"]
