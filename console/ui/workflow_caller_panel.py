"""The caller panel: who the selected call is with, their last calls with dispositions and
notes, and how often they called ("Third call this week, last: Call back").

It reads the desk when the selection or the call changes (a few indexed queries), never per
event. Add to contacts and Call back are window actions (install_workflow), shown here as
buttons with their keys.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.desk import CallerContext, Desk
from console.ui import formatting as fmt
from console.ui.messages import describe_error

log = logging.getLogger(__name__)

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


def when_text(moment: datetime | None) -> str:
    """``Tue 01 Dec 14:02`` in local time: past calls span days, a bare time would not do."""
    moment = fmt.as_aware(moment)
    return "" if moment is None else moment.astimezone().strftime("%a %d %b %H:%M")


class CallerPanel(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("callerPanel")
        self.setAccessibleName("Caller")
        self.number: str | None = None
        self.context: CallerContext | None = None

        self.name_label = QLabel("No call selected.", self)
        self.name_label.setObjectName("callerName")
        self.name_label.setAccessibleName("Caller name")
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.name_label.setFont(font)
        self.detail_label = QLabel("", self)
        self.detail_label.setObjectName("callerDetail")
        self.detail_label.setAccessibleName("Caller details")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.headline = QLabel("", self)
        self.headline.setObjectName("callerHeadline")
        self.headline.setAccessibleName("Calls from this caller")
        self.headline.setWordWrap(True)
        self.recent = QListWidget(self)
        self.recent.setObjectName("callerRecentCalls")
        self.recent.setAccessibleName("Last calls with this caller")
        self.recent.setWordWrap(True)
        self.recent.setToolTip("Enter or double-click calls this caller back")
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.name_label)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.headline)
        layout.addWidget(self.recent, 1)
        layout.addLayout(self.buttons)

    def add_button(self, action: QAction) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.buttons.insertWidget(self.buttons.count() - 1, button)  # before the stretch
        return button

    def clear(self) -> None:
        self.number, self.context = None, None
        self.name_label.setText("No call selected.")
        self.detail_label.clear()
        self.headline.clear()
        self.recent.clear()

    def show_number(
        self,
        number: str | None,
        caller_name: str | None = None,
        *,
        live: bool = True,
        exclude: tuple[str, ...] = (),
    ) -> None:
        """Show the context of ``number`` (the far end of the selected call)."""
        if not number:
            self.clear()
            return
        try:
            context = self.desk.caller_context(number, exclude=exclude)
        except Exception as exc:
            self.clear()
            self.detail_label.setText(f"Caller details unavailable: {describe_error(exc)}")
            return
        self.number, self.context = number, context
        contact = context.contact
        if contact is not None:
            self.name_label.setText(contact.name)
            parts = [contact.organisation, number, contact.email]
            if contact.tags:
                parts.append("tags: " + ", ".join(contact.tags))
            detail = " · ".join(p for p in parts if p)
            if contact.notes:
                detail += "\n" + contact.notes
            if contact.flag:
                detail += "\n⚠ " + contact.flag
            self.detail_label.setText(detail)
        else:
            self.name_label.setText(caller_name or "Unknown caller")
            self.detail_label.setText(f"{number} · not in contacts")
        self.headline.setText(context.headline(live=live))
        self.recent.clear()
        for past in context.recent:
            entry = past.entry
            when = when_text(entry.when)
            words = [when, fmt.direction_text(entry.direction)]
            duration = entry.duration_secs
            if not entry.ended:
                words.append("in progress")  # a row is kept while the call still runs
            else:
                words.append(fmt.format_duration(duration) if duration is not None else "missed")
            if past.wrapup is not None and past.wrapup.summary:
                words.append(past.wrapup.summary)
            item = QListWidgetItem(" · ".join(w for w in words if w))
            item.setData(KEY_ROLE, past.key)
            if past.wrapup is not None and past.wrapup.notes:
                item.setToolTip(past.wrapup.notes)
            self.recent.addItem(item)
        if not context.recent:
            self.recent.addItem("No earlier calls.")
