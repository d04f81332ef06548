"""``install_workflow(window, session, desk)``: the operator's workflow added to the main window.

What it adds, all through the window's public widgets, signals and methods (the window's own
modules are not changed):

* the status selector at the right of the menu bar (Ctrl+Shift+U; Do not disturb
  Ctrl+Shift+N); Away, Do not disturb and Offline silence the incoming-call notification;
* the *Caller* dock (contact, last calls with dispositions and notes, calls this week) and the
  *Wrap-up* dock (notes during the call, disposition, notes and tags after it; optional timer);
* a *Workflow* menu: Notes for the selected call (Ctrl+Shift+W), Contacts (Ctrl+Shift+O), Add
  caller to contacts (Ctrl+Shift+C), Call back (Ctrl+Shift+B), Directory (F3), Search (Ctrl+F),
  speed dials (Alt+1 … Alt+0), Export history with notes, Workflow settings;
* contact names in the calls table and the history; call back by Enter or double-click on a
  history row or an ended call; the directory in the dialer and in the transfer prompts.

The desk opens the session's console database (``session.database_path``), where the
session's history recorder writes the call history; a session without a recorder (a test's
fake) has the rows written here as calls end.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QWidget
from shiboken6 import Shiboken

from console.desk import Desk, WrapUp
from console.desk.calls import entry_from_call, handled
from console.history import CallHistoryEntry, call_key
from console.state.changes import Changes
from console.ui import formatting as fmt
from console.ui.messages import describe_error
from console.ui.workflow_calling import contact_for, dial, focused_entry, party_of, use_speed_dial
from console.ui.workflow_contacts import ContactEditor, ContactsDialog
from console.ui.workflow_desk import EndedCalls, open_desk
from console.ui.workflow_dialogs import (
    open_contact_editor,
    open_directory_picker,
    open_history_export,
    open_prompt,
    open_workflow_settings,
    show_contacts,
    show_search,
    write_history_export,
)
from console.ui.workflow_directory import DirectoryPicker
from console.ui.workflow_docks import WorkflowDocks
from console.ui.workflow_hooks import (
    hook_dialer_and_prompts,
    hook_popup,
    hook_settings,
    hook_views,
)
from console.ui.workflow_menu import build_actions, build_menu
from console.ui.workflow_names import ContactNameDelegate, NameCache, WrapUpDelegate
from console.ui.workflow_search import SearchDialog

if TYPE_CHECKING:
    from console.session_api import ConsoleApi

log = logging.getLogger(__name__)


class Workflow(QObject):
    """Everything install_workflow adds, and the glue between it and the window."""

    # Built by workflow_menu.build_actions.
    notes_action: QAction
    contacts_action: QAction
    add_contact_action: QAction
    call_back_action: QAction
    directory_action: QAction
    search_action: QAction
    export_action: QAction
    settings_action: QAction
    speed_actions: list[QAction]
    menu: QMenu
    speed_menu: QMenu
    # Set by workflow_hooks.hook_views.
    calls_from: ContactNameDelegate
    calls_to: ContactNameDelegate
    history_from: ContactNameDelegate
    history_to: ContactNameDelegate
    history_result: WrapUpDelegate
    copy_call_id_action: QAction

    def __init__(self, window: Any, session: ConsoleApi, desk: Desk | None = None):
        super().__init__(window)
        self.window = window
        self.session = session
        problem = None
        self.owns_desk = desk is None
        if desk is None:
            desk, problem = open_desk(session)
        self.desk = desk
        self.closed = False
        self.contacts_dialog: ContactsDialog | None = None
        self.search_dialog: SearchDialog | None = None
        self.picker: DirectoryPicker | None = None
        self.editor: ContactEditor | None = None
        self.settings_dialog: QDialog | None = None
        self.names = NameCache(self.desk.name_for)
        self.wrapups_shown: dict[str, WrapUp | None] = {}  # history rows' wrap-ups, cached
        self._unsubscribe = [self.desk.contacts.on_change(self._contacts_changed)]
        self._unsubscribe.append(session.on_history(self.guard(self._history_written)))
        self.ended = EndedCalls(desk, session.store, self._is_operator_leg)

        refresh = self.guard(lambda: self.on_selection(force=True))
        self.docks = docks = WorkflowDocks(window, desk, self.names, refresh)
        self.status_selector, self.caller_panel = docks.status_selector, docks.caller_panel
        self.card, self.wrapup_dock = docks.card, docks.wrapup_dock
        self.caller_dock = docks.caller_dock
        self.card.finished.connect(self.guard(self._wrap_up_finished))
        build_actions(self)
        build_menu(self)
        hook_views(self)
        hook_dialer_and_prompts(self)
        hook_popup(self)
        hook_settings(self)
        self.caller_panel.recent.itemActivated.connect(
            self.guard(lambda _item: self.call_number(self.caller_panel.number))
        )

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        window.store_bridge.changes_ready.connect(self.guard(self.on_store_changes))
        window.calls_view.selectionModel().selectionChanged.connect(
            self.guard(lambda *_a: self.on_selection())
        )
        window.installEventFilter(self)
        if problem:
            window.notifications.show_message(problem)
        self._backfill_history()
        self.on_selection()

    # --- construction -------------------------------------------------------------------------

    def guard(self, slot: Any) -> Any:
        def guarded(*args: Any) -> None:
            if self.closed:
                return
            try:
                slot(*args)
            except Exception as exc:
                self.window.notify_error(describe_error(exc))

        return guarded

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self.window:
            self.close()
        elif event.type() == QEvent.Type.KeyPress and not self.closed:
            key = event.key()  # type: ignore[attr-defined]
            enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if enter and watched is self.window.calls_view and self._selected_ended() is not None:
                self.call_back()  # Enter on an ended row calls back (on a live one: nothing new)
                return True
        return super().eventFilter(watched, event)

    # --- reacting to calls ---------------------------------------------------------------------

    def _is_operator_leg(self, ccid: str) -> bool:
        ops = self.session.ops
        return ops is not None and ops.is_operator_leg(ccid)

    def on_store_changes(self, changes: Changes) -> None:
        touched = changes.calls.added | changes.calls.changed
        for call in self.ended.newly_ended(touched):
            self._call_ended(call)
        selected = self.window.selected_ccids()
        if len(selected) == 1 and selected[0] in touched:
            self.on_selection()

    def _backfill_history(self) -> None:
        if not self.session_writes_history:
            self.ended.backfill()

    @property
    def session_writes_history(self) -> bool:
        """The session's history recorder writes the rows (a session without one, such as a
        test's, has them written here as calls end)."""
        return self.session.history_table() is not None

    def _history_written(self, entries: Any) -> None:
        # Rows the recorder wrote: their wrap-ups shown in the history are read again, and the
        # selected caller's past calls may have just gained one.
        entries = list(entries or ())
        for entry in entries:
            self.wrapups_shown.pop(call_key(entry), None)
        if self._selected_call() is not None:
            self.docks.rows_written(entries)

    def _call_ended(self, call: Any) -> None:
        if self._is_operator_leg(call.call_control_id):
            return
        entry = entry_from_call(call)
        if not self.session_writes_history:
            self.ended.write(entry, call.call_control_id)
        if handled(call, self._is_operator_leg):
            self.docks.wrap_up(entry)

    def wrapup_changed(self, key: str) -> None:
        self.wrapups_shown.pop(key, None)
        panel = self.window.history_panel
        panel.table.viewport().update()
        if panel.search.text().strip():
            panel.refresh()  # a note just written may be what the search box asks for

    def _wrap_up_finished(self, key: str) -> None:
        self.window.show_status("Wrap-up saved.")
        self.on_selection(force=True)

    def calls_double_clicked(self, _index: QModelIndex) -> None:
        # A live row's double-click answers (the window's own handler); an ended one calls back.
        if self._selected_ended() is not None:
            self.call_back()

    def _selected_call(self) -> Any:
        ccids = self.window.selected_ccids()
        return self.session.store.call(ccids[0]) if len(ccids) == 1 else None

    def _selected_ended(self) -> Any:
        call = self._selected_call()
        return call if call is not None and not call.is_live else None

    def on_selection(self, *, force: bool = False) -> None:
        self.docks.show_call(self._selected_call(), self._is_operator_leg, force=force)

    # --- for the window's other parts (the ringing popup, the team panel) ------------------------

    def rings(self) -> bool:
        """Whether an incoming call may pop up and ring now (False when Away, DND, Offline).
        Queue pick-ups are the operator's own act and are never held back by it."""
        return not self.closed and self.desk.status.rings

    def party_words(self, number: str | None, caller_name: str | None = None) -> str:
        """``Pat Lee (Acme) <+13125550142>`` for a known number, else as the window writes it."""
        name = self.names(number)
        return f"{name} <{number}>" if name else fmt.party(number, caller_name)

    def tick(self) -> None:
        self.desk.status.tick()
        self.card.set_time_left(self.desk.status.wrap_up_seconds_left())

    def _contacts_changed(self) -> None:
        self.names.clear()
        for view in (self.window.calls_view, self.window.history_panel.table):
            view.viewport().update()
        if self._selected_call() is not None:
            self.on_selection(force=True)

    # --- operator actions ----------------------------------------------------------------------

    def call_number(self, number: str | None) -> bool:
        """Dial ``number`` through the dialer (its From number, its checks, its recent list)."""
        return dial(self.window, number)

    def call_back_entry(self, entry: CallHistoryEntry | None) -> bool:
        if entry is None:
            self.window.notify_error("Select a call to call back.")
            return False
        return self.call_number(party_of(entry))

    def _focused_entry(self) -> CallHistoryEntry | None:
        return focused_entry(self.window.history_panel, self._selected_call())

    def call_back(self) -> bool:
        entry = self._focused_entry()
        if entry is None and self.caller_panel.number:
            return self.call_number(self.caller_panel.number)
        return self.call_back_entry(entry)

    def notes_for_selected(self) -> None:
        self.docks.notes_for(self._selected_call(), self.window.notify_error)

    def add_caller_to_contacts(self) -> ContactEditor | None:
        contact = contact_for(self.desk, self._focused_entry(), self.window.notify_error)
        if contact is None:
            return None
        self.editor = open_contact_editor(self.desk, contact, self.window)
        return self.editor

    def open_contacts(self) -> ContactsDialog:
        self.contacts_dialog = show_contacts(
            self.contacts_dialog, self.desk, self.window, self.guard(self.call_number)
        )
        return self.contacts_dialog

    def open_search(self) -> SearchDialog:
        self.search_dialog = show_search(
            self.search_dialog,
            self.desk,
            self.session.store,
            self.window,
            live_chosen=self.guard(lambda ccid: self.window.select_calls([ccid])),
            number_chosen=self.guard(self.call_number),
        )
        return self.search_dialog

    def open_directory(self, prompt: Any = None) -> DirectoryPicker:
        """The picker for the open transfer prompt, else for the dialer."""
        prompt = prompt if prompt is not None else open_prompt(self.window)
        self.picker = open_directory_picker(self.desk, self.window, prompt)
        return self.picker

    def speed_dial(self, slot: int) -> bool:
        return use_speed_dial(self.desk, self.window, slot, self.call_number)

    def choose_history_export(self) -> QFileDialog:
        return open_history_export(self.window, self.guard(self.export_history_to))

    def export_history_to(self, path: str) -> int | None:
        return write_history_export(self.desk, self.window, path)

    def open_settings(self, parent: QWidget | None = None) -> QDialog:
        """The workflow's settings; ``parent``: the dialog it is opened from (main Settings)."""
        self.settings_dialog = open_workflow_settings(
            self.settings_dialog,
            self.desk,
            self.window,
            parent,
            self.guard(self.card.reload_dispositions),
        )
        return self.settings_dialog

    # --- closing -------------------------------------------------------------------------------

    def close(self) -> None:
        if self.closed:
            return
        self.card.save_notes()  # what was typed is kept
        self.closed = True
        self.window.history_panel.pager = None  # the desk closes below: the table alone again
        self.timer.stop()
        self.status_selector.timer.stop()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        for dialog in (self.contacts_dialog, self.search_dialog, self.picker):
            if dialog is not None and Shiboken.isValid(dialog):
                dialog.close()
        if self.owns_desk:
            try:
                self.desk.close()
            except Exception:
                log.warning("closing the desk database failed", exc_info=True)


def install_workflow(window: Any, session: ConsoleApi, desk: Desk | None = None) -> Workflow | None:
    """Add the operator's workflow to ``window``; never stops the window from opening."""
    try:
        workflow = Workflow(window, session, desk)
    except Exception as exc:
        log.exception("the operator's workflow could not be installed")
        window.notifications.show_message(
            f"Status, notes and contacts are unavailable: {describe_error(exc)}"
        )
        return None
    window.workflow = workflow
    return workflow


__all__ = ["Workflow", "install_workflow", "open_desk"]
