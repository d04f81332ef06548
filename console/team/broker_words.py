"""What the operator reads about the team broker: connecting, connected, or why not.

Team mode shows the broker's state in the status bar (``health.broker_problem``) and in the
Team panel (:attr:`~console.team.view.TeamView.broker_problem`). The words are made here from
the connection's state and last error, apart from :class:`~console.team.mode.TeamMode`, which
only passes them on when the state changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from console.relay.connection import BrokerState


def connecting_words(servers: Sequence[str]) -> str:
    where = ", ".join(servers)
    return f"connecting to the team broker at {where}…"


def state_problem(state: BrokerState, servers: Sequence[str], last_error: str | None) -> str | None:
    """The health words for a new broker state (None: connected, nothing to say)."""
    if state in (BrokerState.CONNECTED, BrokerState.RECONNECTED):
        return None
    if state is BrokerState.CONNECTING:
        return connecting_words(servers)
    why = f" ({last_error})" if last_error else ""
    return (
        f"broker disconnected{why}: new calls and call events from the team do not "
        "arrive now; the console reconnects by itself and catches up without a gap."
    )


def current_problem(
    state: BrokerState, connected: bool, servers: Sequence[str], stream_problem: str | None
) -> str | None:
    """What is wrong now: the stream's problem once connected, else the broker's state."""
    if connected:
        return stream_problem
    if state is BrokerState.DISCONNECTED:
        return "broker disconnected"
    return connecting_words(servers)
