"""Errors of multi-step operations, worded for the operator (``.user_message``)."""

from __future__ import annotations

from console.telnyx.errors import TelnyxError


class OperationError(TelnyxError):
    """An operation could not be carried out; ``user_message`` says why and what happened.

    A subclass of :class:`TelnyxError` so the UI turns every failure of an action into words
    through one path (``str(error)`` and ``.user_message`` are the same sentence).
    """


class ConfirmationTimeout(OperationError):
    """Telnyx accepted a command but the confirming webhook did not arrive in time."""


class TransferFailed(OperationError):
    """An attended transfer could not go on; it was rolled back (the caller is off hold)."""


class TransferCancelled(OperationError):
    """The operator cancelled an attended transfer before the target answered."""
