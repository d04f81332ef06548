"""The operator's main window: dialer, calls, conferences, queues, event log, status, actions."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QSettings,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QCursor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolBar,
    QTreeView,
    QWidget,
)
from shiboken6 import Shiboken

from console.state.changes import Changes
from console.ui import formatting as fmt
from console.ui import icons, theme
from console.ui import window_selection as selection
from console.ui.actions import CallActions
from console.ui.calls_model import (
    SORT_ROLE,
    CallsModel,
    is_up,
)
from console.ui.conferences_model import ConferencesModel
from console.ui.dialer import Dialer
from console.ui.event_log import EventLogDock
from console.ui.health_panel import HealthPanel
from console.ui.history_panel import HistoryPanel
from console.ui.notifications import NotificationArea
from console.ui.pending import PendingOps
from console.ui.prompts import ConfirmDialog, PromptDialog
from console.ui.queues_model import QueuesModel
from console.ui.recordings_panel import RecordingsPanel
from console.ui.ringer import AudioOutput
from console.ui.ringing import DEMO_RING_GRACE_MS, RingAlerts
from console.ui.status_bar import StatusBar
from console.ui.store_bridge import StoreBridge
from console.ui.team_install import install_team
from console.ui.tray import Tray
from console.ui.try_this import TryThisCard
from console.ui.window_dialogs import WindowDialogs
from console.ui.window_layout import (
    LAYOUT_FILENAME,
    LAYOUT_VERSION,
    RIGHT_DOCK_WIDTH,
    first_run_geometry,
    first_run_rect,
    layout_settings,
    restore_layout,
    save_layout,
)
from console.ui.window_menus import build_menus
from console.ui.window_views import build_docks, build_layout, build_views, make_dock
from console.ui.window_zoom import ZOOM_LEVELS, apply_zoom
from console.ui.workflow_install import install_workflow

if TYPE_CHECKING:
    from console.session_api import ConsoleApi

__all__ = [
    "LAYOUT_FILENAME",
    "LAYOUT_VERSION",
    "RIGHT_DOCK_WIDTH",
    "MainWindow",
    "first_run_rect",
    "layout_settings",
]

log = logging.getLogger(__name__)

# Store changes are merged for this long before the models see them. At 200 events/s the GUI
# thread's time goes into repainting the calls table after each flush (benchmarks/README.md);
# 50 ms caps that at 20 repaints/s and is still well under what an operator can notice.
STORE_COALESCE_MS = 50


def _apply_theme(choice: str | None) -> None:
    """Apply the theme only when the scheme in use changes.

    ``theme.apply_theme`` calls ``QApplication.setStyle("Fusion")`` again on every call once a
    style sheet is set (the style-sheet style reports an empty name), and re-setting the style
    after a SetupWizard was deleted crashes Qt (reproduced offscreen, PySide6 6.11.3).
    """
    app = QApplication.instance()
    scheme = theme.resolve(choice)
    if (
        app is not None
        and app.property("telnyx_console_scheme") == scheme
        and theme.current() == scheme
    ):
        return
    theme.apply_theme(choice)


class MainWindow(QMainWindow):
    """Composes the widgets around one Qt-free ``session`` facade (see console/session.py)."""

    # The window's call actions; the name shadows QWidget.actions(), which nothing here uses.
    actions: CallActions  # type: ignore[assignment]
    # Built by console/ui/window_views.py:
    calls_view: QTableView
    conferences_view: QTreeView
    queues_view: QTreeView
    history_panel: HistoryPanel
    health_panel: HealthPanel
    recordings_panel: RecordingsPanel
    _history_panel_waiting: bool
    history_dock: QDockWidget
    health_dock: QDockWidget
    recordings_dock: QDockWidget
    try_this: TryThisCard | None
    try_this_dock: QDockWidget | None
    main_splitter: QSplitter
    right_splitter: QSplitter
    bottom_splitter: QSplitter
    dialer_scroll: QScrollArea
    # Built by console/ui/window_menus.py:
    call_menu: QMenu
    conference_menu: QMenu
    view_menu: QMenu
    tools_menu: QMenu
    calls_menu: QMenu
    conferences_menu: QMenu
    toolbar: QToolBar
    setup_wizard_action: QAction
    zoom_in_action: QAction
    zoom_out_action: QAction
    zoom_reset_action: QAction
    test_path_action: QAction
    resync_action: QAction

    def __init__(
        self,
        session: ConsoleApi,
        parent: QWidget | None = None,
        qsettings: QSettings | None = None,
        audio_output: AudioOutput | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.qsettings = qsettings or layout_settings()
        self.last_prompt: PromptDialog | None = None
        self.last_confirm: ConfirmDialog | None = None
        self.dialogs = WindowDialogs(self, self)
        self._closed = False
        self._notices_shown: set[str] = set()
        self._history_loaded = False
        self._auto_selected: str | None = None  # a ringing call selected for the operator
        self._health_dock_sized = False
        self._missed_seen: set[str] = set()
        settings = session.settings
        _apply_theme(settings.theme)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Telnyx Console" + (" — demo" if session.demo else ""))
        self.setWindowIcon(icons.app_icon())

        store = session.store
        self.pending = PendingOps(self)
        self.store_bridge = StoreBridge(store, delay_ms=STORE_COALESCE_MS, parent=self)
        self.calls_model = CallsModel(
            store, self.pending, float(settings.ended_call_retention_secs), self
        )
        self.calls_proxy = QSortFilterProxyModel(self)
        self.calls_proxy.setSourceModel(self.calls_model)
        self.calls_proxy.setSortRole(SORT_ROLE)
        # Rows hold still: no sorting, so a row stays where it is and a new call is appended
        # below the others (the model keeps arrival order), never pushing the row the
        # operator is aiming at. Ringing calls still stand out: tint, popup, auto-selection.
        self.calls_proxy.setDynamicSortFilter(False)
        self.conferences_model = ConferencesModel(store, self)
        self.calls_model.is_operator_leg = self._is_operator_leg
        self.conferences_model.is_operator_leg = self._is_operator_leg
        self.queues_model = QueuesModel(store, self)

        build_views(self)
        self.dialer = Dialer(settings.from_numbers, settings.default_country)
        self.dialer.dtmf_target = self._dtmf_target
        self.dialer.set_recent(self._stored_recent())
        self.notifications = NotificationArea()
        self.event_log = EventLogDock(parent=self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.event_log)
        self.status = StatusBar(session, self)
        self.setStatusBar(self.status)
        build_docks(self)
        self.actions = CallActions(session, self, self.pending, self)
        self.calls_model.ended_notes = self.actions.ended_notes
        self.calls_model.hold_still = self._pointer_on_calls
        self.apply_timer_thresholds()
        self.calls_model.transferred_to = self.actions.transferred_to
        build_layout(self)
        build_menus(self)
        self.tray = Tray(self, self.actions.group("answer reject hangup"))
        self.tray.activated.connect(self.bring_to_front)
        self.ring_alerts = RingAlerts(
            self,
            self.actions.ringing,
            lambda ccid: ccid in self.pending,
            self.qsettings,
            lambda title, text: self.tray.notify(title, text),  # as hooked later (names)
            audio_output,
            grace_ms=DEMO_RING_GRACE_MS if session.demo else 0,
        )
        popup = self.ring_alerts.popup
        popup.set_keys(self.actions.answer.shortcut(), self.actions.reject.shortcut())
        popup.answer_clicked.connect(self.actions.answer_call)
        popup.reject_clicked.connect(self.actions.reject_call)
        self.ring_alerts.notice.connect(self.status.set_sound_problem)
        self.call_menu.addSeparator()
        self.call_menu.addAction(self.ring_alerts.dnd_action)
        self.addAction(self.ring_alerts.dnd_action)

        self.store_bridge.changes_ready.connect(self._on_store_changes)
        self.pending.changed.connect(lambda _ccid: self.ring_alerts.update())
        # The panels hear the store through the bridge: one subscription, coalesced bursts.
        self.store_bridge.changes_ready.connect(self._guard(self.history_panel.on_store_changes))
        self.store_bridge.changes_ready.connect(self._guard(self.recordings_panel.on_store_changes))
        self.health_panel.path_test_finished.connect(self._on_path_test_finished)
        self.health_panel.resync_finished.connect(self._on_resync_finished)
        self.dialer.dial_requested.connect(self._dial)
        self.dialer.dtmf_requested.connect(self._send_dtmf_key)
        for view in (self.calls_view, self.conferences_view, self.queues_view):
            view.selectionModel().selectionChanged.connect(self._on_selection)
        # Each registration may return an "unsubscribe" callable; called when the window closes.
        self._unsubscribe = [
            session.on_event(self._guard(self.event_log.add_event)),
            session.on_rejected(self._guard(self.event_log.add_rejection)),
            session.on_health(self._guard(self._on_health)),
        ]
        self.zoom = 1.0
        saved_zoom = _positive(self.qsettings.value("view/zoom"), 1.0)
        if saved_zoom != 1.0:
            self.set_zoom(saved_zoom, remember=False)
        self.load_event_history()
        # The workflow's docks exist before the window is sized and its layout restored, so the
        # operator's placement of them comes back with the rest.
        workflow = install_workflow(self, session)
        if workflow is not None:
            self._ring_by_status(workflow.desk.status, workflow.status_selector.dnd_action)
        install_team(self, session)  # the Team dock and menu (console/ui/team_install.py)
        first_run_geometry(self)  # once everything is built, so its minimum size is known
        restore_layout(self)
        self._on_selection()
        self._on_health()
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._guard(self._on_system_scheme))

    def _ring_by_status(self, status, dnd_action: QAction) -> None:
        """One Do-not-disturb: the operator's status decides what rings, its toggle (with the
        same shortcut) takes the place of the ringing's own in the Call menu."""
        replaced = self.ring_alerts.follow_status(status, dnd_action)
        self.call_menu.insertAction(replaced, dnd_action)
        self.call_menu.removeAction(replaced)
        self.removeAction(replaced)
        replaced.setShortcut(QKeySequence())  # one action answers Ctrl+Shift+N
        replaced.deleteLater()

    def load_event_history(self, limit: int = 500) -> bool:
        """Show the journal's recent events; the app calls it again once the session started."""
        journal = self.session.journal
        if journal is None or self._history_loaded:
            return False
        self._history_loaded = True
        self.event_log.load_history(journal, limit)
        if self._history_panel_waiting:
            # Built before the session opened its journal: it showed "appears once started".
            self._history_panel_waiting = False
            self.history_panel.refresh()
        return True

    # --- construction ---------------------------------------------------------------------

    def _dock(self, name: str, title: str, panel: QWidget) -> QDockWidget:
        """A dock the layout memory restores (the workflow's panels are built with it too)."""
        return make_dock(self, name, title, panel)

    def engineer_docks(self) -> tuple[QDockWidget, ...]:
        """The docks an operator does not need to see by default."""
        return (self.health_dock, self.event_log)

    def docks(self) -> dict[str, QDockWidget]:
        return {
            "eventlog": self.event_log,
            "history": self.history_dock,
            "health": self.health_dock,
            "recordings": self.recordings_dock,
        }

    # --- zoom -----------------------------------------------------------------------------

    def zoom_by(self, steps: int) -> None:
        levels = ZOOM_LEVELS
        current = min(range(len(levels)), key=lambda i: abs(levels[i] - self.zoom))
        self.set_zoom(levels[max(0, min(len(levels) - 1, current + steps))])

    def set_zoom(self, factor: float, remember: bool = True) -> None:
        """Scale the application's text (and what is sized from it) by ``factor``."""
        apply_zoom(self, factor, remember)

    def _guard(self, fn: Callable[..., Any]) -> Callable[..., None]:
        """Session callbacks may outlive the window; drop them once it is gone."""

        def call(*args: Any) -> None:
            if self._closed or not Shiboken.isValid(self):
                return
            fn(*args)

        return call

    # --- selection (console/ui/window_selection.py; also what end-to-end tests drive) -------

    def selected_ccids(self) -> list[str]:
        return selection.selected_ccids(self)

    def select_calls(self, ccids: Iterable[str]) -> None:
        selection.select_calls(self, ccids)

    def selected_conference(self) -> str | None:
        return selection.selected_conference(self)

    def selected_participant(self) -> tuple[str, str] | None:
        return selection.selected_participant(self)

    def selected_waiter(self) -> str | None:
        return selection.selected_waiter(self)

    def select_conference(self, conference_id: str, ccid: str | None = None) -> None:
        selection.select_conference(self, conference_id, ccid)

    def select_waiter(self, queue: str, ccid: str) -> None:
        selection.select_waiter(self, queue, ccid)

    def _on_selection(self, *_args) -> None:
        self.actions.update()
        self.dialer.update_mode()

    def _pointer_on_calls(self) -> bool:
        """The pointer is over the calls table: ended rows wait before they leave it."""
        viewport = self.calls_view.viewport()
        if not viewport.isVisible():
            return False
        return viewport.rect().contains(viewport.mapFromGlobal(QCursor.pos()))

    def _is_operator_leg(self, ccid: str) -> bool:
        """The console's leg to the operator's own phone (the session's ops know; before the
        session started there is none)."""
        ops = self.session.ops
        return ops is not None and ops.is_operator_leg(ccid)

    def _dtmf_target(self) -> str | None:
        ccids = self.selected_ccids()
        if len(ccids) != 1:
            return None
        call = self.session.store.call(ccids[0])
        return ccids[0] if is_up(call) else None

    # --- ActionContext for the actions ----------------------------------------------------

    def default_country(self) -> str | None:
        return self.session.settings.default_country

    def open_prompt(self, title, label, validate, on_value, placeholder="") -> PromptDialog:
        dialog = PromptDialog(title, label, validate, placeholder, self)
        dialog.submitted.connect(on_value)
        dialog.finished.connect(dialog.deleteLater)  # the owner frees it, so tests can hold it
        self.last_prompt = dialog
        dialog.open()  # not exec(): the asyncio loop keeps running underneath
        return dialog

    def confirm(
        self, title: str, text: str, yes_text: str, on_yes: Callable[[], None]
    ) -> ConfirmDialog:
        dialog = ConfirmDialog(title, text, yes_text, self)
        dialog.confirmed.connect(on_yes)
        dialog.finished.connect(dialog.deleteLater)
        self.last_confirm = dialog
        dialog.open()  # not exec(): the asyncio loop keeps running underneath
        return dialog

    def notify_error(self, text: str) -> None:
        self.status.showMessage(text, 15000)
        self.notifications.show_message(text)

    def show_status(self, text: str) -> None:
        self.status.showMessage(text, 5000)

    def focus_dialer(self) -> None:
        self.dialer.destination_edit.setFocus()
        self.dialer.destination_edit.selectAll()

    # --- dialogs (console/ui/window_dialogs.py owns them) -----------------------------------

    def open_settings(self):
        return self.dialogs.open_settings()

    def open_setup_wizard(self):
        return self.dialogs.open_setup_wizard()

    @property
    def settings_dialog(self):
        return self.dialogs.settings_dialog

    @property
    def setup_wizard(self):
        return self.dialogs.setup_wizard

    @property
    def setup_task(self) -> asyncio.Future | None:
        return self.dialogs.setup_task

    @property
    def closed(self) -> bool:
        return self._closed

    def notify_info(self, text: str) -> None:
        self.notifications.show_message(text, "info")

    def refresh_from_settings(self, message: str = "Settings saved") -> None:
        """New settings were applied: every widget that shows one follows."""
        settings = self.session.settings
        self.dialer.set_from_numbers(settings.from_numbers)
        self.dialer.set_default_country(settings.default_country)
        self.calls_model.set_retention(float(settings.ended_call_retention_secs))
        self.apply_timer_thresholds()
        self.ring_alerts.configure()
        _apply_theme(settings.theme)
        self.status.refresh()
        self.health_panel.refresh()
        self.show_status(message)

    # --- webhook path and resync (the health panel does the work) -------------------------

    def test_webhook_path(self) -> asyncio.Future | None:
        """Tools → Test the webhook path: the health dock's test, shown where it reports."""
        self.health_dock.show()
        self.health_dock.raise_()
        task = self.health_panel.test_path()
        if task is not None:
            self.show_status("Testing the webhook path…")
        return task

    def resync_now(self) -> asyncio.Future | None:
        task = self.health_panel.resync()
        if task is not None:
            self.show_status("Resyncing with Telnyx…")
        return task

    def _on_path_test_finished(self, ok: bool, text: str) -> None:
        if self._closed:
            return
        lines = [_unstamp(line) for line in text.splitlines() if line.strip()]
        if ok:
            self.show_status("Webhook path test passed: every link works (see Webhook health).")
            return
        failed = [line for line in lines if "✘" in line] or lines or ["no details"]
        summary = failed[0].removeprefix("✘").strip()
        self.status.showMessage(f"Webhook path test failed: {summary}", 15000)
        self.notifications.show_message("Webhook path test failed:\n" + "\n".join(lines))

    def _on_resync_finished(self, ok: bool, text: str) -> None:
        if self._closed:
            return
        if ok:
            self.show_status(_unstamp(text))
        else:
            self.notify_error(_unstamp(text))

    # --- reacting to the store and the operator -------------------------------------------

    def _on_store_changes(self, changes: Changes) -> None:
        self.actions.ringing.apply(changes)  # first: the actions and the ringing read it
        self.calls_model.apply_changes(changes)
        self.conferences_model.apply_changes(changes)
        self.queues_model.apply_changes(changes)
        self.actions.update()
        self.dialer.update_mode()
        self._count_missed(changes.calls.changed | changes.calls.added)
        if not changes.reset:
            selection.select_ringing(self, changes.calls.added)
        self.ring_alerts.update()  # popup, ringtone, taskbar flash and tray (or DND: none)

    def apply_timer_thresholds(self) -> None:
        """The call timer's amber and red ages (minutes), from the desk's own preferences."""
        warn = _positive(self.qsettings.value("calls/warn_after_minutes"), 5.0)
        alert = _positive(self.qsettings.value("calls/alert_after_minutes"), 15.0)
        self.calls_model.warn_after_secs = warn * 60
        self.calls_model.alert_after_secs = max(alert, warn) * 60

    def _count_missed(self, ccids: Iterable[str]) -> None:
        """An incoming call that ended while still ringing, not rejected from here: missed."""
        for ccid in ccids:
            call = self.session.store.call(ccid)
            if (
                call is None
                or call.is_live
                or call.direction != "incoming"
                or call.answered_at is not None
                or ccid in self.actions.ended_notes
                or ccid in self._missed_seen
            ):
                continue
            self._missed_seen.add(ccid)
            when = fmt.format_time(call.ended_at)
            self.status.add_missed(f"{when}  {fmt.party(call.from_number, call.caller_name)}")

    def _on_system_scheme(self, *_args) -> None:
        # Only a "system" theme follows the desktop; an explicit choice stays put.
        if self.session.settings.theme == "system":
            _apply_theme("system")
            self.calls_view.viewport().update()

    def _on_health(self) -> None:
        self.status.refresh()
        # Start-up notes (a bad settings file, a missing key...) are shown once each.
        for notice in self.session.health.notices:
            if notice not in self._notices_shown:
                self._notices_shown.add(notice)
                self.notifications.show_message(notice, "info")

    def _dial(self, to: str, from_: str) -> None:
        self._store_recent(self.dialer.recent_numbers)
        self.actions.place_call(to, from_)

    def _dismiss_try_this(self) -> None:
        self.qsettings.setValue("demo/try_this_dismissed", True)
        if self.try_this_dock is not None:
            self.try_this_dock.close()
            self.history_dock.raise_()

    def _try_number(self, number: str) -> None:
        self.dialer.destination_edit.setText(number)
        self.focus_dialer()

    def _send_dtmf_key(self, ccid: str, digit: str) -> None:
        self.actions.send_digits(ccid, digit)

    def _calls_context_menu(self, pos) -> None:
        self.actions.update()
        # popup(), not exec(): a nested event loop would stall the asyncio tasks.
        self.calls_menu.popup(self.calls_view.viewport().mapToGlobal(pos))

    def _on_call_double_clicked(self, index: QModelIndex) -> None:
        if self.actions.answer.isEnabled():
            self.actions.answer.trigger()

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # --- layout memory --------------------------------------------------------------------

    def _stored_recent(self) -> list[str]:
        value = self.qsettings.value("dialer/recent", [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list | tuple) else []

    def _store_recent(self, numbers: list[str]) -> None:
        self.qsettings.setValue("dialer/recent", list(numbers))

    def save_layout(self) -> None:
        """Remember the window's geometry, docks, splitters and columns (window_layout.py)."""
        save_layout(self)

    def _close_panels(self) -> None:
        for panel in (self.history_panel, self.recordings_panel):
            try:
                panel.close_panel()
            except Exception:
                log.warning("closing %s failed", panel.objectName(), exc_info=True)
        health = self.health_panel
        health.timer.stop()
        health.detach()
        for task in (health.test_task, health.resync_task):
            if task is not None and not task.done():
                task.cancel()
        self.dialogs.close()

    def closeEvent(self, event) -> None:
        if not self._closed:
            self.save_layout()
            self._closed = True
            self.store_bridge.close()
            for unsubscribe in self._unsubscribe:
                if callable(unsubscribe):
                    unsubscribe()
            self._close_panels()
            self.ring_alerts.close()
            self.tray.hide()
        super().closeEvent(event)


def _positive(value: object, default: float) -> float:
    """A positive number from a saved preference, else ``default``."""
    try:
        minutes = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return minutes if minutes > 0 else default


def _unstamp(line: str) -> str:
    """The health panel stamps results "12:00:05  text"; the status bar has its own context."""
    head, sep, rest = line.partition("  ")
    return rest if sep and head and head[0].isdigit() and ":" in head else line
