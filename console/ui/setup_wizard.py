"""First-run setup wizard: API key, webhook key, application, numbers, tunnel; checked as you go.

The pages live in setup_key_pages, setup_app_page, setup_pages and setup_tunnel_page, the
pure checks and SetupResult in setup_checks, the shared small widgets in setup_widgets.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from console.config import Settings, validate_settings
from console.ui.messages import describe_error
from console.ui.setup_app_page import ApplicationPage
from console.ui.setup_checks import SetupResult, check_webhook_public_key, parse_from_numbers
from console.ui.setup_key_pages import ApiKeyPage, PublicKeyPage
from console.ui.setup_pages import NumbersPage, SummaryPage
from console.ui.setup_tunnel_page import TunnelPage

# Where callers have always imported them from (tests, main_window).
__all__ = ["ClientFactory", "SetupResult", "SetupWizard", "parse_from_numbers"]

log = logging.getLogger(__name__)

# callable(api_key, base_url) -> TelnyxClient (or anything with .applications.list/.aclose)
ClientFactory = Callable[[str, str], Any]


def _default_client_factory(api_key: str, base_url: str) -> Any:
    from console.telnyx.client import TelnyxClient
    from console.telnyx.retry import RetryPolicy

    # One retry only: the operator is watching a spinner and can press Next again.
    return TelnyxClient(
        api_key, base_url=base_url, retry=RetryPolicy(max_attempts=2, max_total=10.0)
    )


class SetupWizard(QWizard):
    """Shown with ``open()``. On Finish it emits ``finished_setup(SetupResult)``; it saves nothing.

    ``settings`` is the starting point (api_base_url and any fields the wizard does not ask
    about are kept). ``client_factory(api_key, base_url)`` builds the client used to check the
    key; tests point it at the simulator.
    """

    finished_setup = Signal(object)  # SetupResult

    def __init__(
        self,
        settings: Settings | None = None,
        parent: QWidget | None = None,
        *,
        client_factory: ClientFactory | None = None,
        environ: dict[str, str] | None = None,
        secrets_problem: str | None = None,
    ):
        super().__init__(parent)
        #: Why secrets cannot be saved here (no keyring backend); None when they can.
        self.secrets_problem = secrets_problem
        self.base_settings = settings or Settings()
        self._client_factory = client_factory or _default_client_factory
        env = os.environ if environ is None else environ
        self.env_authtoken = bool(env.get("NGROK_AUTHTOKEN", "").strip())
        self.applications: list[Any] = []
        self.setup_result: SetupResult | None = None
        self.setWindowTitle("Set up the Telnyx console")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)

        self.api_key_page = ApiKeyPage(self)
        self.public_key_page = PublicKeyPage(self)
        self.application_page = ApplicationPage(self)
        self.numbers_page = NumbersPage(self)
        self.tunnel_page = TunnelPage(self)
        self.summary_page = SummaryPage(self)
        for page in (
            self.api_key_page,
            self.public_key_page,
            self.application_page,
            self.numbers_page,
            self.tunnel_page,
            self.summary_page,
        ):
            self.addPage(page)
        for which, name in (
            (QWizard.WizardButton.BackButton, "Back"),
            (QWizard.WizardButton.NextButton, "Next"),
            (QWizard.WizardButton.FinishButton, "Finish"),
            (QWizard.WizardButton.CancelButton, "Cancel"),
        ):
            self.button(which).setAccessibleName(name)
        # The buttons' keys are fixed here (Alt+B, Alt+N, Alt+F): no page uses those letters.
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Back")
        self.setButtonText(QWizard.WizardButton.NextButton, "&Next >")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Finish")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Cancel")
        self.resize(700, 600)

    # --- data ------------------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        return self.api_key_page.verified_key or ""

    @property
    def public_key(self) -> str:
        return self.public_key_page.public_key or ""

    @property
    def ngrok_authtoken(self) -> str | None:
        return self.tunnel_page.authtoken()

    @property
    def settings(self) -> Settings | None:
        return self.setup_result.settings if self.setup_result else None

    async def fetch_applications(self, api_key: str) -> list[Any]:
        """Every Call Control application the key can see (a temporary client, closed after)."""
        client = self._client_factory(api_key, self.base_settings.api_base_url)
        try:
            return list(await client.applications.list())
        finally:
            try:
                await client.aclose()
            except Exception:
                log.warning("closing the setup client failed", exc_info=True)

    def set_applications(self, apps: list[Any]) -> None:
        self.applications = list(apps)
        if self.currentPage() is self.application_page:
            self.application_page.fill(self.applications)

    def build_result(self) -> SetupResult:
        """The Settings and secrets from every page; ConfigError/ValueError when invalid."""
        app = self.application_page.selected()
        if app is None:
            raise ValueError("Choose the Call Control application.")
        if not self.api_key:
            raise ValueError("The API key has not been checked.")
        data = self.base_settings.model_dump()
        # Fields of the other tunnel kinds go back to their defaults, so nothing stale remains.
        data.update(
            connection_id=app.id,
            from_numbers=self.numbers_page.numbers,
            default_country=self.numbers_page.country or self.base_settings.default_country,
            manual_public_url=None,
            ngrok_region=None,
            ngrok_domain=None,
            ngrok_path="",
            verify_signatures=True,
        )
        data.update(self.tunnel_page.values())
        settings = validate_settings(data)
        return SetupResult(
            settings=settings,
            api_key=self.api_key,
            public_key=check_webhook_public_key(self.public_key),
            ngrok_authtoken=self.ngrok_authtoken,
            save_secrets=self.secrets_problem is None,
        )

    # --- closing ---------------------------------------------------------------------------

    def accept(self) -> None:
        try:
            result = self.build_result()
        except Exception as exc:
            self.summary_page.message.show_text(
                f"These settings cannot be used: {describe_error(exc)}"
            )
            return
        self.setup_result = result
        self.finished_setup.emit(result)
        super().accept()

    def done(self, result: int) -> None:
        for task in (self.api_key_page.check_task, self.application_page.reload_task):
            if task is not None and not task.done():
                task.cancel()
        super().done(result)
