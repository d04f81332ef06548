"""What the console knows of the receiver that runs in the ingest component.

The receiver lives in another process (or thread), so the console keeps a view of it: its URL
and port from the start-up report, its counters from the periodic stats reports, and its key
state from what the console told it. The view has the receiver's read-only surface (``url``,
``port``, ``stats``, ``verification_enabled``, ``key_problem``), so the status display, the
self-test and the path test read it as they would read the receiver.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from console.events.deliveries import Reason, ReceiverStats
from console.ingest.config import IngestReady

NO_KEY_PROBLEM = f"{Reason.NO_PUBLIC_KEY}: set the account's public key"


@dataclass
class ReceiverView:
    """The console's picture of the running receiver (updated from ingest's reports)."""

    url: str | None = None
    port: int | None = None
    metrics_url: str | None = None
    verification_enabled: bool = True
    key_problem: str | None = None
    stats: ReceiverStats = field(default_factory=ReceiverStats)

    def started(self, ready: IngestReady) -> None:
        self.url = ready.url
        self.port = ready.port
        self.metrics_url = ready.metrics_url
        self.verification_enabled = ready.verification_enabled
        self.key_problem = ready.key_problem

    def stopped(self) -> None:
        self.url = None
        self.port = None
        self.metrics_url = None

    def key_changed(self, public_key: str | None) -> None:
        """A (valid) key was given to the receiver: verification can now succeed, or not."""
        has_key = bool(public_key and public_key.strip())
        self.key_problem = None if has_key or not self.verification_enabled else NO_KEY_PROBLEM

    def key_refused(self, detail: str) -> None:
        if self.verification_enabled:
            self.key_problem = f"{Reason.MALFORMED_KEY}: {detail}"
