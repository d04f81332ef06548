"""The relay's config file (TOML) and where its secrets come from.

A config file holds no secrets (a key in it that looks like one is refused). Secrets are read
from the environment or, under systemd, from the credentials directory (``LoadCredential=``,
``$CREDENTIALS_DIRECTORY``), which only the relay's service can read:

=====================  ============================  =======================================
what                   environment variable          credential file
=====================  ============================  =======================================
Telnyx API key         ``TELNYX_API_KEY``            ``telnyx-api-key``
NATS password          ``TELNYX_RELAY_NATS_PASSWORD``  ``nats-password``
NATS token             ``TELNYX_RELAY_NATS_TOKEN``   ``nats-token``
=====================  ============================  =======================================

See ``packaging/relay/relay.example.toml`` for every setting with its meaning.
"""

from __future__ import annotations

import os
import re
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from console.events.deliveries import DEFAULT_PATH
from console.relay.connection import BrokerOptions
from console.relay.errors import RelayConfigError
from console.relay.stream import DEFAULT_STREAM, DEFAULT_SUBJECT_PREFIX, StreamSettings

_SECRET_KEY = re.compile(r"(api[_-]?key|password|passwd|secret|token|seed)$", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _default_name() -> str:
    host = re.sub(r"[^A-Za-z0-9_-]", "-", socket.gethostname())[:64]
    return host or "relay"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RelaySection(_Section):
    name: str = Field(default_factory=_default_name)
    data_dir: Path
    listen_host: str = "127.0.0.1"
    listen_port: int = Field(default=8765, ge=0, le=65535)  # 0: any free port (tests)
    path: str = DEFAULT_PATH
    metrics_port: int | None = Field(default=None, ge=0, le=65535)
    retention_days: float = Field(default=7.0, gt=0)
    verify_signatures: bool = True
    public_key: str | None = None  # Telnyx's public key (base64): public, not a secret

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("1-64 letters, digits, '-' or '_' (it names the relay's subject)")
        return value

    @field_validator("path")
    @classmethod
    def _check_path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError('a URL path starting with "/"')
        return value


class BrokerSection(_Section):
    servers: list[str] = Field(default_factory=lambda: ["nats://127.0.0.1:4222"], min_length=1)
    user: str | None = None
    creds_file: str | None = None
    tls_ca_file: str | None = None
    tls_cert_file: str | None = None
    tls_key_file: str | None = None

    @field_validator("servers")
    @classmethod
    def _check_servers(cls, value: list[str]) -> list[str]:
        for url in value:
            if not re.match(r"^(nats|tls|ws|wss)://[^\s/]+", url):
                raise ValueError(f"{url!r} is not a NATS URL such as nats://host:4222")
        return value


class StreamSection(_Section):
    name: str = DEFAULT_STREAM
    subject_prefix: str = DEFAULT_SUBJECT_PREFIX
    max_age_hours: float = Field(default=72.0, gt=0)
    duplicate_window_secs: float = Field(default=120.0, gt=0)
    replicas: int = Field(default=1, ge=1, le=5)


class TelnyxSection(_Section):
    application_id: str
    webhook_url: str
    failover_url: str | None = None
    api_base_url: str = "https://api.telnyx.com/v2"

    @field_validator("webhook_url", "failover_url", "api_base_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("an absolute http(s) URL")
        return value


class _File(_Section):
    relay: RelaySection
    broker: BrokerSection = Field(default_factory=BrokerSection)
    stream: StreamSection = Field(default_factory=StreamSection)
    telnyx: TelnyxSection | None = None


@dataclass(frozen=True)
class RelaySecrets:
    api_key: str | None = field(default=None, repr=False)
    nats_password: str | None = field(default=None, repr=False)
    nats_token: str | None = field(default=None, repr=False)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None) -> RelaySecrets:
        env = os.environ if environ is None else environ
        creds = env.get("CREDENTIALS_DIRECTORY")

        def read(variable: str, credential: str) -> str | None:
            if env.get(variable):
                return env[variable].strip()
            if creds:
                path = Path(creds) / credential
                if path.is_file():
                    return path.read_text(encoding="utf-8").strip() or None
            return None

        return cls(
            api_key=read("TELNYX_API_KEY", "telnyx-api-key"),
            nats_password=read("TELNYX_RELAY_NATS_PASSWORD", "nats-password"),
            nats_token=read("TELNYX_RELAY_NATS_TOKEN", "nats-token"),
        )


@dataclass(frozen=True)
class RelayConfig:
    """A checked relay config (see the module docstring for the secrets)."""

    relay: RelaySection
    broker: BrokerSection
    stream_section: StreamSection
    telnyx: TelnyxSection | None
    source: Path | None = None

    @property
    def journal_path(self) -> Path:
        return self.relay.data_dir / "relay-journal.sqlite3"

    @property
    def webhook_memory_path(self) -> Path:
        return self.relay.data_dir / "webhook-target.json"

    @property
    def stream(self) -> StreamSettings:
        s = self.stream_section
        return StreamSettings(
            name=s.name,
            subject_prefix=s.subject_prefix,
            max_age_secs=s.max_age_hours * 3600,
            duplicate_window_secs=s.duplicate_window_secs,
            replicas=s.replicas,
        )

    def broker_options(self, secrets: RelaySecrets) -> BrokerOptions:
        b = self.broker
        return BrokerOptions(
            servers=tuple(b.servers),
            name=f"telnyx-relay {self.relay.name}",
            user=b.user,
            password=secrets.nats_password,
            token=secrets.nats_token,
            creds_file=b.creds_file,
            tls_ca_file=b.tls_ca_file,
            tls_cert_file=b.tls_cert_file,
            tls_key_file=b.tls_key_file,
        )


def _secret_keys(data: Any, where: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{where}.{key}" if where else str(key)
            if _SECRET_KEY.search(str(key)) and str(key) != "public_key":
                found.append(name)
            found += _secret_keys(value, name)
    return found


def parse_config(text: str, source: Path | None = None) -> RelayConfig:
    """Check a config file's text; :class:`RelayConfigError` lists every problem in words."""
    where = str(source) if source else "the relay config"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RelayConfigError(f"{where} is not valid TOML: {exc}") from None
    secrets = _secret_keys(data)
    if secrets:
        raise RelayConfigError(
            f"{where} must not hold secrets ({', '.join(secrets)}): give them to the relay "
            "through its environment or systemd credentials (see the example config).",
            secrets,
        )
    try:
        parsed = _File.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in error['loc']) or '(file)'}: {error['msg']}"
            for error in exc.errors()
        ]
        raise RelayConfigError(
            f"{where} cannot be used as it is:\n  " + "\n  ".join(problems), problems
        ) from None
    try:
        config = RelayConfig(parsed.relay, parsed.broker, parsed.stream, parsed.telnyx, source)
        config.stream  # noqa: B018 - checks the stream's names and windows now
    except ValueError as exc:
        raise RelayConfigError(f"{where}: {exc}", [str(exc)]) from None
    return config


def load_config(path: str | Path) -> RelayConfig:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RelayConfigError(f"cannot read the relay config {path}: {exc.strerror}") from None
    return parse_config(text, path)
