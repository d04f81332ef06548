"""The directory picker: type to filter speed dials, favourites, contacts and recent numbers
(and colleagues in team mode), Up/Down to move, Enter to pick.

Opened from the dialer and from the transfer, attended-transfer and add-participant prompts
(F3 or their Directory… button); ``picked(number)`` fills the field it was opened for. The
filter keeps the keyboard focus throughout, so the list is driven without touching the mouse.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.desk import Desk, Entry
from console.ui.messages import describe_error

log = logging.getLogger(__name__)

DIRECTORY_SHORTCUT = "F3"
NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_DELAY_MS = 80


class DirectoryPicker(QDialog):
    picked = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None, title: str = "Directory"):
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("directoryPicker")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.value: str | None = None
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("directoryFilter")
        self.filter_edit.setAccessibleName("Filter the directory")
        self.filter_edit.setPlaceholderText("Type a name, organisation or number…")
        self.filter_edit.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("directoryList")
        self.list.setAccessibleName("Directory entries")
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.status = QLabel("", self)
        self.status.setAccessibleName("Directory status")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Pick")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumSize(420, 360)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.filter_edit.textChanged.connect(lambda _t: self._timer.start())
        self.filter_edit.installEventFilter(self)
        self.refresh()

    def entries(self) -> list[Entry]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole + 2) for i in range(self.list.count())
        ]

    def refresh(self) -> None:
        self._timer.stop()
        text = self.filter_edit.text()
        try:
            found = self.desk.directory.entries(text)
        except Exception as exc:
            self.status.setText(f"The directory cannot be read: {describe_error(exc)}")
            return
        self.list.clear()
        for entry in found:
            detail = f"  ({entry.detail})" if entry.detail else ""
            item = QListWidgetItem(f"{entry.text}{detail}  · {entry.kind.value}")
            item.setData(NUMBER_ROLE, entry.number)
            item.setData(Qt.ItemDataRole.UserRole + 2, entry)
            item.setToolTip(f"{entry.kind.value.capitalize()}: {entry.number}")
            self.list.addItem(item)
        if found:
            self.list.setCurrentRow(0)
            self.status.setText(f"{len(found)} match{'es' if len(found) != 1 else ''}; Enter picks")
        else:
            self.status.setText("Nothing matches; Enter uses the text as typed.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up/Down/Page keys typed in the filter move the list: the focus never has to leave.
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (
                Qt.Key.Key_Up,
                Qt.Key.Key_Down,
                Qt.Key.Key_PageUp,
                Qt.Key.Key_PageDown,
            ):
                self.list.setFocus()
                self.list.keyPressEvent(event)
                self.filter_edit.setFocus()
                return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        if self._timer.isActive():
            self.refresh()  # Enter pressed before the filter caught up with the typing
        item = self.list.currentItem()
        value = item.data(NUMBER_ROLE) if item is not None else self.filter_edit.text().strip()
        if not value:
            return
        self.value = str(value)
        super().accept()
        self.picked.emit(self.value)
