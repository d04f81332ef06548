"""Issue #12 on the window with the boundary-faked session: the layout an operator starts with.

Toolbar buttons that hold their width, a banner and an inline error that move nothing, zoom and
a 1280×800 screen at 150 %, and a newcomer's first minutes (the demo's try-this card, no red
before the console is set up). The fixtures are in conftest.py.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QToolButton

from console.ui.main_window import MainWindow
from tests.ui.fakes import FakeSession
from tests.ui.window_helpers import conference_of

# --- bug 5: buttons that hold their width -------------------------------------------------


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


# --- messages move nothing ---------------------------------------------------------------


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
