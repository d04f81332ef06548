"""Issue #12 on the window with the boundary-faked session: the calls table at a glance.

A pending row in words with an icon (no glyph the font lacks), rows that hold still while calls
come and go, held, bridged and flagged calls that read as such, tints and timer colours at their
thresholds, and missed calls counted until seen. The fixtures are in conftest.py.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, Qt

from console.ui import theme
from tests.ui.fakes import live_call
from tests.ui.window_helpers import conference_of

# --- bug 5: glyphs that draw --------------------------------------------------------------


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
