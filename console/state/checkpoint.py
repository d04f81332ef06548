"""Checkpoints of the live state, so a start-up reads what is live, not the whole journal.

A checkpoint is small whatever the history: the journal sequence folded so far (the cursor),
the event ids the store's state still rests on (live and recently ended calls), the legs and
conferences already pruned (so a late event for one stays history) and the conference names
the console learnt. Starting from it means reading those few events back from the journal,
restoring the store, and tailing the journal from the cursor on.

It lives in the console database (``console/db``) as one row, replaced in one transaction, so
a crash leaves the previous checkpoint or the new one, never half of either; a checkpoint
whose events were compacted away since is still safe (the events that are gone ended long ago).
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field

from console.db import Schema, migrate

CHECKPOINT_SCHEMA = Schema(
    "checkpoint",
    [
        """
        CREATE TABLE state_checkpoint (
            slot        INTEGER PRIMARY KEY CHECK (slot = 1),
            cursor      INTEGER NOT NULL,   -- the newest journal seq folded into the state
            saved_at    REAL NOT NULL,      -- Unix time
            state       TEXT NOT NULL       -- JSON: the rest of Checkpoint
        );
        """
    ],
)


@dataclass(frozen=True)
class Checkpoint:
    """What a start-up needs to rebuild the live state without replaying history."""

    cursor: int
    retained_event_ids: tuple[str, ...] = ()
    pruned_legs: tuple[str, ...] = ()
    pruned_conferences: tuple[str, ...] = ()
    conference_names: dict[str, str] = field(default_factory=dict)
    saved_at: float = 0.0


class CheckpointTable:
    """The one checkpoint row of a console database connection."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        migrate(conn, CHECKPOINT_SCHEMA)

    def load(self) -> Checkpoint | None:
        """The saved checkpoint, or None (never saved, or unreadable: start from the journal)."""
        row = self._conn.execute(
            "SELECT cursor, saved_at, state FROM state_checkpoint WHERE slot = 1"
        ).fetchone()
        if row is None:
            return None
        try:
            state = json.loads(row[2])
            return Checkpoint(
                cursor=int(row[0]),
                saved_at=float(row[1]),
                retained_event_ids=tuple(str(i) for i in state.get("retained", ())),
                pruned_legs=tuple(str(i) for i in state.get("pruned_legs", ())),
                pruned_conferences=tuple(str(i) for i in state.get("pruned_conferences", ())),
                conference_names={
                    str(k): str(v) for k, v in dict(state.get("conference_names", {})).items()
                },
            )
        except (ValueError, TypeError, AttributeError):
            return None

    def save(self, checkpoint: Checkpoint) -> None:
        state = json.dumps(
            {
                "retained": list(checkpoint.retained_event_ids),
                "pruned_legs": list(checkpoint.pruned_legs),
                "pruned_conferences": list(checkpoint.pruned_conferences),
                "conference_names": checkpoint.conference_names,
            },
            separators=(",", ":"),
        )
        # One statement: atomic on its own (the connection is in autocommit mode).
        self._conn.execute(
            "INSERT INTO state_checkpoint (slot, cursor, saved_at, state) VALUES (1, ?, ?, ?) "
            "ON CONFLICT (slot) DO UPDATE SET cursor = excluded.cursor, "
            "saved_at = excluded.saved_at, state = excluded.state",
            (int(checkpoint.cursor), checkpoint.saved_at or time.time(), state),
        )
