"""The Team menu and its window-wide keys: show the panel, transfer, consult, supervise, stop.

Apart from the glue (``team_install.py``), which runs what the actions ask for: this module
makes the actions with their keys and tooltips, puts the menu in the menu bar (before Tools)
and the dock's toggle in View, and tells the panel the keys for its buttons' tooltips.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from console.team.view import SupervisorMode
from console.ui.team_panel import TeamPanel

KEYS = {
    "show": "Ctrl+Shift+G",
    "transfer": "Ctrl+Shift+J",
    "attended": "Ctrl+Shift+K",
    SupervisorMode.MONITOR.value: "Alt+Shift+L",
    SupervisorMode.WHISPER.value: "Alt+Shift+W",
    SupervisorMode.BARGE.value: "Alt+Shift+B",
    "stop": "Alt+Shift+S",
}


def native(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


@dataclass
class TeamActions:
    """The Team menu and its actions, as :func:`build_team_menu` made them."""

    show: QAction
    transfer: QAction
    attended: QAction
    modes: dict[SupervisorMode, QAction]
    stop: QAction
    menu: QMenu


def build_team_menu(
    window: Any,
    dock: QDockWidget,
    panel: TeamPanel,
    guard: Callable[[Any], Any],
    *,
    show: Callable[[], object],
    transfer: Callable[[bool], object],
    supervise: Callable[[SupervisorMode], object],
    stop: Callable[[], object],
) -> TeamActions:
    """Make the actions (each slot wrapped by ``guard``) and the menu, in ``window``."""

    def action(text: str, key: str, slot: Callable[[], object], tip: str) -> QAction:
        made = QAction(text, window)
        shortcut = KEYS[key]
        made.setShortcut(QKeySequence(shortcut))
        made.setToolTip(f"{tip} ({native(shortcut)})")
        made.setStatusTip(tip)
        made.triggered.connect(guard(lambda _checked=False: slot()))
        window.addAction(made)  # the key works wherever the focus is
        return made

    show_action = action("&Team panel", "show", show, "Show the team and put the focus on it")
    transfer_action = action(
        "&Transfer to colleague",
        "transfer",
        lambda: transfer(False),
        "Blind transfer of the selected call to the colleague selected in the Team panel",
    )
    attended_action = action(
        "&Consult colleague, then transfer",
        "attended",
        lambda: transfer(True),
        "Attended transfer to the selected colleague: the caller waits on hold",
    )
    mode_actions: dict[SupervisorMode, QAction] = {}
    for mode in SupervisorMode:
        mode_actions[mode] = action(
            mode.label,
            mode.value,
            partial(supervise, mode),
            f"Supervisor: {mode.label.lower()} on the selected colleague's call",
        )
    stop_action = action("&Stop supervising", "stop", stop, "Hang up your supervisor leg")
    menu = QMenu("Te&am", window)
    menu.setObjectName("teamMenu")
    menu.setToolTipsVisible(True)
    menu.addAction(show_action)
    menu.addSeparator()
    menu.addAction(transfer_action)
    menu.addAction(attended_action)
    menu.addSeparator()
    for each in (*mode_actions.values(), stop_action):
        menu.addAction(each)
    bar = window.menuBar()
    tools = getattr(window, "tools_menu", None)
    if tools is not None:
        bar.insertMenu(tools.menuAction(), menu)
    else:
        bar.addMenu(menu)
    view = getattr(window, "view_menu", None)
    if view is not None:
        view.addAction(dock.toggleViewAction())
    panel.set_tooltips({name: native(seq) for name, seq in KEYS.items()})
    return TeamActions(
        show_action, transfer_action, attended_action, mode_actions, stop_action, menu
    )
