"""Claims by colleagues on the calls table and in the Team panel's "Now" list, in words.

Apart from the glue (``team_install.py``): a ringing or waiting call another operator is
taking says so in its row ("Alex is answering…") and counts as busy here, so it is neither
answered nor rung on this console; a row this console is itself working on keeps its own
words. This module only decides the words and keeps the rows it marked in step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from console.state.entities import Call, CallState
from console.team.view import CallClaim
from console.ui import formatting as fmt

if TYPE_CHECKING:
    from console.ui.pending import PendingOps

#: Calls a claim by someone else keeps this console's hands off (answered calls are theirs by
#: then, and shown as such by their presence).
CLAIMABLE = (CallState.RINGING, CallState.QUEUED)

CallLookup = Callable[[str], Call | None]


def describe_call(call_of: CallLookup, ccid: str) -> str:
    call = call_of(ccid)
    return fmt.who(call) if call is not None else "a call"


def claim_line(call_of: CallLookup, claim: CallClaim) -> str:
    """ "Alex is answering: Ada Lovelace" while the call rings, then "Alex has the call…"."""
    who = describe_call(call_of, claim.call_control_id)
    call = call_of(claim.call_control_id)
    if call is not None and call.is_live and call.state not in CLAIMABLE:
        return f"{'You have' if claim.mine else claim.operator + ' has'} the call with {who}"
    return f"{claim.words}: {who}"


def claim_text(claim: CallClaim) -> str:
    """What the claimed call's row says while a colleague takes it."""
    return f"{claim.words}…"


class ClaimRows:
    """The rows of the calls table this console marked as taken by a colleague."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}  # ccid -> the pending text this set on its row

    def sync(self, claims: dict[str, CallClaim], call_of: CallLookup, pending: PendingOps) -> None:
        """Rows another operator is taking say so and count as busy here (no Answer, no ring);
        a row this console is itself working on keeps its own words."""
        wanted: dict[str, str] = {}
        for ccid, claim in claims.items():
            call = call_of(ccid)
            if claim.mine or call is None or not call.is_live or call.state not in CLAIMABLE:
                continue
            wanted[ccid] = claim_text(claim)
        for ccid, text in list(self.texts.items()):
            if wanted.get(ccid) != text:
                if pending.text(ccid) == text:
                    pending.clear(ccid)
                del self.texts[ccid]
        for ccid, text in wanted.items():
            current = pending.text(ccid)
            if current is None or current == self.texts.get(ccid):
                if current != text:
                    pending.set(ccid, text)
                self.texts[ccid] = text
