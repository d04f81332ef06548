"""The setup wizard's pure side: portal links, input checks and the SetupResult it produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from console.config import ConfigError, Settings, validate_settings
from console.telnyx.errors import AuthenticationError, NetworkError, PermissionDeniedError
from console.ui.messages import describe_error
from console.ui.validation import InvalidInput, check_public_key, normalize_number

API_KEYS_URL = "https://portal.telnyx.com/#/api-keys"
PUBLIC_KEY_URL = "https://portal.telnyx.com/#/api-keys/public-key"
APPLICATIONS_URL = "https://portal.telnyx.com/#/call-control/applications"

# Each check returns the value or raises InvalidInput with the words to show.


def describe_key_error(exc: BaseException, base_url: str) -> str:
    """Why the API key check failed, with what to do about it."""
    if isinstance(exc, AuthenticationError):
        code = exc.code or "HTTP 401"
        return (
            f"The API key was refused by Telnyx ({code}). Copy it again from Mission Control "
            f"(Account settings → API Keys, {API_KEYS_URL}); a deleted or revoked key no "
            "longer works."
        )
    if isinstance(exc, PermissionDeniedError):
        return (
            f"This API key may not read Call Control applications ({exc.code or 'HTTP 403'}). "
            "Use a key of the account that owns the application."
        )
    if isinstance(exc, NetworkError):
        return (
            f"{describe_error(exc).rstrip('.')} ({base_url}). Check the network connection, "
            "proxy or firewall, then press Next to try again."
        )
    return f"The API key could not be checked: {describe_error(exc)}"


def check_webhook_public_key(text: str) -> str:
    """The account's webhook public key: base64 of a 32-byte Ed25519 key."""
    return check_public_key(text)


def parse_from_numbers(text: str, country: str | None) -> tuple[list[str], list[str]]:
    """(E.164 numbers, deduplicated; one problem per bad line) from one-number-per-line text."""
    numbers: list[str] = []
    problems: list[str] = []
    for index, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            number = normalize_number(line, country)
        except InvalidInput as exc:
            problems.append(f"Line {index}: {exc}")
            continue
        if number not in numbers:
            numbers.append(number)
    return numbers, problems


def settings_problem(name: str, value: Any) -> str | None:
    """What the Settings model says about one field's value, or None when it accepts it."""
    try:
        validate_settings({name: value})
    except ConfigError as exc:
        text = exc.problems[0] if exc.problems else exc.user_message
        text = text.removeprefix(f"{name}: ")
        return text[:1].upper() + text[1:]
    return None


def mask_secret(secret: str | None) -> str:
    if not secret:
        return "not set"
    return "••••" + secret[-4:] if len(secret) > 8 else "••••"


@dataclass(frozen=True)
class SetupResult:
    """What the wizard produced; ``apply_kwargs()`` fits ``session.apply_settings``."""

    settings: Settings
    api_key: str = field(repr=False)
    public_key: str = field(repr=False)
    ngrok_authtoken: str | None = field(default=None, repr=False)
    #: False where no keyring can hold secrets: they come from the environment instead, and
    #: asking the session to save them would fail after the settings were already written.
    save_secrets: bool = True

    def apply_kwargs(self) -> dict[str, str | None]:
        # None leaves a secret as it is (e.g. an authtoken that comes from the environment).
        if not self.save_secrets:
            return {"api_key": None, "public_key": None, "ngrok_authtoken": None}
        return {
            "api_key": self.api_key,
            "public_key": self.public_key,
            "ngrok_authtoken": self.ngrok_authtoken,
        }
