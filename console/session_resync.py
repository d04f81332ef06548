"""The session's resyncs: fetch what is live from the REST API and let the store reconcile.

Webhooks can be lost (a tunnel down, a laptop asleep), so the session asks the API now and
then: at start-up, after a tunnel reconnect, a clock jump, an event about a leg the store
never saw start, and while calls are live but no event arrives (backing off from
``QUIET_RESYNC_SECS`` to ``QUIET_RESYNC_MAX_SECS``). Requests within the debounce window
become one; one resync runs at a time; each result is recorded in ``session.health``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from console.errors import words_for
from console.operations.errors import OperationError
from console.operations.resync import fetch_snapshot

if TYPE_CHECKING:
    from console.session import ConsoleSession

log = logging.getLogger(__name__)

#: With calls live and no event for this long, resync (then back off, up to the maximum).
QUIET_RESYNC_SECS = 60.0
QUIET_RESYNC_MAX_SECS = 600.0


class Resyncer:
    """Debounced, one-at-a-time resyncs of one session."""

    def __init__(self, session: ConsoleSession) -> None:
        self._s = session
        self.task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._reasons: list[str] = []
        self._last_monotonic = time.monotonic()
        self._quiet_wait = QUIET_RESYNC_SECS

    def request(self, reason: str) -> None:
        """Ask for a resync soon; requests within the debounce window become one.

        Without an API key or an application there is nothing to ask: the request is dropped
        quietly (health already says what setup is missing).
        """
        s = self._s
        if s.client is None or not s.settings.connection_id:
            log.debug("resync (%s) skipped: no API key or application yet", reason)
            return
        self._reasons.append(reason)
        if s._stopping or (self.task is not None and not self.task.done()):
            return
        self.task = asyncio.create_task(self._debounced(), name="session-resync")

    async def _debounced(self) -> None:
        s = self._s
        await asyncio.sleep(s._resync_debounce)  # gather the other requests of one burst
        reasons = list(dict.fromkeys(self._reasons))
        self._reasons.clear()
        try:
            await self.resync("; ".join(reasons) or "requested")
        except (OperationError, ValueError) as exc:
            log.warning("background resync not possible: %s", words_for(exc))
        except Exception as exc:
            # Recorded in health (last_resync_error); a traceback helps only when it is ours.
            if getattr(exc, "user_message", None):
                log.warning("background resync failed: %s", words_for(exc))
            else:
                log.exception("background resync failed")

    async def resync(self, reason: str) -> None:
        """Fetch what is live from the REST API and let the store reconcile (one at a time)."""
        s = self._s
        if s.client is None:
            raise OperationError("Resync needs the Telnyx API key: add it in Settings.")
        connection_id = s.settings.connection_id
        if not connection_id:
            raise ValueError("Choose the Call Control application in Settings first.")
        async with self._lock:
            log.info("resync (%s)", reason)
            self._last_monotonic = time.monotonic()
            try:
                snapshot = await fetch_snapshot(s.client, connection_id, now=s._api_now)
            except Exception as exc:
                s._note_api_result(exc)
                message = words_for(exc)
                s._set_health(last_resync_error=message, last_resync_reason=reason)
                raise
            s.store.reconcile(snapshot)
            s._note_api_result(None)
            s._set_health(
                last_resync_at=snapshot.taken_at, last_resync_reason=reason, last_resync_error=None
            )

    def if_quiet(self) -> None:
        """Calls are live but no event came for a while: a lost hangup leaves a call live
        forever, so ask the API; while it stays quiet, ask less and less often."""
        s = self._s
        quiet = s._quiet_for()
        if s.store.live_count == 0 or quiet is None or quiet < QUIET_RESYNC_SECS:
            self._quiet_wait = QUIET_RESYNC_SECS
            return
        if time.monotonic() - self._last_monotonic < self._quiet_wait:
            return
        self._quiet_wait = min(self._quiet_wait * 2, QUIET_RESYNC_MAX_SECS)
        self._last_monotonic = time.monotonic()
        self.request("calls are live but no event arrived for a while")
