"""``install_team(window, session)``: team mode in the main window.

The menu and its keys are ``team_menu.py``'s, the claim rows and words ``team_claims.py``'s.

What it adds, through the window's public widgets and methods (the window's own modules only
call this once):

* the *Team* dock (:class:`~console.ui.team_panel.TeamPanel`, right side): colleagues with
  their status, live claims, transfer and supervise. In solo mode it is hidden at first and
  says why it is empty when shown;
* a *Team* menu with window-wide keys: show the panel (Ctrl+Shift+G), transfer the selected
  call to the selected colleague (Ctrl+Shift+J) or consult them first (Ctrl+Shift+K), and for a
  supervisor Listen / Whisper / Barge in (Alt+Shift+L / W / B) and Stop (Alt+Shift+S);
* claims on the calls table: a ringing or waiting call another operator is taking shows
  "Alex is answering" in its state column and cannot be answered here (the row counts as busy,
  so it stops ringing on this console too);
* the broker's state in the panel's header and in the status bar's message when it changes;
* in solo mode, :class:`~console.ui.webhook_guard.WebhookGuardBar` above the calls when another
  console holds the application's webhook URL (Take over / Join a team).

"Taken by Alex" after a lost claim is said by :class:`~console.ui.actions.CallActions` (the
answer or pick-up raised it; nothing was done to the call).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget

from console.state.changes import Changes
from console.team.view import CallClaim, SupervisorMode, TeamChange, TeamView
from console.ui.messages import describe_error
from console.ui.team_claims import ClaimRows, claim_line, claim_text, describe_call
from console.ui.team_menu import build_team_menu
from console.ui.team_panel import TeamPanel
from console.ui.webhook_guard import WebhookGuardBar

if TYPE_CHECKING:
    from console.session_api import ConsoleApi

log = logging.getLogger(__name__)

INTRODUCED_KEY = "team/panel_introduced"


class DirectoryColleagues:
    """The team's colleagues as the desk directory lists them: those a transfer can reach."""

    def __init__(self, team: TeamView):
        self.team = team

    def colleagues(self) -> list[tuple[str, str, str]]:
        return [
            (c.operator, c.endpoint, c.label)
            for c in self.team.colleagues()
            if c.endpoint is not None
        ]


class TeamUi(QObject):
    """The glue between ``session.team`` and the window."""

    def __init__(self, window: Any, session: ConsoleApi):
        super().__init__(window)
        self.window = window
        self.session = session
        self.team: TeamView | None = session.team
        self.closed = False
        self._claim_rows = ClaimRows()  # the calls table rows marked as a colleague's
        self._broker_problem: str | None = None
        self._refresh_queued = False
        store = session.store
        self.panel = TeamPanel(store.call)
        self.dock: QDockWidget = window._dock("teamDock", "Team", self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        health = getattr(window, "health_dock", None)
        if health is not None:
            window.tabifyDockWidget(health, self.dock)
        self._build_actions()
        self.panel.transfer_clicked.connect(self.guard(self.transfer))
        self.panel.supervise_clicked.connect(self.guard(self.supervise))
        self.panel.stop_supervising_clicked.connect(self.guard(self.stop_supervising))
        self.panel.settings_clicked.connect(self.guard(self.open_team_settings))
        self.panel.view.selectionModel().selectionChanged.connect(
            self.guard(lambda *_a: self.update_actions())
        )
        window.store_bridge.changes_ready.connect(self.guard(self.on_store_changes))
        window.calls_view.selectionModel().selectionChanged.connect(
            self.guard(lambda *_a: self.on_call_selection())
        )
        window.actions.finished.connect(self.guard(lambda *_a: self.sync_claim_rows()))
        self._unsubscribe = None
        if self.team is None:
            self.panel.set_solo()
            self.dock.hide()
        else:
            self._unsubscribe = self.team.on_change(self._on_team_change)
            # Two consoles side by side (the team demo, a supervisor's desk): say whose is whose.
            window.setWindowTitle(f"{window.windowTitle()} — {self.team.operator}")
            workflow = getattr(window, "workflow", None)
            if workflow is not None:  # the operator's one status is what colleagues see
                self.team.follow_status(workflow.desk.status)
                # Colleagues join the transfer directory and the dialer's picker.
                workflow.desk.directory.colleagues = DirectoryColleagues(self.team)
            self.dock.show()
            self.dock.raise_()
            # The window restores its saved layout after this: a layout saved in solo mode has
            # the panel hidden. The first time in team mode it is shown anyway, then the
            # operator's choice is kept.
            QTimer.singleShot(0, self.guard(self._introduce_panel))
            self.refresh()
        self.guard_bar = WebhookGuardBar(window, session)
        layout = window.centralWidget().layout() if window.centralWidget() else None
        if layout is not None:
            layout.insertWidget(1, self.guard_bar)  # under the notification area
        self._unsubscribe_health = session.on_health(self.guard(self.guard_bar.refresh))
        self.guard_bar.refresh()
        window.installEventFilter(self)
        self.on_call_selection()

    # --- construction -------------------------------------------------------------------

    def guard(self, slot: Any) -> Any:
        def guarded(*args: Any) -> None:
            if self.closed:
                return
            try:
                slot(*args)
            except Exception as exc:
                log.exception("team panel")
                self.window.notify_error(describe_error(exc))

        return guarded

    def _build_actions(self) -> None:
        made = build_team_menu(
            self.window,
            self.dock,
            self.panel,
            self.guard,
            show=self.show_panel,
            transfer=self.transfer,
            supervise=self.supervise,
            stop=self.stop_supervising,
        )
        self.show_action, self.transfer_action = made.show, made.transfer
        self.attended_action, self.mode_actions = made.attended, made.modes
        self.stop_action, self.menu = made.stop, made.menu

    def _introduce_panel(self) -> None:
        qsettings = getattr(self.window, "qsettings", None)
        if qsettings is None or qsettings.value(INTRODUCED_KEY, False, type=bool):
            return
        qsettings.setValue(INTRODUCED_KEY, True)
        self.dock.show()
        self.dock.raise_()

    # --- refreshing ---------------------------------------------------------------------

    def _on_team_change(self, _change: TeamChange) -> None:
        """From the session's loop (the Qt thread under qasync): one repaint per burst."""
        if self.closed or self._refresh_queued:
            return
        self._refresh_queued = True
        QTimer.singleShot(0, self.guard(self.refresh))

    def refresh(self) -> None:
        self._refresh_queued = False
        team = self.team
        if team is None:
            return
        problem = None if team.broker_connected else (team.broker_problem or "Broker disconnected")
        if problem != self._broker_problem:
            if problem:
                self.window.show_status(f"Team: {problem}")
            elif self._broker_problem is not None:
                self.window.show_status("Team: the broker is connected again.")
            self._broker_problem = problem
        self.panel.set_team(team.operator, team.supervisor, problem)
        self.panel.set_colleagues(team.colleagues())
        self.panel.set_claims(team.claims(), self.claim_line)
        self._forget_ended_supervision()
        self.sync_claim_rows()
        self.update_actions()

    def describe_call(self, ccid: str) -> str:
        return describe_call(self.session.store.call, ccid)

    def claim_line(self, claim: CallClaim) -> str:
        """ "Alex is answering: Ada Lovelace" while the call rings, then "Alex has the call…"."""
        return claim_line(self.session.store.call, claim)

    def on_store_changes(self, changes: Changes) -> None:
        if self.team is None:
            return
        touched = changes.calls.added | changes.calls.changed | changes.calls.removed
        if touched:
            self.panel.set_claims(self.team.claims(), self.claim_line)
            self._forget_ended_supervision()
            self.sync_claim_rows()
            self.on_call_selection()

    def on_call_selection(self) -> None:
        self.panel.set_selected_call(self.selected_call())
        self.update_actions()

    def selected_call(self) -> Any:
        ccids = self.window.selected_ccids()
        if len(ccids) != 1:
            return None
        return self.session.store.call(ccids[0])

    def update_actions(self) -> None:
        transfer = self.panel.transfer_state()
        for action in (self.transfer_action, self.attended_action):
            action.setEnabled(transfer.ok)
        supervise = self.panel.supervise_state()
        for action in self.mode_actions.values():
            action.setEnabled(supervise.ok)
            action.setVisible(self.panel.supervisor)
        self.stop_action.setEnabled(self.panel.supervising is not None)
        self.stop_action.setVisible(self.panel.supervisor)

    # --- claims on the calls table ------------------------------------------------------

    def claim_text(self, claim: CallClaim) -> str:
        return claim_text(claim)

    def sync_claim_rows(self) -> None:
        """Rows another operator is taking say so and count as busy here (no Answer, no ring);
        a row this console is itself working on keeps its own words."""
        team = self.team
        if team is None:
            return
        self._claim_rows.sync(team.claims(), self.session.store.call, self.window.pending)
        self.window.actions.update()

    # --- actions ------------------------------------------------------------------------

    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.panel.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.panel.selected_colleague() is None and self.panel.model.rowCount():
            self.panel.view.setCurrentIndex(self.panel.model.index(0, 0))

    def open_team_settings(self) -> None:
        dialog = self.window.open_settings()
        show_tab = getattr(dialog, "show_team_tab", None)
        if callable(show_tab):
            show_tab()

    def transfer(self, attended: bool) -> Any:
        state = self.panel.transfer_state()
        team = self.team
        if not state.ok or team is None:
            self.window.show_status(state.reason)
            return None
        call = self.selected_call()
        colleague = self.panel.selected_colleague()
        if call is None or colleague is None:
            return None
        ccid, name = call.call_control_id, colleague.operator
        if attended:
            return self.window.actions.run(
                f"Consult {name}",
                lambda: team.transfer_to_colleague(ccid, name, attended=True),
                [ccid],
                f"consulting {name}…",
                done_text=f"Consulting {name}: Complete or Cancel the transfer when ready.",
            )
        return self.window.actions.run(
            f"Transfer to {name}",
            lambda: team.transfer_to_colleague(ccid, name, attended=False),
            [ccid],
            f"transferring to {name}…",
            done_text=f"Transferred to {name}.",
        )

    def supervise(self, mode: SupervisorMode) -> Any:
        state = self.panel.supervise_state()
        team = self.team
        colleague = self.panel.selected_colleague()
        if not state.ok or team is None or colleague is None:
            self.window.show_status(state.reason)
            self.panel.update_buttons()
            return None
        ccid = colleague.call_control_id
        if ccid is None:
            return None
        current = self.panel.supervising
        if current is not None and current[0] != ccid:
            self.window.show_status(
                "Stop supervising the other call first (Team → Stop supervising)."
            )
            self.panel.update_buttons()
            return None
        switching = current is not None
        name = colleague.operator

        def done(_result: Any) -> None:
            self.panel.set_supervising((ccid, mode))
            self.update_actions()

        words = {
            SupervisorMode.MONITOR: f"Listening to {name}'s call; nobody hears you.",
            SupervisorMode.WHISPER: f"Whispering to {name}; the caller does not hear you.",
            SupervisorMode.BARGE: f"You are in {name}'s call; everyone hears you.",
        }
        return self.window.actions.run(
            f"{mode.label} ({name})",
            lambda: team.supervise(ccid, mode),
            [],
            on_success=done,
            done_text=("Switched: " if switching else "") + words[mode],
        )

    def stop_supervising(self) -> Any:
        current = self.panel.supervising
        team = self.team
        if current is None or team is None:
            self.window.show_status("You are not supervising a call.")
            return None
        ccid = current[0]

        def done(_result: Any) -> None:
            self.panel.set_supervising(None)
            self.update_actions()

        return self.window.actions.run(
            "Stop supervising",
            lambda: team.stop_supervising(ccid),
            [],
            on_success=done,
            done_text="You left the call.",
        )

    def _forget_ended_supervision(self) -> None:
        current = self.panel.supervising
        if current is None:
            return
        call = self.session.store.call(current[0])
        if call is not None and not call.is_live:
            self.panel.set_supervising(None)
            self.update_actions()

    # --- closing ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self.window:
            self.close()
        return super().eventFilter(watched, event)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if callable(self._unsubscribe_health):
            self._unsubscribe_health()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


def install_team(window: Any, session: Any) -> TeamUi | None:
    """Add team mode to ``window``; never stops the window from opening."""
    try:
        team_ui = TeamUi(window, session)
    except Exception as exc:
        log.exception("the team panel could not be installed")
        window.notifications.show_message(f"The Team panel is unavailable: {describe_error(exc)}")
        return None
    window.team_ui = team_ui
    return team_ui


__all__ = ["TeamUi", "install_team"]
