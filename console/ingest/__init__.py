"""The ingest component: webhooks received, verified and journalled apart from the window.

``service`` is the component (receiver + group-committed journal + metrics); ``host`` runs it
for the console in a child process (started by ``spawn``, early if the app asks) or a thread
(``thread_host``); ``child`` is the child's main; ``channel`` the line protocol between them.
The team relay runs the same service stand-alone.
"""

from typing import TYPE_CHECKING, Any

from console.ingest.config import IngestConfig, IngestReady
from console.ingest.host import Ingest, IngestError, IngestListeners, IngestProcess, IngestThread

if TYPE_CHECKING:
    from console.ingest.service import IngestService


def __getattr__(name: str) -> Any:
    # The service (aiohttp, the receiver) loads only where it runs: the child, a thread host,
    # the relay. The window's process hosts a child and never needs it.
    if name == "IngestService":
        from console.ingest.service import IngestService

        return IngestService
    raise AttributeError(name)


__all__ = [
    "Ingest",
    "IngestConfig",
    "IngestError",
    "IngestListeners",
    "IngestProcess",
    "IngestReady",
    "IngestService",
    "IngestThread",
]
