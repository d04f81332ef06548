"""The Workflow menu and its window-wide actions (each with its shortcut in its tooltip)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from console.ui.workflow_contacts import CONTACTS_SHORTCUT
from console.ui.workflow_directory import DIRECTORY_SHORTCUT
from console.ui.workflow_search import SEARCH_SHORTCUT

if TYPE_CHECKING:
    from console.ui.workflow_install import Workflow

NOTES_SHORTCUT = "Ctrl+Shift+W"
ADD_CONTACT_SHORTCUT = "Ctrl+Shift+C"
CALL_BACK_SHORTCUT = "Ctrl+Shift+B"


def keys(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def add_action(wf: Workflow, text: str, slot: Any, shortcut: str = "", tip: str = "") -> QAction:
    action = QAction(text, wf.window)
    words = text.replace("&", "").rstrip("…")
    if shortcut:
        action.setShortcut(shortcut)
        action.setToolTip(f"{tip or words} ({keys(shortcut)})")
    else:
        action.setToolTip(tip or words)
    action.setStatusTip(tip or words)
    action.triggered.connect(wf.guard(lambda *_a: slot()))
    wf.window.addAction(action)  # the shortcut works wherever the focus is
    return action


def build_actions(wf: Workflow) -> None:
    selector = wf.status_selector
    for action in (selector.open_action, selector.dnd_action):
        wf.window.addAction(action)
    wf.notes_action = add_action(
        wf,
        "&Notes for the selected call",
        wf.notes_for_selected,
        NOTES_SHORTCUT,
        "Write notes for the selected call (kept with it in history)",
    )
    wf.contacts_action = add_action(
        wf, "&Contacts…", wf.open_contacts, CONTACTS_SHORTCUT, "The address book"
    )
    wf.add_contact_action = add_action(
        wf,
        "&Add caller to contacts…",
        wf.add_caller_to_contacts,
        ADD_CONTACT_SHORTCUT,
        "Save the selected call's number as a contact",
    )
    wf.call_back_action = add_action(
        wf,
        "Call &back",
        wf.call_back,
        CALL_BACK_SHORTCUT,
        "Call the far end of the selected call or history row back",
    )
    wf.directory_action = add_action(
        wf,
        "&Directory…",
        wf.open_directory,
        DIRECTORY_SHORTCUT,
        "Pick a contact, favourite, speed dial or recent number",
    )
    wf.search_action = add_action(
        wf, "&Search…", wf.open_search, SEARCH_SHORTCUT, "Find live calls, history and contacts"
    )
    wf.export_action = add_action(
        wf,
        "&Export history with notes…",
        wf.choose_history_export,
        "",
        "Call history as CSV, with each call's contact, disposition, notes and tags",
    )
    wf.settings_action = add_action(
        wf,
        "Workflow se&ttings…",
        wf.open_settings,
        "",
        "Dispositions, the wrap-up timer and speed dials",
    )
    wf.speed_actions = []
    for slot in range(1, 11):
        key = f"Alt+{slot % 10}"
        action = add_action(
            wf,
            f"Speed dial {slot}",
            lambda s=slot: wf.speed_dial(s),
            key,
            f"Speed dial {slot}: call it, or fill the open transfer prompt",
        )
        wf.speed_actions.append(action)
    wf.caller_panel.add_button(wf.add_contact_action)
    wf.caller_panel.add_button(wf.call_back_action)


def build_menu(wf: Workflow) -> None:
    window = wf.window
    wf.menu = QMenu("&Workflow", window)
    wf.menu.setObjectName("workflowMenu")
    wf.menu.addAction(wf.status_selector.open_action)
    wf.menu.addAction(wf.status_selector.dnd_action)
    wf.menu.addSeparator()
    for action in (wf.notes_action, wf.call_back_action, wf.add_contact_action):
        wf.menu.addAction(action)
    wf.menu.addSeparator()
    for action in (wf.search_action, wf.directory_action, wf.contacts_action):
        wf.menu.addAction(action)
    speed = wf.menu.addMenu("S&peed dials")
    for action in wf.speed_actions:
        speed.addAction(action)
    wf.speed_menu = speed
    speed.aboutToShow.connect(label_speed_dials)
    wf.menu.addSeparator()
    wf.menu.addAction(wf.export_action)
    wf.menu.addAction(wf.settings_action)
    bar = window.menuBar()
    tools = getattr(window, "tools_menu", None)
    before = tools.menuAction() if tools is not None else None
    if before is not None:
        bar.insertMenu(before, wf.menu)
    else:
        bar.addMenu(wf.menu)
    view = getattr(window, "view_menu", None)
    if view is not None:
        view.addSeparator()
        view.addAction(wf.caller_dock.toggleViewAction())
        view.addAction(wf.wrapup_dock.toggleViewAction())
    calls_menu = getattr(window, "calls_menu", None)
    if calls_menu is not None:
        calls_menu.addSeparator()
        for action in (wf.notes_action, wf.call_back_action, wf.add_contact_action):
            calls_menu.addAction(action)


def label_speed_dials(wf: Workflow) -> None:
    for slot, action in enumerate(wf.speed_actions, start=1):
        dial = wf.desk.speed_dials.get(slot)
        action.setText(
            f"{slot % 10}: {dial.label or dial.number}" if dial else f"{slot % 10}: (empty)"
        )
        action.setEnabled(dial is not None)
