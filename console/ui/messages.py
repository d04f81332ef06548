"""Words for the operator in the window: failures of actions, through the one path to words."""

from __future__ import annotations

from console.errors import words_for
from console.relay.errors import TeamError


def describe_error(exc: BaseException) -> str:
    """Turn a failure into a sentence (:func:`console.errors.words_for`, named for the UI)."""
    if isinstance(exc, TeamError) and exc.user_message:
        return exc.user_message  # team mode's errors are worded too (not ConsoleError children)
    return words_for(exc)


def action_failed(what: str, exc: BaseException) -> str:
    """'Hold failed: <reason>' for the status bar and the notification area."""
    return f"{what} failed: {describe_error(exc)}"
