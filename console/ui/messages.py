"""Words for the operator in the window: failures of actions, through the one path to words."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, cast

from console.errors import words_for

if TYPE_CHECKING:
    from console.relay.claims import ClaimTaken

# Team mode's modules (and nats-py under them) load only when a session starts in team mode,
# so a solo console never imports them: an error of theirs can only exist once they are loaded.


def _loaded(module: str, name: str) -> type[BaseException] | None:
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def describe_error(exc: BaseException) -> str:
    """Turn a failure into a sentence (:func:`console.errors.words_for`, named for the UI)."""
    team_error = _loaded("console.relay.errors", "TeamError")
    if team_error is not None and isinstance(exc, team_error):
        text = getattr(exc, "user_message", "")  # worded too (not ConsoleError children)
        if text:
            return str(text)
    return words_for(exc)


def claim_taken(exc: BaseException) -> ClaimTaken | None:
    """``exc`` when it says a colleague claimed the call first ("Taken by Alex"), else None."""
    taken = _loaded("console.relay.claims", "ClaimTaken")
    if taken is not None and isinstance(exc, taken):
        return cast("ClaimTaken", exc)  # an instance of the loaded class
    return None


def action_failed(what: str, exc: BaseException) -> str:
    """'Hold failed: <reason>' for the status bar and the notification area."""
    return f"{what} failed: {describe_error(exc)}"
