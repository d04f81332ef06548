"""A non-modal notification strip for failures: readable text, dismissable, never a traceback."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

#: Lines of text the strip shows; a longer message is cut there (all of it in the tooltip).
LINES = 2


class NotificationArea(QFrame):
    """Shows the latest message above the calls table; earlier ones stay in ``history``.

    Its room is kept while it is hidden and its height never changes, so a message coming or
    going never moves the calls table under the operator's pointer.
    """

    shown = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("notificationBanner")
        self.setAccessibleName("Notifications")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel(self)
        self.label.setObjectName("bannerText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(self.label.textInteractionFlags())
        close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.setAccessibleName("Dismiss notification")
        close.clicked.connect(self.dismiss)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.history: list[str] = []
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
        self.setSizePolicy(policy)
        margins = layout.contentsMargins()
        text_height = self.label.fontMetrics().lineSpacing() * LINES
        self.setFixedHeight(
            max(text_height, close.sizeHint().height()) + margins.top() + margins.bottom() + 4
        )
        self.hide()

    @property
    def last_message(self) -> str | None:
        return self.history[-1] if self.history else None

    def show_message(self, text: str, severity: str = "error") -> None:
        """``severity`` 'error' (a failed action) or 'info' (a start-up note) sets the colour."""
        self.history = [*self.history[-49:], text]
        if self.property("severity") != severity:
            self.setProperty("severity", severity)
            self.style().unpolish(self)
            self.style().polish(self)
        self.label.setText(text)
        self.label.setToolTip(text)
        self.label.setAccessibleDescription(text)
        self.show()
        self.shown.emit(text)

    def dismiss(self) -> None:
        self.hide()
