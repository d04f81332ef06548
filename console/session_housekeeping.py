"""The session's 1 s housekeeping: what must happen even when no webhook arrives.

Every tick: notice a wall-clock jump or a wake from sleep (then resync), refresh the
receiver's health (the silence warning), publish the console's metrics, resync if calls are
live but quiet; every ``PRUNE_EVERY_TICKS`` prune the calls that ended long enough ago, and
every ``CHECKPOINT_EVERY_TICKS`` save the checkpoint. One failing step is logged; the next
tick runs anyway.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from console.operations.health import ClockWatch

if TYPE_CHECKING:
    from console.session import ConsoleSession

log = logging.getLogger("console.session")

TICK_SECS = 1.0
PRUNE_EVERY_TICKS = 10
CHECKPOINT_EVERY_TICKS = 30


async def run_housekeeping(session: ConsoleSession) -> None:
    """Tick until cancelled (the session cancels it when it stops)."""
    clock = ClockWatch()
    ticks = 0
    while True:
        await asyncio.sleep(TICK_SECS)
        ticks += 1
        try:
            drift = clock.jumped()
            if drift is not None:
                log.warning("wall clock moved %.0f s against the monotonic clock", drift)
                session.request_resync("clock jump or wake from sleep")
            session._refresh_receiver_health()
            publish_metrics(session)
            session._resyncer.if_quiet()
            if ticks % PRUNE_EVERY_TICKS == 0:
                retention = timedelta(seconds=session.settings.ended_call_retention_secs)
                session.store.prune_ended(retention)
            if ticks % CHECKPOINT_EVERY_TICKS == 0:
                await session.save_checkpoint()
        except Exception:
            log.exception("session housekeeping failed")


def publish_metrics(session: ConsoleSession) -> None:
    metrics = session.metrics
    metrics.update(
        pending=session.tail.pending if session.tail is not None else 0,
        folded=session.feed.folded_events,
        live=session.store.live_count,
        known=len(session.store.calls),
    )
    if session.ingest is not None:
        session.ingest.set_console_metrics(metrics.exposition())
