"""The workflow's desk database, and the history rows written for a session without a recorder.

Qt-free and apart from the glue (``workflow_install.py``): opening the desk (or one in memory,
with the reason, when the file cannot open) and noticing which calls have ended are facts
about the data, not about the window; a failed history write is logged, never raised, so a
call ending can never break the view that noticed it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from console.desk import Desk, database_path
from console.desk.calls import entry_from_call
from console.desk.demo import seed_demo
from console.history import CallHistoryEntry
from console.state.entities import Call
from console.ui.messages import describe_error

if TYPE_CHECKING:
    from console.session_api import ConsoleApi
    from console.state.store import Store

log = logging.getLogger("console.ui.workflow_install")


def open_desk(session: ConsoleApi) -> tuple[Desk, str | None]:
    """The session's desk database, or one in memory (with the reason) when it cannot open."""
    country = session.settings.default_country or None
    path = session.database_path  # the file the history recorder writes
    data_dir = session.data_dir
    if path is None and data_dir is not None:
        path = database_path(data_dir, session.demo)
    if path is not None:
        try:
            demo = session.demo
            desk = Desk.open(path, default_country=country)
            if demo:
                seed_demo(desk)  # the simulator's numbers in the directory and on Alt+1…
            return desk, None
        except Exception as exc:
            problem = (
                f"Contacts, notes and your status cannot be kept: {describe_error(exc)} "
                "They work for this session only."
            )
            log.warning("desk database unavailable: %s", exc)
            return Desk.in_memory(default_country=country), problem
    return Desk.in_memory(default_country=country), None


class EndedCalls:
    """The calls seen ended (each reported once), and their history rows written to the desk."""

    def __init__(self, desk: Desk, store: Store, is_operator_leg: Callable[[str], bool]):
        self.desk = desk
        self.store = store
        self.is_operator_leg = is_operator_leg
        self.ccids: set[str] = {ccid for ccid, call in store.calls.items() if not call.is_live}

    def newly_ended(self, touched: Iterable[str]) -> Iterator[Call]:
        """The calls among ``touched`` that have ended since last asked (in id order); each is
        taken as seen only as it is handed out."""
        for ccid in sorted(touched, key=str):
            call = self.store.call(str(ccid))
            if call is None or call.is_live or call.call_control_id in self.ccids:
                continue
            self.ccids.add(call.call_control_id)
            yield call

    def backfill(self) -> None:
        """Calls the store knows have ended (folded from the journal at start-up, after a
        crash) but that have no history row yet get one."""
        for ccid in sorted(self.ccids):
            call = self.store.call(ccid)
            if call is None or self.is_operator_leg(ccid) or self.desk.history.get(ccid):
                continue
            self.write(entry_from_call(call), ccid)

    def write(self, entry: CallHistoryEntry, ccid: str) -> None:
        try:
            self.desk.record_call(entry)
        except Exception as exc:
            log.warning("could not write the history row of %s: %s", ccid, exc)
