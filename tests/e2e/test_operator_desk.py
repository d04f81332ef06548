"""Issue #12, the operator's desk on the real demo session: one call per Enter, outcomes said
in words, confirmations before destructive actions, truthful transfer feedback."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.e2e.operator import Operator


@pytest.fixture
def op(qtbot, window, session, transport):
    return Operator(qtbot, window, session, transport)


def dial_by_enter(op: Operator, qtbot, number: str) -> None:
    dialer = op.window.dialer
    dialer.destination_edit.setFocus()
    qtbot.keyClicks(dialer.destination_edit, number)
    qtbot.keyClick(dialer.destination_edit, Qt.Key.Key_Return)


# --- bug 1: Enter in the To field --------------------------------------------------------


def test_enter_in_the_to_field_places_one_call(op, qtbot, window):
    dial_by_enter(op, qtbot, "+1 312 555 0100")
    op.wait(lambda: op.transport.posts("/v2/calls"))
    op.wait(window.actions.idle)
    op.wait(lambda: len(window.calls_model.ccids()) >= 1)
    op.settle()

    assert len(op.transport.posts("/v2/calls")) == 1
    assert len(window.calls_model.ccids()) == 1
    assert len(op.truth()["calls"]) + len(op.truth()["ended_calls"]) == 1
