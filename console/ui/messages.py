"""The one path from an exception to words an operator can read."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def describe_error(exc: BaseException) -> str:
    """Turn a failure into a sentence; unexpected ones are logged with their traceback."""
    # Every console error family (client, operations, tunnel, config, secrets) words its
    # failures for the operator in user_message; duck typing keeps this module independent.
    user_message = getattr(exc, "user_message", None)
    if isinstance(user_message, str) and user_message:
        return user_message
    if isinstance(exc, ValueError) and str(exc):
        return str(exc)
    if isinstance(exc, TimeoutError):
        return "The request timed out. Check the network connection and try again."
    log.error("Unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    text = str(exc) or "no details"
    return f"Unexpected error: {type(exc).__name__}: {text} (details in the log)"


def action_failed(what: str, exc: BaseException) -> str:
    """'Hold failed: <reason>' for the status bar and the notification area."""
    return f"{what} failed: {describe_error(exc)}"
