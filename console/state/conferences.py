"""How one conference's timeline folds into a :class:`Conference` with its participants."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import replace

from console.state.entities import Conference, Participant, RecordingState
from console.state.facts import ConferenceGone, ConferenceSeen, ParticipantMark, RecordingMark
from console.state.recordings import recording_from
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


def fold_conference(conference_id: str, entries: Iterable[Entry], name: str | None) -> Conference:
    """The conference as its entries describe it; ``name`` is what we knew before any resync."""
    fold = _ConferenceFold(Conference(conference_id=conference_id, name=name))
    for entry in sorted(entries, key=lambda e: e.key):
        handler = _HANDLERS.get(entry.kind)
        if handler is not None:
            handler(fold, entry)
        if entry.kind in CONFERENCE_KINDS:
            fold.seen = True
    return fold.conference


class _ConferenceFold:
    def __init__(self, conference: Conference) -> None:
        self.conference = conference
        self.seen = False  # some entry proving the conference came before the current one

    @property
    def live(self) -> bool:
        return self.conference.ended_at is None  # ended conferences never restart

    def _end(self, e: Entry, reason: str | None) -> None:
        conf = self.conference
        conf.ended_at = e.at
        conf.end_reason = reason
        conf.recording = RecordingState.OFF
        for participant in conf.present_participants():
            participant.left_at = e.at

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
            participant.left_at = e.at

    def ended(self, e: Entry) -> None:
        if self.live:
            self._end(e, e.payload.reason)

    def recording_saved(self, e: Entry) -> None:
        conf = self.conference
        conf.recordings.append(recording_from(e.payload, conference_id=conf.conference_id))
        conf.recording = RecordingState.OFF

    # --- confirmations and resyncs -------------------------------------------------------

    def mark_participants(self, e: Entry) -> None:
        mark: ParticipantMark = e.payload
        targets = mark.call_control_ids or tuple(self.conference.participants)
        for ccid in targets:
            participant = self.conference.participants.get(ccid)
            if participant is None or not participant.present:
                continue
            if mark.muted is not None:
                participant.muted = mark.muted
            if mark.on_hold is not None:
                participant.on_hold = mark.on_hold

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
        for ccid, participant in conf.participants.items():
            if participant.present and not (ccid in listed and listed[ccid].present):
                participant.left_at = e.at
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
                conf.participants[ccid] = participant
                conf.repaired = True
            participant.call_leg_id = participant.call_leg_id or seen.call_leg_id
            participant.participant_id = seen.participant_id or participant.participant_id
            participant.muted = seen.muted
            participant.on_hold = seen.on_hold

    def resync_gone(self, e: Entry) -> None:
        assert isinstance(e.payload, ConferenceGone)
        if self.live and self.seen:  # else: already over, or it began after the snapshot
            self._end(e, None)
            self.conference.repaired = True


_HANDLERS: dict[str, Callable[[_ConferenceFold, Entry], None]] = {
    "conference.created": _ConferenceFold.created,
    "conference.participant.joined": _ConferenceFold.joined,
    "conference.participant.left": _ConferenceFold.left,
    "conference.ended": _ConferenceFold.ended,
    "conference.recording.saved": _ConferenceFold.recording_saved,
    "mark.participants": _ConferenceFold.mark_participants,
    "mark.recording": _ConferenceFold.mark_recording,
    "resync.conference": _ConferenceFold.resync_seen,
    "resync.conference_absent": _ConferenceFold.resync_gone,
}


def copy_conference(conference: Conference) -> Conference:
    """A copy whose participants can be changed without touching the original's."""
    participants = {k: copy.copy(p) for k, p in conference.participants.items()}
    return replace(conference, participants=participants)
