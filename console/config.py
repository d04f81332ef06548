"""The console's non-secret settings: a validated pydantic model kept as JSON in the config dir.

Error handling: :func:`load_settings` is strict (raises :class:`ConfigError`); the app's start-up
uses :func:`load_settings_or_defaults`, which never raises and returns the settings it could
keep plus warnings for the UI. Either way a file that cannot be used as it is gets renamed aside
(``settings.json.bad-<timestamp>``) before anything else happens, so nothing is silently lost.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from console import paths
from console.errors import ConsoleError

DEFAULT_API_BASE_URL = "https://api.telnyx.com/v2"

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


class ConfigError(ConsoleError):
    """Settings that cannot be used as they are.

    ``problems`` lists one readable line per bad value; ``backup_path`` is where the original
    file was moved; ``fallback`` holds the settings that could be kept (defaults elsewhere).
    """

    def __init__(
        self,
        user_message: str,
        problems: list[str] | None = None,
        *,
        backup_path: Path | None = None,
        fallback: Settings | None = None,
    ) -> None:
        super().__init__(user_message)
        self.problems = problems or []
        self.backup_path = backup_path
        self.fallback = fallback


def _absolute_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("not an absolute http(s) URL")
    if any(c.isspace() for c in value):
        raise ValueError("a URL cannot contain spaces")
    return value


def _optional_text(value: Any) -> Any:
    # Empty fields in the dialog (or null in the file) mean "not set".
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else value


class Settings(BaseModel):
    """Non-secret settings.

    Field order matters: manual_public_url is validated before tunnel_provider checks it.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True)

    api_base_url: str = DEFAULT_API_BASE_URL
    connection_id: str = ""
    from_numbers: list[str] = Field(default_factory=list)
    default_country: str = "US"
    operator_endpoint: str | None = None
    receiver_port: int = Field(default=8765, ge=0, le=65535)
    receiver_path: str = "/webhooks/telnyx"
    manual_public_url: str | None = None
    tunnel_provider: Literal["ngrok", "manual", "none"] = "ngrok"
    ngrok_region: str | None = None
    ngrok_domain: str | None = None
    ngrok_path: str = ""
    verify_signatures: bool = True
    restore_webhook_url_on_exit: bool = True
    ended_call_retention_secs: int = Field(default=60, ge=0, le=86400)
    event_silence_warning_secs: int = Field(default=120, ge=0, le=86400)
    # Raw webhooks kept in the journal; call history rows are kept regardless.
    event_retention_days: int = Field(default=30, ge=1, le=3650)
    hold_audio_url: str | None = None
    theme: Literal["system", "light", "dark"] = "system"
    # Team mode (issue 13): events come from the relay's broker, not this console's receiver.
    broker_url: str = ""
    broker_user: str | None = None
    operator_name: str = ""
    operator_id: str = ""
    supervisor: bool = False
    team_stream: str = "TELNYX_EVENTS"
    mode: Literal["solo", "team"] = "solo"  # last: its check reads the fields above

    @field_validator("api_base_url")
    @classmethod
    def _check_api_base_url(cls, value: str) -> str:
        return _absolute_http_url(value).rstrip("/")

    @field_validator("connection_id")
    @classmethod
    def _check_connection_id(cls, value: str) -> str:
        if value and not re.fullmatch(r"[A-Za-z0-9_-]{1,128}", value):
            raise ValueError("only letters, digits, '-' and '_' are allowed")
        return value

    @field_validator("from_numbers", mode="before")
    @classmethod
    def _check_from_numbers(cls, value: Any) -> Any:
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

    @field_validator("default_country")
    @classmethod
    def _check_country(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2}", value):
            raise ValueError(f"{value!r} is not a two-letter code")
        return value.upper()

    @field_validator("operator_endpoint", "ngrok_region", "ngrok_domain", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return _optional_text(value)

    @field_validator("manual_public_url", "hold_audio_url", mode="before")
    @classmethod
    def _empty_url_is_none(cls, value: Any) -> Any:
        return _optional_text(value)

    @field_validator("operator_endpoint")
    @classmethod
    def _check_operator_endpoint(cls, value: str | None) -> str | None:
        if value is None or _SIP_URI.match(value):
            return value
        number = _PHONE_PUNCTUATION.sub("", value)
        if _E164.match(number):
            return number
        raise ValueError(f"{value!r} is neither an E.164 number nor a SIP URI")

    @field_validator("receiver_path")
    @classmethod
    def _check_receiver_path(cls, value: str) -> str:
        if not value.startswith("/") or any(c.isspace() or c in "?#" for c in value):
            raise ValueError(f"{value!r} must start with '/' and hold no spaces, '?' or '#'")
        return value

    @field_validator("manual_public_url", "hold_audio_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        return None if value is None else _absolute_http_url(value).rstrip("/")

    @field_validator("tunnel_provider")
    @classmethod
    def _manual_needs_url(cls, value: str, info: Any) -> str:
        if value == "manual" and not info.data.get("manual_public_url"):
            raise ValueError('"manual" needs manual_public_url (the URL of your reverse proxy)')
        return value

    @field_validator("ngrok_region")
    @classmethod
    def _check_region(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.lower()
        if not _REGION.match(value):
            raise ValueError(f"{value!r} is not a region code")
        return value

    @field_validator("ngrok_domain")
    @classmethod
    def _check_domain(cls, value: str | None) -> str | None:
        if value is None:
            return None
        # People paste the full URL from the ngrok dashboard: keep only the host.
        host = urlsplit(value).hostname if "://" in value else value.rstrip("/")
        host = (host or "").lower()
        if not _HOSTNAME.match(host):
            raise ValueError(f"{value!r} is not a host name")
        return host

    @field_validator("ngrok_path")
    @classmethod
    def _expand_ngrok_path(cls, value: str) -> str:
        return os.path.expanduser(value) if value else value

    @field_validator("broker_url")
    @classmethod
    def _check_broker_url(cls, value: str) -> str:
        urls = [u.strip() for u in value.split(",") if u.strip()]
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme.lower() not in _BROKER_SCHEMES or not parts.hostname:
                raise ValueError(f"{url!r} is not a nats://host:port or tls://host:port URL")
            if parts.password:
                raise ValueError("put the broker password in the keyring, not in the URL")
        return ",".join(urls)

    @field_validator("broker_user", mode="before")
    @classmethod
    def _empty_user_is_none(cls, value: Any) -> Any:
        return _optional_text(value)

    @field_validator("operator_name")
    @classmethod
    def _check_operator_name(cls, value: str) -> str:
        value = " ".join(value.split())
        if len(value) > MAX_OPERATOR_NAME:
            raise ValueError(f"keep it under {MAX_OPERATOR_NAME} characters")
        return value

    @field_validator("operator_id")
    @classmethod
    def _check_operator_id(cls, value: str) -> str:
        value = value.strip()
        if value and not _OPERATOR_ID.match(value):
            raise ValueError(f"{value!r} may hold only letters, digits, '-' and '_'")
        return value

    @field_validator("team_stream")
    @classmethod
    def _check_team_stream(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value):
            raise ValueError(f"{value!r} may hold only letters, digits, '-' and '_'")
        return value

    @field_validator("mode")
    @classmethod
    def _team_needs_broker_and_name(cls, value: str, info: Any) -> str:
        if value != "team":
            return value
        missing = []
        if not info.data.get("broker_url"):
            missing.append("broker_url (the team broker, such as nats://broker.example:4222)")
        if not info.data.get("operator_name"):
            missing.append("operator_name (your name as colleagues see it)")
        if missing:
            raise ValueError("team mode needs " + " and ".join(missing))
        return value

    @property
    def team_operator_id(self) -> str:
        """The operator's id in command ids and claims: set, or derived from the name."""
        return self.operator_id or operator_id_for(self.operator_name)

    @property
    def broker_urls(self) -> tuple[str, ...]:
        return tuple(u for u in self.broker_url.split(",") if u)

    def webhook_url(self, public_base_url: str) -> str:
        """The webhook URL Telnyx should call, given the tunnel's public base URL."""
        return public_base_url.rstrip("/") + self.receiver_path


def _describe_errors(exc: ValidationError) -> list[str]:
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


def validate_settings(data: dict[str, Any]) -> Settings:
    """Settings from ``data`` (e.g. the dialog's fields).

    Raises :class:`ConfigError` with one readable line per problem.
    """
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = _describe_errors(exc)
        raise ConfigError("Invalid settings:\n" + "\n".join(problems), problems) from None


def _salvage(data: dict[str, Any]) -> tuple[Settings, list[str]]:
    """Keep every valid value of ``data``; drop the invalid ones and say which and why."""
    data = dict(data)
    problems: list[str] = []
    # Each round drops the keys pydantic blamed; a dependent check may blame more next round.
    for _ in range(len(data) + 1):
        try:
            return Settings.model_validate(data), problems
        except ValidationError as exc:
            blamed = {str(e["loc"][0]) for e in exc.errors() if e.get("loc")} & data.keys()
            problems += [p for p in _describe_errors(exc) if p not in problems]
            if not blamed:
                break
            for key in blamed:
                del data[key]
    return Settings(), problems


def _move_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.bad-{stamp}")
    counter = 1
    while backup.exists():  # two failures within a second must not overwrite each other
        backup = path.with_name(f"{path.name}.bad-{stamp}-{counter}")
        counter += 1
    os.replace(path, backup)
    return backup


def load_settings(path: Path | None = None) -> Settings:
    """Settings from ``path`` (default: ``settings.json`` in the config dir); defaults if absent.

    Raises :class:`ConfigError` when the file is unreadable, not JSON or holds invalid values;
    the file has then already been renamed aside and the error's ``fallback`` holds the
    settings that could be kept.
    """
    path = paths.settings_file() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise ConfigError(
            f"The settings file {path} cannot be read: {exc.strerror or exc}.",
            fallback=Settings(),
        ) from exc

    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        problems = [f"not valid JSON: {exc}"]
        fallback, raw = Settings(), None
    else:
        if not isinstance(raw, dict):
            problems = ["the file must hold a JSON object of settings"]
            fallback, raw = Settings(), None
        else:
            try:
                return Settings.model_validate(raw)
            except ValidationError:
                fallback, problems = _salvage(raw)

    backup = _move_aside(path)
    message = (
        f"Some settings in {path} could not be used and were reset to their defaults; "
        f"the original file was kept as {backup.name}:\n" + "\n".join(problems)
    )
    raise ConfigError(message, problems, backup_path=backup, fallback=fallback)


def load_settings_or_defaults(path: Path | None = None) -> tuple[Settings, list[str]]:
    """Like :func:`load_settings` but never raises: (settings, warnings for the UI to show).

    When the file was bad, the kept settings are saved again so the next start is clean
    (the original stays next to it as ``settings.json.bad-<timestamp>``).
    """
    try:
        return load_settings(path), []
    except ConfigError as exc:
        settings = exc.fallback or Settings()
        if exc.backup_path is not None:
            with contextlib.suppress(OSError):
                save_settings(settings, path)
        return settings, [exc.user_message]


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` as JSON atomically (temp file + rename); returns the path written."""
    path = paths.settings_file() if path is None else path
    paths.private_dir(path.parent)  # mkstemp makes the file itself 0600
    text = json.dumps(settings.model_dump(mode="json"), indent=2, sort_keys=False) + "\n"
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return path
