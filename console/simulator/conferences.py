"""Conferences and their participants: create, join, leave, end, flags and conference media."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from . import errors
from .call_media import PLAYBACK_SECS
from .calls import our_side
from .entities import Activity, Call, Conference, Participant, new_uuid

if TYPE_CHECKING:
    from .world import World

CONFERENCE_LIFETIME = timedelta(hours=4)


class ConferenceCommands:
    """Conference commands: the World's ``conferencing`` part."""

    def __init__(self, world: World) -> None:
        self.world = world

    def create_conference(self, call: Call, body: dict[str, Any]) -> Conference:
        name = body["name"]
        for other in self.world.conferences.values():
            if other.name == name and not other.ended:
                raise errors.conference_name_taken()
        if call.conference_id:
            raise errors.join_not_allowed("The call is already in a conference.")
        now = self.world.now()
        minutes = body.get("duration_minutes")
        conf = Conference(
            id=new_uuid(),
            name=name,
            connection_id=call.connection_id,
            created_at=now,
            expires_at=now + (timedelta(minutes=minutes) if minutes else CONFERENCE_LIFETIME),
            creator_call_control_id=call.call_control_id,
            creator_call_session_id=call.call_session_id,
            region=body.get("region"),
            max_participants=body.get("max_participants"),
        )
        if body.get("start_conference_on_create") is False:
            conf.status = "init"
        self.world.conferences[conf.id] = conf
        self.world.apply_common(call, body)
        self.world.bridges.detach(call)
        self.world.webhooks.emit_conf(conf, "conference.created", call)
        self._add_participant(conf, call, {})
        if minutes:
            self.world.spawn_timer(
                conf,
                "duration",
                minutes * 60,
                lambda: self.end_conference(conf, "time_exceeded"),
                tracked=False,
            )
        return conf

    def join(self, conf: Conference, call: Call, body: dict[str, Any]) -> None:
        existing = conf.participants.get(call.call_control_id)
        if existing is not None and existing.status == "joined":
            raise errors.join_not_allowed("The call is already a participant of this conference.")
        if call.conference_id:
            raise errors.join_not_allowed("The call is already in another conference.")
        if conf.max_participants and len(conf.joined()) >= conf.max_participants:
            raise errors.TelnyxError(
                422,
                "90032",
                "Maximum number of participants reached",
                f"The maximum allowed value of `max_participants` has been reached at "
                f"{conf.max_participants}.",
            )
        self.world.apply_common(call, body)
        self.world.bridges.detach(call)
        self._add_participant(conf, call, body)

    def _add_participant(self, conf: Conference, call: Call, body: dict[str, Any]) -> None:
        now = self.world.now()
        participant = Participant(
            id=new_uuid(),
            call_control_id=call.call_control_id,
            call_leg_id=call.call_leg_id,
            conference_id=conf.id,
            created_at=now,
            updated_at=now,
            muted=bool(body.get("mute")),
            on_hold=bool(body.get("hold")),
            end_conference_on_exit=bool(body.get("end_conference_on_exit")),
            soft_end_conference_on_exit=bool(body.get("soft_end_conference_on_exit")),
            whisper_call_control_ids=list(body.get("whisper_call_control_ids") or []),
            supervisor_role=body.get("supervisor_role") or "none",
            beep_enabled=body.get("beep_enabled"),
        )
        if conf.status == "init":
            if body.get("start_conference_on_enter"):
                conf.status = "in_progress"
                for other in conf.joined():
                    if other.held_for_start:
                        other.on_hold = other.held_for_start = False
                        other.updated_at = now
            else:
                # "If the conference isn't started all participants that join are put on hold"
                participant.on_hold = participant.held_for_start = True
        conf.participants[call.call_control_id] = participant
        conf.updated_at = now
        call.conference_id = conf.id
        self.world.webhooks.emit_conf(conf, "conference.participant.joined", call)

    def leave(self, conf: Conference, call: Call, body: dict[str, Any]) -> None:
        participant = conf.participants.get(call.call_control_id)
        if participant is None or participant.status != "joined":
            raise errors.unable("The call is not a participant of this conference.")
        self.leave_conference(call)

    def leave_conference(self, call: Call) -> None:
        conf = self.world.conferences.get(call.conference_id or "")
        call.conference_id = None
        if conf is None:
            return
        participant = conf.participants.get(call.call_control_id)
        if participant is None or participant.status != "joined":
            return
        participant.status = "left"
        participant.updated_at = conf.updated_at = self.world.now()
        self.world.webhooks.emit_conf(conf, "conference.participant.left", call)
        if conf.ended:
            return
        if participant.end_conference_on_exit:
            self.end_conference(conf, "host_left", hang_up=True, by=call)
        elif participant.soft_end_conference_on_exit:
            self.end_conference(conf, "host_left", by=call)
        elif not conf.joined():
            self.end_conference(conf, "all_left")

    def end_conference(
        self, conf: Conference, reason: str, *, hang_up: bool = False, by: Call | None = None
    ) -> None:
        if conf.ended:
            return
        conf.status = "completed"  # set first so leaving participants don't end it again
        conf.end_reason = reason
        if by is not None:
            conf.ended_by = {
                "call_control_id": by.call_control_id,
                "call_session_id": by.call_session_id,
            }
        self.world.cancel_timers(conf)
        self._stop_conf_activity(conf)
        if conf.recording is not None:
            self.world.recorder.save_conf_recording(conf)
        for participant in conf.joined():
            call = self.world.calls[participant.call_control_id]
            if hang_up:
                self.world.legs.end(call, "normal_clearing", our_side(call))
            else:
                self.leave_conference(call)  # "leave" returns the leg to parked
        conf.updated_at = self.world.now()
        # The webhook's reason enum has no ended_via_api: the API end reports all_left
        # there while the REST resource says ended_via_api.
        webhook_reason = "all_left" if reason == "ended_via_api" else reason
        creator = self.world.calls.get(conf.creator_call_control_id)
        self.world.webhooks.emit_conf(conf, "conference.ended", creator, reason=webhook_reason)

    def _targets(self, conf: Conference, ids: list[str] | None) -> list[Participant]:
        if not ids:
            return conf.joined()  # "When empty all participants will be ..." (spec)
        chosen = []
        for index, ccid in enumerate(ids):
            participant = conf.participants.get(ccid)
            if participant is None or participant.status != "joined":
                raise errors.invalid_call_control_id(f"/call_control_ids/{index}")
            chosen.append(participant)
        return chosen

    def set_flag(self, conf: Conference, ids: list[str] | None, flag: str, value: bool) -> None:
        now = self.world.now()
        for participant in self._targets(conf, ids):
            setattr(participant, flag, value)
            if flag == "on_hold":
                participant.held_for_start = False
            participant.updated_at = now

    def _stop_conf_activity(self, conf: Conference) -> None:
        activity = self.world.take_activity(conf)
        if activity is None:
            return
        kind = "speak" if activity.kind == "speak" else "playback"
        fields: dict[str, Any] = {"creator_call_session_id": conf.creator_call_session_id}
        if kind == "playback":
            fields.update(media_url=activity.media_url, media_name=activity.media_name)
        self.world.webhooks.emit_conf(conf, f"conference.{kind}.ended", **fields)

    def conference_media(
        self, conf: Conference, kind: str, body: dict[str, Any], loops: int | None
    ):
        self._stop_conf_activity(conf)
        activity = Activity(kind, body.get("audio_url"), body.get("media_name"))
        conf.activity = activity
        fields: dict[str, Any] = {"creator_call_session_id": conf.creator_call_session_id}
        if kind == "playback":
            fields.update(media_url=activity.media_url, media_name=activity.media_name)
            seconds = None if loops is None else PLAYBACK_SECS * loops
        else:
            seconds = max(1.0, 0.06 * len(str(body.get("payload", ""))))
        self.world.webhooks.emit_conf(conf, f"conference.{kind}.started", **fields)
        if seconds is not None:
            self.world.end_activity_after(
                conf, activity, seconds, lambda: self._stop_conf_activity(conf)
            )

    def conference_stop(self, conf: Conference) -> None:
        self._stop_conf_activity(conf)
