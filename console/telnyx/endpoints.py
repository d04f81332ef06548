"""Every Telnyx operation the client sends: HTTP method, path template and request model."""

from __future__ import annotations

from dataclasses import dataclass

from . import requests as rq


@dataclass(frozen=True)
class Endpoint:
    """One operation of spec3.yml.

    ``replay_safe`` says whether sending the request twice is harmless, which decides whether
    it is retried after an ambiguous failure (see :mod:`console.telnyx.retry`). ``None`` means:
    GET/PUT/PATCH/DELETE are safe, a POST is safe only when its body carries a ``command_id``.
    """

    name: str
    method: str
    path: str
    body: type[rq.RequestModel] | None = None
    replay_safe: bool | None = None

    @property
    def has_command_id(self) -> bool:
        return self.body is not None and "command_id" in self.body.model_fields


def _call_action(action: str, body: type[rq.RequestModel], method: str = "POST") -> Endpoint:
    return Endpoint(f"calls.{action}", method, f"/calls/{{call_control_id}}/actions/{action}", body)


def _conf_action(action: str, body: type[rq.RequestModel], **kw: bool) -> Endpoint:
    return Endpoint(
        f"conferences.{action}", "POST", f"/conferences/{{id}}/actions/{action}", body, **kw
    )


# calls
DIAL = Endpoint("calls.dial", "POST", "/calls", rq.CallRequest)
RETRIEVE_CALL = Endpoint("calls.retrieve", "GET", "/calls/{call_control_id}")
ANSWER = _call_action("answer", rq.AnswerRequest)
REJECT = _call_action("reject", rq.RejectRequest)
HANGUP = _call_action("hangup", rq.HangupRequest)
TRANSFER = _call_action("transfer", rq.TransferCallRequest)
BRIDGE = _call_action("bridge", rq.BridgeRequest)
REFER = _call_action("refer", rq.ReferRequest)
SEND_SIP_INFO = _call_action("send_sip_info", rq.SendSIPInfoRequest)
RECORD_START = _call_action("record_start", rq.StartRecordingRequest)
RECORD_STOP = _call_action("record_stop", rq.StopRecordingRequest)
RECORD_PAUSE = _call_action("record_pause", rq.PauseRecordingRequest)
RECORD_RESUME = _call_action("record_resume", rq.ResumeRecordingRequest)
PLAYBACK_START = _call_action("playback_start", rq.PlayAudioUrlRequest)
PLAYBACK_STOP = _call_action("playback_stop", rq.PlaybackStopRequest)
SPEAK = _call_action("speak", rq.SpeakRequest)
SEND_DTMF = _call_action("send_dtmf", rq.SendDTMFRequest)
GATHER_USING_AUDIO = _call_action("gather_using_audio", rq.GatherUsingAudioRequest)
ENQUEUE = _call_action("enqueue", rq.EnqueueRequest)
LEAVE_QUEUE = _call_action("leave_queue", rq.LeaveQueueRequest)
STREAMING_START = _call_action("streaming_start", rq.StartStreamingRequest)
STREAMING_STOP = _call_action("streaming_stop", rq.StopStreamingRequest)
CLIENT_STATE_UPDATE = _call_action("client_state_update", rq.ClientStateUpdateRequest, "PUT")
# No command_id in its schema; switching to the same role twice leaves the same role.
SWITCH_SUPERVISOR_ROLE = Endpoint(
    "calls.switch_supervisor_role",
    "POST",
    "/calls/{call_control_id}/actions/switch_supervisor_role",
    rq.SwitchSupervisorRoleRequest,
    replay_safe=True,
)
LIST_ACTIVE_CALLS = Endpoint(
    "connections.list_active_calls", "GET", "/connections/{connection_id}/active_calls"
)

# conferences
LIST_CONFERENCES = Endpoint("conferences.list_all", "GET", "/conferences")
CREATE_CONFERENCE = Endpoint(
    "conferences.create", "POST", "/conferences", rq.CreateConferenceRequest
)
RETRIEVE_CONFERENCE = Endpoint("conferences.retrieve", "GET", "/conferences/{id}")
END_CONFERENCE = _conf_action("end", rq.EndConferenceRequest)
JOIN_CONFERENCE = _conf_action("join", rq.JoinConferenceRequest)
LEAVE_CONFERENCE = _conf_action("leave", rq.LeaveConferenceRequest)
# mute/unmute/hold/unhold/stop have no command_id but set a state: repeating them is harmless.
MUTE_CONFERENCE = _conf_action("mute", rq.ConferenceMuteRequest, replay_safe=True)
UNMUTE_CONFERENCE = _conf_action("unmute", rq.ConferenceUnmuteRequest, replay_safe=True)
HOLD_CONFERENCE = _conf_action("hold", rq.ConferenceHoldRequest, replay_safe=True)
UNHOLD_CONFERENCE = _conf_action("unhold", rq.ConferenceUnholdRequest, replay_safe=True)
STOP_CONFERENCE = _conf_action("stop", rq.ConferenceStopRequest, replay_safe=True)
# play has no command_id and a replay would play the audio twice.
PLAY_CONFERENCE = _conf_action("play", rq.ConferencePlayRequest, replay_safe=False)
CONF_RECORD_START = _conf_action("record_start", rq.StartConferenceRecordingRequest)
CONF_RECORD_STOP = _conf_action("record_stop", rq.StopRecordingConferenceRequest)
CONF_RECORD_PAUSE = _conf_action("record_pause", rq.PauseConferenceRecordingRequest)
CONF_RECORD_RESUME = _conf_action("record_resume", rq.ResumeConferenceRecordingRequest)
SPEAK_CONFERENCE = _conf_action("speak", rq.ConferenceSpeakRequest)
# send_dtmf has neither command_id nor an idempotent effect.
CONF_SEND_DTMF = _conf_action("send_dtmf", rq.ConferenceSendDTMFRequest, replay_safe=False)
UPDATE_CONFERENCE = _conf_action("update", rq.UpdateConferenceRequest)
LIST_PARTICIPANTS = Endpoint(
    "conferences.list_participants", "GET", "/conferences/{conference_id}/participants"
)
RETRIEVE_PARTICIPANT = Endpoint(
    "conferences.retrieve_participant", "GET", "/conferences/{id}/participants/{participant_id}"
)
UPDATE_PARTICIPANT = Endpoint(
    "conferences.update_participant",
    "PATCH",
    "/conferences/{id}/participants/{participant_id}",
    rq.UpdateConferenceParticipantRequest,
)

# queues
LIST_QUEUES = Endpoint("queues.list_all", "GET", "/queues")
# A replayed create would answer 422 "already exists" or create a duplicate: not replay-safe.
CREATE_QUEUE = Endpoint("queues.create", "POST", "/queues", rq.CreateQueueRequest)
RETRIEVE_QUEUE = Endpoint("queues.retrieve", "GET", "/queues/{queue_name}")
# POST, but it only sets max_size.
UPDATE_QUEUE = Endpoint(
    "queues.update", "POST", "/queues/{queue_name}", rq.UpdateQueueRequest, replay_safe=True
)
DELETE_QUEUE = Endpoint("queues.delete", "DELETE", "/queues/{queue_name}")
LIST_QUEUE_CALLS = Endpoint("queues.list_calls", "GET", "/queues/{queue_name}/calls")
RETRIEVE_QUEUE_CALL = Endpoint(
    "queues.retrieve_call", "GET", "/queues/{queue_name}/calls/{call_control_id}"
)
UPDATE_QUEUE_CALL = Endpoint(
    "queues.update_call",
    "PATCH",
    "/queues/{queue_name}/calls/{call_control_id}",
    rq.UpdateQueuedCallRequest,
)
REMOVE_QUEUE_CALL = Endpoint(
    "queues.remove_call", "DELETE", "/queues/{queue_name}/calls/{call_control_id}"
)

# call control applications
LIST_APPLICATIONS = Endpoint("applications.list", "GET", "/call_control_applications")
CREATE_APPLICATION = Endpoint(
    "applications.create",
    "POST",
    "/call_control_applications",
    rq.CreateCallControlApplicationRequest,
)
RETRIEVE_APPLICATION = Endpoint("applications.retrieve", "GET", "/call_control_applications/{id}")
UPDATE_APPLICATION = Endpoint(
    "applications.update",
    "PATCH",
    "/call_control_applications/{id}",
    rq.UpdateCallControlApplicationRequest,
)
DELETE_APPLICATION = Endpoint("applications.delete", "DELETE", "/call_control_applications/{id}")

# recordings
LIST_RECORDINGS = Endpoint("recordings.list", "GET", "/recordings")
RETRIEVE_RECORDING = Endpoint("recordings.retrieve", "GET", "/recordings/{recording_id}")

ALL_ENDPOINTS: tuple[Endpoint, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Endpoint)
)
