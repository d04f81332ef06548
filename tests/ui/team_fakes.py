"""A boundary fake of ``session.team`` (:class:`console.team.view.TeamView`) for window tests.

It keeps colleagues and claims as plain values, records every team command, and tells the
window's listener what changed, as the real team session does on its loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from console.desk.status import Status, StatusModel
from console.operations.transfer import AttendedTransfer
from console.team.view import CallClaim, Colleague, SupervisorMode, TeamChange, TeamListener


class FakeTeam:
    def __init__(self, operator: str = "Sam", supervisor: bool = False):
        self._operator = operator
        self._supervisor = supervisor
        self.connected = True
        self.problem: str | None = None
        self._colleagues: dict[str, Colleague] = {}
        self._claims: dict[str, CallClaim] = {}
        self._listeners: list[TeamListener] = []
        self.commands: list[tuple[str, tuple[Any, ...]]] = []
        self.fail: dict[str, BaseException] = {}
        self.status: StatusModel | None = None  # the desk's, once the window shares it

    # --- TeamView -----------------------------------------------------------------------

    @property
    def operator(self) -> str:
        return self._operator

    @property
    def supervisor(self) -> bool:
        return self._supervisor

    @property
    def broker_connected(self) -> bool:
        return self.connected

    @property
    def broker_problem(self) -> str | None:
        return None if self.connected else self.problem

    def colleagues(self) -> list[Colleague]:
        return sorted(self._colleagues.values(), key=lambda c: c.operator.casefold())

    def claims(self) -> dict[str, CallClaim]:
        return dict(self._claims)

    def claim_of(self, call_control_id: str) -> CallClaim | None:
        return self._claims.get(call_control_id)

    def on_change(self, listener: TeamListener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def follow_status(self, status: StatusModel) -> None:
        self.status = status

    async def transfer_to_colleague(
        self, call_control_id: str, colleague: str, *, attended: bool
    ) -> AttendedTransfer | None:
        await self._do("transfer_to_colleague", call_control_id, colleague, attended)
        return None

    async def supervise(self, call_control_id: str, mode: SupervisorMode) -> None:
        await self._do("supervise", call_control_id, mode)

    async def stop_supervising(self, call_control_id: str) -> None:
        await self._do("stop_supervising", call_control_id)

    # --- driving it from a test ---------------------------------------------------------

    async def _do(self, name: str, *args: Any) -> None:
        self.commands.append((name, args))
        await asyncio.sleep(0)
        if name in self.fail:
            raise self.fail[name]

    def _tell(self, change: TeamChange) -> None:
        for listener in list(self._listeners):
            listener(change)

    def set_colleague(self, operator: str, status: Status = Status.AVAILABLE, **fields: Any):
        known = self._colleagues.get(operator)
        fields.setdefault("endpoint", f"sip:{operator.lower()}@example.sip.telnyx.com")
        colleague = (
            replace(known, status=status, **fields)
            if known is not None
            else Colleague(operator, status, **fields)
        )
        self._colleagues[operator] = colleague
        self._tell(TeamChange.COLLEAGUES)
        return colleague

    def set_claim(self, ccid: str, operator: str, action: str = "answering") -> None:
        self._claims[ccid] = CallClaim(ccid, operator, action, operator == self._operator)
        self._tell(TeamChange.CLAIMS)

    def drop_claim(self, ccid: str) -> None:
        self._claims.pop(ccid, None)
        self._tell(TeamChange.CLAIMS)

    def set_broker(self, connected: bool, problem: str | None = None) -> None:
        self.connected = connected
        self.problem = problem
        self._tell(TeamChange.BROKER)
