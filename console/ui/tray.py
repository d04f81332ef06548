"""Tray icon: a notification when a call rings while the window is in the background."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from console.ui import icons

KEPT_NOTIFICATIONS = 100


class Tray(QObject):
    """Wraps QSystemTrayIcon; does nothing (but still records) where no tray exists."""

    activated = Signal()  # the operator clicked the icon or a notification

    def __init__(self, parent=None, actions=()):
        super().__init__(parent)
        # (title, text), for tests and a11y: the latest ones, not every call of a long day.
        self.notifications: list[tuple[str, str]] = []
        self.icon: QSystemTrayIcon | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return  # offscreen, or a desktop without a tray: notifications are skipped
        self.icon = QSystemTrayIcon(icons.app_icon(), self)
        self.icon.setToolTip("Telnyx console")
        menu = QMenu()
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        self._menu = menu
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(self._on_activated)
        self.icon.messageClicked.connect(self.activated.emit)
        self.icon.show()

    @property
    def available(self) -> bool:
        return self.icon is not None

    def _on_activated(self, reason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.activated.emit()

    def notify(self, title: str, text: str) -> None:
        self.notifications.append((title, text))
        del self.notifications[:-KEPT_NOTIFICATIONS]
        if self.icon is not None and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(title, text, icons.app_icon(), 15000)

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()
