"""The Settings dialog's Team page: solo or team mode, the broker, who this operator is.

Fields map onto the settings of :mod:`console.config` (``mode``, ``broker_url``,
``broker_user``, ``operator_name``, ``operator_id``, ``supervisor``, ``team_stream``); the broker
password or token goes to the keyring through ``session.apply_settings(broker_password=…)``,
never into the settings file. The page checks what it can as the operator types (a team needs a
broker and a name; a URL is ``nats://`` or ``tls://``; no password inside the URL) and the
settings model has the last word, its messages shown next to the field they concern.

Team settings are read when the console starts: the page says that a change needs a restart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from console.ui.fields import secret_field

MODES = [
    ("solo", "Solo: this console receives the webhooks itself"),
    ("team", "Team: share calls with colleagues through a relay"),
]
BROKER_SCHEMES = ("nats", "tls", "ws", "wss")
RESTART_NOTE = (
    "Team settings take effect when the console restarts. In team mode the console needs no "
    "tunnel: the team's relay receives the webhooks (see the README's team section)."
)

#: ``field(form, label, widget, key)``: the dialog's own row-with-inline-error helper.
AddField = Callable[[QFormLayout, str, QWidget, str], None]


class TeamSettingsPage(QWidget):
    """The Team tab; ``changed`` is the dialog's validate()."""

    def __init__(self, settings: Any, add_field: AddField, changed: Callable[..., Any]):
        super().__init__()
        self.setObjectName("teamSettingsPage")
        form = QFormLayout(self)
        self.mode_combo = QComboBox(self)
        self.mode_combo.setAccessibleName("Mode")
        for value, text in MODES:
            self.mode_combo.addItem(text, value)
        mode = getattr(settings, "mode", "solo")
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(mode)))
        add_field(form, "&Mode", self.mode_combo, "mode")

        self.broker_url_edit = QLineEdit(getattr(settings, "broker_url", "") or "", self)
        self.broker_url_edit.setPlaceholderText("tls://broker.example.com:4222")
        self.broker_url_edit.setAccessibleName("Broker URL")
        self.broker_url_edit.setToolTip(
            "The team's NATS server (nats:// or tls://); several, comma-separated, for a cluster"
        )
        add_field(form, "&Broker URL", self.broker_url_edit, "broker_url")
        self.broker_user_edit = QLineEdit(getattr(settings, "broker_user", None) or "", self)
        self.broker_user_edit.setPlaceholderText("none (token only)")
        self.broker_user_edit.setAccessibleName("Broker user")
        add_field(form, "Broker &user", self.broker_user_edit, "broker_user")
        self.broker_secret_edit, row = secret_field(
            self, "Broker password or token", "unchanged (kept in the keyring)"
        )
        self.broker_secret_edit.setToolTip(
            "With a user: that user's password. Without one: the broker's token. Kept in the "
            "keyring, never in the settings file."
        )
        add_field(form, "Broker pass&word", row, "broker_password")

        self.operator_name_edit = QLineEdit(getattr(settings, "operator_name", "") or "", self)
        self.operator_name_edit.setPlaceholderText("Alex Smith")
        self.operator_name_edit.setAccessibleName("Operator name")
        self.operator_name_edit.setToolTip(
            "Your name as colleagues see it (\u201cTaken by Alex\u201d)"
        )
        self.operator_name_edit.setMaxLength(80)  # the model says "under 40" in words
        add_field(form, "Your &name", self.operator_name_edit, "operator_name")
        self.operator_id_edit = QLineEdit(getattr(settings, "operator_id", "") or "", self)
        self.operator_id_edit.setAccessibleName("Operator id")
        self.operator_id_edit.setToolTip(
            "Your id in command ids and claims; letters, digits, '-' and '_'. Empty: from your "
            "name."
        )
        add_field(form, "Operator &id", self.operator_id_edit, "operator_id")
        self.supervisor_check = QCheckBox(
            "&Supervisor: may listen to, whisper to and barge into colleagues' calls", self
        )
        self.supervisor_check.setChecked(bool(getattr(settings, "supervisor", False)))
        form.addRow("", self.supervisor_check)
        self.stream_edit = QLineEdit(getattr(settings, "team_stream", "TELNYX_EVENTS"), self)
        self.stream_edit.setAccessibleName("Event stream")
        self.stream_edit.setToolTip("The relay's JetStream stream ([stream] name in relay.toml)")
        add_field(form, "Event &stream", self.stream_edit, "team_stream")

        self.phone_note = QLabel(self)
        self.phone_note.setWordWrap(True)
        self.phone_note.setProperty("severity", "warning")
        form.addRow("", self.phone_note)
        self.restart_note = QLabel(RESTART_NOTE, self)
        self.restart_note.setWordWrap(True)
        form.addRow("", self.restart_note)

        for edit in (
            self.broker_url_edit,
            self.broker_user_edit,
            self.broker_secret_edit,
            self.operator_name_edit,
            self.operator_id_edit,
            self.stream_edit,
        ):
            edit.textChanged.connect(changed)
        self.mode_combo.currentIndexChanged.connect(changed)
        self.supervisor_check.toggled.connect(changed)
        self.operator_name_edit.textChanged.connect(self._derive_id_hint)
        self._derive_id_hint()

    def _derive_id_hint(self, *_args: Any) -> None:
        from console.config_rules import operator_id_for

        name = self.operator_name_edit.text().strip()
        self.operator_id_edit.setPlaceholderText(
            f"from your name: {operator_id_for(name)}" if name else "from your name"
        )

    @property
    def team_mode(self) -> bool:
        return self.mode_combo.currentData() == "team"

    def values(self) -> dict[str, Any]:
        return {
            "mode": self.mode_combo.currentData(),
            "broker_url": self.broker_url_edit.text().strip(),
            "broker_user": self.broker_user_edit.text().strip() or None,
            "operator_name": self.operator_name_edit.text().strip(),
            "operator_id": self.operator_id_edit.text().strip(),
            "supervisor": self.supervisor_check.isChecked(),
            "team_stream": self.stream_edit.text().strip() or "TELNYX_EVENTS",
        }

    def broker_secret(self) -> str | None:
        """The new broker password or token, or None to leave the keyring's as it is."""
        return self.broker_secret_edit.text().strip() or None

    def problems(self, values: dict[str, Any], operator_endpoint: str | None) -> dict[str, str]:
        """What the page can say before the settings model is asked (by field key)."""
        problems: dict[str, str] = {}
        for url in (u.strip() for u in values["broker_url"].split(",") if u.strip()):
            parts = urlsplit(url)
            if parts.scheme.lower() not in BROKER_SCHEMES or not parts.hostname:
                problems["broker_url"] = f"{url} is not a nats://host:port or tls://host:port URL."
            elif parts.password or parts.username:
                problems["broker_url"] = (
                    "Put the user in Broker user and the password below (kept in the keyring), "
                    "not in the URL."
                )
        if values["operator_id"] and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,64}", values["operator_id"]
        ):
            problems["operator_id"] = "Use only letters, digits, '-' and '_' (up to 64)."
        if len(values["operator_name"]) > 40:
            problems["operator_name"] = "Keep your name under 40 characters."
        if values["mode"] == "team":
            if not values["broker_url"]:
                problems["broker_url"] = "Team mode needs the team broker's URL."
            if not values["operator_name"]:
                problems["operator_name"] = "Team mode needs your name (colleagues see it)."
        self.phone_note.setText(
            "⚠ Without an operator phone (Numbers → Operator endpoint), colleagues cannot "
            "transfer calls to you"
            + (" and you cannot listen to their calls." if values["supervisor"] else ".")
            if values["mode"] == "team" and not operator_endpoint
            else ""
        )
        self.phone_note.setVisible(bool(self.phone_note.text()))
        return problems
