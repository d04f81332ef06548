"""One realistic call per client operation, shared by the wire tests and the contract test."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from console.telnyx import TelnyxClient

CCID = "v3:u5OAKGEPT3Dx8SZSSDRWEMdNH2OripQhO"
OTHER = "v3:Bq9tb2Bi0pB8YlYlq1Yx9VdDtRfBXhwH"
CONF = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
REC = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"
APP = "1293384261075731499"
CONN = "1293384261075731461"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


CALL = {
    "call_control_id": CCID,
    "call_leg_id": "2dc6fc34-f9e0-11ea-b68e-02420a0f7768",
    "call_session_id": "2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768",
    "is_alive": False,
    "record_type": "call",
}
CONFERENCE = {
    "id": CONF,
    "name": "support-room",
    "record_type": "conference",
    "created_at": "2019-01-23T18:10:02.574Z",
    "expires_at": "2019-01-23T20:10:02.574Z",
    "status": "in_progress",
}
PARTICIPANT = {
    "id": "dfadada7-af74-47bc-83a4-554275f55f5c",
    "call_control_id": CCID,
    "conference_id": CONF,
    "muted": False,
    "on_hold": True,
    "status": "joined",
}
LISTED_PARTICIPANT = {  # the list endpoint's shape (Participant), unlike retrieve's
    "id": "dfadada7-af74-47bc-83a4-554275f55f5c",
    "call_control_id": CCID,
    "call_leg_id": "3a15df2d-c801-4729-adf5-b56dd42e2abb",
    "conference": {"id": CONF, "name": "support-room"},
    "created_at": "2019-01-23T18:10:02.574Z",
    "updated_at": "2019-01-23T18:10:02.574Z",
    "end_conference_on_exit": True,
    "soft_end_conference_on_exit": False,
    "muted": False,
    "on_hold": True,
    "status": "joined",
    "whisper_call_control_ids": [],
    "record_type": "participant",
}
QUEUE = {
    "id": "972f2ed7-a0a4-4d8f-b2b7-0b2c8b0f3b1e",
    "name": "support",
    "record_type": "queue",
    "current_size": 2,
    "max_size": 50,
    "average_wait_time_secs": 30,
    "created_at": "2019-01-23T18:10:02.574Z",
    "updated_at": "2019-01-23T18:10:02.574Z",
}
QUEUE_CALL = {
    "call_control_id": CCID,
    "call_leg_id": "2dc6fc34-f9e0-11ea-b68e-02420a0f7768",
    "call_session_id": "2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768",
    "connection_id": CONN,
    "from": "+18005550101",
    "to": "+18005550102",
    "queue_id": "support",
    "queue_position": 1,
    "wait_time_secs": 12,
    "enqueued_at": "2019-01-23T18:10:02.574Z",
    "is_alive": True,
    "record_type": "queue_call",
}
APPLICATION = {
    "id": APP,
    "application_name": "operator-console",
    "webhook_event_url": "https://example.com/webhooks",
    "webhook_api_version": "2",
    "active": True,
    "record_type": "call_control_application",
}
RECORDING = {
    "id": REC,
    "call_control_id": CCID,
    "channels": "single",
    "download_urls": {"mp3": "https://example.com/r.mp3", "wav": "https://example.com/r.wav"},
    "duration_millis": 60000,
    "record_type": "recording",
    "source": "call",
    "status": "completed",
}
OK = {"result": "ok"}


@dataclass(frozen=True)
class Case:
    id: str
    run: Callable[[TelnyxClient], Awaitable[Any]]
    method: str
    path: str  # under /v2, percent-encoded as sent
    template: str  # the spec's path template
    body: dict[str, Any] | None = None  # expected JSON body, without command_id
    command_id: bool = False  # whether a command_id must be in the body
    query: dict[str, str] = field(default_factory=dict)
    response: Any = None  # "data" of the reply
    status: int = 200


A = f"/calls/{CCID}/actions"
C = f"/conferences/{CONF}/actions"

CASES: list[Case] = [
    # -- calls -------------------------------------------------------------------------------
    Case(
        "calls.dial",
        lambda c: c.calls.dial(
            connection_id=CONN,
            to="312-555-0001",
            from_="+1 (312) 555-0000",
            client_state="agent=42",
            timeout_secs=30,
            time_limit_secs=600,
            answering_machine_detection="detect",
            record="record-from-answer",
            record_format="wav",
            custom_headers=[{"name": "X-Console", "value": "1"}],
            webhook_url="https://example.com/hooks",
            webhook_url_method="POST",
        ),
        "POST",
        "/calls",
        "/calls",
        {
            "connection_id": CONN,
            "to": "+13125550001",
            "from": "+13125550000",
            "client_state": b64("agent=42"),
            "timeout_secs": 30,
            "time_limit_secs": 600,
            "answering_machine_detection": "detect",
            "record": "record-from-answer",
            "record_format": "wav",
            "custom_headers": [{"name": "X-Console", "value": "1"}],
            "webhook_url": "https://example.com/hooks",
            "webhook_url_method": "POST",
        },
        command_id=True,
        response=CALL,
    ),
    Case(
        "calls.retrieve",
        lambda c: c.calls.retrieve(CCID),
        "GET",
        f"/calls/{CCID}",
        "/calls/{call_control_id}",
        response={**CALL, "is_alive": True},
    ),
    Case(
        "calls.answer",
        lambda c: c.calls.answer(
            CCID, client_state="ivr", record="record-from-answer", record_channels="dual"
        ),
        "POST",
        f"{A}/answer",
        "/calls/{call_control_id}/actions/answer",
        {"client_state": b64("ivr"), "record": "record-from-answer", "record_channels": "dual"},
        command_id=True,
        response={"result": "ok", "recording_id": REC},
    ),
    Case(
        "calls.reject",
        lambda c: c.calls.reject(CCID, cause="USER_BUSY"),
        "POST",
        f"{A}/reject",
        "/calls/{call_control_id}/actions/reject",
        {"cause": "USER_BUSY"},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.hangup",
        lambda c: c.calls.hangup(CCID, custom_headers=[{"name": "X-Reason", "value": "op"}]),
        "POST",
        f"{A}/hangup",
        "/calls/{call_control_id}/actions/hangup",
        {"custom_headers": [{"name": "X-Reason", "value": "op"}]},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.transfer",
        lambda c: c.calls.transfer(
            CCID,
            to="sip:agent7@example.sip.telnyx.com",
            from_="312.555.0000",
            target_leg_client_state="leg-b",
            timeout_secs=20,
            early_media=False,
            mute_dtmf="opposite",
        ),
        "POST",
        f"{A}/transfer",
        "/calls/{call_control_id}/actions/transfer",
        {
            "to": "sip:agent7@example.sip.telnyx.com",
            "from": "+13125550000",
            "target_leg_client_state": b64("leg-b"),
            "timeout_secs": 20,
            "early_media": False,
            "mute_dtmf": "opposite",
        },
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.bridge",
        lambda c: c.calls.bridge(
            CCID, call_control_id=OTHER, park_after_unbridge="self", play_ringtone=True
        ),
        "POST",
        f"{A}/bridge",
        "/calls/{call_control_id}/actions/bridge",
        {"call_control_id": OTHER, "park_after_unbridge": "self", "play_ringtone": True},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.refer",
        lambda c: c.calls.refer(
            CCID,
            sip_address="sip:username@sip.non-telnyx-address.com",
            sip_headers=[{"name": "User-to-User", "value": "12345"}],
        ),
        "POST",
        f"{A}/refer",
        "/calls/{call_control_id}/actions/refer",
        {
            "sip_address": "sip:username@sip.non-telnyx-address.com",
            "sip_headers": [{"name": "User-to-User", "value": "12345"}],
        },
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.send_sip_info",
        lambda c: c.calls.send_sip_info(
            CCID, content_type="application/json", body='{"key": "value"}'
        ),
        "POST",
        f"{A}/send_sip_info",
        "/calls/{call_control_id}/actions/send_sip_info",
        {"content_type": "application/json", "body": '{"key": "value"}'},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.record_start",
        lambda c: c.calls.record_start(
            CCID, format="wav", channels="single", play_beep=True, max_length=3600
        ),
        "POST",
        f"{A}/record_start",
        "/calls/{call_control_id}/actions/record_start",
        {"format": "wav", "channels": "single", "play_beep": True, "max_length": 3600},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.record_stop",
        lambda c: c.calls.record_stop(CCID, recording_id=REC),
        "POST",
        f"{A}/record_stop",
        "/calls/{call_control_id}/actions/record_stop",
        {"recording_id": REC},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.record_pause",
        lambda c: c.calls.record_pause(CCID, recording_id=REC),
        "POST",
        f"{A}/record_pause",
        "/calls/{call_control_id}/actions/record_pause",
        {"recording_id": REC},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.record_resume",
        lambda c: c.calls.record_resume(CCID),
        "POST",
        f"{A}/record_resume",
        "/calls/{call_control_id}/actions/record_resume",
        {},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.playback_start",
        lambda c: c.calls.playback_start(
            CCID, audio_url="https://example.com/hold.mp3", loop="infinity", overlay=False
        ),
        "POST",
        f"{A}/playback_start",
        "/calls/{call_control_id}/actions/playback_start",
        {"audio_url": "https://example.com/hold.mp3", "loop": "infinity", "overlay": False},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.playback_stop",
        lambda c: c.calls.playback_stop(CCID, stop="all"),
        "POST",
        f"{A}/playback_stop",
        "/calls/{call_control_id}/actions/playback_stop",
        {"stop": "all"},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.speak",
        lambda c: c.calls.speak(
            CCID, payload="Please hold.", voice="female", language="en-US", payload_type="text"
        ),
        "POST",
        f"{A}/speak",
        "/calls/{call_control_id}/actions/speak",
        {"payload": "Please hold.", "voice": "female", "language": "en-US", "payload_type": "text"},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.send_dtmf",
        lambda c: c.calls.send_dtmf(CCID, digits="123#", duration_millis=250),
        "POST",
        f"{A}/send_dtmf",
        "/calls/{call_control_id}/actions/send_dtmf",
        {"digits": "123#", "duration_millis": 250},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.gather_using_audio",
        lambda c: c.calls.gather_using_audio(
            CCID,
            audio_url="https://example.com/menu.mp3",
            maximum_digits=1,
            valid_digits="123",
            timeout_millis=10000,
        ),
        "POST",
        f"{A}/gather_using_audio",
        "/calls/{call_control_id}/actions/gather_using_audio",
        {
            "audio_url": "https://example.com/menu.mp3",
            "maximum_digits": 1,
            "valid_digits": "123",
            "timeout_millis": 10000,
        },
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.enqueue",
        lambda c: c.calls.enqueue(CCID, queue_name="support", max_wait_time_secs=600),
        "POST",
        f"{A}/enqueue",
        "/calls/{call_control_id}/actions/enqueue",
        {"queue_name": "support", "max_wait_time_secs": 600},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.leave_queue",
        lambda c: c.calls.leave_queue(CCID),
        "POST",
        f"{A}/leave_queue",
        "/calls/{call_control_id}/actions/leave_queue",
        {},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.streaming_start",
        lambda c: c.calls.streaming_start(
            CCID, stream_url="wss://example.com/stream", stream_track="both_tracks"
        ),
        "POST",
        f"{A}/streaming_start",
        "/calls/{call_control_id}/actions/streaming_start",
        {"stream_url": "wss://example.com/stream", "stream_track": "both_tracks"},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.streaming_stop",
        lambda c: c.calls.streaming_stop(CCID, stream_id="1edb94f9-7ef0-4150-b502-e0ebadfd9491"),
        "POST",
        f"{A}/streaming_stop",
        "/calls/{call_control_id}/actions/streaming_stop",
        {"stream_id": "1edb94f9-7ef0-4150-b502-e0ebadfd9491"},
        command_id=True,
        response=OK,
    ),
    Case(
        "calls.client_state_update",
        lambda c: c.calls.client_state_update(CCID, client_state="stage=2"),
        "PUT",
        f"{A}/client_state_update",
        "/calls/{call_control_id}/actions/client_state_update",
        {"client_state": b64("stage=2")},
        response=OK,
    ),
    Case(
        "calls.switch_supervisor_role",
        lambda c: c.calls.switch_supervisor_role(CCID, role="whisper"),
        "POST",
        f"{A}/switch_supervisor_role",
        "/calls/{call_control_id}/actions/switch_supervisor_role",
        {"role": "whisper"},
        response=OK,
    ),
    Case(
        "connections.list_active_calls",
        lambda c: c.connections.list_active_calls(CONN),
        "GET",
        f"/connections/{CONN}/active_calls",
        "/connections/{connection_id}/active_calls",
        query={"page[limit]": "250"},
        response=[{**CALL, "call_duration": 50, "client_state": b64("x")}],
    ),
    # -- conferences -------------------------------------------------------------------------
    Case(
        "conferences.list_all",
        lambda c: c.conferences.list_all(filter_status="in_progress", region="US"),
        "GET",
        "/conferences",
        "/conferences",
        query={
            "filter[status]": "in_progress",
            "region": "US",
            "page[number]": "1",
            "page[size]": "250",
        },
        response=[CONFERENCE],
    ),
    Case(
        "conferences.create",
        lambda c: c.conferences.create(
            call_control_id=CCID,
            name="support-room",
            beep_enabled="on_enter",
            hold_audio_url="https://example.com/hold.mp3",
            start_conference_on_create=True,
            client_state="conf",
            max_participants=10,
        ),
        "POST",
        "/conferences",
        "/conferences",
        {
            "call_control_id": CCID,
            "name": "support-room",
            "beep_enabled": "on_enter",
            "hold_audio_url": "https://example.com/hold.mp3",
            "start_conference_on_create": True,
            "client_state": b64("conf"),
            "max_participants": 10,
        },
        command_id=True,
        response=CONFERENCE,
    ),
    Case(
        "conferences.retrieve",
        lambda c: c.conferences.retrieve(CONF),
        "GET",
        f"/conferences/{CONF}",
        "/conferences/{id}",
        response=CONFERENCE,
    ),
    Case(
        "conferences.end",
        lambda c: c.conferences.end(CONF),
        "POST",
        f"{C}/end",
        "/conferences/{id}/actions/end",
        {},
        command_id=True,
        response=OK,
    ),
    Case(
        "conferences.join",
        lambda c: c.conferences.join(
            CONF,
            call_control_id=OTHER,
            hold=True,
            mute=False,
            hold_audio_url="https://example.com/hold.mp3",
            supervisor_role="monitor",
            client_state="joined",
        ),
        "POST",
        f"{C}/join",
        "/conferences/{id}/actions/join",
        {
            "call_control_id": OTHER,
            "hold": True,
            "mute": False,
            "hold_audio_url": "https://example.com/hold.mp3",
            "supervisor_role": "monitor",
            "client_state": b64("joined"),
        },
        command_id=True,
        response=OK,
    ),
    Case(
        "conferences.leave",
        lambda c: c.conferences.leave(CONF, call_control_id=OTHER, beep_enabled="never"),
        "POST",
        f"{C}/leave",
        "/conferences/{id}/actions/leave",
        {"call_control_id": OTHER, "beep_enabled": "never"},
        command_id=True,
        response=OK,
    ),
    Case(
        "conferences.mute",
        lambda c: c.conferences.mute(CONF, call_control_ids=[CCID]),
        "POST",
        f"{C}/mute",
        "/conferences/{id}/actions/mute",
        {"call_control_ids": [CCID]},
        response=OK,
    ),
    Case(
        "conferences.unmute",
        lambda c: c.conferences.unmute(CONF, call_control_ids=[CCID]),
        "POST",
        f"{C}/unmute",
        "/conferences/{id}/actions/unmute",
        {"call_control_ids": [CCID]},
        response=OK,
    ),
    Case(
        "conferences.hold",
        lambda c: c.conferences.hold(
            CONF, call_control_ids=[CCID], audio_url="https://example.com/hold.mp3"
        ),
        "POST",
        f"{C}/hold",
        "/conferences/{id}/actions/hold",
        {"call_control_ids": [CCID], "audio_url": "https://example.com/hold.mp3"},
        response=OK,
    ),
    Case(
        "conferences.unhold",
        lambda c: c.conferences.unhold(CONF, call_control_ids=[CCID]),
        "POST",
        f"{C}/unhold",
        "/conferences/{id}/actions/unhold",
        {"call_control_ids": [CCID]},
        response=OK,
    ),
    Case(
        "conferences.record_start",
        lambda c: c.conferences.record_start(CONF, format="mp3", channels="dual", play_beep=True),
        "POST",
        f"{C}/record_start",
        "/conferences/{id}/actions/record_start",
        {"format": "mp3", "channels": "dual", "play_beep": True},
        command_id=True,
        response=OK,
    ),
    Case(
        "conferences.record_stop",
        lambda c: c.conferences.record_stop(CONF, recording_id=REC),
        "POST",
        f"{C}/record_stop",
        "/conferences/{id}/actions/record_stop",
        {"recording_id": REC},
        command_id=True,
        response=OK,
    ),
    Case(
        "conferences.record_pause",
        lambda c: c.conferences.record_pause(CONF, recording_id=REC),
        "POST",
        f"{C}/record_pause",
        "/conferences/{id}/actions/record_pause",
        {"recording_id": REC},
        command_id=True,
        response=OK,
    ),
    Case(
        "conferences.record_resume",
        lambda c: c.conferences.record_resume(CONF, recording_id=REC),
        "POST",
        f"{C}/record_resume",
        "/conferences/{id}/actions/record_resume",
        {"recording_id": REC},
        command_id=True,
        response=OK,
    ),
    Case(
        "conferences.speak",
        lambda c: c.conferences.speak(
            CONF, payload="Recording starts now.", voice="female", call_control_ids=[CCID]
        ),
        "POST",
        f"{C}/speak",
        "/conferences/{id}/actions/speak",
        {"payload": "Recording starts now.", "voice": "female", "call_control_ids": [CCID]},
        command_id=True,
        response=OK,
    ),
    Case(
        "conferences.play",
        lambda c: c.conferences.play(CONF, audio_url="https://example.com/tone.wav", loop=2),
        "POST",
        f"{C}/play",
        "/conferences/{id}/actions/play",
        {"audio_url": "https://example.com/tone.wav", "loop": 2},
        response=OK,
    ),
    Case(
        "conferences.stop",
        lambda c: c.conferences.stop(CONF, call_control_ids=[CCID]),
        "POST",
        f"{C}/stop",
        "/conferences/{id}/actions/stop",
        {"call_control_ids": [CCID]},
        response=OK,
    ),
    Case(
        "conferences.send_dtmf",
        lambda c: c.conferences.send_dtmf(CONF, digits="1234#", duration_millis=300),
        "POST",
        f"{C}/send_dtmf",
        "/conferences/{id}/actions/send_dtmf",
        {"digits": "1234#", "duration_millis": 300},
        response=OK,
    ),
    Case(
        "conferences.update",
        lambda c: c.conferences.update(
            CONF, call_control_id=OTHER, supervisor_role="whisper", whisper_call_control_ids=[CCID]
        ),
        "POST",
        f"{C}/update",
        "/conferences/{id}/actions/update",
        {
            "call_control_id": OTHER,
            "supervisor_role": "whisper",
            "whisper_call_control_ids": [CCID],
        },
        command_id=True,
        response=OK,
    ),
    Case(
        "conferences.list_participants",
        lambda c: c.conferences.list_participants(CONF, filter_muted=False),
        "GET",
        f"/conferences/{CONF}/participants",
        "/conferences/{conference_id}/participants",
        query={"filter[muted]": "false", "page[number]": "1", "page[size]": "250"},
        response=[LISTED_PARTICIPANT],
    ),
    Case(
        "conferences.retrieve_participant",
        lambda c: c.conferences.retrieve_participant(CONF, PARTICIPANT["id"]),
        "GET",
        f"/conferences/{CONF}/participants/{PARTICIPANT['id']}",
        "/conferences/{id}/participants/{participant_id}",
        response=PARTICIPANT,
    ),
    Case(
        "conferences.update_participant",
        lambda c: c.conferences.update_participant(
            CONF, PARTICIPANT["id"], beep_enabled="always", end_conference_on_exit=True
        ),
        "PATCH",
        f"/conferences/{CONF}/participants/{PARTICIPANT['id']}",
        "/conferences/{id}/participants/{participant_id}",
        {"beep_enabled": "always", "end_conference_on_exit": True},
        response=PARTICIPANT,
    ),
    # -- queues ------------------------------------------------------------------------------
    Case(
        "queues.list_all",
        lambda c: c.queues.list_all(),
        "GET",
        "/queues",
        "/queues",
        query={"page[number]": "1", "page[size]": "250"},
        response=[QUEUE],
    ),
    Case(
        "queues.create",
        lambda c: c.queues.create(queue_name="support", max_size=50),
        "POST",
        "/queues",
        "/queues",
        {"queue_name": "support", "max_size": 50},
        response=QUEUE,
    ),
    Case(
        "queues.retrieve",
        lambda c: c.queues.retrieve("support"),
        "GET",
        "/queues/support",
        "/queues/{queue_name}",
        response=QUEUE,
    ),
    Case(
        "queues.update",
        lambda c: c.queues.update("support", max_size=100),
        "POST",
        "/queues/support",
        "/queues/{queue_name}",
        {"max_size": 100},
        response={**QUEUE, "max_size": 100},
    ),
    Case(
        "queues.delete",
        lambda c: c.queues.delete("support"),
        "DELETE",
        "/queues/support",
        "/queues/{queue_name}",
        status=204,
    ),
    Case(
        "queues.list_calls",
        lambda c: c.queues.list_calls("support"),
        "GET",
        "/queues/support/calls",
        "/queues/{queue_name}/calls",
        query={"page[number]": "1", "page[size]": "250"},
        response=[QUEUE_CALL],
    ),
    Case(
        "queues.retrieve_call",
        lambda c: c.queues.retrieve_call("support", CCID),
        "GET",
        f"/queues/support/calls/{CCID}",
        "/queues/{queue_name}/calls/{call_control_id}",
        response=QUEUE_CALL,
    ),
    Case(
        "queues.update_call",
        lambda c: c.queues.update_call("support", CCID, keep_after_hangup=True),
        "PATCH",
        f"/queues/support/calls/{CCID}",
        "/queues/{queue_name}/calls/{call_control_id}",
        {"keep_after_hangup": True},
        status=204,
    ),
    Case(
        "queues.remove_call",
        lambda c: c.queues.remove_call("support", CCID),
        "DELETE",
        f"/queues/support/calls/{CCID}",
        "/queues/{queue_name}/calls/{call_control_id}",
        status=204,
    ),
    # -- call control applications -----------------------------------------------------------
    Case(
        "applications.list",
        lambda c: c.applications.list(filter_application_name_contains="console"),
        "GET",
        "/call_control_applications",
        "/call_control_applications",
        query={
            "filter[application_name][contains]": "console",
            "page[number]": "1",
            "page[size]": "250",
        },
        response=[APPLICATION],
    ),
    Case(
        "applications.create",
        lambda c: c.applications.create(
            application_name="operator-console",
            webhook_event_url="https://example.com/webhooks",
            webhook_timeout_secs=5,
            first_command_timeout=True,
            first_command_timeout_secs=10,
            anchorsite_override="Chicago, IL",
            outbound={"outbound_voice_profile_id": "1293384261075731462", "channel_limit": 10},
        ),
        "POST",
        "/call_control_applications",
        "/call_control_applications",
        {
            "application_name": "operator-console",
            "webhook_event_url": "https://example.com/webhooks",
            "webhook_api_version": "2",
            "webhook_timeout_secs": 5,
            "first_command_timeout": True,
            "first_command_timeout_secs": 10,
            "anchorsite_override": "Chicago, IL",
            "outbound": {"outbound_voice_profile_id": "1293384261075731462", "channel_limit": 10},
        },
        response=APPLICATION,
        status=201,
    ),
    Case(
        "applications.retrieve",
        lambda c: c.applications.retrieve(APP),
        "GET",
        f"/call_control_applications/{APP}",
        "/call_control_applications/{id}",
        response=APPLICATION,
    ),
    Case(
        "applications.update",
        lambda c: c.applications.update(
            APP,
            application_name="operator-console",
            webhook_event_url="https://example.com/v2/webhooks",
            webhook_api_version="2",
            tags=["console"],
        ),
        "PATCH",
        f"/call_control_applications/{APP}",
        "/call_control_applications/{id}",
        {
            "application_name": "operator-console",
            "webhook_event_url": "https://example.com/v2/webhooks",
            "webhook_api_version": "2",
            "tags": ["console"],
        },
        response=APPLICATION,
    ),
    Case(
        "applications.delete",
        lambda c: c.applications.delete(APP),
        "DELETE",
        f"/call_control_applications/{APP}",
        "/call_control_applications/{id}",
        response=APPLICATION,
    ),
    # -- recordings --------------------------------------------------------------------------
    Case(
        "recordings.list",
        lambda c: c.recordings.list(
            filter_call_control_id=CCID, filter_created_at_gte="2019-03-29T11:10:00Z"
        ),
        "GET",
        "/recordings",
        "/recordings",
        query={
            "filter[call_control_id]": CCID,
            "filter[created_at][gte]": "2019-03-29T11:10:00Z",
            "page[number]": "1",
            "page[size]": "250",
        },
        response=[RECORDING],
    ),
    Case(
        "recordings.retrieve",
        lambda c: c.recordings.retrieve(REC),
        "GET",
        f"/recordings/{REC}",
        "/recordings/{recording_id}",
        response=RECORDING,
    ),
]


def reply_for(case: Case):
    """A MockTransport reply for the case: its data (paged lists get a one-page meta)."""
    import httpx

    if case.status == 204:
        return httpx.Response(204)
    body: dict[str, Any] = {"data": case.response}
    if isinstance(case.response, list):
        if "page[limit]" in case.query:
            body["meta"] = {"cursors": {}, "total_items": 1}
        else:
            body["meta"] = {
                "page_number": 1,
                "page_size": 250,
                "total_pages": 1,
                "total_results": 1,
            }
    return httpx.Response(case.status, json=body)
