"""Every Telnyx operation the client sends: HTTP method, path template and request model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from .requests import RequestModel


@dataclass(frozen=True)
class Endpoint:
    """One operation of spec3.yml.

    ``body_model`` names the request model in :mod:`console.telnyx.requests` (``body`` is the
    model itself). ``replay_safe`` says whether sending the request twice is harmless, which
    decides whether it is retried after an ambiguous failure (see :mod:`console.telnyx.retry`).
    ``None`` means: GET/PUT/PATCH/DELETE are safe, a POST is safe only when its body carries a
    ``command_id``.
    """

    name: str
    method: str
    path: str
    body_model: str | None = None
    replay_safe: bool | None = None

    @property
    def body(self) -> type[RequestModel] | None:
        if self.body_model is None:
            return None
        # Imported at the first request body, not with the client: building the ~170 generated
        # pydantic models takes ~0.1 s, which would otherwise delay the window.
        from . import requests

        return cast("type[RequestModel]", getattr(requests, self.body_model))

    @property
    def has_command_id(self) -> bool:
        body = self.body
        return body is not None and "command_id" in body.model_fields


def _call_action(action: str, body: str, method: str = "POST") -> Endpoint:
    return Endpoint(f"calls.{action}", method, f"/calls/{{call_control_id}}/actions/{action}", body)


def _conf_action(action: str, body: str, **kw: bool) -> Endpoint:
    return Endpoint(
        f"conferences.{action}", "POST", f"/conferences/{{id}}/actions/{action}", body, **kw
    )


# calls
DIAL = Endpoint("calls.dial", "POST", "/calls", "CallRequest")
RETRIEVE_CALL = Endpoint("calls.retrieve", "GET", "/calls/{call_control_id}")
ANSWER = _call_action("answer", "AnswerRequest")
REJECT = _call_action("reject", "RejectRequest")
HANGUP = _call_action("hangup", "HangupRequest")
TRANSFER = _call_action("transfer", "TransferCallRequest")
BRIDGE = _call_action("bridge", "BridgeRequest")
REFER = _call_action("refer", "ReferRequest")
SEND_SIP_INFO = _call_action("send_sip_info", "SendSIPInfoRequest")
RECORD_START = _call_action("record_start", "StartRecordingRequest")
RECORD_STOP = _call_action("record_stop", "StopRecordingRequest")
RECORD_PAUSE = _call_action("record_pause", "PauseRecordingRequest")
RECORD_RESUME = _call_action("record_resume", "ResumeRecordingRequest")
PLAYBACK_START = _call_action("playback_start", "PlayAudioUrlRequest")
PLAYBACK_STOP = _call_action("playback_stop", "PlaybackStopRequest")
SPEAK = _call_action("speak", "SpeakRequest")
SEND_DTMF = _call_action("send_dtmf", "SendDTMFRequest")
GATHER_USING_AUDIO = _call_action("gather_using_audio", "GatherUsingAudioRequest")
ENQUEUE = _call_action("enqueue", "EnqueueRequest")
LEAVE_QUEUE = _call_action("leave_queue", "LeaveQueueRequest")
STREAMING_START = _call_action("streaming_start", "StartStreamingRequest")
STREAMING_STOP = _call_action("streaming_stop", "StopStreamingRequest")
CLIENT_STATE_UPDATE = _call_action("client_state_update", "ClientStateUpdateRequest", "PUT")
# No command_id in its schema; switching to the same role twice leaves the same role.
SWITCH_SUPERVISOR_ROLE = Endpoint(
    "calls.switch_supervisor_role",
    "POST",
    "/calls/{call_control_id}/actions/switch_supervisor_role",
    "SwitchSupervisorRoleRequest",
    replay_safe=True,
)
LIST_ACTIVE_CALLS = Endpoint(
    "connections.list_active_calls", "GET", "/connections/{connection_id}/active_calls"
)

# conferences
LIST_CONFERENCES = Endpoint("conferences.list_all", "GET", "/conferences")
CREATE_CONFERENCE = Endpoint(
    "conferences.create", "POST", "/conferences", "CreateConferenceRequest"
)
RETRIEVE_CONFERENCE = Endpoint("conferences.retrieve", "GET", "/conferences/{id}")
END_CONFERENCE = _conf_action("end", "EndConferenceRequest")
JOIN_CONFERENCE = _conf_action("join", "JoinConferenceRequest")
LEAVE_CONFERENCE = _conf_action("leave", "LeaveConferenceRequest")
# mute/unmute/hold/unhold/stop have no command_id but set a state: repeating them is harmless.
MUTE_CONFERENCE = _conf_action("mute", "ConferenceMuteRequest", replay_safe=True)
UNMUTE_CONFERENCE = _conf_action("unmute", "ConferenceUnmuteRequest", replay_safe=True)
HOLD_CONFERENCE = _conf_action("hold", "ConferenceHoldRequest", replay_safe=True)
UNHOLD_CONFERENCE = _conf_action("unhold", "ConferenceUnholdRequest", replay_safe=True)
STOP_CONFERENCE = _conf_action("stop", "ConferenceStopRequest", replay_safe=True)
# play has no command_id and a replay would play the audio twice.
PLAY_CONFERENCE = _conf_action("play", "ConferencePlayRequest", replay_safe=False)
CONF_RECORD_START = _conf_action("record_start", "StartConferenceRecordingRequest")
CONF_RECORD_STOP = _conf_action("record_stop", "StopRecordingConferenceRequest")
CONF_RECORD_PAUSE = _conf_action("record_pause", "PauseConferenceRecordingRequest")
CONF_RECORD_RESUME = _conf_action("record_resume", "ResumeConferenceRecordingRequest")
SPEAK_CONFERENCE = _conf_action("speak", "ConferenceSpeakRequest")
# send_dtmf has neither command_id nor an idempotent effect.
CONF_SEND_DTMF = _conf_action("send_dtmf", "ConferenceSendDTMFRequest", replay_safe=False)
UPDATE_CONFERENCE = _conf_action("update", "UpdateConferenceRequest")
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
    "UpdateConferenceParticipantRequest",
)

# queues
LIST_QUEUES = Endpoint("queues.list_all", "GET", "/queues")
# A replayed create would answer 422 "already exists" or create a duplicate: not replay-safe.
CREATE_QUEUE = Endpoint("queues.create", "POST", "/queues", "CreateQueueRequest")
RETRIEVE_QUEUE = Endpoint("queues.retrieve", "GET", "/queues/{queue_name}")
# POST, but it only sets max_size.
UPDATE_QUEUE = Endpoint(
    "queues.update", "POST", "/queues/{queue_name}", "UpdateQueueRequest", replay_safe=True
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
    "UpdateQueuedCallRequest",
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
    "CreateCallControlApplicationRequest",
)
RETRIEVE_APPLICATION = Endpoint("applications.retrieve", "GET", "/call_control_applications/{id}")
UPDATE_APPLICATION = Endpoint(
    "applications.update",
    "PATCH",
    "/call_control_applications/{id}",
    "UpdateCallControlApplicationRequest",
)
DELETE_APPLICATION = Endpoint("applications.delete", "DELETE", "/call_control_applications/{id}")

# recordings
LIST_RECORDINGS = Endpoint("recordings.list", "GET", "/recordings")
RETRIEVE_RECORDING = Endpoint("recordings.retrieve", "GET", "/recordings/{recording_id}")

ALL_ENDPOINTS: tuple[Endpoint, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Endpoint)
)
