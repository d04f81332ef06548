"""Prometheus metrics of the ingest path, served as text on a loopback-only port.

The ingest component owns the registry of what it measures (time to 2xx, journal commits and
their batch sizes, deliveries by outcome). The console measures the rest in its own process
(GUI loop lag, events pending fold, calls live and known, RSS) and hands its exposition text
over the control channel; ``/metrics`` serves both, so IT scrapes one address.

The metrics port is separate from the receiver's: the receiver's port is what the tunnel
exposes to the internet, and call counts are nobody's business there.
"""

from __future__ import annotations

import time

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from console.ingest.config import PREFIX

#: Seconds: from a fraction of a millisecond to Telnyx's 2 s deadline and past it.
LATENCY_BUCKETS = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.0,
    5.0,
)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class IngestMetrics:
    """The ingest component's registry (one per service, so tests can run several)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.answer_seconds = Histogram(
            f"{PREFIX}_webhook_answer_seconds",
            "Time from a webhook's arrival to its HTTP answer (2xx only once journalled).",
            ["status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.commit_seconds = Histogram(
            f"{PREFIX}_journal_commit_seconds",
            "Time of one journal transaction (write and fsync of a batch).",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.batch_size = Histogram(
            f"{PREFIX}_journal_batch_events",
            "Deliveries sharing one journal commit (group commit).",
            buckets=BATCH_BUCKETS,
            registry=self.registry,
        )
        self.deliveries = Counter(
            f"{PREFIX}_webhook_deliveries",
            "Webhook deliveries by outcome (accepted, duplicate, or the rejection reason).",
            ["outcome"],
            registry=self.registry,
        )
        self.journal_seq = Gauge(
            f"{PREFIX}_journal_last_seq",
            "Sequence of the newest journalled event.",
            registry=self.registry,
        )
        self.started = Gauge(
            f"{PREFIX}_ingest_start_time_seconds",
            "Unix time the ingest component started.",
            registry=self.registry,
        )
        self.started.set(time.time())
        self.console_text = b""  # the console process's own exposition, as last handed over

    def exposition(self) -> bytes:
        return generate_latest(self.registry) + self.console_text

    async def handle(self, _request: web.Request) -> web.Response:
        response = web.Response(body=self.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response
