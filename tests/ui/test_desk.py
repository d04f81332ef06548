"""Issue #12 on the window with the boundary-faked session: the dialer's keys and clicks,
confirmations, selection after destructive actions, the layout an operator starts with."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

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
