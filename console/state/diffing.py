"""Change notifications: comparing a re-derived row with the previous one.

``diff`` records an add, a remove or a change of one row; ``diff_conference`` also compares a
conference's participants one by one (folds share the ones they did not change, so ``is``
skips most comparisons) and returns whose participant row changed.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter

from console.state.changes import Changes, EntityChanges, K
from console.state.entities import Conference, Participant


def diff_conference(changes: Changes, old: Conference | None, new: Conference) -> set[str]:
    """Record what differs; return the call_control_ids whose participant changed."""
    before = old.participants if old is not None else {}
    differing = set()
    presence_changed = False
    for ccid in before.keys() | new.participants.keys():
        was, now = before.get(ccid), new.participants.get(ccid)
        # Folds share the participants they did not change: `is` skips comparing those.
        if was is not now and was != now:
            diff(changes.participants, (new.conference_id, ccid), was, now)
            differing.add(ccid)
            presence_changed = presence_changed or _present(was) != _present(now)
    # The row shows the conference's own fields and who is present (not their mute/hold).
    if old is None:
        changes.conferences.add(new.conference_id)
    elif presence_changed or _own_fields(old) != _own_fields(new):
        changes.conferences.change(new.conference_id)
    return differing


def _present(participant: Participant | None) -> bool:
    return participant is not None and participant.present


#: A conference's fields but its participants, as a tuple.
_own_fields = attrgetter(*(f.name for f in fields(Conference) if f.name != "participants"))


def diff(kind: EntityChanges[K], key: K, old: object, new: object) -> None:
    if old is None and new is not None:
        kind.add(key)
    elif new is None and old is not None:
        kind.remove(key)
    elif old != new:
        kind.change(key)
