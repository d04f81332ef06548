"""The session's webhook receiver: the ingest component, its reports, its restarts.

``ReceiverLink`` starts ingest (the receiver on 127.0.0.1 and the journal it commits to, in
a child process or a thread), hands what it reports to the session (commits to the journal
tail and the history recorder, rejections to the listeners, counters to ``health``), and
restarts it when it stops by itself (after ``INGEST_RESTART_WAITS``) or when a setting moves
it. A demo's receiver takes any free port; its simulator then delivers to the new URL.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from console.errors import words_for
from console.events.deliveries import ReceiverStats, Rejection
from console.ingest.config import IngestConfig
from console.ingest.host import Ingest, IngestError, IngestListeners, IngestProcess, IngestThread
from console.secrets import Secret

if TYPE_CHECKING:
    from console.session import ConsoleSession

log = logging.getLogger(__name__)

#: A receiver process that stopped by itself is restarted after these waits (then the last).
INGEST_RESTART_WAITS = (0.5, 2.0, 5.0, 15.0, 30.0)


class ReceiverLink:
    """The receiver of one session; ``session.ingest`` and ``session.receiver`` are its state."""

    def __init__(self, session: ConsoleSession) -> None:
        self._s = session
        self.restart_task: asyncio.Task[None] | None = None

    def port_setting(self) -> int:
        s = self._s
        if s._receiver_port is not None:
            return s._receiver_port
        # A demo has no tunnel pointing at a fixed port: any free one, so demos never collide.
        return 0 if s.demo else s.settings.receiver_port

    def config(self, public_key: str | None) -> IngestConfig:
        s = self._s
        return IngestConfig(
            journal_path=str(s._journal_path()),
            port=self.port_setting(),
            path=s.settings.receiver_path,
            public_key=public_key,
            verify_signatures=s.settings.verify_signatures,
            retention_days=s.settings.event_retention_days,
        )

    async def start(self, public_key: str | None) -> None:
        """Start the ingest component: the receiver answers Telnyx from now on."""
        s = self._s
        config = self.config(public_key)
        listeners = IngestListeners(
            committed=self.on_committed,
            rejected=self._on_rejected,
            stats=self._on_stats,
            lost=self._on_lost,
            key_error=self._on_key_refused,
        )
        ingest: Ingest
        if s._ingest_mode == "process":
            ingest = IngestProcess(config, listeners)
        else:
            ingest = IngestThread(config, listeners)
        try:
            ready = await ingest.start()
        except OSError as exc:
            raise OSError(
                f"The webhook receiver cannot listen on 127.0.0.1:{config.port} "
                f"({exc.strerror or exc}). Another program (or another copy of the console) "
                "uses that port: close it or choose another receiver port in Settings."
            ) from exc
        except IngestError as exc:
            if "address already in use" in exc.user_message.lower():
                raise IngestError(
                    f"The webhook receiver cannot listen on 127.0.0.1:{config.port}: another "
                    "program (or another copy of the console) uses that port. Close it or "
                    "choose another receiver port in Settings."
                ) from exc
            raise
        s.ingest = ingest
        s.receiver.started(ready)
        if s.tail is not None:
            s.tail.notify(ready.last_seq)
        s._set_health(
            receiver_url=ready.url,
            receiver_problem=None,
            verification_enabled=ready.verification_enabled,
            key_problem=ready.key_problem,
        )

    def on_committed(self, seq: int) -> None:
        s = self._s
        if s.tail is not None:
            s.tail.notify(seq)
        if s.recorder is not None:
            s.recorder.notify(seq)

    def _on_rejected(self, rejection: Rejection) -> None:
        s = self._s
        s._rejected_listeners.fire(rejection)

    def _on_stats(self, stats: ReceiverStats) -> None:
        s = self._s
        s.receiver.stats = stats
        self.refresh_health()

    def _on_key_refused(self, detail: str) -> None:
        s = self._s
        s.receiver.key_refused(detail)
        self.refresh_health()

    def _on_lost(self, why: str) -> None:
        """The receiver process stopped by itself: say so, and start it again."""
        s = self._s
        log.error("%s; restarting it", why)
        s.receiver.stopped()
        s._set_health(
            receiver_problem=(
                f"The webhook receiver stopped ({why}). The console is restarting it; Telnyx "
                "retries what was not answered meanwhile."
            )
        )
        if s._stopping or (self.restart_task is not None and not self.restart_task.done()):
            return
        self.restart_task = asyncio.create_task(self._restart_after_loss(), name="ingest-restart")

    async def _restart_after_loss(self) -> None:
        s = self._s
        for attempt in range(1_000_000):
            wait = INGEST_RESTART_WAITS[min(attempt, len(INGEST_RESTART_WAITS) - 1)]
            await asyncio.sleep(wait)
            if s._stopping:
                return
            old_url = s.health.receiver_url
            try:
                await self.start(await self.current_public_key())
                await self.follow_in_demo(old_url)
            except Exception as exc:
                log.error("restarting the webhook receiver failed: %s", words_for(exc))
                continue
            log.info("the webhook receiver is running again at %s", s.receiver.url)
            return

    async def current_public_key(self) -> str | None:
        s = self._s
        if s.demo:
            return s.simulator.public_key_b64 if s.simulator is not None else None
        key: str | None = await s.secrets.aget(Secret.PUBLIC_KEY)
        return key

    def refresh_health(self) -> None:
        s = self._s
        stats = s.receiver.stats
        # The receiver's counters come every quarter second; what was folded is known now.
        last = max(stats.last_event_at or 0.0, s.feed.last_received_at or 0.0) or None
        pending = s.tail.pending if s.tail is not None else 0
        if s.team is not None:
            pending += s.team.source.pending  # still in the broker's stream
        s._set_health(
            last_event_at=datetime.fromtimestamp(last, UTC) if last is not None else None,
            last_delivery_delay=stats.last_delivery_delay,
            retries_seen=stats.retries_seen,
            duplicates_seen=stats.duplicates,
            rejected_count=stats.rejected_total,
            verification_enabled=s.receiver.verification_enabled,
            key_problem=s.receiver.key_problem,
            silence_warning=self._silence(),
            events_pending=pending,
        )

    def quiet_for(self) -> float | None:
        """Seconds since the last event (or since the receiver started), if known."""
        s = self._s
        stats = s.receiver.stats
        last = max(stats.last_event_at or 0.0, s.feed.last_received_at or 0.0)
        last = last or stats.started_at or 0.0
        return None if not last else time.time() - last

    def _silence(self) -> bool:
        s = self._s
        # A counter, not a scan: this runs on every stats report.
        limit = s.settings.event_silence_warning_secs
        if not limit or s.store.live_count == 0:
            return False
        quiet = self.quiet_for()
        return quiet is not None and quiet > limit

    async def restart(self) -> bool:
        """Restart the receiver (verification switch, path, port); True if its URL moved."""
        s = self._s
        old_url = s.receiver.url
        if s.ingest is not None:
            await s.ingest.stop()
            s.ingest = None
        await self.start(await self.current_public_key())
        return await self.follow_in_demo(old_url)

    async def follow_in_demo(self, old_url: str | None) -> bool:
        """True if the receiver's URL moved; a demo's simulator then delivers to the new one."""
        s = self._s
        new_url = s.receiver.url
        moved = new_url != old_url
        if moved and new_url is not None and s.demo and s.client is not None:
            # The simulator delivers where its application points: follow the receiver.
            app = await s.client.applications.retrieve(s.settings.connection_id)
            await s.client.applications.update(
                app.id,
                application_name=app.application_name or app.id,
                webhook_event_url=new_url,
            )
            s._set_health(webhook_url=new_url)
        return moved
