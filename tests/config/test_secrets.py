"""SecretStore: environment over keyring, no-backend behaviour, in-memory keyring."""

from __future__ import annotations

import logging

import keyring
import keyring.errors
import pytest
from keyring.backends import chainer, fail

from console.logging_setup import RedactingFilter
from console.secrets import (
    SERVICE_NAME,
    InMemoryKeyring,
    KeyringUnavailableError,
    Secret,
    SecretStore,
    SecretStoreError,
    use_in_memory_keyring,
)

API_KEY = "KEY0123456789ABCDEF0123456789ABCDEF_abcdefghijklmnopqrstuv"


def test_the_autouse_fixture_replaces_the_real_keyring(in_memory_keyring):
    assert keyring.get_keyring() is in_memory_keyring
    store = SecretStore()
    store.set_api_key(API_KEY)
    assert in_memory_keyring.passwords == {(SERVICE_NAME, "api_key"): API_KEY}


def test_keyring_value_is_used_without_environment():
    store = SecretStore()
    assert store.get_api_key() is None and store.source(Secret.API_KEY) is None
    store.set_ngrok_authtoken("ngrok-token-123456")
    assert store.get_ngrok_authtoken() == "ngrok-token-123456"
    assert store.source(Secret.NGROK_AUTHTOKEN) == "keyring"


def test_environment_wins_over_keyring(monkeypatch):
    store = SecretStore()
    store.set_api_key("KEY-from-keyring-000")
    monkeypatch.setenv("TELNYX_API_KEY", API_KEY)
    assert store.get_api_key() == API_KEY
    assert store.source(Secret.API_KEY) == "environment"
    # An empty variable counts as unset.
    monkeypatch.setenv("TELNYX_API_KEY", "  ")
    assert store.get_api_key() == "KEY-from-keyring-000"


def test_each_secret_has_its_variable():
    store = SecretStore(
        environ={
            "TELNYX_API_KEY": "api-key-123456",
            "NGROK_AUTHTOKEN": "ngrok-token-123456",
            "TELNYX_PUBLIC_KEY": "public-key-base64",
        }
    )
    assert store.get_api_key() == "api-key-123456"
    assert store.get_ngrok_authtoken() == "ngrok-token-123456"
    assert store.get_public_key() == "public-key-base64"


def test_setting_empty_deletes():
    store = SecretStore()
    store.set_public_key("public-key-base64")
    store.set_public_key("")
    assert store.get_public_key() is None
    store.delete(Secret.PUBLIC_KEY)  # deleting what is absent is fine


def test_no_backend_is_explained_and_environment_still_works(monkeypatch):
    store = SecretStore(backend=fail.Keyring())
    monkeypatch.setenv("NGROK_AUTHTOKEN", "ngrok-token-123456")

    assert store.backend_available is False
    message = store.backend_message
    assert "no system keyring" in message
    assert "TELNYX_API_KEY" in message and "NGROK_AUTHTOKEN" in message
    assert store.get_ngrok_authtoken() == "ngrok-token-123456"
    assert store.get_api_key() is None  # no NoKeyringError: the keyring is simply skipped
    with pytest.raises(KeyringUnavailableError) as caught:
        store.set_api_key(API_KEY)
    assert "TELNYX_API_KEY" in caught.value.user_message


def test_chainer_without_backends_counts_as_no_backend(monkeypatch):
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    store = SecretStore(backend=chainer.ChainerBackend())
    assert not store.backend_available


def test_available_backend_message_names_it():
    store = SecretStore()
    assert store.backend_available
    assert "system keyring" in store.backend_message and "override" in store.backend_message


def test_keyring_failures_become_readable_errors():
    class LockedKeyring(InMemoryKeyring):
        def get_password(self, service, username):
            raise keyring.errors.KeyringLocked("the keyring is locked")

        def set_password(self, service, username, password):
            raise keyring.errors.PasswordSetError("DBus said no")

    store = SecretStore(backend=LockedKeyring())
    with pytest.raises(SecretStoreError, match=r"Could not read the Telnyx API key.*locked"):
        store.get_api_key()
    with pytest.raises(SecretStoreError, match="Could not save the ngrok authtoken"):
        store.set_ngrok_authtoken("ngrok-token-123456")


def test_in_memory_keyring_is_never_picked_automatically():
    assert InMemoryKeyring.viable is False
    assert all(not isinstance(k, InMemoryKeyring) for k in keyring.backend.get_all_keyring())


def test_use_in_memory_keyring_restores_the_previous_one(in_memory_keyring):
    with use_in_memory_keyring() as inner:
        assert keyring.get_keyring() is inner
    assert keyring.get_keyring() is in_memory_keyring


def test_secrets_read_are_redacted_from_logs(monkeypatch):
    monkeypatch.setenv("TELNYX_API_KEY", "plain-looking-api-key")
    store = SecretStore()
    store.set_ngrok_authtoken("ngrok-token-123456")
    store.get_api_key()
    store.get_ngrok_authtoken()
    record = logging.LogRecord(
        "t",
        logging.INFO,
        __file__,
        1,
        "key=%s token=%s",
        ("plain-looking-api-key", "ngrok-token-123456"),
        None,
    )
    RedactingFilter().filter(record)
    assert record.getMessage() == "key=[REDACTED] token=[REDACTED]"


@pytest.mark.anyio
async def test_async_wrappers():
    store = SecretStore()
    await store.aset(Secret.API_KEY, API_KEY)
    assert await store.aget(Secret.API_KEY) == API_KEY
    assert await store.asource(Secret.API_KEY) == "keyring"
    await store.adelete(Secret.API_KEY)
    assert await store.aget(Secret.API_KEY) is None
