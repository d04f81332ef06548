"""Small non-modal prompts (transfer target, DTMF digits, participant) with inline validation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class PromptDialog(QDialog):
    """Asks for one value; OK stays disabled until ``validate`` accepts the text.

    Shown with ``open()`` (never ``exec()`` inside the event loop); ``submitted`` carries the
    validated value. Tests fill ``line_edit`` and call ``accept()``.
    """

    submitted = Signal(str)

    def __init__(
        self,
        title: str,
        label: str,
        validate: Callable[[str], str],
        placeholder: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._validate = validate
        self.value: str | None = None
        layout = QVBoxLayout(self)
        prompt = QLabel(label, self)
        prompt.setWordWrap(True)
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText(placeholder)
        self.line_edit.setAccessibleName(label)
        prompt.setBuddy(self.line_edit)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("inlineError")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(prompt)
        layout.addWidget(self.line_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.line_edit.textChanged.connect(self._check)
        self._check(self.line_edit.text())
        self.setMinimumWidth(360)

    def _check(self, text: str) -> None:
        try:
            self.value = self._validate(text)
        except ValueError as exc:
            self.value = None
            # An empty field needs no scolding, just a disabled OK.
            self.error_label.setText(str(exc) if text.strip() else "")
        else:
            self.error_label.setText("")
        self.ok_button.setEnabled(self.value is not None)

    def accept(self) -> None:
        self._check(self.line_edit.text())
        if self.value is None:
            return
        super().accept()
        self.submitted.emit(self.value)


class ConfirmDialog(QDialog):
    """Asks before a destructive action; says what will happen, in words.

    Cancel is the default button, so an Enter pressed out of habit changes nothing; the
    action's own button names what it does ("End conference", "Hang up 3 calls"). Shown with
    ``open()``; ``confirmed`` fires only when that button is pressed.
    """

    confirmed = Signal()

    def __init__(self, title: str, text: str, yes_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        self.text_label = QLabel(text, self)
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.yes_button = self.buttons.addButton(yes_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.yes_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.text_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(360)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.cancel_button.setFocus()

    def accept(self) -> None:
        super().accept()
        self.confirmed.emit()
