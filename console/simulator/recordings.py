"""Recordings of calls and conferences: start, pause, resume, stop and the saved webhook."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors
from .clock import iso
from .entities import Call, Conference, Recording, new_uuid

if TYPE_CHECKING:
    from .world import World


class RecordingCommands:
    """Call and conference recordings: the World's ``recorder`` part (finished: ``recordings``)."""

    def __init__(self, world: World) -> None:
        self.world = world

    def new_call_recording(self, call: Call, fmt: str, channels: str) -> Recording:
        return Recording(
            id=new_uuid(),
            source="call",
            format=fmt,
            channels=channels,
            started_at=self.world.now(),
            connection_id=call.connection_id,
            call_control_id=call.call_control_id,
            call_leg_id=call.call_leg_id,
            call_session_id=call.call_session_id,
            from_=call.from_,
            to=call.to,
        )

    def record_start(self, call: Call, body: dict[str, Any]) -> None:
        if call.recording is not None:
            raise errors.unable("A recording is already in progress on this call.")
        self.world.apply_common(call, body)
        call.recording = self.new_call_recording(call, body["format"], body["channels"])

    def _recording_of(self, holder: Call | Conference, recording_id: Any) -> Recording:
        recording = holder.recording
        if recording is None:
            raise errors.unable("There is no recording in progress.")
        if recording_id and recording_id != recording.id:
            raise errors.unable("No such recording in progress.", pointer="/recording_id")
        return recording

    def record_stop(self, call: Call, body: dict[str, Any]) -> None:
        self._recording_of(call, body.get("recording_id"))
        self.world.apply_common(call, body)
        self.save_call_recording(call)

    def record_pause(self, holder: Call | Conference, body: dict[str, Any]) -> None:
        recording = self._recording_of(holder, body.get("recording_id"))
        if recording.paused_since is None:
            recording.paused_since = self.world.now()

    def record_resume(self, holder: Call | Conference, body: dict[str, Any]) -> None:
        recording = self._recording_of(holder, body.get("recording_id"))
        if recording.paused_since is not None:
            recording.paused_secs += (self.world.now() - recording.paused_since).total_seconds()
            recording.paused_since = None

    def _finish(self, recording: Recording) -> None:
        recording.ended_at = self.world.now()
        if recording.paused_since is not None:
            recording.paused_secs += (recording.ended_at - recording.paused_since).total_seconds()
            recording.paused_since = None
        self.world.recordings[recording.id] = recording

    def save_call_recording(self, call: Call) -> None:
        recording = call.recording
        if recording is None:
            return
        call.recording = None
        if not call.answered:
            return  # nothing was recorded on a call that never had audio
        self._finish(recording)
        recording.client_state = call.client_state
        urls = recording.urls(self.world.media_base)
        self.world.webhooks.emit(
            call,
            "call.recording.saved",
            recording_id=recording.id,
            format=recording.format,
            channels=recording.channels,
            recording_started_at=iso(recording.started_at),
            recording_ended_at=iso(recording.ended_at or recording.started_at),
            start_time=iso(recording.started_at),
            end_time=iso(recording.ended_at or recording.started_at),
            recording_urls=urls,
            public_recording_urls=urls,
        )

    def conference_record_start(self, conf: Conference, body: dict[str, Any]) -> None:
        if conf.recording is not None:
            raise errors.unable("A recording is already in progress on this conference.")
        creator = self.world.calls.get(conf.creator_call_control_id)
        conf.recording = Recording(
            id=new_uuid(),
            source="conference",
            format=body["format"],
            channels=body.get("channels") or "single",
            started_at=self.world.now(),
            connection_id=conf.connection_id,
            conference_id=conf.id,
            call_control_id=conf.creator_call_control_id,
            call_session_id=conf.creator_call_session_id,
            call_leg_id=creator.call_leg_id if creator else None,
            initiated_by="StartConferenceRecordingAPI",
        )

    def conference_record_stop(self, conf: Conference, body: dict[str, Any]) -> None:
        self._recording_of(conf, body.get("recording_id"))
        self.save_conf_recording(conf)

    def save_conf_recording(self, conf: Conference) -> None:
        recording = conf.recording
        if recording is None:
            return
        conf.recording = None
        self._finish(recording)
        urls = recording.urls(self.world.media_base)
        creator = self.world.calls.get(conf.creator_call_control_id)
        self.world.webhooks.emit_conf(
            conf,
            "conference.recording.saved",
            creator,
            recording_id=recording.id,
            format=recording.format,
            channels=recording.channels,
            recording_started_at=iso(recording.started_at),
            recording_ended_at=iso(recording.ended_at or recording.started_at),
            recording_urls=urls,
            public_recording_urls=urls,
        )
