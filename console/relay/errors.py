"""Errors of team mode; every one carries ``user_message``, a sentence for the operator.

::

    TeamError
    ├── BrokerUnavailable     the NATS server cannot be reached (or refused the credentials)
    ├── RelayConfigError      the relay's config file cannot be used as it is
    └── ClaimTaken            another operator holds the call (``holder`` says who)
"""

from __future__ import annotations

from console.errors import ConsoleError


class TeamError(ConsoleError):
    """Base of team-mode errors (a :class:`ConsoleError`, so ``words_for`` shows its words)."""


class BrokerUnavailable(TeamError):
    """The broker cannot be reached now; callers retry or show "broker disconnected"."""


class RelayConfigError(TeamError):
    """The relay's configuration is missing, unreadable or wrong; ``problems`` lists each."""

    def __init__(self, user_message: str, problems: list[str] | None = None):
        super().__init__(user_message)
        self.problems = problems or []
