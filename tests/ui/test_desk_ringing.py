"""Issue #12 on the window with the boundary-faked session: ringing that cannot be missed.

The focus-free popup (answer, reject, the next ringing call), the ringtone through a fake audio
device at the AudioOutput seam with its volume and device from the desk settings, ringing
silently without a device, and Do not disturb silencing all of it. The session and events
fixtures are in conftest.py.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console.desk import Status
from console.ui.main_window import MainWindow
from console.ui.ringer import NO_DEVICE_NOTICE, AudioUnavailable, load_tone


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
