"""The workflow's Caller and Wrap-up docks and its status selector: made, placed, and what they
show for the selected call or a call that just ended.

Apart from the glue (``workflow_install.py``), which decides when: these are the operator's
panels, tabbed with the history so the first-run layout keeps its size, and the rules for
which one comes to the front (a live call's caller, unless history is being read; the wrap-up
when a handled call ends or notes are asked for).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QWidget

from console.desk import Desk, other_party
from console.desk.calls import entry_from_call
from console.history import CallHistoryEntry, call_key
from console.state.entities import Call
from console.ui.workflow_caller_panel import CallerPanel
from console.ui.workflow_names import NameCache
from console.ui.workflow_status import StatusSelector
from console.ui.workflow_wrapup import WrapUpCard

#: How long history rows about the shown caller are gathered before the caller panel re-reads.
CALLER_REFRESH_MS = 500


class WorkflowDocks:
    """The status selector, the Caller panel and the Wrap-up card, in ``window``."""

    def __init__(self, window: Any, desk: Desk, names: NameCache, refresh: Callable[[], None]):
        """``refresh()`` shows the selected call again (its caller's calls may have grown)."""
        self.window = window
        self.desk = desk
        self._shown: tuple[str, Any] | None = None  # the call the caller panel shows
        # At the right end of the menu bar, where Flex and CCP show the agent's status: the
        # status bar's permanent widgets already set the window's minimum width, and one more
        # would push the window past a small screen.
        bar = window.menuBar()
        self.status_selector = StatusSelector(desk.status, bar)
        bar.setCornerWidget(self.status_selector, Qt.Corner.TopRightCorner)

        self.caller_panel = CallerPanel(desk)
        self.card = WrapUpCard(desk, names)
        self.caller_dock = self._dock("callerDock", "Caller", self.caller_panel)
        self.wrapup_dock = self._dock("wrapUpDock", "Wrap-up", self.card)
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        window.addDockWidget(bottom, self.caller_dock)
        window.addDockWidget(bottom, self.wrapup_dock)
        # Tabbed with the event log and history: the first-run layout keeps its size (a new
        # dock area would push the window past a small screen), and the operator's panels are
        # one click (or a call ending) away.
        beside = getattr(window, "history_dock", None)
        if beside is not None:
            window.tabifyDockWidget(beside, self.caller_dock)
            window.tabifyDockWidget(self.caller_dock, self.wrapup_dock)
        front = getattr(window, "try_this_dock", None) or beside
        if front is not None:
            front.raise_()  # the tab the window chose stays in front until a call is selected
        self._caller_refresh = QTimer(self.caller_panel)
        self._caller_refresh.setSingleShot(True)
        self._caller_refresh.setInterval(CALLER_REFRESH_MS)
        self._caller_refresh.timeout.connect(refresh)

    def _dock(self, name: str, title: str, panel: QWidget) -> QDockWidget:
        # The window's own kind of dock: its panel scrolls, so the card's minimum height never
        # makes the window taller than a small or scaled screen.
        dock: QDockWidget = self.window._dock(name, title, panel)
        return dock

    def _front_wrapup(self) -> None:
        self.wrapup_dock.show()
        self.wrapup_dock.raise_()

    def rows_written(self, entries: Iterable[CallHistoryEntry]) -> None:
        """History rows were written while a call is selected: the Caller panel shows its
        caller's past calls, so it reads again when a row is about that caller. Under load
        rows arrive many times a second, so the panel (a few indexed queries) is read again
        at most every half second."""
        shown = self.caller_panel.number
        about_shown = any(shown and shown in (e.from_number, e.to_number) for e in entries)
        if about_shown and not self._caller_refresh.isActive():
            self._caller_refresh.start()  # not restarted by later rows: a steady stream still shows

    def show_call(
        self, call: Call | None, is_operator_leg: Callable[[str], bool], *, force: bool
    ) -> None:
        """The selected call's caller (and a live call's notes); None: nothing selected."""
        if call is None:
            self._shown = None
            if not self.caller_panel.number:
                self.caller_panel.clear()
            return
        # Events for the selected call arrive many times a second: the panel is read again only
        # when the selection, the call's state or the contacts changed.
        shown = (call.call_control_id, call.state)
        if shown == self._shown and not force:
            return
        self._shown = shown
        number = other_party(call.direction, call.from_number, call.to_number)
        self.caller_panel.show_number(
            number, call.caller_name, live=call.is_live, exclude=(call.call_control_id,)
        )
        if call.is_live and not is_operator_leg(call.call_control_id):
            self.card.show_live(entry_from_call(call))
            if not self.window.history_dock.isVisible() and not self.wrapup_dock.isVisible():
                self.caller_dock.raise_()  # a live call's caller, unless history is being read

    def wrap_up(self, entry: CallHistoryEntry) -> None:
        """A handled call ended: its wrap-up in front, and the status's wrap-up time begins."""
        self.card.add_ended(entry)
        self._front_wrapup()
        key = call_key(entry)
        self.desk.status.begin_wrap_up(key, self.desk.wrap_up_secs)

    def notes_for(self, call: Call | None, notify_error: Callable[[str], object]) -> None:
        """The notes of ``call`` in front and focused (None: the wrap-up waiting in the card)."""
        if call is None:
            if self.card.entry is None:
                notify_error("Select a call to write notes for.")
                return
            # No call selected: the key goes to the wrap-up waiting in the card.
            self._front_wrapup()
            self.card.notes.setFocus()
            return
        entry = entry_from_call(call)
        if call.is_live:
            waiting = self.card.entry
            if self.card.busy and waiting is not None:
                # An ended call's wrap-up goes back in line while the live call gets its notes.
                self.card.save_notes()
                self.card.requeue_first(waiting)
                self.card.entry = None
            self.card.show_live(entry)
        else:
            self.card.add_ended(entry)
        self._front_wrapup()
        self.card.notes.setFocus()
