"""The checks a team action passes before anything is sent to Telnyx, each refusal in words.

A transfer to a colleague needs the colleague to be known, online, reachable on an operator
phone and not away or on do-not-disturb; listening in needs the supervisor role and a phone of
one's own; both need the session's operations to exist. Each failed check raises a
:class:`~console.team.errors.TeamActionError` the UI shows as it is. Kept apart from
:class:`~console.team.mode.TeamMode` (which runs the action once the checks pass) so the rules
read in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

from console.desk.status import Status
from console.team.errors import TeamActionError
from console.team.operations import TeamOperations
from console.team.view import Colleague


def require_ops(ops: TeamOperations | None) -> TeamOperations:
    if ops is None:
        raise TeamActionError("The console is still starting: try again in a moment.")
    return ops


def find_colleague(colleagues: Iterable[Colleague], name: str) -> Colleague:
    """The colleague called ``name`` (any case, spaces around ignored)."""
    for colleague in colleagues:
        if colleague.operator.casefold() == name.strip().casefold():
            return colleague
    raise TeamActionError(f"{name} is not on the team (or has never been online).")


def transfer_endpoint(target: Colleague) -> str:
    """Where a call to ``target`` goes: their operator phone, if they can take it now."""
    if target.status is Status.OFFLINE:
        raise TeamActionError(f"{target.operator} is offline.")
    if target.endpoint is None:
        raise TeamActionError(
            f"{target.operator} has no operator phone set, so a call cannot be sent to them."
        )
    if target.status in (Status.AWAY, Status.DND):
        raise TeamActionError(f"{target.operator} is {target.label.lower()}.")
    return target.endpoint


def supervisor_endpoint(supervisor: bool, endpoint: str | None) -> str:
    """The supervisor's own phone, the leg that joins a colleague's call."""
    if not supervisor:
        raise TeamActionError("Only an operator with the supervisor role can do that.")
    if not endpoint:
        raise TeamActionError("Set your operator phone in Settings to listen to calls.")
    return endpoint
