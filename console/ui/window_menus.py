"""The main window's menus, toolbar and context menus (split out of main_window.py, issue 11).

``build_menus`` lays the call actions (console/ui/actions.py) out in the File, Call,
Conference, View and Tools menus, the toolbar and the right-click menus of the calls table and
the conference tree; the window keeps what it builds as attributes (``call_menu``,
``tools_menu``, ``toolbar``...), which the workflow hooks extend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from console.ui.actions import TOGGLE_TEXTS, CallActions

if TYPE_CHECKING:
    from console.ui.main_window import MainWindow


def build_menus(w: MainWindow) -> None:
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(w.actions.settings)
    w.setup_wizard_action = make_action(
        w, "Set&up wizard…", w.open_setup_wizard, "", "Check the API key and set up the account"
    )
    if w.session.demo:
        w.setup_wizard_action.setEnabled(False)
        w.setup_wizard_action.setStatusTip("Not in demo mode: the simulator is the account")
    file_menu.addAction(w.setup_wizard_action)
    file_menu.addSeparator()
    quit_action = file_menu.addAction("&Quit")
    quit_action.setShortcut("Ctrl+Q")
    quit_action.triggered.connect(w.close)
    w.call_menu = bar.addMenu("&Call")
    fill(w.call_menu, w.actions.group(CallActions.CALL_MENU))
    w.conference_menu = bar.addMenu("C&onference")
    fill(w.conference_menu, w.actions.group(CallActions.CONFERENCE_MENU))
    view_menu = bar.addMenu("&View")
    w.view_menu = view_menu
    for dock, shortcut in (
        (w.event_log, "Ctrl+L"),
        (w.history_dock, "Ctrl+H"),
        (w.health_dock, "Ctrl+Shift+H"),
        (w.recordings_dock, ""),
    ):
        toggle = dock.toggleViewAction()
        if shortcut:
            toggle.setShortcut(shortcut)
        view_menu.addAction(toggle)

    view_menu.addSeparator()
    w.zoom_in_action = make_action(
        w, "Zoom &in", lambda: w.zoom_by(+1), "Ctrl+=", "Larger text everywhere"
    )
    w.zoom_in_action.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
    w.zoom_out_action = make_action(
        w, "Zoom &out", lambda: w.zoom_by(-1), "Ctrl+-", "Smaller text everywhere"
    )
    w.zoom_reset_action = make_action(
        w, "&Actual size", lambda: w.set_zoom(1.0), "Ctrl+0", "Text at its normal size"
    )
    for action in (w.zoom_in_action, w.zoom_out_action, w.zoom_reset_action):
        view_menu.addAction(action)
        w.addAction(action)  # the keys work wherever the focus is

    tools_menu = bar.addMenu("&Tools")
    w.tools_menu = tools_menu
    w.test_path_action = make_action(
        w,
        "&Test the webhook path",
        w.controller.test_webhook_path,
        "Ctrl+Shift+P",
        "Check Telnyx → tunnel → receiver, link by link",
    )
    w.resync_action = make_action(
        w,
        "&Resync now",
        w.controller.resync_now,
        "Ctrl+Shift+S",
        "Fetch the live calls, conferences and queues from Telnyx",
    )
    tools_menu.addAction(w.test_path_action)
    tools_menu.addAction(w.resync_action)

    w.toolbar = QToolBar("Call actions", w)
    w.toolbar.setObjectName("callToolbar")
    w.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
    fill(w.toolbar, w.actions.group(CallActions.TOOLBAR))
    for action in w.toolbar.actions():
        button = w.toolbar.widgetForAction(action)
        if button is not None and action.text():
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
            button.setAccessibleDescription(action.statusTip())
    steady_toolbar_widths(w)
    w.addToolBar(Qt.ToolBarArea.TopToolBarArea, w.toolbar)
    view_menu.addAction(w.toolbar.toggleViewAction())

    w.calls_menu = QMenu(w)
    fill(w.calls_menu, w.actions.group(CallActions.CONTEXT_MENU))
    w.conferences_menu = QMenu(w)
    fill(w.conferences_menu, w.actions.group(CallActions.CONFERENCE_CONTEXT_MENU))
    w.conferences_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    w.conferences_view.customContextMenuRequested.connect(
        lambda pos: w.conferences_menu.popup(w.conferences_view.viewport().mapToGlobal(pos))
    )


def steady_toolbar_widths(w: MainWindow) -> None:
    """Each toggling button keeps the width of its longer label ("Hold" / "Unhold"), so
    the buttons right of it never shift when it toggles under the pointer."""
    for name, texts in TOGGLE_TEXTS.items():
        action = w.actions.all[name]
        button = w.toolbar.widgetForAction(action)
        if button is None:
            continue
        current = action.text()
        widths = []
        for text in texts:
            action.setText(text)
            widths.append(button.sizeHint().width())
        action.setText(current)
        button.setMinimumWidth(max(widths))


def make_action(
    w: MainWindow, text: str, slot: Callable[[], Any], shortcut: str, tip: str
) -> QAction:
    action = QAction(text, w)
    if shortcut:
        action.setShortcut(shortcut)
        action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({shortcut})")
    action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def fill(target: QMenu | QToolBar, actions: Iterable[QAction | None]) -> None:
    for action in actions:
        if action is None:
            target.addSeparator()
        else:
            target.addAction(action)
