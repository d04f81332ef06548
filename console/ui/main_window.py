"""The operator's main window: dialer, calls, conferences, queues, event log, status, actions.

The window builds the widgets and keeps the names the actions (``ActionContext``), the workflow,
the app and the tests use; its pieces live in the console/ui/window_*.py modules.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
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

from console.ui import icons
from console.ui import window_selection as selection
from console.ui.actions import CallActions
from console.ui.dialer import Dialer
from console.ui.event_log import EventLogDock
from console.ui.health_panel import HealthPanel
from console.ui.history_panel import HistoryPanel
from console.ui.notifications import NotificationArea
from console.ui.pending import PendingOps
from console.ui.prompts import ConfirmDialog, PromptDialog
from console.ui.recordings_panel import RecordingsPanel
from console.ui.ringer import AudioOutput
from console.ui.status_bar import StatusBar
from console.ui.store_bridge import StoreBridge
from console.ui.team_install import install_team
from console.ui.tray import Tray
from console.ui.try_this import TryThisCard
from console.ui.window_controller import WindowController
from console.ui.window_dialogs import WindowDialogs
from console.ui.window_feedback import WindowFeedback
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
from console.ui.window_models import build_models
from console.ui.window_prefs import apply_theme, saved_zoom, stored_recent
from console.ui.window_ringing import build_ring_alerts, ring_by_status
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

# Store changes are merged for this long before the models see them. At 200 events/s the GUI
# thread's time goes into repainting the calls table after each flush (benchmarks/README.md);
# 50 ms caps that at 20 repaints/s and is still well under what an operator can notice. Under
# sustained traffic flushes are spaced wider: an unpaced burst of webhooks spent ~70 µs less of
# the window's CPU per event at 100 ms, CPU the ingest process answering them shares.
STORE_COALESCE_MS = 50
STORE_COALESCE_BUSY_MS = 100


class MainWindow(QMainWindow):
    """Composes the widgets around one Qt-free ``session`` facade (see console/session.py);
    its behaviour lives in ``controller`` (window_controller.py), its dialogs in ``dialogs``
    (window_dialogs.py), what it tells the operator in ``feedback`` (window_feedback.py)."""

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
        self.controller = WindowController(self)
        self.dialogs = WindowDialogs(self, self)
        self._closed = False
        self._auto_selected: str | None = None  # a ringing call selected for the operator
        self._health_dock_sized = False
        settings = session.settings
        apply_theme(settings.theme)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Telnyx Console" + (" — demo" if session.demo else ""))
        self.setWindowIcon(icons.app_icon())

        control = self.controller
        store = session.store
        self.pending = PendingOps(self)
        self.store_bridge = StoreBridge(
            store, STORE_COALESCE_MS, self, busy_delay_ms=STORE_COALESCE_BUSY_MS
        )
        retention = float(settings.ended_call_retention_secs)
        models = build_models(store, self.pending, retention, control.is_operator_leg, self)
        self.calls_model, self.calls_proxy, self.conferences_model, self.queues_model = models

        build_views(self)
        self.dialer = Dialer(settings.from_numbers, settings.default_country)
        self.dialer.dtmf_target = control.dtmf_target
        self.dialer.set_recent(stored_recent(self.qsettings))
        self.notifications = NotificationArea()
        self.event_log = EventLogDock(parent=self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.event_log)
        self.status = StatusBar(session, self)
        self.setStatusBar(self.status)
        self.feedback = WindowFeedback(self.status, self.notifications)
        build_docks(self)
        self.actions = CallActions(session, self, self.pending, self)
        self.calls_model.ended_notes = self.actions.ended_notes
        self.calls_model.hold_still = control.pointer_on_calls
        self.apply_timer_thresholds()
        self.calls_model.transferred_to = self.actions.transferred_to
        build_layout(self)
        build_menus(self)
        self.tray = Tray(self, self.actions.group("answer reject hangup"))
        self.tray.activated.connect(self.bring_to_front)
        self.ring_alerts = build_ring_alerts(
            self,
            self.actions,
            self.pending,
            self.qsettings,
            self.tray,
            self.status,
            self.call_menu,
            demo=session.demo,
            audio_output=audio_output,
        )

        self.store_bridge.changes_ready.connect(control.on_store_changes)
        self.pending.changed.connect(lambda _ccid: self.ring_alerts.update())
        # The panels hear the store through the bridge: one subscription, coalesced bursts.
        self.store_bridge.changes_ready.connect(self._guard(self.history_panel.on_store_changes))
        self.store_bridge.changes_ready.connect(self._guard(self.recordings_panel.on_store_changes))
        self.health_panel.path_test_finished.connect(self._guard(self.feedback.path_test_finished))
        self.health_panel.resync_finished.connect(self._guard(self.feedback.resync_finished))
        self.dialer.dial_requested.connect(control.dial)
        self.dialer.dtmf_requested.connect(control.send_dtmf_key)
        for view in (self.calls_view, self.conferences_view, self.queues_view):
            view.selectionModel().selectionChanged.connect(self._on_selection)
        # Each registration may return an "unsubscribe" callable; called when the window closes.
        self._unsubscribe = [
            session.on_event(self._guard(self.event_log.add_event)),
            session.on_rejected(self._guard(self.event_log.add_rejection)),
            session.on_health(self._guard(control.on_health)),
        ]
        self.zoom = 1.0
        if (zoom := saved_zoom(self.qsettings)) != 1.0:
            self.set_zoom(zoom, remember=False)
        self.load_event_history()
        # The workflow's docks exist before the window is sized and its layout restored, so the
        # operator's placement of them comes back with the rest.
        workflow = install_workflow(self, session)
        if workflow is not None:
            status, dnd_action = workflow.desk.status, workflow.status_selector.dnd_action
            ring_by_status(self, self.ring_alerts, self.call_menu, status, dnd_action)
        install_team(self, session)  # the Team dock and menu (console/ui/team_install.py)
        first_run_geometry(self)  # once everything is built, so its minimum size is known
        restore_layout(self)
        self._on_selection()
        control.on_health()
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._guard(control.on_system_scheme))

    def load_event_history(self, limit: int = 500) -> bool:
        """Show the journal's recent events; the app calls it again once the session started."""
        return self.controller.load_event_history(limit)

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
        return self.controller.pointer_on_calls()

    # --- ActionContext for the actions ----------------------------------------------------

    def default_country(self) -> str | None:
        return self.session.settings.default_country

    def open_prompt(self, title, label, validate, on_value, placeholder="") -> PromptDialog:
        return self.dialogs.open_prompt(title, label, validate, on_value, placeholder)

    def confirm(
        self, title: str, text: str, yes_text: str, on_yes: Callable[[], None]
    ) -> ConfirmDialog:
        return self.dialogs.confirm(title, text, yes_text, on_yes)

    def notify_error(self, text: str) -> None:
        self.feedback.notify_error(text)

    def show_status(self, text: str) -> None:
        self.feedback.show_status(text)

    def notify_info(self, text: str) -> None:
        self.feedback.notify_info(text)

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
    def last_prompt(self) -> PromptDialog | None:
        return self.dialogs.last_prompt

    @property
    def last_confirm(self) -> ConfirmDialog | None:
        return self.dialogs.last_confirm

    @property
    def closed(self) -> bool:
        return self._closed

    def refresh_from_settings(self, message: str = "Settings saved") -> None:
        """New settings were applied: every widget that shows one follows."""
        self.controller.refresh_from_settings(message)

    def apply_timer_thresholds(self) -> None:
        """The call timer's amber and red ages, from the desk's own preferences."""
        self.controller.apply_timer_thresholds()

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def save_layout(self) -> None:
        """Remember the window's geometry, docks, splitters and columns (window_layout.py)."""
        save_layout(self)

    def closeEvent(self, event) -> None:
        if not self._closed:
            self.save_layout()
            self._closed = True
            self.store_bridge.close()
            for unsubscribe in self._unsubscribe:
                if callable(unsubscribe):
                    unsubscribe()
            self.controller.close_panels()
            self.ring_alerts.close()
            self.tray.hide()
        super().closeEvent(event)
