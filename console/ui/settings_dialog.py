"""Settings dialog: account, numbers, receiver and tunnel, security; validated as you type."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSlider,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.ui.fields import secret_field
from console.ui.messages import describe_error
from console.ui.ringer import AudioUnavailable, SoundDeviceOutput
from console.ui.settings_team import TeamSettingsPage
from console.ui.validation import check_public_key, normalize_number, normalize_target

if TYPE_CHECKING:
    from console.session_api import ConsoleApi

log = logging.getLogger(__name__)

TUNNELS = [
    ("ngrok", "ngrok (automatic public URL)"),
    ("manual", "Manual public URL"),
    ("none", "None (local only)"),
]
THEMES = [("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")]


def _number(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


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
        tabs.addTab(self._numbers_tab(settings), "&Numbers")
        tabs.addTab(self._network_tab(settings), "&Webhooks && tunnel")
        tabs.addTab(self._display_tab(settings), "&Display")
        self.team_page = TeamSettingsPage(settings, self._field, self.validate)
        tabs.addTab(self.team_page, "Tea&m")
        self.tabs = tabs
        if desk is not None:
            tabs.addTab(self._desk_tab(desk), "D&esk")
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

    def _numbers_tab(self, settings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.country_edit = QLineEdit(settings.default_country or "", page)
        self.country_edit.setMaxLength(2)
        self.country_edit.setAccessibleName("Default country")
        self.country_edit.setToolTip("Numbers typed without + are read as from this country")
        self._field(form, "Default &country", self.country_edit, "default_country")
        self.from_list = QListWidget(page)
        self.from_list.setAccessibleName("From numbers")
        self.from_list.addItems(list(settings.from_numbers or []))
        self.from_list.setMaximumHeight(120)
        self.new_number_edit = QLineEdit(page)
        self.new_number_edit.setPlaceholderText("+1 202 555 0123")
        self.new_number_edit.setAccessibleName("New from number")
        self.add_number_button = QPushButton("Add", page)
        self.remove_number_button = QPushButton("Remove", page)
        self.add_number_button.clicked.connect(self.add_from_number)
        self.new_number_edit.returnPressed.connect(self.add_from_number)
        self.remove_number_button.clicked.connect(self._remove_from_number)
        self.new_number_edit.textChanged.connect(self._check_new_number)
        row = QWidget(page)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.new_number_edit, 1)
        box.addWidget(self.add_number_button)
        box.addWidget(self.remove_number_button)
        form.addRow("&From numbers", self.from_list)
        self._field(form, "", row, "from_numbers")
        self.operator_edit = QLineEdit(settings.operator_endpoint or "", page)
        self.operator_edit.setPlaceholderText(
            "+1 202 555 0123 or sip:operator@example.sip.telnyx.com"
        )
        self.operator_edit.setAccessibleName("Operator endpoint")
        self.operator_edit.setToolTip("Where the operator's own phone rings (number or SIP URI)")
        self._field(form, "&Operator endpoint", self.operator_edit, "operator_endpoint")
        self.country_edit.textChanged.connect(self.validate)
        self.operator_edit.textChanged.connect(self.validate)
        self._check_new_number("")
        return page

    def _network_tab(self, settings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.port_spin = QSpinBox(page)
        self.port_spin.setRange(0, 65535)
        self.port_spin.setValue(settings.receiver_port)
        self.port_spin.setSpecialValueText("any free port")
        self.port_spin.setAccessibleName("Receiver port")
        self._field(form, "Receiver &port", self.port_spin, "receiver_port")
        self.tunnel_combo = QComboBox(page)
        self.tunnel_combo.setAccessibleName("Tunnel provider")
        for value, text in TUNNELS:
            self.tunnel_combo.addItem(text, value)
        self.tunnel_combo.setCurrentIndex(
            max(0, self.tunnel_combo.findData(settings.tunnel_provider))
        )
        self._field(form, "&Tunnel", self.tunnel_combo, "tunnel_provider")
        self.authtoken_edit, self.authtoken_row = secret_field(
            page, "ngrok authtoken", "unchanged (kept in the keyring)"
        )
        self._field(form, "ngrok auth&token", self.authtoken_row, "ngrok_authtoken")
        self.region_edit = QLineEdit(settings.ngrok_region or "", page)
        self.region_edit.setPlaceholderText("automatic (us, eu, ap, …)")
        self.region_edit.setAccessibleName("ngrok region")
        self._field(form, "ngrok &region", self.region_edit, "ngrok_region")
        self.domain_edit = QLineEdit(settings.ngrok_domain or "", page)
        self.domain_edit.setPlaceholderText("my-console.ngrok.app (optional, keeps the URL)")
        self.domain_edit.setAccessibleName("ngrok domain")
        self._field(form, "ngrok &domain", self.domain_edit, "ngrok_domain")
        self.agent_edit = QLineEdit(settings.ngrok_path or "", page)
        self.agent_edit.setPlaceholderText("found on PATH")
        self.agent_edit.setAccessibleName("ngrok agent path")
        browse = QPushButton("&Browse…", page)
        browse.clicked.connect(self._browse_agent)
        row = QWidget(page)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.agent_edit, 1)
        box.addWidget(browse)
        self._field(form, "ngrok &agent", row, "ngrok_path")
        self.public_url_edit = QLineEdit(settings.manual_public_url or "", page)
        self.public_url_edit.setPlaceholderText("https://console.example.com")
        self.public_url_edit.setAccessibleName("Manual public URL")
        self._field(form, "Public &URL", self.public_url_edit, "manual_public_url")
        self.verify_check = QCheckBox("&Verify webhook signatures (Ed25519)", page)
        self.verify_check.setChecked(settings.verify_signatures)
        form.addRow("", self.verify_check)
        self.verify_warning = QLabel(
            "⚠ With verification off, anyone who finds the webhook URL can post fake events "
            "to this console. Only turn it off for local testing.",
            page,
        )
        self.verify_warning.setWordWrap(True)
        self.verify_warning.setProperty("severity", "warning")
        form.addRow("", self.verify_warning)
        for edit in (
            self.authtoken_edit,
            self.region_edit,
            self.domain_edit,
            self.agent_edit,
            self.public_url_edit,
        ):
            edit.textChanged.connect(self.validate)
        self.port_spin.valueChanged.connect(self.validate)
        self.tunnel_combo.currentIndexChanged.connect(self._on_tunnel)
        self.verify_check.toggled.connect(self.validate)
        self._on_tunnel()
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

    def _desk_tab(self, desk: QSettings) -> QWidget:
        """Ringtone volume and device, the call timer's colour thresholds."""
        page = QWidget()
        form = QFormLayout(page)
        self.volume_slider = QSlider(Qt.Orientation.Horizontal, page)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(int(_number(desk.value("ringing/volume"), 80)))
        self.volume_slider.setAccessibleName("Ringtone volume")
        self.volume_slider.setToolTip("0 rings silently (the popup still shows)")
        form.addRow("Ringtone &volume", self.volume_slider)
        self.device_combo = QComboBox(page)
        self.device_combo.setAccessibleName("Ringtone device")
        self.device_combo.addItem("System default", "")
        try:
            devices = SoundDeviceOutput().output_devices()
        except AudioUnavailable as exc:
            devices = []
            self.device_combo.setToolTip(f"No audio output found: {exc}")
        for name in devices:
            self.device_combo.addItem(name, name)
        saved = str(desk.value("ringing/device") or "")
        if saved and self.device_combo.findData(saved) < 0:
            self.device_combo.addItem(f"{saved} (not connected)", saved)
        self.device_combo.setCurrentIndex(max(0, self.device_combo.findData(saved)))
        form.addRow("Ringtone &device", self.device_combo)
        self.warn_spin = QDoubleSpinBox(page)
        self.alert_spin = QDoubleSpinBox(page)
        for spin, key, default, name in (
            (self.warn_spin, "calls/warn_after_minutes", 5.0, "Call timer turns amber after"),
            (self.alert_spin, "calls/alert_after_minutes", 15.0, "Call timer turns red after"),
        ):
            spin.setRange(0.5, 600)
            spin.setDecimals(1)
            spin.setSuffix(" min")
            spin.setValue(_number(desk.value(key), default))
            spin.setAccessibleName(name)
        form.addRow("Timer &amber after", self.warn_spin)
        form.addRow("Timer &red after", self.alert_spin)
        return page

    def save_desk(self) -> None:
        if self.desk is None:
            return
        self.desk.setValue("ringing/volume", self.volume_slider.value())
        self.desk.setValue("ringing/device", self.device_combo.currentData() or "")
        warn = self.warn_spin.value()
        self.desk.setValue("calls/warn_after_minutes", warn)
        self.desk.setValue("calls/alert_after_minutes", max(warn, self.alert_spin.value()))

    # --- behaviour ------------------------------------------------------------------------

    def _on_tunnel(self) -> None:
        provider = self.tunnel_combo.currentData()
        ngrok = provider == "ngrok"
        for edit in (self.authtoken_edit, self.region_edit, self.domain_edit, self.agent_edit):
            edit.setEnabled(ngrok)
        self.public_url_edit.setEnabled(provider == "manual")
        self.validate()

    def _browse_agent(self) -> None:
        # open(), not getOpenFileName(): a nested modal loop would stall the asyncio tasks.
        picker = QFileDialog(self, "Choose the ngrok agent")
        picker.setFileMode(QFileDialog.FileMode.ExistingFile)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.fileSelected.connect(self.agent_edit.setText)
        self.file_picker = picker
        picker.open()

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
        self.validate()

    def _remove_from_number(self) -> None:
        for item in self.from_list.selectedItems():
            self.from_list.takeItem(self.from_list.row(item))
        self.validate()

    def from_numbers(self) -> list[str]:
        return [self.from_list.item(i).text() for i in range(self.from_list.count())]

    def _show_error(self, key: str, text: str) -> None:
        label = self.field_errors.get(key)
        if label is not None:
            label.setText(text)
            label.setVisible(bool(text))

    def values(self) -> dict[str, Any]:
        """The dialog's fields as settings data (non-secret)."""
        return {
            "connection_id": self.app_combo.currentData() or "",
            "from_numbers": self.from_numbers(),
            "default_country": self.country_edit.text().strip(),
            "operator_endpoint": self.operator_edit.text().strip() or None,
            "receiver_port": self.port_spin.value(),
            "tunnel_provider": self.tunnel_combo.currentData(),
            "ngrok_region": self.region_edit.text().strip() or None,
            "ngrok_domain": self.domain_edit.text().strip() or None,
            "ngrok_path": self.agent_edit.text().strip(),
            "manual_public_url": self.public_url_edit.text().strip() or None,
            "verify_signatures": self.verify_check.isChecked(),
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
            "ngrok_authtoken": self.authtoken_edit.text().strip() or None,
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
