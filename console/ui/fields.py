"""Small form widgets shared by the settings dialog and the setup wizard."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QWidget


def secret_field(parent: QWidget, name: str, placeholder: str) -> tuple[QLineEdit, QWidget]:
    """A masked line edit with a Show toggle, for keys and tokens; returns (edit, row widget)."""
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    edit.setAccessibleName(name)
    show = QToolButton(parent)
    show.setText("Show")
    show.setCheckable(True)
    show.setAccessibleName(f"Show {name}")
    show.toggled.connect(
        lambda on: edit.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        )
    )
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(show)
    edit.show_button = show  # type: ignore[attr-defined]
    return edit, row
