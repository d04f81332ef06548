"""The Settings dialog's "Webhooks & tunnel" page: the receiver's port, the tunnel (ngrok,
a manual public URL or none) and whether webhook signatures are verified.

Only the fields of the chosen tunnel are enabled; turning verification off shows why that is
dangerous. The ngrok authtoken is a secret: the page hands it to the dialog, which gives it to
``session.apply_settings`` for the keyring. Split out of console/ui/settings_dialog.py
(issue 11), as console/ui/settings_team.py is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from console.ui.fields import secret_field
from console.ui.settings_team import AddField

TUNNELS = [
    ("ngrok", "ngrok (automatic public URL)"),
    ("manual", "Manual public URL"),
    ("none", "None (local only)"),
]


class NetworkSettingsPage(QWidget):
    """The Webhooks & tunnel tab; ``changed`` is the dialog's validate()."""

    def __init__(self, settings: Any, add_field: AddField, changed: Callable[..., Any]):
        super().__init__()
        self._changed = changed
        form = QFormLayout(self)
        self.port_spin = QSpinBox(self)
        self.port_spin.setRange(0, 65535)
        self.port_spin.setValue(settings.receiver_port)
        self.port_spin.setSpecialValueText("any free port")
        self.port_spin.setAccessibleName("Receiver port")
        add_field(form, "Receiver &port", self.port_spin, "receiver_port")
        self.tunnel_combo = QComboBox(self)
        self.tunnel_combo.setAccessibleName("Tunnel provider")
        for value, text in TUNNELS:
            self.tunnel_combo.addItem(text, value)
        self.tunnel_combo.setCurrentIndex(
            max(0, self.tunnel_combo.findData(settings.tunnel_provider))
        )
        add_field(form, "&Tunnel", self.tunnel_combo, "tunnel_provider")
        self.authtoken_edit, self.authtoken_row = secret_field(
            self, "ngrok authtoken", "unchanged (kept in the keyring)"
        )
        add_field(form, "ngrok auth&token", self.authtoken_row, "ngrok_authtoken")
        self.region_edit = QLineEdit(settings.ngrok_region or "", self)
        self.region_edit.setPlaceholderText("automatic (us, eu, ap, …)")
        self.region_edit.setAccessibleName("ngrok region")
        add_field(form, "ngrok &region", self.region_edit, "ngrok_region")
        self.domain_edit = QLineEdit(settings.ngrok_domain or "", self)
        self.domain_edit.setPlaceholderText("my-console.ngrok.app (optional, keeps the URL)")
        self.domain_edit.setAccessibleName("ngrok domain")
        add_field(form, "ngrok &domain", self.domain_edit, "ngrok_domain")
        self.agent_edit = QLineEdit(settings.ngrok_path or "", self)
        self.agent_edit.setPlaceholderText("found on PATH")
        self.agent_edit.setAccessibleName("ngrok agent path")
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self._browse_agent)
        row = QWidget(self)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.agent_edit, 1)
        box.addWidget(browse)
        add_field(form, "ngrok &agent", row, "ngrok_path")
        self.public_url_edit = QLineEdit(settings.manual_public_url or "", self)
        self.public_url_edit.setPlaceholderText("https://console.example.com")
        self.public_url_edit.setAccessibleName("Manual public URL")
        add_field(form, "Public &URL", self.public_url_edit, "manual_public_url")
        self.verify_check = QCheckBox("&Verify webhook signatures (Ed25519)", self)
        self.verify_check.setChecked(settings.verify_signatures)
        form.addRow("", self.verify_check)
        self.verify_warning = QLabel(
            "⚠ With verification off, anyone who finds the webhook URL can post fake events "
            "to this console. Only turn it off for local testing.",
            self,
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
            edit.textChanged.connect(changed)
        self.port_spin.valueChanged.connect(changed)
        self.tunnel_combo.currentIndexChanged.connect(self._on_tunnel)
        self.verify_check.toggled.connect(changed)
        self._on_tunnel()

    def _on_tunnel(self) -> None:
        provider = self.tunnel_combo.currentData()
        ngrok = provider == "ngrok"
        for edit in (self.authtoken_edit, self.region_edit, self.domain_edit, self.agent_edit):
            edit.setEnabled(ngrok)
        self.public_url_edit.setEnabled(provider == "manual")
        self._changed()

    def _browse_agent(self) -> None:
        # open(), not getOpenFileName(): a nested modal loop would stall the asyncio tasks.
        picker = QFileDialog(self.window(), "Choose the ngrok agent")
        picker.setFileMode(QFileDialog.FileMode.ExistingFile)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.fileSelected.connect(self.agent_edit.setText)
        self.file_picker = picker
        picker.open()

    def authtoken(self) -> str | None:
        """The new ngrok authtoken, or None to keep the one in the keyring."""
        return self.authtoken_edit.text().strip() or None

    def values(self) -> dict[str, Any]:
        return {
            "receiver_port": self.port_spin.value(),
            "tunnel_provider": self.tunnel_combo.currentData(),
            "ngrok_region": self.region_edit.text().strip() or None,
            "ngrok_domain": self.domain_edit.text().strip() or None,
            "ngrok_path": self.agent_edit.text().strip(),
            "manual_public_url": self.public_url_edit.text().strip() or None,
            "verify_signatures": self.verify_check.isChecked(),
        }
