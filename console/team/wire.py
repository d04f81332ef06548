"""Between the relay's values and the UI's: statuses, colleagues and claims.

The relay's presence board speaks :class:`~console.relay.presence.OperatorStatus` (with a
"busy" the desk does not have) and its claim book :class:`~console.relay.claims.Claim`; the UI
reads the desk's :class:`~console.desk.status.Status` and the plain values of
:mod:`console.team.view`. These pure functions are the one place the two meet, so
:class:`~console.team.mode.TeamMode` only decides when to publish and what to hand out.
"""

from __future__ import annotations

from console.desk.status import Status
from console.relay.claims import Claim
from console.relay.presence import OperatorStatus, Presence
from console.team.view import CallClaim, Colleague

_TO_WIRE = {
    Status.AVAILABLE: OperatorStatus.AVAILABLE,
    Status.AWAY: OperatorStatus.AWAY,
    Status.DND: OperatorStatus.DND,
    Status.WRAP_UP: OperatorStatus.WRAP_UP,
    Status.OFFLINE: OperatorStatus.OFFLINE,
}
_FROM_WIRE = {wire: desk for desk, wire in _TO_WIRE.items()} | {
    OperatorStatus.BUSY: Status.AVAILABLE  # "busy" is Available with a current call
}


def colleague_of(presence: Presence) -> Colleague:
    return Colleague(
        operator=presence.operator,
        status=_FROM_WIRE[presence.status],
        reason=presence.reason,
        call_control_id=(
            presence.call_control_id if presence.status is not OperatorStatus.OFFLINE else None
        ),
        supervisor=presence.supervisor,
        endpoint=presence.endpoint,
    )


def wire_status(desk: Status, current_call: str | None) -> OperatorStatus:
    """The status to publish: the desk's, with Available on a call shared as busy."""
    wire = _TO_WIRE[desk]
    if wire is OperatorStatus.AVAILABLE and current_call is not None:
        return OperatorStatus.BUSY
    return wire


def call_claim(claim: Claim, console_id: str) -> CallClaim:
    """A claim as the UI sees it; ``mine`` when this console (``console_id``) holds it."""
    mine = claim.console_id == console_id
    return CallClaim(claim.call_control_id, claim.operator, claim.action, mine)
