"""The setup wizard's application page: which Call Control application of the account the
console handles, with its current webhook URL and a warning when it sends version 1 webhooks.

Split out of console/ui/setup_pages.py (issue 11): choosing the application reloads it from
Telnyx, in a task of its own, apart from the pages that only check what is typed.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWizardPage

from console.ui.setup_checks import APPLICATIONS_URL, describe_key_error
from console.ui.setup_widgets import Message, busy_bar, field_row, hint_label

if TYPE_CHECKING:  # only for annotations: the wizard imports these pages
    from console.ui.setup_wizard import SetupWizard


class ApplicationPage(QWizardPage):
    def __init__(self, owner: SetupWizard):
        super().__init__(owner)
        self.owner = owner
        self.setTitle("Call Control application")
        self.setSubTitle("The application whose calls this console handles.")
        self.reload_task: asyncio.Future | None = None
        self.combo = QComboBox(self)
        self.combo.setAccessibleName("Call Control application")
        self.combo.currentIndexChanged.connect(self._on_selected)
        self.reload_button = QPushButton("&Reload", self)
        self.reload_button.setAccessibleName("Reload the applications")
        self.reload_button.clicked.connect(self.reload)
        self.busy = busy_bar(self, "Loading the applications")
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setAccessibleName("Application details")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.version_warning = Message(self, "Webhook version warning")
        self.message = Message(self, "Application problem")
        note = hint_label(
            self,
            "When it starts, the console points this application's webhook URL at its tunnel "
            "(and puts it back on exit if Settings say so).",
        )
        form = QFormLayout()
        form.addRow("&Application", field_row(self, self.combo, self.reload_button))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.details)
        layout.addWidget(self.version_warning)
        layout.addWidget(self.message)
        layout.addWidget(note)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.fill(self.owner.applications)

    def fill(self, apps: list[Any]) -> None:
        previous = self.combo.currentData() or self.owner.base_settings.connection_id
        self.combo.blockSignals(True)
        self.combo.clear()
        for app in apps:
            self.combo.addItem(f"{app.application_name or '(no name)'} — {app.id}", app.id)
        index = self.combo.findData(previous)
        self.combo.setCurrentIndex(index if index >= 0 else (0 if apps else -1))
        self.combo.blockSignals(False)
        if not apps:
            self.message.show_text(
                "This account has no Call Control application yet. Create one in Mission "
                f"Control ({APPLICATIONS_URL}; any webhook URL will do, the console replaces "
                "it), then press Reload."
            )
        else:
            self.message.clear_text()
        self._on_selected()

    def selected(self) -> Any | None:
        app_id = self.combo.currentData()
        return next((a for a in self.owner.applications if a.id == app_id), None)

    def _on_selected(self) -> None:
        app = self.selected()
        if app is None:
            self.details.setText("")
            self.version_warning.clear_text()
        else:
            version = app.webhook_api_version or "1"  # Telnyx's default when absent
            self.details.setText(
                f"Webhook URL now: {app.webhook_event_url or '(none)'}\n"
                f"Webhook API version: {version}"
            )
            if version != "2":
                self.version_warning.show_text(
                    f"This application sends webhook API version {version}. The console will "
                    "switch it to version 2 when it starts (version 1 events have another "
                    "shape and signature, which the console cannot read).",
                    "warning",
                )
            else:
                self.version_warning.clear_text()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        loading = self.reload_task is not None and not self.reload_task.done()
        return self.selected() is not None and not loading

    def reload(self) -> asyncio.Future | None:
        if self.reload_task is not None and not self.reload_task.done():
            return self.reload_task
        self.reload_button.setEnabled(False)
        self.busy.show()
        self.reload_task = asyncio.ensure_future(self._reload())
        self.completeChanged.emit()
        return self.reload_task

    async def _reload(self) -> None:
        try:
            apps = await self.owner.fetch_applications(self.owner.api_key)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.message.show_text(describe_key_error(exc, self.owner.base_settings.api_base_url))
        else:
            self.owner.set_applications(apps)
            self.fill(apps)
        finally:
            self.reload_button.setEnabled(True)
            self.busy.hide()
            # The task counts as running until this returns: re-evaluate once it is done.
            asyncio.get_running_loop().call_soon(self.completeChanged.emit)
