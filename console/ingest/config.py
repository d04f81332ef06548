"""What starts the ingest component and what it reports back, as plain data.

Apart from ``service`` (aiohttp, the receiver) so the window's process can describe and host
an ingest child without loading the HTTP server it does not run.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.events.deliveries import DEFAULT_PATH

#: The prefix of every metric the console and the ingest component serve.
PREFIX = "telnyx_console"


@dataclass(frozen=True)
class IngestConfig:
    """Everything the ingest component needs to start (it is sent to a child process)."""

    journal_path: str
    port: int = 0
    path: str = DEFAULT_PATH
    host: str = "127.0.0.1"
    public_key: str | None = None
    verify_signatures: bool = True
    metrics_port: int | None = 0  # 0: any free port; None: no metrics endpoint
    retention_days: float | None = None  # raw events older than this are compacted
    max_batch: int = 512
    synchronous: str = "FULL"


@dataclass(frozen=True)
class IngestReady:
    """What a started ingest component reports."""

    url: str
    port: int
    metrics_url: str | None
    last_seq: int
    verification_enabled: bool
    key_problem: str | None
