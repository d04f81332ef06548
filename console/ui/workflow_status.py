"""The operator's status at the right of the menu bar: a button showing it and the time in it,
a menu to change it (Available, Away with a reason, Do not disturb, Offline), and a
Do-not-disturb toggle.

The menu opens with ``popup()`` (never ``exec()``: a nested event loop would stall the asyncio
tasks). Wrap-up is entered and left by the wrap-up timer, not chosen here.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from console.desk import AWAY_REASONS, Status, StatusModel, format_time_in
from console.ui.prompts import PromptDialog

STATUS_SHORTCUT = "Ctrl+Shift+U"
DND_SHORTCUT = "Ctrl+Shift+N"
_DOTS = {
    Status.AVAILABLE: "#2e9d4f",
    Status.AWAY: "#d49a00",
    Status.DND: "#c62828",
    Status.WRAP_UP: "#1e6fd9",
    Status.OFFLINE: "#808080",
}


def keys(shortcut: str) -> str:
    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)


class StatusSelector(QToolButton):
    """Shows ``● Away: Lunch · 12 min``; click or Ctrl+Shift+U for the menu."""

    def __init__(self, model: StatusModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.setObjectName("statusSelector")
        self.setAccessibleName("Your status")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setAutoRaise(True)
        self.last_prompt: PromptDialog | None = None

        self.status_menu = QMenu(self)
        self.status_menu.setObjectName("statusMenu")
        self.status_menu.setAccessibleName("Choose your status")
        self.available_action = self._choice("&Available", Status.AVAILABLE)
        away = self.status_menu.addMenu("A&way")
        away.setAccessibleName("Away, with a reason")
        self.away_actions: dict[str, QAction] = {}
        for reason in AWAY_REASONS:
            action = away.addAction(reason)
            action.triggered.connect(lambda _=False, r=reason: self.choose(Status.AWAY, r))
            self.away_actions[reason] = action
        away.addSeparator()
        other = away.addAction("Other reason…")
        other.triggered.connect(self.ask_reason)
        self.away_menu = away
        self.dnd_choice = self._choice("&Do not disturb", Status.DND)
        self.offline_action = self._choice("&Offline", Status.OFFLINE)

        # Window-wide actions (install_workflow adds them to the window and the menus).
        self.open_action = QAction("Set &status…", self)
        self.open_action.setShortcut(STATUS_SHORTCUT)
        self.open_action.setToolTip(f"Change your status ({keys(STATUS_SHORTCUT)})")
        self.open_action.triggered.connect(self.open_menu)
        self.dnd_action = QAction("&Do not disturb", self)
        self.dnd_action.setCheckable(True)
        self.dnd_action.setShortcut(DND_SHORTCUT)
        self.dnd_action.setToolTip(
            f"Do not disturb: no ringing popup or ringtone ({keys(DND_SHORTCUT)})"
        )
        self.dnd_action.triggered.connect(self.toggle_dnd)

        self.clicked.connect(self.open_menu)
        self._unsubscribe = model.subscribe(lambda _presence: self.refresh())
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def _choice(self, text: str, status: Status) -> QAction:
        action = self.status_menu.addAction(text)
        action.triggered.connect(lambda _=False: self.choose(status))
        return action

    def choose(self, status: Status, reason: str = "") -> None:
        self.model.set(status, reason)

    def toggle_dnd(self, on: bool | None = None) -> None:
        on = self.model.status is not Status.DND if on is None else on
        self.model.set(Status.DND if on else Status.AVAILABLE)

    def open_menu(self) -> None:
        self.status_menu.popup(self.mapToGlobal(QPoint(0, self.height())))

    def ask_reason(self) -> PromptDialog:
        def check(text: str) -> str:
            text = " ".join(text.split())
            if not text:
                raise ValueError("Say why you are away.")
            if len(text) > 40:
                raise ValueError("Keep the reason under 40 characters.")
            return text

        dialog = PromptDialog("Away", "Away because:", check, "e.g. Team huddle", self.window())
        dialog.submitted.connect(lambda reason: self.choose(Status.AWAY, reason))
        dialog.finished.connect(dialog.deleteLater)
        self.last_prompt = dialog
        dialog.open()
        return dialog

    def refresh(self) -> None:
        presence = self.model.presence
        elapsed = format_time_in(self.model.seconds_in_status())
        left = self.model.wrap_up_seconds_left()
        text = f"● {presence.label} · {elapsed}"
        if left is not None:
            text = f"● {presence.label} · {format_time_in(left)} left"
        self.setText(text)
        self.setStyleSheet(f"QToolButton {{ color: {_DOTS[presence.status]}; }}")
        rings = "" if presence.status.rings else " Incoming calls do not ring."
        self.setToolTip(
            f"Your status: {presence.label}, for {elapsed}.{rings} "
            f"Change it ({keys(STATUS_SHORTCUT)}); Do not disturb ({keys(DND_SHORTCUT)})."
        )
        self.setAccessibleDescription(self.toolTip())
        self.dnd_action.setChecked(presence.status is Status.DND)

    def close(self) -> bool:
        self.timer.stop()
        self._unsubscribe()
        return super().close()
