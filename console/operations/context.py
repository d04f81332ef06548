"""What every operation needs: the client, the store (read + confirmations), settings, audit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from console.operations.audit import AuditLog
from console.operations.errors import OperationError
from console.operations.ids import (
    CONSOLE_TAG_PREFIX,
    OPERATOR_TAG,
    default_operator_id,
    is_own_conference_name,
)
from console.operations.waiting import wait_for
from console.state.entities import Call, CallState, Conference, Participant

if TYPE_CHECKING:
    from console.config import Settings
    from console.session_api import TelnyxApi
    from console.state.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How long a step waits for its confirming webhook before it is reported as unconfirmed.
DEFAULT_CONFIRM_TIMEOUT = 20.0
#: How long a consult/operator leg may ring (the dial's timeout_secs; Telnyx's default is 30).
DEFAULT_RING_TIMEOUT = 30


@dataclass
class OpsContext:
    client: TelnyxApi
    store: Store
    settings: Settings
    audit: AuditLog
    hold_music_url: str | None = None
    connection_id: str | None = None
    confirm_timeout: float = DEFAULT_CONFIRM_TIMEOUT
    ring_timeout: int = DEFAULT_RING_TIMEOUT
    #: Who this console acts for: part of the command ids of the operator's own steps.
    operator_id: str = field(default_factory=default_operator_id)
    #: Legs given park_after_unbridge=self whose client_state could not carry a console tag.
    parking: set[str] = field(default_factory=set)
    #: Calls this console blind-transferred: ccid -> the destination it was sent to.
    transferred: dict[str, str] = field(default_factory=dict)

    # --- reading the store ---------------------------------------------------------------

    def call(self, call_control_id: str) -> Call | None:
        return self.store.calls.get(call_control_id)

    def conference(self, conference_id: str | None) -> Conference | None:
        if not conference_id:
            return None
        return self.store.conferences.get(conference_id)

    def require_call(self, call_control_id: str, *, live: bool = True) -> Call:
        if not call_control_id:
            raise ValueError("Select a call first.")
        call = self.call(call_control_id)
        if call is None:
            raise ValueError("That call is not known to the console (it may have been cleared).")
        if live and not call.is_live:
            raise ValueError("That call has already ended.")
        return call

    def require_conference(self, conference_id: str) -> Conference:
        conference = self.conference(conference_id)
        if conference is None:
            raise ValueError("That conference is not known to the console.")
        if not conference.is_live:
            raise ValueError("That conference has already ended.")
        return conference

    def live_conference_of(self, call: Call) -> Conference | None:
        """The live conference the leg is present in, if any."""
        conference = self.conference(call.conference_id)
        if conference is None or not conference.is_live:
            return None
        participant = conference.participants.get(call.call_control_id)
        if participant is not None and not participant.present:
            return None
        return conference

    def present(self, conference_id: str, call_control_id: str) -> Participant | None:
        conference = self.conference(conference_id)
        if conference is None:
            return None
        participant = conference.participants.get(call_control_id)
        return participant if participant is not None and participant.present else None

    def is_own_conference(self, conference: Conference | None) -> bool:
        return conference is not None and is_own_conference_name(conference.name)

    def is_operator_leg(self, call: Call | None) -> bool:
        return call is not None and call.client_state == OPERATOR_TAG

    def parks_after_unbridge(self, call: Call) -> bool:
        """Whether the leg stays up (parked) when its bridge is broken, rather than hanging up.

        Legs the console tags (client_state ``console:…``) were all given
        ``park_after_unbridge: self``; the tag survives a restart through the journal.
        """
        tagged = (call.client_state or "").startswith(CONSOLE_TAG_PREFIX)
        return tagged or call.call_control_id in self.parking

    def transferred_to(self, call: Call | None) -> str | None:
        """Where the console blind-transferred this call, or the call this leg was made for.

        Telnyx connects a transferred call to a new leg of its own (a bridge the console did
        not dial); either leg names the transfer.
        """
        if call is None:
            return None
        target = self.transferred.get(call.call_control_id)
        if target is None and call.bridged_to:
            target = self.transferred.get(call.bridged_to)
        return target

    def operator_leg_in(self, conference: Conference | None) -> Call | None:
        """The live operator leg (dialled by the console) present in this conference."""
        if conference is None:
            return None
        for participant in conference.present_participants():
            leg = self.call(participant.call_control_id)
            if leg is not None and leg.is_live and self.is_operator_leg(leg):
                return leg
        return None

    def from_number_for(self, call: Call | None = None) -> str:
        """Caller ID for a leg the console dials: the number the call came in on, if ours."""
        numbers = list(self.settings.from_numbers or [])
        if call is not None:
            for candidate in (call.to_number, call.from_number):
                if candidate in numbers:
                    return candidate
        if numbers:
            return numbers[0]
        raise ValueError("Set at least one caller ID number (From) in Settings first.")

    # --- confirmations (the store's mark_* methods, after a 200) ----------------------------

    def mark_participants(
        self,
        conference_id: str,
        ccids: list[str],
        *,
        muted: bool | None = None,
        on_hold: bool | None = None,
    ) -> None:
        self.store.mark_participants(conference_id, ccids, muted=muted, on_hold=on_hold)

    def mark_call_recording(self, call_control_id: str, state: Any) -> None:
        self.store.mark_call_recording(call_control_id, state)

    def mark_conference_recording(self, conference_id: str, state: Any) -> None:
        self.store.mark_conference_recording(conference_id, state)

    def note_conference_name(self, conference_id: str, name: str) -> None:
        note = getattr(self.store, "note_conference_name", None)
        if note is not None:
            note(conference_id, name)

    def note_bridge(self, a: str, b: str) -> None:
        # call.bridged never names the other leg: only the console knows whom it bridged.
        note = getattr(self.store, "note_bridge", None) or getattr(self.store, "mark_bridge", None)
        if note is not None:
            note(a, b)

    # --- waiting for webhooks -------------------------------------------------------------

    async def wait(
        self, condition: Callable[[], T | None], what: str, within: float | None = None
    ) -> T:
        return await wait_for(
            self.store, condition, within=within or self.confirm_timeout, what=what
        )

    async def wait_joined(self, conference_id: str, call_control_id: str) -> Participant:
        """Until the leg is present in the conference; fails early if the leg ends."""

        def joined() -> Participant | None:
            participant = self.present(conference_id, call_control_id)
            if participant is not None:
                return participant
            call = self.call(call_control_id)
            if call is not None and call.state is CallState.ENDED:
                raise LegEnded(call)
            return None

        return await self.wait(joined, "the call joined the conference")

    async def wait_answered(self, call_control_id: str, within: float | None = None) -> Call:
        """Until the leg is answered (any state past RINGING); raises LegEnded if it ends."""

        def answered() -> Call | None:
            call = self.call(call_control_id)
            if call is None:
                return None
            if call.state is CallState.ENDED:
                raise LegEnded(call)
            if call.state is not CallState.RINGING or call.answered_at is not None:
                return call
            return None

        return await self.wait(answered, "the call was answered", within)


class LegEnded(Exception):
    """A leg being waited on ended (busy, no answer, hung up): carries the ended call."""

    def __init__(self, call: Call):
        super().__init__(call.call_control_id)
        self.call = call


def hangup_reason(call: Call) -> str:
    """'busy', 'no answer', ... in words from the hangup cause."""
    cause = (call.hangup_cause or "").lower()
    words = {
        "user_busy": "busy",
        "busy": "busy",
        "timeout": "no answer",
        "no_answer": "no answer",
        "originator_cancel": "cancelled",
        "call_rejected": "rejected",
        "normal_clearing": "hung up",
        "unallocated_number": "number not in service",
    }
    text = words.get(cause, cause.replace("_", " ") or "ended")
    return text


def ccid_of(result: object) -> str:
    """The call_control_id of a dial answer (a response model or a plain dict)."""
    ccid = getattr(result, "call_control_id", None)
    if ccid is None and isinstance(result, dict):
        ccid = result.get("call_control_id")
    if not ccid:
        raise OperationError("Telnyx accepted the call but did not say its call_control_id.")
    return str(ccid)


def conference_id_of(result: object) -> str:
    """The id of a created conference (a response model or a plain dict)."""
    conference_id = getattr(result, "id", None)
    if conference_id is None and isinstance(result, dict):
        conference_id = result.get("id")
    if not conference_id:
        raise OperationError("Telnyx created the conference but did not say its id.")
    return str(conference_id)
