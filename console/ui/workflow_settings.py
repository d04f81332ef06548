"""Workflow settings: the dispositions offered at wrap-up, the wrap-up timer, the speed dials.

Kept in the console database with the rest of the desk (not in settings.json: an admin may
hand a ready database to each operator). Apply checks everything first and says what is wrong
next to it; nothing is half-saved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.desk import Desk, DeskError
from console.desk.directory import SPEED_DIAL_SLOTS
from console.desk.dispositions import check_name
from console.ui.messages import describe_error


class WorkflowSettingsDialog(QDialog):
    applied = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("workflowSettings")
        self.setWindowTitle("Workflow settings")
        self.setAccessibleName("Workflow settings")
        self.setWindowModality(Qt.WindowModality.WindowModal)

        self.dispositions = QListWidget(self)
        self.dispositions.setObjectName("dispositionList")
        self.dispositions.setAccessibleName("Dispositions, in the order offered")
        self.dispositions.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        for name in desk.dispositions.names():
            self._add_item(name)
        buttons = QHBoxLayout()
        for text, slot, tip in (
            ("&Add", self.add_disposition, "Add a disposition"),
            ("&Remove", self.remove_disposition, "Remove the selected disposition"),
            ("&Up", lambda: self.move_disposition(-1), "Move it up"),
            ("Do&wn", lambda: self.move_disposition(1), "Move it down"),
        ):
            button = QPushButton(text, self)
            button.setAccessibleName(text.replace("&", ""))
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.addWidget(button)

        self.timer = QSpinBox(self)
        self.timer.setObjectName("wrapUpTimer")
        self.timer.setAccessibleName("Wrap-up timer in seconds (0 for none)")
        self.timer.setRange(0, 3600)
        self.timer.setSuffix(" s")
        self.timer.setSpecialValueText("off")
        self.timer.setValue(desk.wrap_up_secs)
        self.timer.setToolTip(
            "After a call, stay in Wrap-up (no new calls offered in a team) until the wrap-up "
            "is done or this many seconds pass; off: stay Available"
        )

        self.speed = QTableWidget(SPEED_DIAL_SLOTS, 2, self)
        self.speed.setObjectName("speedDials")
        self.speed.setAccessibleName("Speed dials: number and label")
        self.speed.setHorizontalHeaderLabels(["Number", "Label"])
        self.speed.setVerticalHeaderLabels([f"Alt+{slot % 10}" for slot in range(1, 11)])
        self.speed.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for dial in desk.speed_dials.all():
            self.speed.setItem(dial.slot - 1, 0, QTableWidgetItem(dial.number))
            self.speed.setItem(dial.slot - 1, 1, QTableWidgetItem(dial.label))

        self.error_label = QLabel("", self)
        self.error_label.setObjectName("inlineError")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Settings problem")
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Dispositions", self.dispositions)
        form.addRow("", _wrap(buttons, self))
        form.addRow("Wrap-up &timer", self.timer)
        form.addRow("&Speed dials", self.speed)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(box)
        self.resize(520, 620)

    def _add_item(self, name: str) -> QListWidgetItem:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.dispositions.addItem(item)
        return item

    def names(self) -> list[str]:
        return [self.dispositions.item(i).text() for i in range(self.dispositions.count())]

    def add_disposition(self) -> None:
        item = self._add_item("New disposition")
        self.dispositions.setCurrentItem(item)
        self.dispositions.editItem(item)

    def remove_disposition(self) -> None:
        row = self.dispositions.currentRow()
        if row >= 0:
            self.dispositions.takeItem(row)

    def move_disposition(self, step: int) -> None:
        row = self.dispositions.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.dispositions.count():
            return
        item = self.dispositions.takeItem(row)
        self.dispositions.insertItem(target, item)
        self.dispositions.setCurrentRow(target)

    def speed_dials(self) -> list[tuple[int, str, str]]:
        out = []
        for row in range(SPEED_DIAL_SLOTS):
            number = self.speed.item(row, 0)
            label = self.speed.item(row, 1)
            out.append(
                (
                    row + 1,
                    number.text().strip() if number is not None else "",
                    label.text().strip() if label is not None else "",
                )
            )
        return out

    def accept(self) -> None:
        names = self.names()
        try:
            if not names:
                raise DeskError("Keep at least one disposition.")
            for name in names:
                check_name(name)
            self.desk.dispositions.set_order(names)
            self.desk.set_wrap_up_secs(self.timer.value())
            for slot, number, label in self.speed_dials():
                if number:
                    self.desk.speed_dials.set(slot, number, label)
                else:
                    self.desk.speed_dials.clear(slot)
        except DeskError as exc:
            self.error_label.setText(exc.user_message)
            return
        except Exception as exc:
            self.error_label.setText(f"The settings could not be saved: {describe_error(exc)}")
            return
        self.applied.emit()
        super().accept()


def _wrap(layout: QHBoxLayout, parent: QWidget) -> QWidget:
    holder = QWidget(parent)
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder
