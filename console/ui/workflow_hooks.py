"""The workflow's hooks into the window's own views, dialer, prompts and ringing popup — all
through their public widgets, signals and methods, so the window's modules stay as they are."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox

from console.desk import WrapUp
from console.history import call_key
from console.ui.workflow_menu import keys
from console.ui.workflow_names import ContactNameDelegate, WrapUpDelegate

if TYPE_CHECKING:
    from console.ui.workflow_install import Workflow

log = logging.getLogger(__name__)

#: Prompts (by title) whose value is a number: they get the directory and speed dials.
TARGET_PROMPTS = ("Transfer call", "Attended transfer", "Add participant")


# --- hooks into the window's views ---------------------------------------------------------


def hook_views(wf: Workflow) -> None:
    from console.ui import history_model as hp
    from console.ui.calls_model import CALL_ROLE, COL_FROM, COL_TO

    view = wf.window.calls_view

    def party(field: str):
        def number_of(index: QModelIndex) -> str | None:
            call = index.data(CALL_ROLE)
            return getattr(call, field, None)

        return number_of

    wf.calls_from = ContactNameDelegate(wf.names, party("from_number"), view)
    wf.calls_to = ContactNameDelegate(wf.names, party("to_number"), view)
    view.setItemDelegateForColumn(COL_FROM, wf.calls_from)
    view.setItemDelegateForColumn(COL_TO, wf.calls_to)
    view.doubleClicked.connect(wf.guard(wf.calls_double_clicked))
    view.installEventFilter(wf)

    table = wf.window.history_panel.table

    def entry_party(field: str):
        def number_of(index: QModelIndex) -> str | None:
            entry = index.data(hp.ENTRY_ROLE)
            return getattr(entry, field, None)

        return number_of

    wf.history_from = ContactNameDelegate(wf.names, entry_party("from_number"), table)
    wf.history_to = ContactNameDelegate(wf.names, entry_party("to_number"), table)
    table.setItemDelegateForColumn(hp.COL_FROM, wf.history_from)
    table.setItemDelegateForColumn(hp.COL_TO, wf.history_to)

    def wrapup_of(index: QModelIndex | QPersistentModelIndex) -> WrapUp | None:
        entry = index.data(hp.ENTRY_ROLE)
        if entry is None:
            return None
        key = call_key(entry)
        if key not in wf.wrapups_shown:
            if len(wf.wrapups_shown) > 5000:
                wf.wrapups_shown.clear()
            wf.wrapups_shown[key] = wf.desk.wrapups.get(key)
        return wf.wrapups_shown[key]

    wf.history_result = WrapUpDelegate(wrapup_of, table)
    table.setItemDelegateForColumn(hp.COL_RESULT, wf.history_result)
    for signal in (wf.card.saved, wf.card.finished):
        signal.connect(wf.wrapup_changed)
    # The panel asks for a call back when a row is activated (Enter or double-click); the
    # workflow places it through the dialer, so the From number is chosen as the dialer does.
    panel_signal = getattr(wf.window.history_panel, "call_back_requested", None)
    if panel_signal is not None:
        panel_signal.connect(wf.guard(wf.call_number))
    # Copying the id stays one right-click away, beside calling back and saving the caller.
    panel = wf.window.history_panel
    copy = QAction("Copy call &id", table)
    copy.triggered.connect(wf.guard(lambda *_a: panel.copy_call_id(table.currentIndex().row())))
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    for action in (wf.call_back_action, wf.add_contact_action, copy):
        table.addAction(action)
    wf.copy_call_id_action = copy
    # The panel's own search box also finds calls by their notes, disposition and tags.
    panel.set_pager(
        wf.desk.history_page,  # the panel reports a failed read itself
        "Number, name, note or call id",
        "Part of a phone number or a name, words from a call's notes, a disposition or tag, "
        f"or a call id (Ctrl+F searches contacts and live calls too: {keys('Ctrl+F')})",
    )


def hook_dialer_and_prompts(wf: Workflow) -> None:
    dialer = wf.window.dialer
    # (An icon inside the To field would widen the dialer past small screens: F3 and the
    # Workflow menu open the directory for it.)
    dialer.dial_requested.connect(wf.guard(lambda to, _from: wf.desk.recent.note(to)))
    original = wf.window.open_prompt

    def open_prompt(title, label, validate, on_value, placeholder=""):
        dialog = original(title, label, validate, on_value, placeholder)
        if title in TARGET_PROMPTS and not wf.closed:
            add_directory(wf, dialog)
        return dialog

    wf.window.open_prompt = open_prompt  # the actions call it through the window


def add_directory(wf: Workflow, dialog: Any) -> None:
    button = dialog.buttons.addButton("Director&y…", QDialogButtonBox.ButtonRole.ActionRole)
    button.setAccessibleName("Directory")
    button.setToolTip(f"Pick from contacts, favourites and recent numbers ({keys('F3')})")
    button.clicked.connect(lambda: wf.open_directory(dialog))
    dialog.submitted.connect(wf.guard(wf.desk.recent.note))


def hook_settings(wf: Workflow) -> None:
    """The main Settings dialog gets a button to the workflow's own settings."""
    dialogs = getattr(wf.window, "dialogs", None)
    if dialogs is None:
        return
    original = dialogs.open_settings

    def open_settings():
        dialog = original()
        adder = getattr(dialog, "add_button", None)
        if adder is not None and not wf.closed and getattr(dialog, "workflow_button", None) is None:
            dialog.workflow_button = adder(
                "Wor&kflow…",
                "Dispositions, the wrap-up timer and speed dials",
                wf.guard(lambda: wf.open_settings(dialog)),
            )
        return dialog

    dialogs.open_settings = open_settings  # the window opens Settings through its dialogs


def hook_popup(wf: Workflow) -> None:
    """The ringing popup names a known caller as the contacts do (``Pat Lee (Acme)``)."""
    alerts = getattr(wf.window, "ring_alerts", None)
    if alerts is None:
        return
    alerts.popup.names = lambda number: None if wf.closed else wf.names(number)
