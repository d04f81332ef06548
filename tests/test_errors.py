"""One error base and one path to words: every family is a ConsoleError; words_for words all."""

from __future__ import annotations

import asyncio
import logging

import pytest

from console.config import ConfigError
from console.db.database import DatabaseError
from console.errors import ConsoleError, words_for
from console.events.signature import SignatureError
from console.ingest.host import IngestError
from console.operations.errors import TransferFailed
from console.operations.webhook_target import WebhookPointError
from console.secrets import KeyringUnavailableError
from console.telnyx.errors import AuthenticationError, RequestTimeoutError, TelnyxInputError
from console.telnyx.phone import InvalidPhoneNumber
from console.tunnel.errors import AgentStartError


@pytest.mark.parametrize(
    "exc",
    [
        AuthenticationError("Telnyx did not accept the API key.", status_code=401),
        RequestTimeoutError("Telnyx did not answer in time."),
        TelnyxInputError("The number is not valid.", field="to"),
        TransferFailed("The transfer was rolled back."),
        WebhookPointError("Set the webhook URL by hand."),
        AgentStartError("The ngrok agent did not start.", reason="bind", code="ERR_NGROK_105"),
        ConfigError("The settings file is damaged."),
        KeyringUnavailableError("There is no system keyring."),
        DatabaseError("The console database is locked."),
        IngestError("The webhook receiver process could not start."),
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_every_family_is_a_console_error_worded_by_its_user_message(exc):
    assert isinstance(exc, ConsoleError)
    assert words_for(exc) == exc.user_message == str(exc)


def test_signature_error_keeps_its_text_and_reasons():
    exc = SignatureError(SignatureError.BAD_SIGNATURE, "tampered body")
    assert isinstance(exc, ConsoleError)
    assert words_for(exc) == str(exc) == "signature does not match: tampered body"
    assert exc.reason == SignatureError.BAD_SIGNATURE


def test_input_errors_stay_value_errors():
    assert issubclass(TelnyxInputError, ValueError)
    assert issubclass(InvalidPhoneNumber, ConsoleError)


def test_plain_value_errors_and_timeouts_are_worded_without_a_traceback(caplog):
    with caplog.at_level(logging.ERROR):
        assert words_for(ValueError("Enter digits only.")) == "Enter digits only."
        assert words_for(TimeoutError()).startswith("The request timed out.")
        assert words_for(asyncio.CancelledError()) == "It was cancelled before it finished."
    assert caplog.records == []


def test_an_unexpected_error_points_at_the_log_and_is_logged_once(caplog):
    try:
        {}["calls"]
    except KeyError as caught:
        exc = caught
    with caplog.at_level(logging.ERROR):
        first = words_for(exc)
        second = words_for(exc)  # the audit and then the window word the same failure
    assert first == second == "Unexpected error: KeyError: 'calls' (details in the log)"
    assert [r.exc_info[1] for r in caplog.records] == [exc]


def test_an_empty_message_still_says_something():
    words = words_for(RuntimeError())
    assert words == "Unexpected error: RuntimeError: no details (details in the log)"
    assert words_for(ConsoleError("")).startswith("Unexpected error: ConsoleError")
