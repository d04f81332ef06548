"""Small widgets the setup wizard's pages share: inline messages, hints, busy bars, field rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from console.ui import theme


class Message(QLabel):
    """An inline message under a field: hidden when empty, coloured by kind."""

    def __init__(self, parent: QWidget, name: str):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName(name)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def show_text(self, text: str, kind: str = "error") -> None:
        """``kind``: "error", "warning", "ok" or "info"."""
        self.kind = kind if text else ""
        self.setText(text)
        self.setAccessibleDescription(text)
        if kind == "error":
            style = f"color: {theme.color('error_fg').name()};"
        elif kind == "warning":
            bg, fg = theme.color("warning_bg").name(), theme.color("warning_fg").name()
            style = f"background: {bg}; color: {fg}; padding: 4px;"
        elif kind == "ok":
            style = f"color: {theme.color('ok').name()};"
        else:
            style = ""
        self.setStyleSheet(style)
        self.setVisible(bool(text))

    def clear_text(self) -> None:
        self.show_text("")


def field_row(parent: QWidget, main: QWidget, side: QWidget) -> QWidget:
    """A field with a button beside it, as one widget so the form label's mnemonic works."""
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(main, 1)
    layout.addWidget(side)
    return row


def busy_bar(parent: QWidget, name: str) -> QProgressBar:
    bar = QProgressBar(parent)
    bar.setRange(0, 0)  # indeterminate: we cannot know how long Telnyx takes
    bar.setTextVisible(False)
    bar.setMaximumHeight(8)
    bar.setAccessibleName(name)
    bar.hide()
    return bar


def hint_label(parent: QWidget, text: str) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setOpenExternalLinks(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAccessibleName("Hint")
    return label
