"""command_id dedupe: a repeated command within 60 simulated seconds gets the first answer back."""

from __future__ import annotations

from typing import Any

from .clock import SimClock

COMMAND_ID_WINDOW = 60.0  # simulated seconds (docs: duplicates within 60 s are ignored)


class CommandDedupe:
    """The World's memory of recent command_ids (its ``dedupe`` part).

    "Telnyx will ignore any command with the same command_id for the same call_control_id"
    (dial: any dial; conference commands: the same conference), 60 s window.
    """

    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self._commands: dict[tuple[str, str, str], tuple[float, Any]] = {}

    def duplicate(self, scope: str, target: str, command_id: Any) -> Any | None:
        if not isinstance(command_id, str) or not command_id:
            return None
        seen = self._commands.get((scope, target, command_id))
        if seen is None:
            return None
        when, response = seen
        if self.clock.seconds() - when > COMMAND_ID_WINDOW:
            del self._commands[(scope, target, command_id)]
            return None
        return response

    def remember(self, scope: str, target: str, command_id: Any, response: Any) -> None:
        if isinstance(command_id, str) and command_id:
            self._commands[(scope, target, command_id)] = (self.clock.seconds(), response)
