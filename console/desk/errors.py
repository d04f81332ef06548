"""The one error the desk raises: what the operator typed or imported cannot be used.

``user_message`` is the sentence to show as-is (the UI's ``describe_error`` reads it).
"""

from __future__ import annotations


class DeskError(ValueError):
    """A disposition, contact, speed dial or file the desk cannot accept; the text says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_message = message
