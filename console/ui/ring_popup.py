"""The incoming-call popup: who is calling and what they called, Answer and Reject.

A frameless tool window in the screen's corner that never takes the keyboard focus (the
operator may be typing a number or a note), so it is answered by a click or by the global
Answer/Reject keys shown on its buttons.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.state.entities import Call
from console.ui import icons
from console.ui.formatting import party


class RingPopup(QFrame):
    """Shows the oldest ringing call; ``answer_clicked``/``reject_clicked`` carry its ccid."""

    answer_clicked = Signal(str)
    reject_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        flags = (
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
        )
        super().__init__(parent, flags)
        self.setObjectName("ringPopup")
        self.setAccessibleName("Incoming call")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self._keyboard_owner: QWidget | None = None  # the window active when it popped up
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.ccid: str | None = None
        #: The operator's contacts, by number (set by the workflow): a known caller's name
        #: comes first, before the network's caller id.
        self.names: Callable[[str | None], str | None] | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel("Incoming call", self)
        self.title.setObjectName("ringTitle")
        self.caller_label = QLabel(self)
        self.caller_label.setObjectName("ringCaller")
        font = self.caller_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.caller_label.setFont(font)
        self.number_label = QLabel(self)
        self.called_label = QLabel(self)
        self.more_label = QLabel(self)
        buttons = QHBoxLayout()
        self.answer_button = QPushButton(icons.icon("answer"), "Answer", self)
        self.reject_button = QPushButton(icons.icon("reject"), "Reject", self)
        for button in (self.answer_button, self.reject_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never take the typing focus
            buttons.addWidget(button)
        self.answer_button.clicked.connect(lambda: self._emit(self.answer_clicked))
        self.reject_button.clicked.connect(lambda: self._emit(self.reject_clicked))
        for widget in (
            self.title,
            self.caller_label,
            self.number_label,
            self.called_label,
            self.more_label,
        ):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.setMinimumWidth(300)

    def set_keys(self, answer: QKeySequence, reject: QKeySequence) -> None:
        native = QKeySequence.SequenceFormat.NativeText
        self.answer_button.setText(f"Answer ({answer.toString(native)})")
        self.reject_button.setText(f"Reject ({reject.toString(native)})")

    def _emit(self, signal) -> None:
        if self.ccid:
            signal.emit(self.ccid)

    def who(self, call: Call) -> str:
        """The caller in words, a contact's name first: ``Pat Lee (Acme) <+13125550142>``."""
        return _who(call, self._contact(call))

    def _contact(self, call: Call) -> str | None:
        return self.names(call.from_number) if self.names is not None else None

    def show_call(self, call: Call, called: str, others: int = 0) -> None:
        """``called``: the queue or number the caller dialled, in words."""
        self.ccid = call.call_control_id
        contact = self._contact(call)  # one lookup (a query) for the labels and the tooltip
        name = contact or _network_name(call)
        self.caller_label.setText(name or (call.from_number or "Unknown caller"))
        self.number_label.setText((call.from_number or "") if name else "")
        self.number_label.setVisible(bool(name))
        self.called_label.setText(called)
        self.more_label.setText(f"{others} more ringing" if others else "")
        self.more_label.setVisible(bool(others))
        self.setToolTip(f"{_who(call, contact)}\n{called}")
        self.adjustSize()
        self._place()
        active = QApplication.activeWindow()
        if active is not None and active is not self:
            self._keyboard_owner = active
        self.show()
        self.raise_()
        self._give_back_keyboard()

    def dismiss(self) -> None:
        self.ccid = None
        self.hide()
        self._give_back_keyboard()

    def _give_back_keyboard(self) -> None:
        """The popup never keeps the keyboard from the window the operator was typing in.
        (``WA_ShowWithoutActivating`` is a hint some platforms ignore: the offscreen one, and
        window managers that activate every new top-level window.)"""
        owner = self._keyboard_owner
        if owner is None or not owner.isVisible():
            return
        if QApplication.activeWindow() in (None, self):
            owner.activateWindow()

    def _place(self) -> None:
        """Bottom right of the screen the main window is on, clear of the taskbar."""
        anchor = self.parentWidget()
        screen = anchor.screen() if anchor is not None else QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        margin = 16
        self.move(area.right() - self.width() - margin, area.bottom() - self.height() - margin)


def _who(call: Call, contact: str | None) -> str:
    return party(call.from_number, contact or call.caller_name)


def _network_name(call: Call) -> str:
    """The caller name the network gave, unless it is only the number again."""
    return call.caller_name if call.caller_name and call.caller_name != call.from_number else ""
