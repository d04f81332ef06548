"""The Settings dialog's Numbers page: default country, the From numbers and the operator's
own endpoint.

A From number is checked as it is typed (against the country typed above it) and only a valid
one can be added; the dialog validates the whole list again with everything else. Split out of
console/ui/settings_dialog.py (issue 11), as console/ui/settings_team.py is: the page builds
its fields and edits its list, the dialog validates and applies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QListWidget, QPushButton, QWidget

from console.ui.settings_team import AddField
from console.ui.validation import normalize_number


class NumbersSettingsPage(QWidget):
    """The Numbers tab; ``changed`` is the dialog's validate(), ``show_error(key, text)`` its
    inline error next to a field."""

    def __init__(
        self,
        settings: Any,
        add_field: AddField,
        changed: Callable[..., Any],
        show_error: Callable[[str, str], None],
    ):
        super().__init__()
        self._changed = changed
        self._show_error = show_error
        form = QFormLayout(self)
        self.country_edit = QLineEdit(settings.default_country or "", self)
        self.country_edit.setMaxLength(2)
        self.country_edit.setAccessibleName("Default country")
        self.country_edit.setToolTip("Numbers typed without + are read as from this country")
        add_field(form, "Default &country", self.country_edit, "default_country")
        self.from_list = QListWidget(self)
        self.from_list.setAccessibleName("From numbers")
        self.from_list.addItems(list(settings.from_numbers or []))
        self.from_list.setMaximumHeight(120)
        self.new_number_edit = QLineEdit(self)
        self.new_number_edit.setPlaceholderText("+1 202 555 0123")
        self.new_number_edit.setAccessibleName("New from number")
        self.add_number_button = QPushButton("Add", self)
        self.remove_number_button = QPushButton("Remove", self)
        self.add_number_button.clicked.connect(self.add_from_number)
        self.new_number_edit.returnPressed.connect(self.add_from_number)
        self.remove_number_button.clicked.connect(self._remove_from_number)
        self.new_number_edit.textChanged.connect(self._check_new_number)
        row = QWidget(self)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.new_number_edit, 1)
        box.addWidget(self.add_number_button)
        box.addWidget(self.remove_number_button)
        form.addRow("&From numbers", self.from_list)
        add_field(form, "", row, "from_numbers")
        self.operator_edit = QLineEdit(settings.operator_endpoint or "", self)
        self.operator_edit.setPlaceholderText(
            "+1 202 555 0123 or sip:operator@example.sip.telnyx.com"
        )
        self.operator_edit.setAccessibleName("Operator endpoint")
        self.operator_edit.setToolTip("Where the operator's own phone rings (number or SIP URI)")
        add_field(form, "&Operator endpoint", self.operator_edit, "operator_endpoint")
        self.country_edit.textChanged.connect(changed)
        self.operator_edit.textChanged.connect(changed)
        self._check_new_number("")

    def _check_new_number(self, text: str) -> str | None:
        try:
            number = normalize_number(text, self.country_edit.text() or None)
        except ValueError as exc:
            self._show_error("from_numbers", str(exc) if text.strip() else "")
            self.add_number_button.setEnabled(False)
            return None
        self._show_error("from_numbers", "")
        self.add_number_button.setEnabled(True)
        return number

    def add_from_number(self) -> None:
        number = self._check_new_number(self.new_number_edit.text())
        if number is None:
            return
        existing = [self.from_list.item(i).text() for i in range(self.from_list.count())]
        if number not in existing:
            self.from_list.addItem(number)
        self.new_number_edit.clear()
        self._changed()

    def _remove_from_number(self) -> None:
        for item in self.from_list.selectedItems():
            self.from_list.takeItem(self.from_list.row(item))
        self._changed()

    def from_numbers(self) -> list[str]:
        return [self.from_list.item(i).text() for i in range(self.from_list.count())]

    def values(self) -> dict[str, Any]:
        return {
            "from_numbers": self.from_numbers(),
            "default_country": self.country_edit.text().strip(),
            "operator_endpoint": self.operator_edit.text().strip() or None,
        }
