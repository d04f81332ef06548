"""What a good value is for each setting, and how a bad one is described to the operator.

The field checks here are plain functions (value in, clean value out, ``ValueError`` with words
otherwise) that the :class:`~console.config.Settings` model's validators call; ``EXPECTED`` and
:func:`describe_errors` turn pydantic's errors into one readable line per setting. They are apart
from :mod:`console.config` so the model reads as its list of fields and defaults, and the rules
can be read (and changed) without the file handling around them.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_SIP_URI = re.compile(r"^sips?:[^@\s:]+@[^@\s]+$", re.IGNORECASE)
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$"
)
_REGION = re.compile(r"^[a-z]{2}(?:-[a-z0-9-]+)?$")
# Keys that look like they hold a secret: those live in the keyring, never in settings.json.
_SECRET_KEY = re.compile(
    r"(api[_-]?key|auth[_-]?token|password|passwd|secret|private[_-]?key|bearer|credential)",
    re.IGNORECASE,
)
# Punctuation people type inside phone numbers.
_PHONE_PUNCTUATION = re.compile(r"[\s\-.()/]")

# What each field expects, in words: used for every error message about it.
EXPECTED: dict[str, str] = {
    "api_base_url": "an absolute http(s) URL such as https://api.telnyx.com/v2",
    "connection_id": "the Call Control application id (digits/letters, or empty)",
    "from_numbers": "a list of E.164 phone numbers such as +13125550100",
    "default_country": 'a two-letter ISO 3166 country code such as "US"',
    "operator_endpoint": "an E.164 number (+13125550100), a SIP URI (sip:user@host) or empty",
    "receiver_port": "a whole number from 0 to 65535 (0 picks a free port)",
    "receiver_path": 'a URL path starting with "/", such as /webhooks/telnyx',
    "manual_public_url": "an absolute http(s) URL such as https://console.example.com, or empty",
    "tunnel_provider": '"ngrok", "manual" or "none"',
    "ngrok_region": 'an ngrok region code such as "us", "eu", "ap", or empty for automatic',
    "ngrok_domain": "a host name such as my-console.ngrok.app, or empty",
    "ngrok_path": "the path of the ngrok agent executable, or empty to look it up on PATH",
    "verify_signatures": "true or false",
    "restore_webhook_url_on_exit": "true or false",
    "ended_call_retention_secs": "a whole number of seconds from 0 to 86400",
    "event_silence_warning_secs": "a whole number of seconds from 0 (off) to 86400",
    "event_retention_days": "a whole number of days from 1 to 3650",
    "hold_audio_url": "an absolute http(s) URL of an audio file, or empty",
    "theme": '"system", "light" or "dark"',
    "broker_url": "the team broker's nats:// or tls:// URL(s), comma-separated, or empty",
    "broker_user": "the broker user name, or empty (the password or token is in the keyring)",
    "operator_name": "your name as colleagues see it (1-40 characters), or empty",
    "operator_id": "letters, digits, '-' and '_' (1-64), or empty to derive it from the name",
    "supervisor": "true or false",
    "team_stream": "the relay's stream name (letters, digits, '-' and '_')",
    "mode": '"solo" (this console receives the webhooks) or "team" (through a relay)',
}

_BROKER_SCHEMES = ("nats", "tls", "ws", "wss")
_OPERATOR_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_OPERATOR_NAME = 40


def operator_id_for(name: str) -> str:
    """A command-id-safe operator id derived from a name ("Alex Smith" → "alex-smith")."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:64]
    return slug or "operator"


def absolute_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("not an absolute http(s) URL")
    if any(c.isspace() for c in value):
        raise ValueError("a URL cannot contain spaces")
    return value


def optional_text(value: Any) -> Any:
    # Empty fields in the dialog (or null in the file) mean "not set".
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else value


def from_numbers(value: Any) -> Any:
    if isinstance(value, str):  # "+1..., +1..." typed in one field
        value = [v for v in re.split(r"[,;]", value) if v.strip()]
    if not isinstance(value, list):
        return value  # pydantic reports the wrong type
    numbers: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f"{item!r} is not a phone number")
        number = _PHONE_PUNCTUATION.sub("", item)
        if not _E164.match(number):
            raise ValueError(f"{item!r} is not in E.164 form")
        if number not in numbers:
            numbers.append(number)
    return numbers


def operator_endpoint(value: str | None) -> str | None:
    if value is None or _SIP_URI.match(value):
        return value
    number = _PHONE_PUNCTUATION.sub("", value)
    if _E164.match(number):
        return number
    raise ValueError(f"{value!r} is neither an E.164 number nor a SIP URI")


def receiver_path(value: str) -> str:
    if not value.startswith("/") or any(c.isspace() or c in "?#" for c in value):
        raise ValueError(f"{value!r} must start with '/' and hold no spaces, '?' or '#'")
    return value


def ngrok_region(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.lower()
    if not _REGION.match(value):
        raise ValueError(f"{value!r} is not a region code")
    return value


def ngrok_domain(value: str | None) -> str | None:
    if value is None:
        return None
    # People paste the full URL from the ngrok dashboard: keep only the host.
    host = urlsplit(value).hostname if "://" in value else value.rstrip("/")
    host = (host or "").lower()
    if not _HOSTNAME.match(host):
        raise ValueError(f"{value!r} is not a host name")
    return host


def broker_url(value: str) -> str:
    urls = [u.strip() for u in value.split(",") if u.strip()]
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme.lower() not in _BROKER_SCHEMES or not parts.hostname:
            raise ValueError(f"{url!r} is not a nats://host:port or tls://host:port URL")
        if parts.password:
            raise ValueError("put the broker password in the keyring, not in the URL")
    return ",".join(urls)


def operator_name(value: str) -> str:
    value = " ".join(value.split())
    if len(value) > MAX_OPERATOR_NAME:
        raise ValueError(f"keep it under {MAX_OPERATOR_NAME} characters")
    return value


def operator_id(value: str) -> str:
    value = value.strip()
    if value and not _OPERATOR_ID.match(value):
        raise ValueError(f"{value!r} may hold only letters, digits, '-' and '_'")
    return value


def team_needs(data: dict[str, Any]) -> None:
    """Team mode's prerequisites among the fields validated before ``mode``."""
    missing = []
    if not data.get("broker_url"):
        missing.append("broker_url (the team broker, such as nats://broker.example:4222)")
    if not data.get("operator_name"):
        missing.append("operator_name (your name as colleagues see it)")
    if missing:
        raise ValueError("team mode needs " + " and ".join(missing))


def describe_errors(exc: ValidationError) -> list[str]:
    """One readable line per problem pydantic found, saying what the setting expects."""
    problems = []
    for error in exc.errors():
        loc = error.get("loc") or ()
        field = str(loc[0]) if loc else ""
        if error["type"] == "extra_forbidden":
            if _SECRET_KEY.search(field):
                problems.append(
                    f"{field}: secrets are never stored in the settings file; "
                    "use the keyring or the environment variables"
                )
            else:
                problems.append(f"{field}: unknown setting")
            continue
        detail = error.get("msg", "")
        if error["type"] == "value_error":
            detail = str(error.get("ctx", {}).get("error", detail))
        elif field in EXPECTED:
            detail = f"got {error.get('input')!r}"
        if field in EXPECTED:
            problems.append(f"{field}: expected {EXPECTED[field]}; {detail}")
        else:
            problems.append(f"{field}: {detail}" if field else detail)
    return problems
