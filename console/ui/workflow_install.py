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

Ended calls are written to the history table as they end (the session does not write it yet;
a session that does sets ``writes_history = True`` and this step is skipped).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QMenu,
    QWidget,
)
from shiboken6 import Shiboken

from console.desk import Desk, DeskError, WrapUp, database_path, other_party
from console.desk.calls import entry_from_call, handled
from console.desk.history_export import export_history
from console.history import CallHistoryEntry, call_key
from console.state.changes import Changes
from console.state.entities import CallState
from console.ui import formatting as fmt
from console.ui.messages import describe_error
from console.ui.workflow_caller_panel import CallerPanel
from console.ui.workflow_contacts import CONTACTS_SHORTCUT, ContactEditor, ContactsDialog
from console.ui.workflow_directory import DIRECTORY_SHORTCUT, DirectoryPicker
from console.ui.workflow_names import ContactNameDelegate, NameCache, WrapUpDelegate
from console.ui.workflow_search import SEARCH_SHORTCUT, SearchDialog
from console.ui.workflow_status import StatusSelector
from console.ui.workflow_wrapup import WrapUpCard

log = logging.getLogger(__name__)

NOTES_SHORTCUT = "Ctrl+Shift+W"
ADD_CONTACT_SHORTCUT = "Ctrl+Shift+C"
CALL_BACK_SHORTCUT = "Ctrl+Shift+B"
#: Prompts (by title) whose value is a number: they get the directory and speed dials.
TARGET_PROMPTS = ("Transfer call", "Attended transfer", "Add participant")


def _keys(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def open_desk(session: Any) -> tuple[Desk, str | None]:
    """The session's desk database, or one in memory (with the reason) when it cannot open."""
    country = getattr(getattr(session, "settings", None), "default_country", None) or None
    data_dir = getattr(session, "data_dir", None)
    if data_dir is not None:
        try:
            path = database_path(data_dir, bool(getattr(session, "demo", False)))
            return Desk.open(path, default_country=country), None
        except Exception as exc:
            problem = (
                f"Contacts, notes and your status cannot be kept: {describe_error(exc)} "
                "They work for this session only."
            )
            log.warning("desk database unavailable: %s", exc)
            return Desk.in_memory(default_country=country), problem
    return Desk.in_memory(default_country=country), None


class Workflow(QObject):
    """Everything install_workflow adds, and the glue between it and the window."""

    def __init__(self, window: Any, session: Any, desk: Desk | None = None):
        super().__init__(window)
        self.window = window
        self.session = session
        problem = None
        if desk is None:
            desk, problem = open_desk(session)
            self.owns_desk = True
        else:
            self.owns_desk = False
        self.desk = desk
        self.closed = False
        self.silenced: list[str] = []  # notifications Do-not-disturb/Away kept quiet
        self.contacts_dialog: ContactsDialog | None = None
        self.search_dialog: SearchDialog | None = None
        self.picker: DirectoryPicker | None = None
        self.editor: ContactEditor | None = None
        self.settings_dialog: QDialog | None = None
        self.names = NameCache(self.desk.name_for)
        self._unsubscribe = [self.desk.contacts.on_change(self._contacts_changed)]
        self._ended: set[str] = {
            ccid for ccid, call in session.store.calls.items() if not call.is_live
        }

        self._build_status()
        self._build_docks()
        self._build_actions()
        self._build_menu()
        self._hook_views()
        self._hook_dialer_and_prompts()
        self._hook_tray()
        self._restore_layout()

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        window.store_bridge.changes_ready.connect(self._guard(self.on_store_changes))
        window.calls_view.selectionModel().selectionChanged.connect(
            self._guard(lambda *_a: self.on_selection())
        )
        window.installEventFilter(self)
        if problem:
            window.notifications.show_message(problem)
        self.on_selection()

    # --- construction -------------------------------------------------------------------------

    def _guard(self, slot: Any) -> Any:
        def guarded(*args: Any) -> None:
            if self.closed:
                return
            try:
                slot(*args)
            except Exception as exc:
                self.window.notify_error(describe_error(exc))

        return guarded

    def _build_status(self) -> None:
        # At the right end of the menu bar, where Flex and CCP show the agent's status: the
        # status bar's permanent widgets already set the window's minimum width, and one more
        # would push the window past a small screen.
        bar = self.window.menuBar()
        self.status_selector = StatusSelector(self.desk.status, bar)
        bar.setCornerWidget(self.status_selector, Qt.Corner.TopRightCorner)

    def _dock(self, name: str, title: str, panel: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)  # saveState()/restoreState() find docks by object name
        dock.setAccessibleName(title)
        dock.setWidget(panel)
        dock.toggleViewAction().setStatusTip(f"Show or hide {title.lower()}")
        return dock

    def _build_docks(self) -> None:
        self.caller_panel = CallerPanel(self.desk)
        self.card = WrapUpCard(self.desk, self.names)
        self.card.finished.connect(self._guard(self._wrap_up_finished))
        self.caller_dock = self._dock("callerDock", "Caller", self.caller_panel)
        self.wrapup_dock = self._dock("wrapUpDock", "Wrap-up", self.card)
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.window.addDockWidget(bottom, self.caller_dock)
        self.window.addDockWidget(bottom, self.wrapup_dock)
        # Tabbed with the event log and history: the first-run layout keeps its size (a new
        # dock area would push the window past a small screen), and the operator's panels are
        # one click (or a call ending) away.
        beside = getattr(self.window, "history_dock", None)
        if beside is not None:
            self.window.tabifyDockWidget(beside, self.caller_dock)
            self.window.tabifyDockWidget(self.caller_dock, self.wrapup_dock)
        front = getattr(self.window, "event_log", None)
        if front is not None:
            front.raise_()  # the tab the window chose stays in front until a call is selected

    def _action(self, text: str, slot: Any, shortcut: str = "", tip: str = "") -> QAction:
        action = QAction(text, self.window)
        words = text.replace("&", "").rstrip("…")
        if shortcut:
            action.setShortcut(shortcut)
            action.setToolTip(f"{tip or words} ({_keys(shortcut)})")
        else:
            action.setToolTip(tip or words)
        action.setStatusTip(tip or words)
        action.triggered.connect(self._guard(lambda *_a: slot()))
        self.window.addAction(action)  # the shortcut works wherever the focus is
        return action

    def _build_actions(self) -> None:
        selector = self.status_selector
        for action in (selector.open_action, selector.dnd_action):
            self.window.addAction(action)
        self.notes_action = self._action(
            "&Notes for the selected call",
            self.notes_for_selected,
            NOTES_SHORTCUT,
            "Write notes for the selected call (kept with it in history)",
        )
        self.contacts_action = self._action(
            "&Contacts…", self.open_contacts, CONTACTS_SHORTCUT, "The address book"
        )
        self.add_contact_action = self._action(
            "&Add caller to contacts…",
            self.add_caller_to_contacts,
            ADD_CONTACT_SHORTCUT,
            "Save the selected call's number as a contact",
        )
        self.call_back_action = self._action(
            "Call &back",
            self.call_back,
            CALL_BACK_SHORTCUT,
            "Call the far end of the selected call or history row back",
        )
        self.directory_action = self._action(
            "&Directory…",
            self.open_directory,
            DIRECTORY_SHORTCUT,
            "Pick a contact, favourite, speed dial or recent number",
        )
        self.search_action = self._action(
            "&Search…", self.open_search, SEARCH_SHORTCUT, "Find live calls, history and contacts"
        )
        self.export_action = self._action(
            "&Export history with notes…",
            self.choose_history_export,
            "",
            "Call history as CSV, with each call's contact, disposition, notes and tags",
        )
        self.settings_action = self._action(
            "Workflow se&ttings…",
            self.open_settings,
            "",
            "Dispositions, the wrap-up timer and speed dials",
        )
        self.speed_actions: list[QAction] = []
        for slot in range(1, 11):
            key = f"Alt+{slot % 10}"
            action = self._action(
                f"Speed dial {slot}",
                lambda s=slot: self.speed_dial(s),
                key,
                f"Speed dial {slot}: call it, or fill the open transfer prompt",
            )
            self.speed_actions.append(action)
        self.caller_panel.add_button(self.add_contact_action)
        self.caller_panel.add_button(self.call_back_action)

    def _build_menu(self) -> None:
        window = self.window
        self.menu = QMenu("&Workflow", window)
        self.menu.setObjectName("workflowMenu")
        self.menu.addAction(self.status_selector.open_action)
        self.menu.addAction(self.status_selector.dnd_action)
        self.menu.addSeparator()
        for action in (self.notes_action, self.call_back_action, self.add_contact_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        for action in (self.search_action, self.directory_action, self.contacts_action):
            self.menu.addAction(action)
        speed = self.menu.addMenu("S&peed dials")
        for action in self.speed_actions:
            speed.addAction(action)
        self.speed_menu = speed
        speed.aboutToShow.connect(self._label_speed_dials)
        self.menu.addSeparator()
        self.menu.addAction(self.export_action)
        self.menu.addAction(self.settings_action)
        bar = window.menuBar()
        tools = getattr(window, "tools_menu", None)
        before = tools.menuAction() if tools is not None else None
        if before is not None:
            bar.insertMenu(before, self.menu)
        else:
            bar.addMenu(self.menu)
        view = getattr(window, "view_menu", None)
        if view is not None:
            view.addSeparator()
            view.addAction(self.caller_dock.toggleViewAction())
            view.addAction(self.wrapup_dock.toggleViewAction())
        calls_menu = getattr(window, "calls_menu", None)
        if calls_menu is not None:
            calls_menu.addSeparator()
            for action in (self.notes_action, self.call_back_action, self.add_contact_action):
                calls_menu.addAction(action)

    def _label_speed_dials(self) -> None:
        for slot, action in enumerate(self.speed_actions, start=1):
            dial = self.desk.speed_dials.get(slot)
            action.setText(
                f"{slot % 10}: {dial.label or dial.number}" if dial else f"{slot % 10}: (empty)"
            )
            action.setEnabled(dial is not None)

    def _restore_layout(self) -> None:
        # The window restored its layout before these docks existed: restore it again so the
        # operator's placement of Caller and Wrap-up comes back too.
        from console.ui import main_window

        window = self.window
        state = window.qsettings.value("window/state")
        if state is None:
            # First run: tabbing the new docks in re-laid the bottom area out; give it back the
            # share of the height the window chose for it.
            log_dock = getattr(window, "event_log", None)
            if log_dock is not None:
                window.resizeDocks(
                    [log_dock], [int(window.height() * 0.28)], Qt.Orientation.Vertical
                )
        else:
            try:
                self.window.restoreState(state, main_window.LAYOUT_VERSION)
            except (TypeError, ValueError):
                log.warning("Ignoring an unreadable saved window layout")

    # --- hooks into the window's views ---------------------------------------------------------

    def _hook_views(self) -> None:
        from console.ui import history_panel as hp
        from console.ui.calls_model import CALL_ROLE, COL_FROM, COL_TO

        view = self.window.calls_view

        def party(field: str):
            def number_of(index: QModelIndex) -> str | None:
                call = index.data(CALL_ROLE)
                return getattr(call, field, None)

            return number_of

        self.calls_from = ContactNameDelegate(self.names, party("from_number"), view)
        self.calls_to = ContactNameDelegate(self.names, party("to_number"), view)
        view.setItemDelegateForColumn(COL_FROM, self.calls_from)
        view.setItemDelegateForColumn(COL_TO, self.calls_to)
        view.doubleClicked.connect(self._guard(self._calls_double_clicked))
        view.installEventFilter(self)

        table = self.window.history_panel.table

        def entry_party(field: str):
            def number_of(index: QModelIndex) -> str | None:
                entry = index.data(hp.ENTRY_ROLE)
                return getattr(entry, field, None)

            return number_of

        self.history_from = ContactNameDelegate(self.names, entry_party("from_number"), table)
        self.history_to = ContactNameDelegate(self.names, entry_party("to_number"), table)
        table.setItemDelegateForColumn(hp.COL_FROM, self.history_from)
        table.setItemDelegateForColumn(hp.COL_TO, self.history_to)
        self._wrapups: dict[str, WrapUp | None] = {}

        def wrapup_of(index: QModelIndex | QPersistentModelIndex) -> WrapUp | None:
            entry = index.data(hp.ENTRY_ROLE)
            if entry is None:
                return None
            key = call_key(entry)
            if key not in self._wrapups:
                if len(self._wrapups) > 5000:
                    self._wrapups.clear()
                self._wrapups[key] = self.desk.wrapups.get(key)
            return self._wrapups[key]

        self.history_result = WrapUpDelegate(wrapup_of, table)
        table.setItemDelegateForColumn(hp.COL_RESULT, self.history_result)
        for signal in (self.card.saved, self.card.finished):
            signal.connect(self._wrapup_changed)
        # Double-click copied an internal call id; an operator expects to call back.
        table.doubleClicked.disconnect()
        table.doubleClicked.connect(
            self._guard(lambda index: self.call_back_entry(index.data(hp.ENTRY_ROLE)))
        )
        table.installEventFilter(self)

    def _hook_dialer_and_prompts(self) -> None:
        dialer = self.window.dialer
        # (An icon inside the To field would widen the dialer past small screens: F3 and the
        # Workflow menu open the directory for it.)
        dialer.dial_requested.connect(self._guard(lambda to, _from: self.desk.recent.note(to)))
        original = self.window.open_prompt

        def open_prompt(title, label, validate, on_value, placeholder=""):
            dialog = original(title, label, validate, on_value, placeholder)
            if title in TARGET_PROMPTS and not self.closed:
                self._add_directory(dialog)
            return dialog

        self.window.open_prompt = open_prompt  # the actions call it through the window

    def _add_directory(self, dialog: Any) -> None:
        button = dialog.buttons.addButton("Director&y…", QDialogButtonBox.ButtonRole.ActionRole)
        button.setAccessibleName("Directory")
        button.setToolTip(f"Pick from contacts, favourites and recent numbers ({_keys('F3')})")
        button.clicked.connect(lambda: self.open_directory(dialog))
        dialog.submitted.connect(self._guard(self.desk.recent.note))

    def _hook_tray(self) -> None:
        tray = getattr(self.window, "tray", None)
        if tray is None:
            return
        original = tray.notify

        def notify(title: str, text: str) -> None:
            if not self.closed and not self.desk.status.rings and "Incoming" in title:
                self.silenced.append(text)  # Away / Do not disturb: no popup, no sound
                return
            original(title, self._named(text) if not self.closed else text)

        tray.notify = notify

    def _named(self, text: str) -> str:
        for call in self.session.store.calls.values():
            if call.state is CallState.RINGING and call.from_number and call.from_number in text:
                name = self.names(call.from_number)
                if name:
                    return text.replace(
                        fmt.party(call.from_number, call.caller_name),
                        f"{name} <{call.from_number}>",
                    )
        return text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self.window:
            self.close()
        elif event.type() == QEvent.Type.KeyPress and not self.closed:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if watched is self.window.history_panel.table:
                    self.call_back_entry(self.window.history_panel.selected_entry())
                    return True
                if watched is self.window.calls_view and self._selected_ended() is not None:
                    self.call_back()
                    return True
        return super().eventFilter(watched, event)

    # --- reacting to calls ---------------------------------------------------------------------

    def _is_operator_leg(self, ccid: str) -> bool:
        check = getattr(getattr(self.session, "ops", None), "is_operator_leg", None)
        return bool(check(ccid)) if callable(check) else False

    def on_store_changes(self, changes: Changes) -> None:
        store = self.session.store
        touched = changes.calls.added | changes.calls.changed
        for ccid in sorted(touched, key=str):
            call = store.call(str(ccid))
            if call is None or call.is_live or call.call_control_id in self._ended:
                continue
            self._ended.add(call.call_control_id)
            self._call_ended(call)
        selected = self.window.selected_ccids()
        if len(selected) == 1 and selected[0] in touched:
            self.on_selection()

    def _call_ended(self, call: Any) -> None:
        if self._is_operator_leg(call.call_control_id):
            return
        entry = entry_from_call(call)
        if not getattr(self.session, "writes_history", False):
            try:
                self.desk.record_call(entry)
            except Exception as exc:
                log.warning("could not write the history row of %s: %s", call.call_control_id, exc)
        if handled(call, self._is_operator_leg):
            self.card.add_ended(entry)
            self.wrapup_dock.show()
            self.wrapup_dock.raise_()
            key = call_key(entry)
            self.desk.status.begin_wrap_up(key, self.desk.wrap_up_secs)

    def _wrapup_changed(self, key: str) -> None:
        self._wrapups.pop(key, None)
        self.window.history_panel.table.viewport().update()

    def _wrap_up_finished(self, key: str) -> None:
        self.window.show_status("Wrap-up saved.")
        self.on_selection()

    def _calls_double_clicked(self, _index: QModelIndex) -> None:
        # A live row's double-click answers (the window's own handler); an ended one calls back.
        if self._selected_ended() is not None:
            self.call_back()

    def _selected_call(self) -> Any:
        ccids = self.window.selected_ccids()
        return self.session.store.call(ccids[0]) if len(ccids) == 1 else None

    def _selected_ended(self) -> Any:
        call = self._selected_call()
        return call if call is not None and not call.is_live else None

    def on_selection(self) -> None:
        call = self._selected_call()
        if call is None:
            if not self.caller_panel.number:
                self.caller_panel.clear()
            return
        number = other_party(call.direction, call.from_number, call.to_number)
        self.caller_panel.show_number(
            number, call.caller_name, live=call.is_live, exclude=(call.call_control_id,)
        )
        if call.is_live and not self._is_operator_leg(call.call_control_id):
            self.card.show_live(entry_from_call(call))
            if not self.window.history_dock.isVisible() and not self.wrapup_dock.isVisible():
                self.caller_dock.raise_()  # a live call's caller, unless history is being read

    def tick(self) -> None:
        self.desk.status.tick()
        self.card.set_time_left(self.desk.status.wrap_up_seconds_left())

    def _contacts_changed(self) -> None:
        self.names.clear()
        for view in (self.window.calls_view, self.window.history_panel.table):
            view.viewport().update()
        call = self._selected_call()
        if call is not None:
            self.on_selection()

    # --- operator actions ----------------------------------------------------------------------

    def call_number(self, number: str | None) -> bool:
        """Dial ``number`` through the dialer (its From number, its checks, its recent list)."""
        dialer = self.window.dialer
        if not number:
            self.window.notify_error("There is no number to call.")
            return False
        dialer.destination_edit.setText(number)
        if dialer.normalized is None:
            problem = dialer.error_label.text() or "it is not a number the console can dial"
            self.window.notify_error(f"Cannot call {number}: {problem}")
            return False
        dialer.dial()
        return True

    def call_back_entry(self, entry: CallHistoryEntry | None) -> bool:
        if entry is None:
            self.window.notify_error("Select a call to call back.")
            return False
        return self.call_number(other_party(entry.direction, entry.from_number, entry.to_number))

    def _focused_entry(self) -> CallHistoryEntry | None:
        panel = self.window.history_panel
        if panel.table.hasFocus() and panel.selected_entry() is not None:
            return panel.selected_entry()
        call = self._selected_call()
        if call is not None:
            return entry_from_call(call)
        return panel.selected_entry()

    def call_back(self) -> bool:
        entry = self._focused_entry()
        if entry is None and self.caller_panel.number:
            return self.call_number(self.caller_panel.number)
        return self.call_back_entry(entry)

    def notes_for_selected(self) -> None:
        call = self._selected_call()
        if call is None:
            if self.card.entry is None:
                self.window.notify_error("Select a call to write notes for.")
                return
            # No call selected: the key goes to the wrap-up waiting in the card.
            self.wrapup_dock.show()
            self.wrapup_dock.raise_()
            self.card.notes.setFocus()
            return
        entry = entry_from_call(call)
        if call.is_live:
            waiting = self.card.entry
            if self.card.busy and waiting is not None:
                # An ended call's wrap-up goes back in line while the live call gets its notes.
                self.card.save_notes()
                self.card.pending.insert(0, waiting)
                self.card.entry = None
            self.card.show_live(entry)
        else:
            self.card.add_ended(entry)
        self.wrapup_dock.show()
        self.wrapup_dock.raise_()
        self.card.notes.setFocus()

    def add_caller_to_contacts(self) -> ContactEditor | None:
        entry = self._focused_entry()
        if entry is None:
            self.window.notify_error("Select a call whose number to save.")
            return None
        number = other_party(entry.direction, entry.from_number, entry.to_number)
        existing = self.desk.contacts.find_by_number(number)
        try:
            contact = existing or self.desk.contact_from_call(entry)
        except DeskError as exc:
            self.window.notify_error(exc.user_message)
            return None
        editor = ContactEditor(self.desk, contact, self.window)
        editor.finished.connect(editor.deleteLater)
        editor.saved.connect(lambda c: self.window.show_status(f"Saved {c.display_name}."))
        self.editor = editor
        editor.open()
        editor.name.setFocus()
        editor.name.selectAll()
        return editor

    def open_contacts(self) -> ContactsDialog:
        dialog = self.contacts_dialog
        if dialog is None or not Shiboken.isValid(dialog):
            dialog = ContactsDialog(self.desk, self.window)
            dialog.call_requested.connect(self._guard(self.call_number))
            self.contacts_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.search.setFocus()
        return dialog

    def open_search(self) -> SearchDialog:
        dialog = self.search_dialog
        if dialog is None or not Shiboken.isValid(dialog):
            dialog = SearchDialog(self.desk, self.session.store, self.window)
            dialog.live_chosen.connect(self._guard(lambda ccid: self.window.select_calls([ccid])))
            dialog.number_chosen.connect(self._guard(self.call_number))
            self.search_dialog = dialog
        dialog.open_for()
        return dialog

    def _open_prompt(self) -> Any:
        prompt = getattr(self.window, "last_prompt", None)
        if prompt is not None and Shiboken.isValid(prompt) and prompt.isVisible():
            return prompt
        return None

    def open_directory(self, prompt: Any = None) -> DirectoryPicker:
        """The picker for the open transfer prompt, else for the dialer."""
        prompt = prompt if prompt is not None else self._open_prompt()
        parent = prompt if prompt is not None else self.window
        picker = DirectoryPicker(self.desk, parent)
        picker.finished.connect(picker.deleteLater)
        if prompt is not None:
            picker.picked.connect(lambda number: prompt.line_edit.setText(number))
        else:

            def fill(number: str) -> None:
                self.window.dialer.destination_edit.setText(number)
                self.window.focus_dialer()

            picker.picked.connect(fill)
        self.picker = picker
        picker.open()
        picker.filter_edit.setFocus()
        return picker

    def speed_dial(self, slot: int) -> bool:
        dial = self.desk.speed_dials.get(slot)
        if dial is None:
            self.window.show_status(
                f"Speed dial {slot % 10} is empty: set it in Workflow → Workflow settings."
            )
            return False
        prompt = self._open_prompt()
        if prompt is not None and prompt.windowTitle() in TARGET_PROMPTS:
            prompt.line_edit.setText(dial.number)
            return True
        return self.call_number(dial.number)

    def choose_history_export(self) -> QFileDialog:
        dialog = QFileDialog(self.window, "Export history with notes")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setDefaultSuffix("csv")
        dialog.selectFile("call-history-with-notes.csv")
        dialog.fileSelected.connect(self._guard(self.export_history_to))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def export_history_to(self, path: str) -> int | None:
        try:
            count = export_history(self.desk.history, self.desk.wrapups, self.desk.contacts, path)
        except Exception as exc:
            self.window.notify_error(f"The history export failed: {describe_error(exc)}")
            return None
        self.window.show_status(f"Exported {count} calls with their notes.")
        return count

    def open_settings(self) -> QDialog:
        from console.ui.workflow_settings import WorkflowSettingsDialog

        dialog = self.settings_dialog
        if dialog is None or not Shiboken.isValid(dialog):
            dialog = WorkflowSettingsDialog(self.desk, self.window)
            dialog.applied.connect(self._guard(self.card.reload_dispositions))
            dialog.finished.connect(dialog.deleteLater)
            self.settings_dialog = dialog
        dialog.open()
        return dialog

    # --- closing -------------------------------------------------------------------------------

    def close(self) -> None:
        if self.closed:
            return
        self.card.save_notes()  # what was typed is kept
        self.closed = True
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


def install_workflow(window: Any, session: Any, desk: Desk | None = None) -> Workflow | None:
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
