"""state package: the store of calls, conferences and queues, and the records it is fed."""

from console.state.changes import ChangeListener, Changes, EntityChanges
from console.state.entities import (
    Call,
    CallState,
    Conference,
    Participant,
    Queue,
    QueueEntry,
    Recording,
    RecordingState,
)
from console.state.snapshot import (
    ActiveCallSnapshot,
    ConferenceSnapshot,
    ParticipantSnapshot,
    QueueCallSnapshot,
    QueueSnapshot,
    Snapshot,
)
from console.state.store import Store

__all__ = [
    "ActiveCallSnapshot",
    "Call",
    "CallState",
    "ChangeListener",
    "Changes",
    "Conference",
    "ConferenceSnapshot",
    "EntityChanges",
    "Participant",
    "ParticipantSnapshot",
    "Queue",
    "QueueCallSnapshot",
    "QueueEntry",
    "QueueSnapshot",
    "Recording",
    "RecordingState",
    "Snapshot",
    "Store",
]
