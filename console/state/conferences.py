"""How one conference's timeline folds into a :class:`Conference` with its participants."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from console.state.entities import Conference, Participant, RecordingState
from console.state.facts import ConferenceGone, ConferenceSeen, ParticipantMark, RecordingMark
from console.state.timeline import Entry, aware

#: Entries that prove a conference exists (confirmations only ever target known ones).
CONFERENCE_KINDS = frozenset(
    {
        "conference.created",
        "conference.ended",
        "conference.participant.joined",
        "conference.participant.left",
        "conference.recording.saved",
        "conference.playback.started",
        "conference.playback.ended",
        "conference.speak.started",
        "conference.speak.ended",
        "resync.conference",
    }
)


def proves_conference(entries: Iterable[Entry]) -> bool:
    return any(e.kind in CONFERENCE_KINDS for e in entries)


class ConferenceFold:
    """A conference's fold in progress: :attr:`conference` as the entries stepped so far say."""

    def __init__(self, conference_id: str, name: str | None) -> None:
        self.name = name  # the name it started from (the store re-folds when it learns another)
        self.conference = Conference(conference_id=conference_id, name=name)
        self.seen = False  # some entry proving the conference came before the current one

    def copy(self) -> ConferenceFold:
        """The same fold, stepping on without touching this one's ``conference`` (the store's
        row). Participants are shared: the fold replaces them, never changes them in place."""
        other = copy.copy(self)
        other.conference = copy_conference(self.conference)
        return other

    def step(self, entry: Entry) -> None:
        handler = _HANDLERS.get(entry.kind)
        if handler is not None:
            handler(self, entry)
        if entry.kind in CONFERENCE_KINDS:
            self.seen = True

    @property
    def live(self) -> bool:
        return self.conference.ended_at is None  # ended conferences never restart

    def _update(self, participant: Participant, **changes: Any) -> None:
        """Put a changed copy of ``participant`` in its place: a participant is never changed
        in place, because a copied fold (and the store's rows) may share it."""
        self.conference.participants[participant.call_control_id] = replace(participant, **changes)

    def _end(self, e: Entry, reason: str | None) -> None:
        conf = self.conference
        conf.ended_at = e.at
        conf.end_reason = reason
        conf.recording = RecordingState.OFF
        for participant in conf.present_participants():
            self._update(participant, left_at=e.at)

    # --- webhooks ------------------------------------------------------------------------

    def created(self, e: Entry) -> None:
        self.conference.created_at = self.conference.created_at or e.at

    def joined(self, e: Entry) -> None:
        ccid = e.payload.call_control_id
        if not self.live or ccid is None:
            return
        # A leg that rejoins starts afresh: Telnyx applies the join's own mute/hold flags.
        self.conference.participants[ccid] = Participant(
            conference_id=self.conference.conference_id,
            call_control_id=ccid,
            call_leg_id=e.payload.call_leg_id,
            joined_at=e.at,
        )

    def left(self, e: Entry) -> None:
        ccid = e.payload.call_control_id
        if ccid is None:
            return
        participant = self.conference.participants.get(ccid)
        if participant is None:  # its joined event has not reached us (yet)
            participant = Participant(
                conference_id=self.conference.conference_id,
                call_control_id=ccid,
                call_leg_id=e.payload.call_leg_id,
            )
            self.conference.participants[ccid] = participant
        if participant.present:
            self._update(participant, left_at=e.at)

    def ended(self, e: Entry) -> None:
        if self.live:
            self._end(e, e.payload.reason)

    def recording_saved(self, e: Entry) -> None:
        conf = self.conference
        conf.recordings.append(replace(e.payload.recording, conference_id=conf.conference_id))
        conf.recording = RecordingState.OFF

    # --- confirmations and resyncs -------------------------------------------------------

    def mark_participants(self, e: Entry) -> None:
        mark: ParticipantMark = e.payload
        targets = mark.call_control_ids or tuple(self.conference.participants)
        for ccid in targets:
            participant = self.conference.participants.get(ccid)
            if participant is None or not participant.present:
                continue
            changes = {"muted": mark.muted, "on_hold": mark.on_hold}
            self._update(participant, **{k: v for k, v in changes.items() if v is not None})

    def mark_recording(self, e: Entry) -> None:
        mark: RecordingMark = e.payload
        if self.live:
            self.conference.recording = mark.state

    def resync_seen(self, e: Entry) -> None:
        snapshot = e.payload.snapshot if isinstance(e.payload, ConferenceSeen) else None
        assert snapshot is not None
        conf = self.conference
        conf.name = snapshot.name or conf.name
        if conf.created_at is None and snapshot.created_at is not None:
            conf.created_at = aware(snapshot.created_at)
        if not self.seen:
            conf.repaired = True  # a conference we learn of from the resync itself
        if not self.live:
            return
        if not snapshot.is_live:
            self._end(e, snapshot.end_reason)
            conf.repaired = True
            return
        listed = {p.call_control_id: p for p in snapshot.participants}
        for ccid, participant in list(conf.participants.items()):
            if participant.present and not (ccid in listed and listed[ccid].present):
                self._update(participant, left_at=e.at)
                conf.repaired = True
        for ccid, seen in listed.items():
            if not seen.present:
                continue
            participant = conf.participants.get(ccid)
            if participant is None or not participant.present:
                participant = Participant(
                    conference_id=conf.conference_id,
                    call_control_id=ccid,
                    joined_at=aware(seen.joined_at) if seen.joined_at else e.at,
                )
                conf.repaired = True
            self._update(
                participant,
                call_leg_id=participant.call_leg_id or seen.call_leg_id,
                participant_id=seen.participant_id or participant.participant_id,
                muted=seen.muted,
                on_hold=seen.on_hold,
            )

    def resync_gone(self, e: Entry) -> None:
        assert isinstance(e.payload, ConferenceGone)
        if self.live and self.seen:  # else: already over, or it began after the snapshot
            self._end(e, None)
            self.conference.repaired = True


_HANDLERS: dict[str, Callable[[ConferenceFold, Entry], None]] = {
    "conference.created": ConferenceFold.created,
    "conference.participant.joined": ConferenceFold.joined,
    "conference.participant.left": ConferenceFold.left,
    "conference.ended": ConferenceFold.ended,
    "conference.recording.saved": ConferenceFold.recording_saved,
    "mark.participants": ConferenceFold.mark_participants,
    "mark.recording": ConferenceFold.mark_recording,
    "resync.conference": ConferenceFold.resync_seen,
    "resync.conference_absent": ConferenceFold.resync_gone,
}


def copy_conference(conference: Conference) -> Conference:
    """A copy with its own participants dict and recordings list, sharing the participants
    themselves: replace one to change it (``dataclasses.replace``), never change it in place."""
    other = copy.copy(conference)
    other.participants = dict(conference.participants)
    other.recordings = list(conference.recordings)
    return other
