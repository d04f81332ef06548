"""Secrets (Telnyx API key, ngrok authtoken, webhook public key, team broker password) from the
environment or the keyring.

Precedence: a non-empty environment variable wins over the keyring. CI, headless machines and
one-off runs set the environment; the keyring is what the settings dialog writes. ``source()``
tells the UI where a value comes from so it can say "set by TELNYX_API_KEY; the keyring value is
not used while that is set".
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator, Mapping
from enum import StrEnum

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail, null

from console.errors import ConsoleError
from console.logging_setup import register_secret

SERVICE_NAME = "telnyx-console"


class Secret(StrEnum):
    """The secrets the console keeps; the value is the keyring user name."""

    API_KEY = "api_key"
    NGROK_AUTHTOKEN = "ngrok_authtoken"
    PUBLIC_KEY = "public_key"
    BROKER_PASSWORD = "broker_password"  # team mode: the broker password, or token without a user


ENV_VARS: dict[Secret, str] = {
    Secret.API_KEY: "TELNYX_API_KEY",
    Secret.NGROK_AUTHTOKEN: "NGROK_AUTHTOKEN",
    Secret.PUBLIC_KEY: "TELNYX_PUBLIC_KEY",
    Secret.BROKER_PASSWORD: "TELNYX_CONSOLE_BROKER_PASSWORD",
}

_LABELS: dict[Secret, str] = {
    Secret.API_KEY: "Telnyx API key",
    Secret.NGROK_AUTHTOKEN: "ngrok authtoken",
    Secret.PUBLIC_KEY: "Telnyx webhook public key",
    Secret.BROKER_PASSWORD: "team broker password or token",
}

# The public key is not secret; everything else is redacted from logs once read.
_REDACTED = {Secret.API_KEY, Secret.NGROK_AUTHTOKEN, Secret.BROKER_PASSWORD}


class SecretStoreError(ConsoleError):
    """A keyring operation failed; ``user_message`` says why in words."""


class KeyringUnavailableError(SecretStoreError):
    """There is no usable keyring backend, so secrets can only come from the environment."""


class InMemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring in a dict: for tests, so they never touch the real one."""

    priority = 1
    # Never chosen by keyring's automatic discovery (it would silently lose secrets on a
    # headless machine): it is only ever installed explicitly, by use_in_memory_keyring().
    viable = False

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring ships no annotations here
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("no such password") from None


@contextlib.contextmanager
def use_in_memory_keyring() -> Iterator[InMemoryKeyring]:
    """Install an :class:`InMemoryKeyring` as the process keyring for the ``with`` block."""
    previous = keyring.get_keyring()
    memory = InMemoryKeyring()
    keyring.set_keyring(memory)
    try:
        yield memory
    finally:
        keyring.set_keyring(previous)


def _backend_problem(backend: keyring.backend.KeyringBackend) -> str | None:
    """Why ``backend`` cannot store anything, or None when it can."""
    if isinstance(backend, fail.Keyring):
        return "no system keyring was found"
    if isinstance(backend, null.Keyring):
        return "the keyring is disabled (null backend)"
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return "no system keyring was found"
    return None


class SecretStore:
    """Reads secrets from the environment first, then the keyring; writes to the keyring.

    Keyring calls can block (DBus, an unlock prompt): from the event loop use the ``a*``
    coroutines, which run them in a worker thread.
    """

    def __init__(
        self,
        backend: keyring.backend.KeyringBackend | None = None,
        environ: Mapping[str, str] | None = None,
        service: str = SERVICE_NAME,
    ) -> None:
        # None: the process keyring, looked up on each use so a test fixture swap applies.
        self._backend = backend
        self._environ = os.environ if environ is None else environ
        self.service = service

    @property
    def backend(self) -> keyring.backend.KeyringBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    @property
    def backend_available(self) -> bool:
        return _backend_problem(self.backend) is None

    @property
    def backend_message(self) -> str:
        """One sentence for the settings dialog about where secrets are kept."""
        backend = self.backend
        problem = _backend_problem(backend)
        env_names = ", ".join(ENV_VARS[s] for s in Secret)
        if problem is None:
            return (
                f"Secrets are kept in the system keyring ({backend.name}); "
                f"the environment variables {env_names} override it when set."
            )
        return (
            f"Secrets cannot be saved: {problem}. The console reads them from the environment "
            f"variables {env_names} instead (on Linux, installing and unlocking GNOME Keyring "
            "or KWallet enables saving)."
        )

    def _from_env(self, name: Secret) -> str | None:
        value = self._environ.get(ENV_VARS[name], "").strip()
        return value or None

    def source(self, name: Secret) -> str | None:
        """Where ``get(name)`` would come from: "environment", "keyring" or None. May block."""
        if self._from_env(name) is not None:
            return "environment"
        return "keyring" if self._from_keyring(name) is not None else None

    def _from_keyring(self, name: Secret) -> str | None:
        if not self.backend_available:
            return None
        try:
            value = self.backend.get_password(self.service, name.value)
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(
                f"Could not read the {_LABELS[name]} from the keyring: {exc}. "
                f"Unlock the keyring or set {ENV_VARS[name]}."
            ) from exc
        return value or None

    def get(self, name: Secret) -> str | None:
        """The secret, or None when neither the environment nor the keyring has it. May block."""
        value = self._from_env(name)
        if value is None:
            value = self._from_keyring(name)
        if value is not None and name in _REDACTED:
            register_secret(value)
        return value

    def set(self, name: Secret, value: str) -> None:
        """Save ``value`` in the keyring (an empty value deletes it). May block."""
        value = value.strip()
        if not value:
            self.delete(name)
            return
        self._require_backend(name)
        if name in _REDACTED:
            register_secret(value)
        try:
            self.backend.set_password(self.service, name.value, value)
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(
                f"Could not save the {_LABELS[name]} in the keyring: {exc}."
            ) from exc

    def delete(self, name: Secret) -> None:
        """Remove the secret from the keyring; absent is fine. May block."""
        self._require_backend(name)
        try:
            self.backend.delete_password(self.service, name.value)
        except keyring.errors.PasswordDeleteError:
            pass  # already absent: the wanted end state
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(
                f"Could not remove the {_LABELS[name]} from the keyring: {exc}."
            ) from exc

    def _require_backend(self, name: Secret) -> None:
        problem = _backend_problem(self.backend)
        if problem is not None:
            raise KeyringUnavailableError(
                f"The {_LABELS[name]} cannot be saved: {problem}. "
                f"Set the environment variable {ENV_VARS[name]} instead."
            )

    # Named accessors: what the rest of the console calls.
    def get_api_key(self) -> str | None:
        return self.get(Secret.API_KEY)

    def get_ngrok_authtoken(self) -> str | None:
        return self.get(Secret.NGROK_AUTHTOKEN)

    def get_public_key(self) -> str | None:
        return self.get(Secret.PUBLIC_KEY)

    def set_api_key(self, value: str) -> None:
        self.set(Secret.API_KEY, value)

    def set_ngrok_authtoken(self, value: str) -> None:
        self.set(Secret.NGROK_AUTHTOKEN, value)

    def set_public_key(self, value: str) -> None:
        self.set(Secret.PUBLIC_KEY, value)

    # Async wrappers for the event loop: keyring backends may block on DBus.
    async def aget(self, name: Secret) -> str | None:
        return await asyncio.to_thread(self.get, name)

    async def aset(self, name: Secret, value: str) -> None:
        await asyncio.to_thread(self.set, name, value)

    async def adelete(self, name: Secret) -> None:
        await asyncio.to_thread(self.delete, name)

    async def asource(self, name: Secret) -> str | None:
        return await asyncio.to_thread(self.source, name)
