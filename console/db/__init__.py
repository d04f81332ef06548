"""The console's own SQLite database: history, checkpoints, contacts and the operator's work.

The event journal (``console/events/journal.py``) is written by the ingest component and holds
the raw webhooks; this database holds what the console derives and what the operator writes.
Each component owns its tables and their migrations (a :class:`Schema` with an ordered list of
steps), so components evolve independently in one file.
"""

from console.db.database import (
    DATABASE_FILENAME,
    DatabaseError,
    Schema,
    connect,
    migrate,
)

__all__ = ["DATABASE_FILENAME", "DatabaseError", "Schema", "connect", "migrate"]
