"""Whether a Team action on the selected colleague can run now, and if not, why not in words.

Qt-free and apart from the panel (``team_panel.py``): the same answer enables the panel's
buttons, the Team menu's actions and the line that says why one is disabled.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.desk.status import Status
from console.state.entities import Call
from console.team.view import Colleague
from console.ui.team_status import activity_words


@dataclass(frozen=True)
class Availability:
    """Whether an action on the selected colleague can run now, and if not, why not."""

    ok: bool
    reason: str = ""


def transfer_availability(colleague: Colleague | None, call: Call | None) -> Availability:
    if colleague is None:
        return Availability(False, "Select a colleague to transfer to.")
    if call is None or not call.is_live:
        return Availability(False, "Select the call to transfer in the calls table.")
    if colleague.endpoint is None:
        return Availability(
            False, f"{colleague.operator} has no phone set (their Operator endpoint)."
        )
    if not colleague.can_take_transfer:
        return Availability(False, f"{colleague.operator} is {activity_words(colleague).lower()}.")
    return Availability(True)


def supervise_availability(colleague: Colleague | None, supervisor: bool) -> Availability:
    if not supervisor:
        return Availability(
            False, "Listen, Whisper and Barge in are for supervisors (Settings → Team)."
        )
    if colleague is None:
        return Availability(False, "Select the colleague whose call to join.")
    if colleague.call_control_id is None or colleague.status is Status.OFFLINE:
        return Availability(False, f"{colleague.operator} is not on a call.")
    return Availability(True)
