"""The ingest component: webhooks received, verified and journalled apart from the window.

``service`` is the component (receiver + group-committed journal + metrics); ``host`` runs it
for the console in a child process or a thread; ``child`` is the child's main; ``channel`` the
line protocol between them. The team relay runs the same service stand-alone.
"""

from console.ingest.host import Ingest, IngestError, IngestListeners, IngestProcess, IngestThread
from console.ingest.service import IngestConfig, IngestReady, IngestService

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
