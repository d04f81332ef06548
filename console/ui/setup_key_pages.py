"""The setup wizard's key pages: the Telnyx API key, checked with Telnyx when the operator
presses Next, and the webhook public key, checked for its form as it is typed.

Split out of console/ui/setup_pages.py (issue 11): the pages that take the account's keys, apart
from the pages that choose what the console works with (application, numbers, summary).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWizardPage

from console.ui.fields import secret_field
from console.ui.setup_checks import (
    API_KEYS_URL,
    PUBLIC_KEY_URL,
    check_webhook_public_key,
    describe_key_error,
)
from console.ui.setup_widgets import Message, busy_bar, hint_label
from console.ui.validation import InvalidInput

if TYPE_CHECKING:  # only for annotations: the wizard imports these pages
    from console.ui.setup_wizard import SetupWizard


class ApiKeyPage(QWizardPage):
    """The key is checked by listing the account's applications when the operator presses Next."""

    def __init__(self, owner: SetupWizard):
        super().__init__(owner)
        self.owner = owner
        self.setTitle("Telnyx API key")
        self.setSubTitle("The console acts on your calls with this key.")
        self.check_task: asyncio.Future | None = None
        self.verified_key: str | None = None
        self._checking = False

        hint = hint_label(
            self,
            f'Create or copy a key in Mission Control: <a href="{API_KEYS_URL}">Account '
            "settings → API Keys</a>. It is stored in the system keyring, never in a file.",
        )
        self.key_edit, row = secret_field(self, "Telnyx API key", "KEY0123456789ABCDEF…")
        self.key_edit.textChanged.connect(self._on_key_changed)
        api = QLabel(f"API address: {owner.base_settings.api_base_url}", self)
        api.setAccessibleName("API address")
        self.busy = busy_bar(self, "Checking the API key")
        self.message = Message(self, "API key check result")

        form = QFormLayout()
        form.addRow("API &key", row)
        layout = QVBoxLayout(self)
        if owner.secrets_problem:
            # Said first, before anything is typed: where the secrets will (not) be kept.
            self.keyring_message = Message(self, "Where secrets are kept")
            self.keyring_message.show_text(
                f"{owner.secrets_problem} The key typed here is checked but not saved; set it "
                "in the environment for the next start.",
                "warning",
            )
            layout.addWidget(self.keyring_message)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(api)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def key(self) -> str:
        return self.key_edit.text().strip()

    @property
    def checking(self) -> bool:
        return self._checking

    def isComplete(self) -> bool:
        return bool(self.key()) and not self._checking

    def validatePage(self) -> bool:
        key = self.key()
        if key and key == self.verified_key:
            return True
        self.start_check()
        return False  # the check moves on by itself when Telnyx accepts the key

    def _on_key_changed(self) -> None:
        if self.check_task is not None and not self.check_task.done():
            self.check_task.cancel()  # a result for an older key would be misleading
        self.verified_key = None
        self._set_checking(False)
        self.message.clear_text()

    def _set_checking(self, checking: bool) -> None:
        self._checking = checking
        self.busy.setVisible(checking)
        self.completeChanged.emit()

    def start_check(self) -> asyncio.Future | None:
        key = self.key()
        if not key or self._checking:
            return self.check_task
        self._set_checking(True)
        self.message.show_text("Checking the key with Telnyx…", "info")
        self.check_task = asyncio.ensure_future(self._check(key))
        return self.check_task

    async def _check(self, key: str) -> None:
        try:
            apps = await self.owner.fetch_applications(key)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._set_checking(False)
            self.message.show_text(describe_key_error(exc, self.owner.base_settings.api_base_url))
            self.key_edit.setFocus()
            return
        self._set_checking(False)
        if key != self.key():
            return
        self.verified_key = key
        self.owner.set_applications(apps)
        self.message.show_text(
            f"Key accepted: {len(apps)} Call Control application(s) in the account.", "ok"
        )
        if self.owner.currentPage() is self:
            self.owner.next()


class PublicKeyPage(QWizardPage):
    def __init__(self, owner: SetupWizard):
        super().__init__(owner)
        self.owner = owner
        self.setTitle("Webhook public key")
        self.setSubTitle("The console checks that every webhook really comes from Telnyx.")
        hint = hint_label(
            self,
            "Copy it from Mission Control: "
            f'<a href="{PUBLIC_KEY_URL}">Account settings → Keys &amp; Credentials → Public '
            "Key</a>. It is one key per account: 44 characters of base64 ending in “=”.",
        )
        self.key_edit = QLineEdit(self)  # a public key is not secret: no masking
        self.key_edit.setAccessibleName("Webhook public key")
        self.key_edit.setPlaceholderText("e.g. 3ZJY6Jx1pRyQ…=")
        self.key_edit.textChanged.connect(self._validate)
        self.message = Message(self, "Public key problem")
        form = QFormLayout()
        form.addRow("&Public key", self.key_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.public_key: str | None = None

    def _validate(self) -> None:
        text = self.key_edit.text()
        try:
            self.public_key = check_webhook_public_key(text)
        except InvalidInput as exc:
            self.public_key = None
            # An empty field is not an error yet: Next is disabled and the hint says what to do.
            self.message.show_text(str(exc) if text.strip() else "")
        else:
            self.message.show_text("The key has the right form.", "ok")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.public_key is not None
