"""Shared helpers for operation and scenario tests (no fixed sleeps: wait on the store)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from console.config import Settings
from console.operations.waiting import wait_for
from console.secrets import SecretStore, use_in_memory_keyring
from console.session import ConsoleSession
from console.simulator import Faults
from console.state.entities import Call, CallState

SPEED = 50.0  # a 2 s ring takes 40 ms
WITHIN = 15.0  # real seconds: generous, never a timing assertion
LONG_RING = 100_000.0  # simulated seconds an unanswered inbound call keeps ringing


@contextlib.asynccontextmanager
async def make_session(
    home: Path,
    *,
    faults: Faults | None = None,
    seed: int = 7,
    settings: Settings | None = None,
    speed: float = SPEED,
) -> AsyncIterator[ConsoleSession]:
    with use_in_memory_keyring():
        session = ConsoleSession(
            settings or Settings(tunnel_provider="none"),
            SecretStore(environ={}),
            demo=True,
            data_dir=home / "data",
            settings_path=home / "config" / "settings.json",
            receiver_port=0,
            simulator_options={"speed": speed, "faults": faults or Faults(), "seed": seed},
            demo_traffic=False,
        )
        await session.start()
        try:
            yield session
        finally:
            await session.stop()


async def until(session: ConsoleSession, condition: Callable[[], Any], what: str) -> Any:
    return await wait_for(session.store, condition, within=WITHIN, what=what)


async def call_in_state(session: ConsoleSession, ccid: str, *states: CallState) -> Call:
    def check() -> Call | None:
        call = session.store.call(ccid)
        return call if call is not None and call.state in states else None

    return await until(session, check, f"{ccid} is {'/'.join(states)}")


async def ringing_inbound(session: ConsoleSession, **kw: Any) -> str:
    """An inbound call that rings until answered; returns its ccid once the store shows it."""
    kw.setdefault("from_", "+13125550142")
    kw.setdefault("caller_name", "Pat Caller")
    ccid = await session.simulator.place_inbound_call(ring_secs=LONG_RING, **kw)
    await call_in_state(session, ccid, CallState.RINGING)
    return ccid


async def answered_inbound(session: ConsoleSession, **kw: Any) -> str:
    ccid = await ringing_inbound(session, **kw)
    await session.ops.answer(ccid)
    await call_in_state(session, ccid, CallState.ANSWERED, CallState.IN_CONFERENCE)
    return ccid


async def settle(session: ConsoleSession) -> None:
    """Every pending webhook delivered and applied."""
    await session.simulator.wait_idle(WITHIN)


def truth_call(session: ConsoleSession, ccid: str) -> dict[str, Any] | None:
    return session.simulator.truth()["calls"].get(ccid)
