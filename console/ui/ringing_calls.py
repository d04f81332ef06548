"""The incoming calls still ringing, kept up to date from the store's change batches.

Answer-without-a-click, the ringing popup and the ringtone all ask "which calls are ringing,
oldest first?" after every batch of events. Answering that by scanning every live call made
each batch cost O(live calls) on the GUI thread (5,000 live calls: most of its time); this
keeps the few ringing ones as the changes name them, so a batch costs what it touched.
"""

from __future__ import annotations

from console.state.changes import Changes
from console.state.entities import Call, CallState
from console.state.store import Store
from console.ui import formatting as fmt


def rings_in(call: Call) -> bool:
    """An incoming leg that is still ringing."""
    return call.direction == "incoming" and call.state is CallState.RINGING


def started_order(call: Call) -> tuple[float, str]:
    started = fmt.as_aware(call.started_at)
    return (started.timestamp() if started else float("inf"), call.call_control_id)


class RingingCalls:
    """The ids of ringing incoming calls; ``calls()`` gives them oldest first."""

    def __init__(self, store: Store):
        self.store = store
        self._ccids: set[str] = set()
        self.reset()

    def reset(self) -> None:
        """Read the whole store again (at start and after the store was rebuilt)."""
        self._ccids = {ccid for ccid, call in self.store.calls.items() if rings_in(call)}

    def apply(self, changes: Changes) -> None:
        if changes.reset:
            self.reset()
            return
        calls = changes.calls
        self._ccids.difference_update(calls.removed)
        for ccid in calls.added | calls.changed:
            call = self.store.call(ccid)
            if call is not None and rings_in(call):
                self._ccids.add(ccid)
            else:
                self._ccids.discard(ccid)

    def calls(self) -> list[Call]:
        found = (self.store.call(ccid) for ccid in self._ccids)
        return sorted((c for c in found if c is not None and rings_in(c)), key=started_order)

    def __len__(self) -> int:
        return len(self._ccids)
