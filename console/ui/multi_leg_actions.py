"""The call actions that act on more than one leg: transfers (blind and attended), bridge,
merge, and the conference's add participant, kick and end (split out of console/ui/actions.py).

Each handler reads the selection through the ``CallActions`` it serves, asks for what it needs
(a target, a confirmation) and runs its command with ``CallActions.run``, so the pending rows,
the status bar and the error words are the same as for every other action.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.ui.formatting import conference_title, far_party

if TYPE_CHECKING:
    from console.ui.actions import CallActions


class MultiLegHandlers:
    def __init__(self, actions: CallActions) -> None:
        self._a = actions

    def transfer(self) -> None:
        a = self._a
        call = a._one()
        if call is None:
            return
        ccid = call.call_control_id

        def go(to: str) -> None:
            a.run("Transfer", lambda: a.ops.transfer(ccid, to), [ccid], "transferring…")

        a.context.open_prompt(
            "Transfer call",
            "Transfer the call to (number or SIP address):",
            a._target_validator(),
            go,
            "+1 202 555 0123 or sip:desk@example.com",
        )

    def attended_transfer(self) -> None:
        a = self._a
        call = a._one()
        if call is None:
            return
        ccid = call.call_control_id

        def go(to: str) -> None:
            a.run(
                "Attended transfer",
                lambda: a.ops.start_attended_transfer(ccid, to),
                [ccid],
                "consulting…",
                done_text=f"Consulting {to}: Complete or Cancel the transfer when ready.",
            )

        a.context.open_prompt(
            "Attended transfer",
            "Consult (number or SIP address); the caller waits on hold:",
            a._target_validator(),
            go,
            "+1 202 555 0123",
        )

    def complete_transfer(self) -> None:
        a = self._a
        transfer = a.current_transfer()
        if transfer is not None:
            legs = [c for c in (transfer.caller_ccid, transfer.consult_ccid) if c]
            a.run(
                "Complete transfer",
                lambda: a.ops.complete_attended_transfer(transfer),
                legs,
                "completing transfer…",
                busy_key="transfer",
            )

    def cancel_transfer(self) -> None:
        a = self._a
        transfer = a.current_transfer()
        if transfer is not None:
            legs = [c for c in (transfer.caller_ccid, transfer.consult_ccid) if c]

            def cancelled(_result: Any) -> None:
                if transfer.consult_ccid:
                    a.ended_notes[transfer.consult_ccid] = "Consultation cancelled by you"

            a.run(
                "Cancel transfer",
                lambda: a.ops.cancel_attended_transfer(transfer),
                legs,
                "cancelling transfer…",
                busy_key="transfer",
                on_success=cancelled,
                done_text="Transfer cancelled: the caller is back and off hold.",
            )

    def bridge(self) -> None:
        a = self._a
        calls = a._calls()
        if len(calls) == 2:
            one, other = (c.call_control_id for c in calls)
            a.run("Bridge", lambda: a.ops.bridge(one, other), [one, other], "bridging…")

    def merge(self) -> None:
        a = self._a
        ccids = [c.call_control_id for c in a._calls()]
        if len(ccids) >= 2:
            a.run("Merge", lambda: a.ops.merge(ccids), ccids, "merging…")

    def add_participant(self) -> None:
        a = self._a
        cid = a._conference_for_actions()
        if cid is None:
            return

        def go(to: str) -> None:
            a.run(
                "Add participant",
                lambda: a.ops.add_participant(cid, to),
                busy_key="conference",
            )

        a.context.open_prompt(
            "Add participant",
            "Dial into the conference (number or SIP address):",
            a._target_validator(),
            go,
            "+1 202 555 0123",
        )

    def kick(self) -> None:
        a = self._a
        selected = a.context.selected_participant()
        if selected:
            cid, ccid = selected
            a.run(
                "Kick",
                lambda: a.ops.kick(cid, ccid),
                [ccid],
                "removing…",
                on_success=a.outcomes.ended_by_operator(ccid, "Removed from the conference by you"),
            )

    def end_conference(self) -> None:
        a = self._a
        cid = a.context.selected_conference()
        conference = a.store.conferences.get(cid) if cid else None
        if cid is None or conference is None:
            return
        people = [a.store.call(p.call_control_id) for p in conference.present_participants()]
        names = [far_party(c) for c in people if c is not None]
        who = (
            f"This hangs up all {len(names)} participants:\n" + "\n".join(f"• {n}" for n in names)
            if names
            else "No one is connected to it."
        )
        title = conference_title(conference, a.store.calls)

        def end() -> None:
            a.run("End conference", lambda: a.ops.end_conference(cid), busy_key="conference")

        a.context.confirm(
            "End conference", f"End the conference “{title}”?\n{who}", "&End conference", end
        )
