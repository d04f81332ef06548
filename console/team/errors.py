"""The error a team action raises when it cannot be done as asked (words for the operator)."""

from __future__ import annotations

from console.relay.errors import TeamError


class TeamActionError(TeamError):
    """A team action refused before anything was sent (unknown colleague, not a supervisor…)."""
