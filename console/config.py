"""The console's non-secret settings: a validated pydantic model kept as JSON in the config dir.

Error handling: :func:`load_settings` is strict (raises :class:`ConfigError`); the app's start-up
uses :func:`load_settings_or_defaults`, which never raises and returns the settings it could
keep plus warnings for the UI. Either way a file that cannot be used as it is gets renamed aside
(``settings.json.bad-<timestamp>``) before anything else happens, so nothing is silently lost.

What a good value is for each field, and the words for a bad one, are in
:mod:`console.config_rules`; this module holds the model, its defaults and the settings file.
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

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from console import config_rules as rules
from console import paths
from console.errors import ConsoleError

DEFAULT_API_BASE_URL = "https://api.telnyx.com/v2"


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
        return rules.absolute_http_url(value).rstrip("/")

    @field_validator("connection_id")
    @classmethod
    def _check_connection_id(cls, value: str) -> str:
        if value and not re.fullmatch(r"[A-Za-z0-9_-]{1,128}", value):
            raise ValueError("only letters, digits, '-' and '_' are allowed")
        return value

    @field_validator("from_numbers", mode="before")
    @classmethod
    def _check_from_numbers(cls, value: Any) -> Any:
        return rules.from_numbers(value)

    @field_validator("default_country")
    @classmethod
    def _check_country(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2}", value):
            raise ValueError(f"{value!r} is not a two-letter code")
        return value.upper()

    @field_validator(
        "operator_endpoint",
        "ngrok_region",
        "ngrok_domain",
        "manual_public_url",
        "hold_audio_url",
        "broker_user",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return rules.optional_text(value)

    @field_validator("operator_endpoint")
    @classmethod
    def _check_operator_endpoint(cls, value: str | None) -> str | None:
        return rules.operator_endpoint(value)

    @field_validator("receiver_path")
    @classmethod
    def _check_receiver_path(cls, value: str) -> str:
        return rules.receiver_path(value)

    @field_validator("manual_public_url", "hold_audio_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        return None if value is None else rules.absolute_http_url(value).rstrip("/")

    @field_validator("tunnel_provider")
    @classmethod
    def _manual_needs_url(cls, value: str, info: Any) -> str:
        if value == "manual" and not info.data.get("manual_public_url"):
            raise ValueError('"manual" needs manual_public_url (the URL of your reverse proxy)')
        return value

    @field_validator("ngrok_region")
    @classmethod
    def _check_region(cls, value: str | None) -> str | None:
        return rules.ngrok_region(value)

    @field_validator("ngrok_domain")
    @classmethod
    def _check_domain(cls, value: str | None) -> str | None:
        return rules.ngrok_domain(value)

    @field_validator("ngrok_path")
    @classmethod
    def _expand_ngrok_path(cls, value: str) -> str:
        return os.path.expanduser(value) if value else value

    @field_validator("broker_url")
    @classmethod
    def _check_broker_url(cls, value: str) -> str:
        return rules.broker_url(value)

    @field_validator("operator_name")
    @classmethod
    def _check_operator_name(cls, value: str) -> str:
        return rules.operator_name(value)

    @field_validator("operator_id")
    @classmethod
    def _check_operator_id(cls, value: str) -> str:
        return rules.operator_id(value)

    @field_validator("team_stream")
    @classmethod
    def _check_team_stream(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value):
            raise ValueError(f"{value!r} may hold only letters, digits, '-' and '_'")
        return value

    @field_validator("mode")
    @classmethod
    def _team_needs_broker_and_name(cls, value: str, info: Any) -> str:
        if value == "team":
            rules.team_needs(info.data)
        return value

    @property
    def team_operator_id(self) -> str:
        """The operator's id in command ids and claims: set, or derived from the name."""
        return self.operator_id or rules.operator_id_for(self.operator_name)

    @property
    def broker_urls(self) -> tuple[str, ...]:
        return tuple(u for u in self.broker_url.split(",") if u)

    def webhook_url(self, public_base_url: str) -> str:
        """The webhook URL Telnyx should call, given the tunnel's public base URL."""
        return public_base_url.rstrip("/") + self.receiver_path


def validate_settings(data: dict[str, Any]) -> Settings:
    """Settings from ``data`` (e.g. the dialog's fields).

    Raises :class:`ConfigError` with one readable line per problem.
    """
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = rules.describe_errors(exc)
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
            problems += [p for p in rules.describe_errors(exc) if p not in problems]
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
