"""The ingest component: receive, verify and journal webhooks, and say what was committed.

One :class:`IngestService` runs on an event loop of its own (a child process of the console,
a thread, or the stand-alone relay): the aiohttp receiver on loopback, the group-committed
journal, and ``/metrics`` on a second loopback port. It never waits for whoever reads the
journal: it tells them what it committed (``on_committed`` with the newest seq, once per batch)
and what it turned away (``on_rejected``), and they read the events from the journal.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from aiohttp import web

from console.events.receiver import ReceiverStats, Rejection, WebhookReceiver
from console.ingest.config import IngestConfig, IngestReady
from console.ingest.group_commit import BatchWritten, GroupCommitJournal
from console.ingest.metrics import IngestMetrics

log = logging.getLogger(__name__)

#: Counters are reported at most this often (and only when they changed).
STATS_INTERVAL_SECS = 0.25
#: Rejections reported one by one per second at most; the rest are only counted.
REJECTIONS_PER_SEC = 50


class IngestService:
    """The receiver, journal and metrics endpoint, on the running loop."""

    def __init__(
        self,
        config: IngestConfig,
        *,
        on_committed: Callable[[int], None] = lambda _seq: None,
        on_rejected: Callable[[Rejection], None] = lambda _rejection: None,
        on_stats: Callable[[ReceiverStats], None] = lambda _stats: None,
    ):
        self.config = config
        self.metrics = IngestMetrics()
        self._on_committed = on_committed
        self._on_rejected = on_rejected
        self._on_stats = on_stats
        retention = config.retention_days * 86400 if config.retention_days else None
        self.journal = GroupCommitJournal(
            Path(config.journal_path),
            max_batch=config.max_batch,
            synchronous=config.synchronous,
            on_batch=self._batch_written,
            retention_secs=retention,
        )
        self.receiver = WebhookReceiver(
            self.journal,
            public_key=config.public_key,
            verify_signatures=config.verify_signatures,
            host=config.host,
            port=config.port,
            path=config.path,
            on_rejected=self._rejected,
            on_answer=self._answered,
        )
        self._metrics_runner: web.AppRunner | None = None
        self._metrics_url: str | None = None
        self._stats_task: asyncio.Task[None] | None = None
        self._rejection_window = (0.0, 0)  # (second, reported in it)
        self.suppressed_rejections = 0

    async def start(self) -> IngestReady:
        await self.journal.open()
        try:
            url = await self.receiver.start()
            if self.config.metrics_port is not None:
                await self._start_metrics(self.config.metrics_port)
        except BaseException:
            await self.stop()
            raise
        self.metrics.journal_seq.set(self.journal.last_seq)
        self._stats_task = asyncio.create_task(self._report_stats(), name="ingest-stats")
        return IngestReady(
            url=url,
            port=self.receiver.port or 0,
            metrics_url=self._metrics_url,
            last_seq=self.journal.last_seq,
            verification_enabled=self.receiver.verification_enabled,
            key_problem=self.receiver.key_problem,
        )

    async def stop(self) -> None:
        """Stop answering, then write what is queued and close the journal."""
        if self._stats_task is not None:
            self._stats_task.cancel()
            self._stats_task = None
        await self.receiver.stop()
        if self._metrics_runner is not None:
            await self._metrics_runner.cleanup()
            self._metrics_runner = None
        await self.journal.close()
        self._on_stats(self.receiver.stats)

    # --- live changes ------------------------------------------------------------------------

    def set_public_key(self, public_key: str | None) -> None:
        """Raises SignatureError for a malformed key (the old one stays)."""
        self.receiver.set_public_key(public_key)

    def compact_below(self, seq: int) -> None:
        self.journal.compact_below(seq)

    def set_console_metrics(self, text: bytes) -> None:
        self.metrics.console_text = text

    # --- internals -------------------------------------------------------------------------

    async def _start_metrics(self, port: int) -> None:
        app = web.Application()
        app.router.add_get("/metrics", self.metrics.handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.config.host, port).start()
        except OSError as exc:
            await runner.cleanup()
            # Metrics are for IT; a busy port must not keep webhooks from being answered.
            log.warning("metrics endpoint not started on port %d: %s", port, exc)
            return
        self._metrics_runner = runner
        bound = runner.addresses[0][1]
        self._metrics_url = f"http://{self.config.host}:{bound}/metrics"

    def _batch_written(self, batch: BatchWritten) -> None:
        # On the loop, in the wake-up that answered the batch's deliveries.
        self.metrics.commit_seconds.observe(batch.seconds)
        self.metrics.batch_size.observe(batch.size)
        if batch.last_seq is not None:
            self.metrics.journal_seq.set(batch.last_seq)
            self._on_committed(batch.last_seq)

    def _answered(self, outcome: str, status: int, seconds: float) -> None:
        self.metrics.answer_seconds.labels(str(status)).observe(seconds)
        self.metrics.deliveries.labels(outcome).inc()

    def _rejected(self, rejection: Rejection) -> None:
        second = int(time.monotonic())
        window, reported = self._rejection_window
        if window != second:
            window, reported = second, 0
        if reported >= REJECTIONS_PER_SEC:
            # A flood: counted (in the stats and metrics), not each carried to the console.
            self.suppressed_rejections += 1
            self._rejection_window = (window, reported)
            return
        self._rejection_window = (window, reported + 1)
        self._on_rejected(rejection)

    async def _report_stats(self) -> None:
        last: ReceiverStats | None = None
        while True:
            await asyncio.sleep(STATS_INTERVAL_SECS)
            stats = self.receiver.stats
            if stats != last:
                last = replace(stats, rejected=dict(stats.rejected))
                self._on_stats(stats)
