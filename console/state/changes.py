"""Change notifications the store emits: which ids were added, changed or removed, per kind.

The UI table models turn these into ``beginInsertRows``/``dataChanged`` for exactly those rows.
Participant ids are ``(conference_id, call_control_id)`` tuples; the others are strings.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass
class EntityChanges(Generic[K]):
    added: set[K] = field(default_factory=set)
    changed: set[K] = field(default_factory=set)
    removed: set[K] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def add(self, key: K) -> None:
        self.added.add(key)
        self.changed.discard(key)

    def change(self, key: K) -> None:
        if key not in self.added:
            self.changed.add(key)

    def remove(self, key: K) -> None:
        self.added.discard(key)
        self.changed.discard(key)
        self.removed.add(key)

    def merge(self, other: EntityChanges[K]) -> None:
        for key in other.added:
            self.add(key)
        for key in other.changed:
            self.change(key)
        for key in other.removed:
            self.remove(key)


@dataclass
class Changes:
    calls: EntityChanges[str] = field(default_factory=EntityChanges)
    conferences: EntityChanges[str] = field(default_factory=EntityChanges)
    participants: EntityChanges[tuple[str, str]] = field(default_factory=EntityChanges)
    queues: EntityChanges[str] = field(default_factory=EntityChanges)
    reset: bool = False  # a full resync replaced everything: listeners reload

    def __bool__(self) -> bool:
        return self.reset or any((self.calls, self.conferences, self.participants, self.queues))

    def merge(self, other: Changes) -> None:
        self.reset = self.reset or other.reset
        self.calls.merge(other.calls)
        self.conferences.merge(other.conferences)
        self.participants.merge(other.participants)
        self.queues.merge(other.queues)


ChangeListener = Callable[[Changes], None]
