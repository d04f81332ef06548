"""Settings dialog: account, numbers, receiver and tunnel, security; validated as you type.

The dialog holds the Account and Display tabs, the validation of every field together and the
applying; the Numbers, Webhooks & tunnel, Team and Desk tabs are pages of their own
(console/ui/settings_numbers.py, settings_network.py, settings_team.py, settings_desk.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.ui.fields import secret_field
from console.ui.messages import describe_error
from console.ui.settings_desk import DeskSettingsPage
from console.ui.settings_network import NetworkSettingsPage
from console.ui.settings_numbers import NumbersSettingsPage
from console.ui.settings_team import TeamSettingsPage
from console.ui.validation import check_public_key, normalize_number, normalize_target

if TYPE_CHECKING:
    from console.session_api import ConsoleApi

log = logging.getLogger(__name__)

THEMES = [("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")]


def _error_label(parent: QWidget | None) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("inlineError")
    label.setWordWrap(True)
    label.hide()
    return label


class SettingsDialog(QDialog):
    """Shown with ``open()``; OK validates, then applies through ``session.apply_settings`` in a
    task and closes only when that succeeded (errors stay inline, the dialog stays open)."""

    applied = Signal(object)  # the Settings saved

    def __init__(
        self, session: ConsoleApi, parent: QWidget | None = None, desk: QSettings | None = None
    ):
        super().__init__(parent)
        self.session = session
        # The desk's own preferences (ringing, call timer): kept with the window layout.
        self.desk = desk
        self.setWindowTitle("Settings")
        self.apply_task: asyncio.Future | None = None
        self.apps_task: asyncio.Future | None = None
        self.settings: Any = None  # the validated result, when valid
        self.field_errors: dict[str, QLabel] = {}
        self._ready = False  # fields connect validate() before every tab exists
        settings = session.settings

        tabs = QTabWidget(self)
        tabs.addTab(self._account_tab(settings), "&Account")
        self.numbers_page = NumbersSettingsPage(
            settings, self._field, self.validate, self._show_error
        )
        tabs.addTab(self.numbers_page, "&Numbers")
        self.network_page = NetworkSettingsPage(settings, self._field, self.validate)
        tabs.addTab(self.network_page, "&Webhooks && tunnel")
        tabs.addTab(self._display_tab(settings), "&Display")
        self.team_page = TeamSettingsPage(settings, self._field, self.validate)
        tabs.addTab(self.team_page, "Tea&m")
        self.tabs = tabs
        self.desk_page = DeskSettingsPage(desk) if desk is not None else None
        if self.desk_page is not None:
            tabs.addTab(self.desk_page, "D&esk")
            page = self.desk_page
            self.volume_slider, self.device_combo = page.volume_slider, page.device_combo
            self.warn_spin, self.alert_spin = page.warn_spin, page.alert_spin
        self.error_label = _error_label(self)
        self.error_label.setAccessibleName("Settings problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(620, 520)
        # The pages' fields under the names the dialog always had (tests and callers use them).
        numbers, network = self.numbers_page, self.network_page
        self.country_edit, self.operator_edit = numbers.country_edit, numbers.operator_edit
        self.new_number_edit = numbers.new_number_edit
        self.add_number_button = numbers.add_number_button
        self.tunnel_combo, self.public_url_edit = network.tunnel_combo, network.public_url_edit
        self.verify_check, self.verify_warning = network.verify_check, network.verify_warning
        self._ready = True
        self.validate()
        self.refresh_applications()

    def add_button(self, text: str, tip: str, slot: Callable[[], Any]) -> QPushButton:
        """A button beside OK and Cancel that opens related settings kept elsewhere (the
        workflow's dispositions, wrap-up timer and speed dials): one place to look."""
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # --- tabs -----------------------------------------------------------------------------

    def _field(self, form: QFormLayout, label: str, widget: QWidget, key: str) -> None:
        form.addRow(label, widget)
        error = _error_label(widget.parentWidget())
        form.addRow("", error)
        self.field_errors[key] = error

    def _account_tab(self, settings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.api_key_edit, row = secret_field(page, "API key", "unchanged (kept in the keyring)")
        self._field(form, "API &key", row, "api_key")
        self.public_key_edit, row = secret_field(
            page, "Webhook public key", "unchanged (from the portal: Keys & Credentials)"
        )
        self._field(form, "Webhook &public key", row, "public_key")
        self.app_combo = QComboBox(page)
        self.app_combo.setAccessibleName("Call Control application")
        self.app_combo.setMinimumContentsLength(30)
        self._set_app_items([], settings.connection_id)
        self.refresh_button = QPushButton("&Refresh", page)
        self.refresh_button.setToolTip("List the Call Control applications of the account")
        self.refresh_button.clicked.connect(self.refresh_applications)
        row = QWidget(page)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.app_combo, 1)
        box.addWidget(self.refresh_button)
        self._field(form, "Call Control &application", row, "connection_id")
        self.apps_status = QLabel(page)
        self.apps_status.setWordWrap(True)
        form.addRow("", self.apps_status)
        for edit in (self.api_key_edit, self.public_key_edit):
            edit.textChanged.connect(self.validate)
        self.app_combo.currentIndexChanged.connect(self.validate)
        return page

    def _display_tab(self, settings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.theme_combo = QComboBox(page)
        self.theme_combo.setAccessibleName("Theme")
        for value, text in THEMES:
            self.theme_combo.addItem(text, value)
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(settings.theme)))
        form.addRow("&Theme", self.theme_combo)
        self.retention_spin = QSpinBox(page)
        self.retention_spin.setRange(0, 86400)
        self.retention_spin.setSuffix(" s")
        self.retention_spin.setValue(settings.ended_call_retention_secs)
        self.retention_spin.setAccessibleName("Keep ended calls visible for")
        form.addRow("Keep &ended calls for", self.retention_spin)
        self.silence_spin = QSpinBox(page)
        self.silence_spin.setRange(0, 86400)
        self.silence_spin.setSuffix(" s")
        self.silence_spin.setSpecialValueText("never warn")
        self.silence_spin.setValue(settings.event_silence_warning_secs)
        self.silence_spin.setAccessibleName("Warn when no events arrive for")
        form.addRow("Warn when &silent for", self.silence_spin)
        return page

    def save_desk(self) -> None:
        if self.desk_page is not None:
            self.desk_page.save()

    # --- behaviour ------------------------------------------------------------------------

    def add_from_number(self) -> None:
        self.numbers_page.add_from_number()

    def from_numbers(self) -> list[str]:
        return self.numbers_page.from_numbers()

    def _show_error(self, key: str, text: str) -> None:
        label = self.field_errors.get(key)
        if label is not None:
            label.setText(text)
            label.setVisible(bool(text))

    def values(self) -> dict[str, Any]:
        """The dialog's fields as settings data (non-secret)."""
        return {
            "connection_id": self.app_combo.currentData() or "",
            **self.numbers_page.values(),
            **self.network_page.values(),
            "ended_call_retention_secs": self.retention_spin.value(),
            "event_silence_warning_secs": self.silence_spin.value(),
            "theme": self.theme_combo.currentData(),
            **self.team_page.values(),
        }

    def show_team_tab(self) -> None:
        """Open on the Team page (from the Team panel or the webhook guard's Join a team)."""
        self.tabs.setCurrentWidget(self.team_page)
        self.team_page.mode_combo.setFocus()

    def validate(self, *_args) -> bool:
        """Check every field; show each problem next to it; OK only when all are fine."""
        if not self._ready:
            return False
        problems: dict[str, str] = {}
        values = self.values()
        country = values["default_country"]
        if len(country) != 2 or not country.isalpha():
            problems["default_country"] = "Two letters, e.g. US, GB, DE."
        for number in values["from_numbers"]:
            try:
                normalize_number(number, None)
            except ValueError as exc:
                problems["from_numbers"] = str(exc)
        if values["operator_endpoint"]:
            try:
                normalize_target(values["operator_endpoint"], country or None)
            except ValueError as exc:
                problems["operator_endpoint"] = str(exc)
        if self.public_key_edit.text().strip():
            try:
                check_public_key(self.public_key_edit.text())
            except ValueError as exc:
                problems["public_key"] = str(exc)
        problems.update(self.team_page.problems(values, values["operator_endpoint"]))
        if values["tunnel_provider"] == "manual" and not values["manual_public_url"]:
            problems["manual_public_url"] = "The manual tunnel needs the public URL."
        self.verify_warning.setVisible(not values["verify_signatures"])

        self.settings = None
        if not problems:
            self.settings = self._build(values, problems)
        for key in self.field_errors:
            if key == "from_numbers" and self.new_number_edit.text().strip():
                continue  # the new-number field is showing its own message
            self._show_error(key, problems.get(key, ""))
        general = [text for key, text in problems.items() if key not in self.field_errors]
        self.error_label.setText("\n".join(general))
        self.error_label.setVisible(bool(general))
        self.ok_button.setEnabled(self.settings is not None and self.apply_task is None)
        return self.settings is not None

    def _build(self, values: dict[str, Any], problems: dict[str, str]):
        """Let the settings model have the last word (it knows every rule)."""
        from console.config import ConfigError, validate_settings

        data = self.session.settings.model_dump()
        data.update(values)
        try:
            return validate_settings(data)
        except ConfigError as exc:
            for line in exc.problems or [exc.user_message]:
                key, _, text = line.partition(": ")
                problems[key if key in self.field_errors else f"_{key}"] = text or line
            return None

    # --- applications picker --------------------------------------------------------------

    def _set_app_items(self, apps: list[tuple[str, str]], current: str) -> None:
        self.app_combo.blockSignals(True)
        self.app_combo.clear()
        self.app_combo.addItem("(none)", "")
        for app_id, name in apps:
            self.app_combo.addItem(f"{name} ({app_id})", app_id)
        if current and self.app_combo.findData(current) < 0:
            self.app_combo.addItem(f"{current} (not listed)", current)
        self.app_combo.setCurrentIndex(max(0, self.app_combo.findData(current)))
        self.app_combo.blockSignals(False)

    def refresh_applications(self) -> asyncio.Future | None:
        if self.apps_task is not None and not self.apps_task.done():
            return self.apps_task
        self.refresh_button.setEnabled(False)
        self.apps_status.setText("Loading applications…")
        self.apps_task = asyncio.ensure_future(self._load_applications())
        return self.apps_task

    async def _load_applications(self) -> None:
        current = self.app_combo.currentData() or self.session.settings.connection_id
        try:
            apps = await self.session.list_applications()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.apps_status.setText(f"Could not list applications: {describe_error(exc)}")
        else:
            self._set_app_items([(str(a), str(n)) for a, n in apps], current)
            self.apps_status.setText(f"{len(apps)} application(s) in the account.")
        finally:
            self.refresh_button.setEnabled(True)
            self.validate()

    # --- applying -------------------------------------------------------------------------

    def accept(self) -> None:
        if not self.validate() or self.apply_task is not None:
            return
        self.ok_button.setEnabled(False)
        self.apply_task = asyncio.ensure_future(self._apply(self.settings))

    async def _apply(self, settings) -> None:
        secrets = {
            "api_key": self.api_key_edit.text().strip() or None,
            "public_key": self.public_key_edit.text().strip() or None,
            "ngrok_authtoken": self.network_page.authtoken(),
            "broker_password": self.team_page.broker_secret(),
        }
        try:
            await self.session.apply_settings(settings, **secrets)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.apply_task = None
            self.validate()
            self.error_label.setText(describe_error(exc))
            self.error_label.show()
            return
        self.apply_task = None
        self.save_desk()
        self.applied.emit(settings)
        super().accept()
