"""The session's live state across restarts: the store's checkpoint and the journal's tail.

At start the store is restored from the last checkpoint (the events still needed to know
what is live, read and parsed on a worker thread), then the journal is folded from the
checkpoint's cursor on (``JournalTail`` into ``EventFeed``); without a checkpoint, from
``NO_CHECKPOINT_WINDOW_SECS`` back. The history recorder writes call history on its own
thread. Every ``CHECKPOINT_EVERY_TICKS`` and at stop the checkpoint is saved, and ingest may
then compact what every reader has taken.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from console.db import connect as connect_database
from console.errors import words_for
from console.events.journal import Journal
from console.events.models import Envelope
from console.history.recorder import HistoryRecorder
from console.ingest.tail import JournalTail
from console.state.checkpoint import Checkpoint, CheckpointTable

if TYPE_CHECKING:
    from console.session import ConsoleSession

log = logging.getLogger("console.session")

#: Without a checkpoint (a first start), the journal is folded from this far back: older
#: calls have ended and are history (the history recorder folds all of it, in the background).
NO_CHECKPOINT_WINDOW_SECS = 6 * 3600


class SessionState:
    """Restores, follows and checkpoints the store of one session."""

    def __init__(self, session: ConsoleSession) -> None:
        self._s = session

    async def start(self) -> None:
        """Restore the store from the checkpoint, then fold the journal's tail from there."""
        s = self._s
        journal_path = s._journal_path()
        s.journal = await asyncio.to_thread(Journal, journal_path, readonly=True)
        checkpoint = await asyncio.to_thread(load_checkpoint, s.database_path)
        cursor, envelopes = await asyncio.to_thread(self._checkpoint_events, checkpoint)
        if checkpoint is not None:
            s.store.restore(
                envelopes,
                pruned_legs=checkpoint.pruned_legs,
                pruned_conferences=checkpoint.pruned_conferences,
                conference_names=checkpoint.conference_names,
            )
        s.feed.start_at(cursor)
        s.tail = JournalTail(journal_path)
        await s.tail.start(cursor, s._fold)
        s.recorder = HistoryRecorder(
            journal_path,
            s.database_path,
            on_written=s._on_history_written,
            held=s._history_after_window,
        )
        try:
            await s.recorder.start()
        except Exception as exc:
            # History is a convenience: the live console works without it.
            log.error("call history is unavailable: %s", words_for(exc))
            s.recorder = None

    def _checkpoint_events(self, checkpoint: Checkpoint | None) -> tuple[int, list[Envelope]]:
        """The cursor to tail from and the checkpoint's events, read and parsed on a worker
        thread (the store itself is restored on the loop, where its listeners live)."""
        s = self._s
        journal = s.journal
        assert journal is not None
        if checkpoint is None:
            first = journal.first_seq_received_since(time.time() - NO_CHECKPOINT_WINDOW_SECS)
            return ((first - 1) if first is not None else journal.last_seq()), []
        envelopes: list[Envelope] = []
        for record in journal.records_with_ids(checkpoint.retained_event_ids):
            try:
                envelopes.append(record.envelope())
            except Exception as exc:  # cannot happen for rows the receiver parsed first
                log.error("journal row %d does not parse: %s", record.seq, exc)
        return checkpoint.cursor, envelopes

    def checkpoint(self) -> Checkpoint:
        """The live state as a checkpoint (read on the loop, where the store is folded)."""
        s = self._s
        legs, conferences = s.store.pruned_ids()
        return Checkpoint(
            cursor=s.feed.folded_seq,
            retained_event_ids=tuple(s.store.retained_event_ids()),
            pruned_legs=tuple(legs),
            pruned_conferences=tuple(conferences),
            conference_names=s.store.conference_names(),
            saved_at=time.time(),
        )

    async def save(self) -> None:
        """Save the checkpoint (off the loop), then let ingest compact what all readers took."""
        s = self._s
        if s.tail is None:
            return
        checkpoint = self.checkpoint()
        try:
            await asyncio.to_thread(save_checkpoint, s.database_path, checkpoint)
        except Exception as exc:
            log.warning("the state checkpoint was not saved: %s", words_for(exc))
            return
        taken = checkpoint.cursor
        if s.recorder is not None:
            taken = min(taken, s.recorder.folded_seq)
        if s.ingest is not None:
            s.ingest.compact_below(taken)
        elif s.team is not None:
            s.team.compact_below(taken, s.settings.event_retention_days)

    async def save_final(self) -> None:
        s = self._s
        await asyncio.to_thread(save_checkpoint, s.database_path, self.checkpoint())


def load_checkpoint(database_path: Path) -> Checkpoint | None:
    try:
        conn = connect_database(database_path)
    except Exception as exc:
        log.error("the console database cannot be read; starting from the journal: %s", exc)
        return None
    try:
        return CheckpointTable(conn).load()
    except Exception as exc:
        log.error("the state checkpoint cannot be read; starting from the journal: %s", exc)
        return None
    finally:
        conn.close()


def save_checkpoint(database_path: Path, checkpoint: Checkpoint) -> None:
    conn = connect_database(database_path)
    try:
        CheckpointTable(conn).save(checkpoint)
    finally:
        conn.close()
