"""What became of the calls the operator ended or dialled from the call actions.

A call whose hang-up, reject or kick was accepted keeps its row pending ("ending…") until the
store says it ended, so a second press cannot fail on an ending call; why it ended is noted for
the calls table's "Ended" cell; a call dialled from here has its fate (answered, cancelled,
busy...) said in the status bar once the store knows it.

Split out of console/ui/actions.py (issue 11): the actions start commands, this bookkeeping
follows their calls afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from console.state.entities import Call
from console.ui.action_specs import ActionContext
from console.ui.call_cells import is_up
from console.ui.formatting import hangup_text
from console.ui.pending import PendingOps

#: Operator-ended calls whose note is kept (far more than the table shows at once).
ENDED_NOTES_KEPT = 1000


class CallOutcomes:
    def __init__(
        self, call_of: Callable[[str], Call | None], pending: PendingOps, context: ActionContext
    ) -> None:
        self._call_of = call_of
        self._pending = pending
        self._context = context
        self._ending: set[str] = set()
        self._dialled: dict[str, str] = {}  # ccid -> number: whose fate the status bar tells
        #: Why a call ended, when the operator ended it (the calls table's "Ended" cell).
        self.ended_notes: dict[str, str] = {}

    def settle(self) -> None:
        """Rows whose end was asked for stay pending until the store says they ended; a call
        dialled from here has its fate said once it is known."""
        pending = self._pending
        for ccid in list(self._ending):
            call = self._call_of(ccid)
            if call is None or not call.is_live:
                self._ending.discard(ccid)
                pending.clear(ccid)
            elif pending.text(ccid) is None:
                pending.set(ccid, "ending…")
        for ccid, number in list(self._dialled.items()):
            call = self._call_of(ccid)
            if call is None:
                continue  # its call.initiated has not arrived yet
            if call.answered_at is not None or is_up(call):
                del self._dialled[ccid]
                self._context.show_status(f"Call to {number}: answered")
            elif not call.is_live:
                del self._dialled[ccid]
                if ccid in self.ended_notes:
                    self._context.show_status(f"Call to {number}: cancelled")
                else:
                    outcome = hangup_text(call.hangup_cause, call.hangup_source, call.direction)
                    self._context.notify_error(f"Call to {number}: {outcome}")

    def ended_by_operator(self, ccid: str, note: str) -> Callable[[Any], None]:
        """on_success for a command that ends ``ccid``: keep its row pending until it has."""

        def done(_result: Any) -> None:
            self.ended_notes[ccid] = note
            self._ending.add(ccid)
            while len(self.ended_notes) > ENDED_NOTES_KEPT:  # a long shift: oldest go first
                del self.ended_notes[next(iter(self.ended_notes))]

        return done

    def follow_dial(self, to: str) -> Callable[[Any], None]:
        """on_success for a dial: the new call's fate is said once the store knows it."""

        def follow(ccid: Any) -> None:
            if isinstance(ccid, str) and ccid:
                self._dialled[ccid] = to

        return follow
