"""Issue #12 on the window with the boundary-faked session: the dialer's keys and clicks,
confirmations, selection after destructive actions, the layout an operator starts with."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolButton

from console.desk import Status
from console.ui import theme
from console.ui.main_window import MainWindow
from console.ui.ringer import NO_DEVICE_NOTICE, AudioUnavailable, load_tone
from tests.ui.fakes import Events, FakeSession, live_call


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
    qtbot.waitExposed(w)
    return w


def click_in_window(window, widget) -> None:
    """A click as the platform delivers it: to the window, routed by Qt (popups included)."""
    pos = widget.mapTo(window, widget.rect().center())
    QTest.mouseClick(
        window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos
    )


# --- bug 2: the recent-numbers popup -----------------------------------------------------


def test_first_click_on_dial_dials_while_the_recent_numbers_list_is_open(qtbot, window, session):
    dialer = window.dialer
    dialer.set_recent(["+13125550142", "+13125550199"])
    dialer.destination_edit.setFocus()
    qtbot.keyClicks(dialer.destination_edit, "+13125550142")
    popup = dialer.destination_edit.completer().popup()
    assert popup.isVisible() and QApplication.activePopupWidget() is popup

    click_in_window(window, dialer.dial_button)

    qtbot.waitUntil(lambda: session.ops.calls != [])
    qtbot.waitUntil(window.actions.idle)
    assert not popup.isVisible()
    assert session.ops.calls == [("dial", ("+13125550142", "+13125550100"))]


def test_a_click_on_the_recent_numbers_list_picks_the_number(qtbot, window, session):
    dialer = window.dialer
    dialer.set_recent(["+13125550142", "+13125550199"])
    dialer.destination_edit.setFocus()
    qtbot.keyClicks(dialer.destination_edit, "+1")
    popup = dialer.destination_edit.completer().popup()
    assert popup.isVisible()
    rect = popup.visualRect(popup.model().index(1, 0))
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    qtbot.waitUntil(lambda: not popup.isVisible())
    assert dialer.destination_edit.text() == "+13125550199"
    assert session.ops.calls == []  # picking a number is not dialling it


# --- issue 11: actions a type checker can follow ------------------------------------------


def test_every_action_is_a_declared_attribute(window):
    import inspect

    from console.ui.actions import SPECS, CallActions

    source = inspect.getsource(CallActions.__init__)
    for name in SPECS:
        assert f"self.{name}: QAction = self._make(" in source, name
        assert getattr(window.actions, name) is window.actions.all[name]
    assert set(window.actions.all) == set(SPECS)


# --- bug 3: destructive actions ask first; a kick leaves nothing selected ------------------


def conference_of(session, events, conf, *ccids):
    for ccid in ccids:
        live_call(session.store, events, ccid, caller_id_name=f"Caller {ccid[-1].upper()}")
    session.deliver(events.conference_created(conf, ccids[0]))
    for ccid in ccids:
        session.deliver(events.joined(ccid, conf))


def test_end_conference_asks_first_and_cancel_changes_nothing(qtbot, window, session, events):
    conference_of(session, events, "conf-a", "v3:a", "v3:b")
    window.store_bridge.flush()
    window.select_conference("conf-a")

    window.actions.end_conference.trigger()
    box = window.last_confirm
    assert box is not None and box.isVisible()
    text = box.text_label.text()
    assert "2 participants" in text and "Caller A" in text and "Caller B" in text
    assert box.cancel_button.isDefault()  # a habitual Enter does not end it
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert session.ops.calls == []

    window.actions.end_conference.trigger()
    window.last_confirm.yes_button.click()
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls == [("end_conference", ("conf-a",))]


def test_end_conference_is_set_apart_from_kick_in_the_menus(window):
    for menu in (window.conference_menu, window.conferences_menu):
        actions = menu.actions()
        kick = actions.index(window.actions.kick)
        end = actions.index(window.actions.end_conference)
        assert any(a.isSeparator() for a in actions[min(kick, end) + 1 : max(kick, end)])


def test_after_a_kick_nothing_is_selected_so_a_second_ctrl_k_removes_no_one(
    qtbot, window, session, events
):
    conference_of(session, events, "conf-a", "v3:a", "v3:b", "v3:c")
    window.store_bridge.flush()
    view = window.conferences_view
    rect = view.visualRect(window.conferences_model.index_of_participant("conf-a", "v3:b"))
    point = QPoint(rect.left() + 8, rect.center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.selected_participant() == ("conf-a", "v3:b")
    assert window.actions.kick.isEnabled()

    window.actions.kick.trigger()
    qtbot.waitUntil(window.actions.idle)
    session.deliver(events.left("v3:b", "conf-a"))  # Telnyx confirms the kick
    window.store_bridge.flush()

    assert window.selected_participant() is None
    assert not window.conferences_view.selectionModel().hasSelection()
    assert not window.actions.kick.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    window.actions.kick.trigger()
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls == [("kick", ("conf-a", "v3:b"))]
    assert window.conferences_model.participant_ids("conf-a") == ["v3:a", "v3:c"]


def test_hanging_up_several_calls_says_which_and_asks(qtbot, window, session, events):
    live_call(session.store, events, "v3:a", caller_id_name="Pat Caller")
    session.deliver(events.initiated("v3:ring", caller_id_name="Ringing Rita"))
    window.store_bridge.flush()
    window.select_calls(["v3:a", "v3:ring"])

    window.actions.hangup.trigger()
    box = window.last_confirm
    assert box is not None and box.isVisible()
    text = box.text_label.text()
    assert "2 calls" in text and "Pat Caller" in text and "Ringing Rita" in text
    assert "1 of them still ringing" in text
    assert "Hang up 2 calls" in box.yes_button.text().replace("&", "")
    box.cancel_button.click()
    assert session.ops.calls == []

    window.actions.hangup.trigger()
    window.last_confirm.yes_button.click()
    qtbot.waitUntil(window.actions.idle)
    assert sorted(session.ops.calls) == [("hangup", ("v3:a",)), ("hangup", ("v3:ring",))]


def test_hanging_up_one_call_does_not_ask(qtbot, window, session, events):
    live_call(session.store, events, "v3:a")
    window.store_bridge.flush()
    window.select_calls(["v3:a"])
    before = window.last_confirm
    window.actions.hangup.trigger()
    qtbot.waitUntil(window.actions.idle)
    assert window.last_confirm is before
    assert session.ops.calls == [("hangup", ("v3:a",))]


# --- bug 5: glyphs that draw, buttons that hold their width --------------------------------


def _undrawable(widget, text: str) -> list[str]:
    metrics = widget.fontMetrics()
    return [ch for ch in text if not ch.isspace() and not metrics.inFontUcs4(ord(ch))]


def test_a_pending_row_shows_words_and_an_icon_no_glyph_the_font_lacks(
    qtbot, window, session, events
):
    import asyncio

    from console.ui.calls_model import COL_STATE

    live_call(session.store, events, "v3:a")
    window.store_bridge.flush()
    session.ops.gate = asyncio.Event()  # the command stays in flight
    window.select_calls(["v3:a"])
    window.actions.hold.trigger()

    model = window.calls_model
    index = model.index(model.row_of("v3:a"), COL_STATE)
    text = index.data(Qt.ItemDataRole.DisplayRole)
    assert text == "holding…"
    assert _undrawable(window.calls_view, text) == []
    icon = index.data(Qt.ItemDataRole.DecorationRole)
    assert icon is not None and not icon.isNull()
    session.ops.gate.set()
    qtbot.waitUntil(window.actions.idle)
    assert model.index(model.row_of("v3:a"), COL_STATE).data(Qt.ItemDataRole.DecorationRole) is None


def test_toolbar_buttons_keep_their_width_when_labels_toggle(qtbot, window, session, events):
    conference_of(session, events, "conf-a", "v3:a")
    window.store_bridge.flush()
    toolbar = window.toolbar
    buttons = [toolbar.widgetForAction(a) for a in toolbar.actions() if not a.isSeparator()]

    def geometry():
        return [(b.x(), b.width()) for b in buttons]

    window.select_calls(["v3:a"])
    before = geometry()
    for name in ("hold", "mute", "record"):
        window.actions.all[name].trigger()
        qtbot.waitUntil(window.actions.idle)
    assert window.actions.hold.text() == "Unh&old" and window.actions.mute.isChecked()
    assert window.actions.record.isChecked()
    qtbot.waitUntil(lambda: toolbar.layout().geometry().isValid())
    toolbar.layout().activate()
    assert geometry() == before


# --- rows hold still --------------------------------------------------------------------


def row_top(window, ccid: str) -> int:
    model = window.calls_model
    index = window.calls_proxy.mapFromSource(model.index(model.row_of(ccid), 0))
    return window.calls_view.visualRect(index).top()


def test_a_new_call_is_appended_and_moves_no_row(qtbot, window, session, events):
    live_call(session.store, events, "v3:a")
    live_call(session.store, events, "v3:b")
    window.store_bridge.flush()
    window.select_calls(["v3:b"])
    tops = {ccid: row_top(window, ccid) for ccid in ("v3:a", "v3:b")}

    events.seconds += 30  # a newer call, which used to be sorted on top
    session.deliver(events.initiated("v3:new"))
    session.deliver(events.initiated("v3:newer"))
    window.store_bridge.flush()

    assert {ccid: row_top(window, ccid) for ccid in ("v3:a", "v3:b")} == tops
    assert window.selected_ccids() == ["v3:b"]
    assert row_top(window, "v3:new") > tops["v3:b"]
    assert row_top(window, "v3:newer") > row_top(window, "v3:new")


def test_ended_rows_wait_while_the_pointer_is_on_the_table(qtbot, window, session, events):
    import time

    from PySide6.QtGui import QCursor

    for ccid in ("v3:a", "v3:b", "v3:c"):
        live_call(session.store, events, ccid)
    window.store_bridge.flush()
    window.select_calls(["v3:c"])
    session.deliver(events.hangup("v3:a"))
    window.store_bridge.flush()
    viewport = window.calls_view.viewport()
    top_c = row_top(window, "v3:c")

    QCursor.setPos(viewport.mapToGlobal(viewport.rect().center()))
    qtbot.waitUntil(window._pointer_on_calls)
    later = time.monotonic() + 3600  # long after the ended row's retention
    window.calls_model.tick(later)
    assert window.calls_model.row_of("v3:a") is not None  # held while the pointer is there
    assert row_top(window, "v3:c") == top_c

    QCursor.setPos(window.mapToGlobal(window.rect().topLeft()) - QPoint(50, 50))
    qtbot.waitUntil(lambda: not window._pointer_on_calls())
    window.calls_model.tick(later)
    assert window.calls_model.row_of("v3:a") is None
    assert window.selected_ccids() == ["v3:c"]  # the selection stayed on its call


def test_a_banner_does_not_move_the_calls_table(qtbot, window):
    def table_top():
        return window.calls_view.mapTo(window, QPoint(0, 0)).y()

    before = table_top()
    window.notify_error("Hold failed: " + "a long reason that wraps over lines " * 6)
    qtbot.waitUntil(window.notifications.isVisible)
    assert table_top() == before
    window.notifications.dismiss()
    assert table_top() == before


def test_an_inline_error_does_not_move_the_dial_pad(qtbot, window):
    dialer = window.dialer
    label = dialer.error_label

    def pad_top():
        return dialer.pad_buttons["1"].mapTo(window, QPoint(0, 0)).y()

    # The dialer as narrow as it goes, so the longer reasons wrap onto a second line.
    window.main_splitter.setSizes([dialer.minimumSizeHint().width(), 4000])
    qtbot.waitUntil(lambda: dialer.width() <= dialer.minimumSizeHint().width() + 1)
    before = pad_top()
    for typed in ("12ab", "+1 312 555", ""):
        dialer.destination_edit.setText(typed)
        qtbot.waitUntil(lambda: label.height() >= label.sizeHint().height())
        assert pad_top() == before, typed


# --- state at a glance ------------------------------------------------------------------


def cell(window, ccid: str, col: int, role=Qt.ItemDataRole.DisplayRole):
    model = window.calls_model
    return model.index(model.row_of(ccid), col).data(role)


def test_a_held_one_to_one_call_reads_on_hold_with_its_hold_timer(qtbot, window, session, events):
    from console.ui.calls_model import BADGES_ROLE, COL_FLAGS, COL_STATE, COL_WHERE

    live_call(session.store, events, "v3:a", caller_id_name="Pat Caller")
    session.deliver(events.conference_created("conf-own", "v3:a"))
    session.deliver(events.joined("v3:a", "conf-own"))
    session.store.note_conference_name("conf-own", "console-call-0123456789ab")
    window.store_bridge.flush()
    assert cell(window, "v3:a", COL_STATE) == "Answered"  # not "In conference"
    assert cell(window, "v3:a", COL_WHERE) == ""  # not "Own conference"

    window.select_calls(["v3:a"])
    window.actions.hold.trigger()
    qtbot.waitUntil(window.actions.idle)
    window.store_bridge.flush()
    assert cell(window, "v3:a", COL_STATE) == "On hold 0:00"
    assert cell(window, "v3:a", COL_FLAGS, BADGES_ROLE) == "On hold"
    tint = cell(window, "v3:a", COL_STATE, Qt.ItemDataRole.BackgroundRole)
    assert tint is not None and tint.color() == theme.color("held")

    window.calls_model._held_since["v3:a"] -= timedelta(seconds=95)  # time passes
    window.calls_model.tick()
    assert cell(window, "v3:a", COL_STATE) == "On hold 1:35"


def test_flags_are_icons_with_their_words_in_the_tooltip(qtbot, window, session, events):
    from console.ui.calls_model import COL_FLAGS

    conference_of(session, events, "conf-a", "v3:a", "v3:b")
    session.store.mark_participants("conf-a", ["v3:a"], muted=True)
    window.store_bridge.flush()
    assert cell(window, "v3:a", COL_FLAGS) == ""  # nothing to truncate
    icon = cell(window, "v3:a", COL_FLAGS, Qt.ItemDataRole.DecorationRole)
    assert icon is not None and not icon.isNull()
    tip = cell(window, "v3:a", COL_FLAGS, Qt.ItemDataRole.ToolTipRole)
    assert "Muted" in tip and "Conference" in tip
    assert "Muted" in cell(window, "v3:a", COL_FLAGS, Qt.ItemDataRole.AccessibleTextRole)
    # The view leaves the strip its width, so two badges are not squeezed into one's room.
    strip = icon.availableSizes()[0]
    assert strip.width() > strip.height()
    assert window.calls_view.iconSize().width() >= strip.width()


def test_a_bridged_call_names_the_other_party(qtbot, window, session, events):
    from console.ui.calls_model import COL_WHERE

    live_call(session.store, events, "v3:a", caller_id_name="Pat Caller")
    live_call(session.store, events, "v3:b", caller_id_name="Bo Other")
    session.deliver(events.call("call.bridged", "v3:a", state="bridged"))
    session.store.note_bridge("v3:a", "v3:b")
    window.store_bridge.flush()
    assert cell(window, "v3:a", COL_WHERE) == "With Bo Other"
    assert cell(window, "v3:b", COL_WHERE) == "With Pat Caller"


def test_rows_are_tinted_and_the_timer_changes_colour_at_thresholds(
    qtbot, window, session, events, qsettings
):
    from console.ui.calls_model import COL_DURATION

    session.deliver(events.initiated("v3:ring"))
    live_call(session.store, events, "v3:talk")
    window.store_bridge.flush()
    background = Qt.ItemDataRole.BackgroundRole
    foreground = Qt.ItemDataRole.ForegroundRole
    assert cell(window, "v3:ring", COL_DURATION, background).color() == theme.color("ringing")
    assert cell(window, "v3:talk", COL_DURATION, background) is None
    assert cell(window, "v3:talk", COL_DURATION, foreground) is None  # under a minute

    # Configured thresholds (minutes): the call, about a minute old, passes both.
    qsettings.setValue("calls/warn_after_minutes", 0.25)
    qsettings.setValue("calls/alert_after_minutes", 2)
    window.apply_timer_thresholds()
    window.calls_model.tick()
    assert cell(window, "v3:talk", COL_DURATION, foreground).color() == theme.color("timer_warn")
    qsettings.setValue("calls/alert_after_minutes", 0.5)
    window.apply_timer_thresholds()
    window.calls_model.tick()
    assert cell(window, "v3:talk", COL_DURATION, foreground).color() == theme.color("timer_alert")
    assert cell(window, "v3:talk", COL_DURATION, background).color() == theme.color("long")


def test_missed_calls_are_counted_until_seen(qtbot, window, session, events):
    missed = window.status.missed_button
    assert not missed.isVisible()
    session.deliver(events.initiated("v3:m1", caller_id_name="Rang Out"))
    session.deliver(events.hangup("v3:m1", cause="originator_cancel"))
    session.deliver(events.initiated("v3:rej"))
    window.store_bridge.flush()
    window.select_calls(["v3:rej"])
    window.actions.reject.trigger()  # rejected by the operator: not missed
    qtbot.waitUntil(window.actions.idle)
    session.deliver(events.hangup("v3:rej", cause="call_rejected"))
    live_call(session.store, events, "v3:ok")
    session.deliver(events.hangup("v3:ok"))  # answered, then ended: not missed
    window.store_bridge.flush()

    assert missed.isVisible() and missed.text() == "Missed calls: 1"
    assert "Rang Out" in missed.toolTip()
    missed.click()
    assert not missed.isVisible()


# --- scaling and zoom -------------------------------------------------------------------


@pytest.fixture
def zoom_reset(window):
    yield window
    window.set_zoom(1.0)  # the application font is shared by every later test


def test_zoom_keys_scale_the_text_and_are_remembered(qtbot, zoom_reset, session, qsettings):
    window = zoom_reset
    base = QApplication.font().pointSizeF()
    row = window.calls_view.verticalHeader().defaultSectionSize()
    window.calls_view.setFocus()
    qtbot.keyClick(window.calls_view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom == 1.1
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.1)
    assert window.calls_view.verticalHeader().defaultSectionSize() > row
    qtbot.keyClick(window.calls_view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.calls_view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom == 0.9
    assert float(qsettings.value("view/zoom")) == 0.9
    qtbot.keyClick(window.calls_view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom == 1.0
    assert QApplication.font().pointSizeF() == pytest.approx(base)


def test_the_window_fits_a_1280x800_screen_at_150_percent(qtbot, zoom_reset):
    """At 150 % a 1280×800 screen is 853×533 logical pixels: the window's minimum must fit,
    panels scroll instead; the toolbar folds what does not fit into its overflow menu."""
    window = zoom_reset
    window.set_zoom(1.5)
    minimum = window.minimumSizeHint()
    assert minimum.width() <= 853 and minimum.height() <= 533, minimum
    window.resize(853, 533)
    qtbot.waitUntil(lambda: window.width() <= 853 and window.height() <= 533)
    extension = window.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is not None and extension.isVisible()  # overflow into a menu


# --- ringing that cannot be missed -----------------------------------------------------


class FakeAudio:
    """An audio device at the AudioOutput seam: records what it was asked to play."""

    def __init__(self, devices=("Desk speaker",)):
        self.devices = list(devices)
        self.playing = None  # (tone, device) while a ring plays
        self.plays = 0

    def output_devices(self):
        if not self.devices:
            raise AudioUnavailable("no audio output device")
        return list(self.devices)

    def play_loop(self, tone, device):
        self.output_devices()
        self.playing = (tone, device)
        self.plays += 1

    def stop(self):
        self.playing = None


@pytest.fixture
def audio():
    return FakeAudio()


@pytest.fixture
def ring_window(qtbot, session, qsettings, audio):
    w = MainWindow(session, qsettings=qsettings, audio_output=audio)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def peak(tone) -> int:
    import array

    samples = array.array("h")
    samples.frombytes(tone.samples)
    return max(abs(v) for v in samples)


def test_an_incoming_call_pops_up_rings_and_leaves_the_typing_focus_alone(
    qtbot, ring_window, session, events, audio
):
    window = ring_window
    edit = window.dialer.destination_edit
    edit.setFocus()
    qtbot.keyClicks(edit, "+1312")
    qtbot.waitUntil(edit.hasFocus)

    session.deliver(events.initiated("v3:in", caller_id_name="Grace Hopper"))
    window.store_bridge.flush()

    popup = window.ring_alerts.popup
    assert popup.isVisible() and popup.ccid == "v3:in"
    assert popup.caller_label.text() == "Grace Hopper"
    assert popup.number_label.text() == "+13125550100"
    assert popup.called_label.text() == "Called +13125550199"
    assert popup.answer_button.text() == "Answer (F5)"
    assert popup.reject_button.text() == "Reject (F6)"
    assert popup.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert edit.hasFocus()  # the operator keeps typing
    qtbot.keyClicks(edit, "555")
    assert edit.text() == "+1312555"
    assert audio.playing is not None and audio.playing[1] is None  # the default device
    assert window.tray.notifications == [
        ("Incoming call", "Incoming call from Grace Hopper <+13125550100>")
    ]

    qtbot.mouseClick(popup.answer_button, Qt.MouseButton.LeftButton)
    assert not popup.isVisible()  # answering: no longer ringing for the operator
    assert audio.playing is None
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls == [("answer", ("v3:in",))]


def test_the_popup_rejects_the_call_it_shows_and_follows_the_next(
    qtbot, ring_window, session, events, audio
):
    window = ring_window
    session.deliver(events.initiated("v3:first", caller_id_name="First Caller"))
    events.seconds += 3
    session.deliver(events.initiated("v3:second", caller_id_name="Second Caller"))
    window.store_bridge.flush()
    popup = window.ring_alerts.popup
    assert popup.ccid == "v3:first" and popup.more_label.text() == "1 more ringing"

    session.ops.confirm = True
    qtbot.mouseClick(popup.reject_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.actions.idle)
    session.deliver(events.hangup("v3:first", cause="call_rejected"))
    window.store_bridge.flush()
    assert session.ops.calls == [("reject", ("v3:first",))]
    assert popup.isVisible() and popup.ccid == "v3:second"
    assert audio.playing is not None


def test_do_not_disturb_silences_all_of_it(qtbot, ring_window, session, events, audio, qsettings):
    window = ring_window
    dnd = window.ring_alerts.dnd_action
    assert dnd in window.call_menu.actions()
    dnd.trigger()
    session.deliver(events.initiated("v3:in"))
    window.store_bridge.flush()
    assert not window.ring_alerts.popup.isVisible()
    assert audio.plays == 0 and window.tray.notifications == []
    assert window.calls_model.row_of("v3:in") is not None  # still in the table, tinted
    # One model: the window's Do-not-disturb is the operator's status, which colleagues see.
    assert window.workflow.desk.status.status is Status.DND
    assert dnd is window.workflow.status_selector.dnd_action

    window.workflow.desk.status.set(Status.AWAY, "Lunch")  # Away is quiet too
    assert not window.ring_alerts.popup.isVisible() and audio.playing is None
    window.workflow.desk.status.set(Status.DND)

    dnd.trigger()  # off again: the call still ringing rings now
    assert window.ring_alerts.popup.isVisible() and audio.playing is not None


def test_volume_and_device_come_from_the_desk_settings(qtbot, session, qsettings, events, audio):
    qsettings.setValue("ringing/volume", 25)
    qsettings.setValue("ringing/device", "Desk speaker")
    window = MainWindow(session, qsettings=qsettings, audio_output=audio)
    qtbot.addWidget(window)
    session.deliver(events.initiated("v3:in"))
    window.store_bridge.flush()
    tone, device = audio.playing
    assert device == "Desk speaker"
    full = load_tone()
    assert peak(tone) == pytest.approx(peak(full) * 0.25, abs=2)


def test_without_an_audio_device_it_rings_silently_and_says_so(qtbot, session, qsettings, events):
    audio = FakeAudio(devices=())
    window = MainWindow(session, qsettings=qsettings, audio_output=audio)
    qtbot.addWidget(window)
    window.show()
    session.deliver(events.initiated("v3:in"))
    window.store_bridge.flush()
    assert window.ring_alerts.popup.isVisible()  # the popup still rings
    label = window.status.sound_label
    assert label.isVisible() and "no sound" in label.text()
    assert label.toolTip() == NO_DEVICE_NOTICE
    assert window.notifications.history == []  # not an error: no failure strip


def test_settings_desk_tab_sets_ring_volume_and_timer_thresholds(
    qtbot, ring_window, session, events, audio, qsettings
):
    window = ring_window
    dialog = window.open_settings()
    assert dialog.device_combo.itemData(0) == ""  # system default first
    dialog.volume_slider.setValue(40)
    dialog.warn_spin.setValue(2)
    dialog.alert_spin.setValue(1)  # below amber: red starts with amber, never before it
    with qtbot.waitSignal(dialog.applied):
        dialog.accept()

    assert float(qsettings.value("ringing/volume")) == 40
    assert window.calls_model.warn_after_secs == 120
    assert window.calls_model.alert_after_secs == 120
    session.deliver(events.initiated("v3:in"))
    window.store_bridge.flush()
    tone, _device = audio.playing
    assert peak(tone) == pytest.approx(peak(load_tone()) * 0.4, abs=2)


# --- a newcomer's first minutes ---------------------------------------------------------


def test_demo_shows_a_try_this_card_that_fills_the_dialer_and_stays_dismissed(qtbot, qsettings):
    from console.simulator import phones

    session = FakeSession()
    session.demo = True
    window = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(window)
    window.show()
    card = window.try_this
    assert card is not None and card.isVisible()
    assert set(card.buttons) >= {phones.ANSWERS, phones.BUSY, phones.NOT_FOUND}
    qtbot.mouseClick(card.buttons[phones.BUSY], Qt.MouseButton.LeftButton)
    assert window.dialer.destination_edit.text() == phones.BUSY
    assert window.dialer.dial_button.isEnabled()

    assert window.try_this_dock.isVisible()  # in front of the history, at the bottom
    card.findChild(QToolButton).click()
    assert not window.try_this_dock.isVisible()
    window.close()
    again = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(again)
    assert again.try_this is None  # dismissed once, gone for good


def test_a_real_account_gets_no_try_this_card(window):
    assert window.try_this is None


def test_a_console_not_set_up_yet_does_not_open_in_red(qtbot, session, qsettings):
    session.client = None  # no API key anywhere: the setup wizard's case
    session.health_changed(
        api_reachable=False, api_last_error="no API key", key_problem="no public key"
    )
    window = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(window)
    status = window.status
    assert status.api_label.text() == "API: not set up"
    assert status.verification_label.text() == "Signatures: not set up"
    for label in (status.api_label, status.verification_label):
        assert label.property("severity") != "error"

    session.client = object()  # set up: the same problems are alarms now
    status.refresh()
    assert status.api_label.property("severity") == "error"
    assert status.verification_label.property("severity") == "error"


# --- issue 11: the window's dialogs have their own module ------------------------------


def test_the_window_is_a_dialog_host_and_delegates_to_its_dialogs(qtbot, window, session):
    from console.ui.window_dialogs import DialogHost, WindowDialogs

    assert isinstance(window.dialogs, WindowDialogs)
    for name in ("closed", "show_status", "notify_error", "notify_info", "refresh_from_settings"):
        assert hasattr(window, name), name
    assert {"session", "qsettings"} <= set(DialogHost.__annotations__)
    dialog = window.open_settings()
    assert window.settings_dialog is dialog is window.dialogs.settings_dialog
    assert window.open_settings() is dialog  # one at a time
    dialog.reject()
