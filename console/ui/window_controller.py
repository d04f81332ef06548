"""The main window's reactions: what its widgets do when the store, the session's health, the
settings or the desktop's colour scheme change, and what the operator's gestures on the calls
table, the dialer and the try-this card lead to.

Split out of console/ui/main_window.py (issue 11): the window builds and lays out the widgets
(console/ui/window_views.py, window_menus.py) and keeps the names the actions, the workflow and
the tests use; this controller holds the behaviour between them. The dialogs have their own
controller (console/ui/window_dialogs.py), the words for the operator theirs
(console/ui/window_feedback.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint
from PySide6.QtGui import QCursor

from console.state.changes import Changes
from console.ui import window_selection as selection
from console.ui.call_cells import is_up
from console.ui.window_prefs import apply_theme, store_recent, timer_thresholds

if TYPE_CHECKING:
    from console.ui.main_window import MainWindow

log = logging.getLogger("console.ui.main_window")


class WindowController:
    """Reacts for one ``MainWindow``; built first, so the builders can connect to it."""

    def __init__(self, window: MainWindow):
        self.w = window
        self.history_loaded = False

    # --- the store and the session ----------------------------------------------------------

    def on_store_changes(self, changes: Changes) -> None:
        w = self.w
        w.actions.ringing.apply(changes)  # first: the actions and the ringing read it
        w.calls_model.apply_changes(changes)
        w.conferences_model.apply_changes(changes)
        w.queues_model.apply_changes(changes)
        w.actions.update()
        w.dialer.update_mode()
        ended = changes.calls.changed | changes.calls.added
        w.feedback.count_missed(ended, w.session.store.call, w.actions.ended_notes)
        if not changes.reset:
            selection.select_ringing(w, changes.calls.added)
        w.ring_alerts.update()  # popup, ringtone, taskbar flash and tray (or DND: none)

    def on_health(self) -> None:
        self.w.status.refresh()
        self.w.feedback.show_notices(self.w.session.health.notices)

    def load_event_history(self, limit: int = 500) -> bool:
        """Show the journal's recent events; the app calls it again once the session started."""
        w = self.w
        journal = w.session.journal
        if journal is None or self.history_loaded:
            return False
        self.history_loaded = True
        w.event_log.load_history(journal, limit)
        if w._history_panel_waiting:
            # Built before the session opened its journal: it showed "appears once started".
            w._history_panel_waiting = False
            w.history_panel.refresh()
        return True

    def is_operator_leg(self, ccid: str) -> bool:
        """The console's leg to the operator's own phone (the session's ops know; before the
        session started there is none)."""
        ops = self.w.session.ops
        return ops is not None and ops.is_operator_leg(ccid)

    # --- settings and the desktop -----------------------------------------------------------

    def refresh_from_settings(self, message: str) -> None:
        """New settings were applied: every widget that shows one follows."""
        w = self.w
        settings = w.session.settings
        w.dialer.set_from_numbers(settings.from_numbers)
        w.dialer.set_default_country(settings.default_country)
        w.calls_model.set_retention(float(settings.ended_call_retention_secs))
        self.apply_timer_thresholds()
        w.ring_alerts.configure()
        apply_theme(settings.theme)
        w.status.refresh()
        w.health_panel.refresh()
        w.show_status(message)

    def apply_timer_thresholds(self) -> None:
        """The call timer's amber and red ages (minutes), from the desk's own preferences."""
        warn, alert = timer_thresholds(self.w.qsettings)
        self.w.calls_model.warn_after_secs = warn
        self.w.calls_model.alert_after_secs = alert

    def on_system_scheme(self, *_args) -> None:
        # Only a "system" theme follows the desktop; an explicit choice stays put.
        if self.w.session.settings.theme == "system":
            apply_theme("system")
            self.w.calls_view.viewport().update()

    # --- webhook path and resync (the health panel does the work) ---------------------------

    def test_webhook_path(self) -> asyncio.Future | None:
        """Tools → Test the webhook path: the health dock's test, shown where it reports."""
        w = self.w
        w.health_dock.show()
        w.health_dock.raise_()
        task = w.health_panel.test_path()
        if task is not None:
            w.show_status("Testing the webhook path…")
        return task

    def resync_now(self) -> asyncio.Future | None:
        task = self.w.health_panel.resync()
        if task is not None:
            self.w.show_status("Resyncing with Telnyx…")
        return task

    # --- the operator's gestures ------------------------------------------------------------

    def pointer_on_calls(self) -> bool:
        """The pointer is over the calls table: ended rows wait before they leave it."""
        viewport = self.w.calls_view.viewport()
        if not viewport.isVisible():
            return False
        return viewport.rect().contains(viewport.mapFromGlobal(QCursor.pos()))

    def dtmf_target(self) -> str | None:
        ccids = self.w.selected_ccids()
        if len(ccids) != 1:
            return None
        call = self.w.session.store.call(ccids[0])
        return ccids[0] if is_up(call) else None

    def dial(self, to: str, from_: str) -> None:
        store_recent(self.w.qsettings, self.w.dialer.recent_numbers)
        self.w.actions.place_call(to, from_)

    def send_dtmf_key(self, ccid: str, digit: str) -> None:
        self.w.actions.send_digits(ccid, digit)

    def dismiss_try_this(self) -> None:
        w = self.w
        w.qsettings.setValue("demo/try_this_dismissed", True)
        if w.try_this_dock is not None:
            w.try_this_dock.close()
            w.history_dock.raise_()

    def try_number(self, number: str) -> None:
        self.w.dialer.destination_edit.setText(number)
        self.w.focus_dialer()

    def calls_context_menu(self, pos: QPoint) -> None:
        self.w.actions.update()
        # popup(), not exec(): a nested event loop would stall the asyncio tasks.
        self.w.calls_menu.popup(self.w.calls_view.viewport().mapToGlobal(pos))

    def call_double_clicked(self, index: QModelIndex) -> None:
        if self.w.actions.answer.isEnabled():
            self.w.actions.answer.trigger()

    # --- closing ----------------------------------------------------------------------------

    def close_panels(self) -> None:
        w = self.w
        for panel in (w.history_panel, w.recordings_panel):
            try:
                panel.close_panel()
            except Exception:
                log.warning("closing %s failed", panel.objectName(), exc_info=True)
        health = w.health_panel
        health.timer.stop()
        health.detach()
        for task in (health.test_task, health.resync_task):
            if task is not None and not task.done():
                task.cancel()
        w.dialogs.close()
