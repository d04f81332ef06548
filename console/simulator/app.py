"""The aiohttp application: Telnyx's REST API under /v2, recording media, and /_sim controls."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import errors, media, validation
from .clock import iso
from .entities import Call, Conference
from .pagination import cursor_page, page_numbers

if TYPE_CHECKING:
    from .simulator import TelnyxSimulator

log = logging.getLogger(__name__)
SIM_KEY = web.AppKey("simulator", object)
MEDIA_PREFIX = "/media/recordings"
HOLD_MUSIC_PATH = "/media/hold-music.wav"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def sim_of(request: web.Request) -> TelnyxSimulator:
    return request.app[SIM_KEY]  # type: ignore[return-value]


def ok(data: Any, status: int = 200, meta: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"data": data}
    if meta is not None:
        body["meta"] = meta
    return web.json_response(body, status=status)


async def read_json(request: web.Request) -> Any:
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise errors.bad_request("The request body is not valid JSON.") from None


# --- middlewares ---------------------------------------------------------------------------


@web.middleware
async def telnyx_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure becomes a Telnyx error body; nothing a client sends can crash the server."""
    try:
        return await handler(request)
    except errors.TelnyxError as exc:
        return exc.response()
    except web.HTTPNotFound:
        return errors.not_found(f"No route for {request.method} {request.path}").response()
    except web.HTTPMethodNotAllowed:
        return errors.TelnyxError(
            405, "10015", "Method not allowed", f"{request.method} is not allowed here."
        ).response()
    except web.HTTPException:
        raise
    except Exception:
        log.exception("simulator handler failed on %s %s", request.method, request.path)
        return errors.internal_error().response()


@web.middleware
async def auth_and_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(("/v2", "/_sim")):
        return await handler(request)
    sim = sim_of(request)
    header = request.headers.get("Authorization", "")
    if header != f"Bearer {sim.api_key}":
        raise errors.unauthorized()
    if request.path.startswith("/v2"):
        sim.rest_faults(request)
    return await handler(request)


# --- calls ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    schema: str
    run: Callable[[TelnyxSimulator, Call, dict[str, Any]], Any]
    needs_answer: bool = False
    check: Callable[[dict[str, Any]], Any] | None = None


def _check_transfer(body: dict[str, Any]) -> None:
    validation.check_destination(body["to"], "to")
    if body.get("from") is not None:
        validation.check_destination(body["from"], "from")
    _check_webhook_url(body)
    _check_range(body, "timeout_secs", 5, 600)


def _check_webhook_url(body: dict[str, Any]) -> None:
    for name in ("webhook_url", "webhook_url_failover"):
        if body.get(name):
            validation.check_url(body[name], name)


def _check_range(body: dict[str, Any], name: str, low: int, high: int) -> None:
    value = body.get(name)
    if value is not None and not low <= value <= high:
        raise errors.out_of_range(name, low, high)


def _check_refer(body: dict[str, Any]) -> None:
    if not validation.is_sip_uri(body["sip_address"]):
        raise errors.TelnyxError(
            422,
            "10015",
            "Invalid SIP URI",
            "sip_address must be a SIP URI.",
            pointer="/sip_address",
        )


def _check_playback(body: dict[str, Any]) -> None:
    validation.check_loop(body.get("loop"))
    if not any(body.get(k) for k in ("audio_url", "media_name", "playback_content")):
        raise errors.missing("audio_url")


def _check_speak(body: dict[str, Any]) -> None:
    if body.get("loop") is not None:
        validation.check_loop(body["loop"])


CALL_ACTIONS: dict[str, Action] = {
    "answer": Action(
        "AnswerRequest", lambda s, c, b: s.world.legs.answer(c, b), check=_check_webhook_url
    ),
    "reject": Action("RejectRequest", lambda s, c, b: s.world.legs.reject(c, b)),
    "hangup": Action("HangupRequest", lambda s, c, b: s.world.legs.hangup(c, b)),
    "transfer": Action(
        "TransferCallRequest", lambda s, c, b: s.world.bridges.transfer(c, b), check=_check_transfer
    ),
    "bridge": Action("BridgeRequest", lambda s, c, b: s.world.bridges.bridge(c, b)),
    "refer": Action(
        "ReferRequest", lambda s, c, b: s.world.bridges.refer(c, b), True, check=_check_refer
    ),
    "send_sip_info": Action("SendSIPInfoRequest", lambda s, c, b: None, True),
    "record_start": Action(
        "StartRecordingRequest", lambda s, c, b: s.world.recorder.record_start(c, b), True
    ),
    "record_stop": Action(
        "StopRecordingRequest", lambda s, c, b: s.world.recorder.record_stop(c, b)
    ),
    "record_pause": Action(
        "PauseRecordingRequest", lambda s, c, b: s.world.recorder.record_pause(c, b)
    ),
    "record_resume": Action(
        "ResumeRecordingRequest", lambda s, c, b: s.world.recorder.record_resume(c, b)
    ),
    "playback_start": Action(
        "PlayAudioUrlRequest",
        lambda s, c, b: s.world.call_media.playback_start(
            c, b, validation.check_loop(b.get("loop"))
        ),
        True,
        check=_check_playback,
    ),
    "playback_stop": Action(
        "PlaybackStopRequest", lambda s, c, b: s.world.call_media.playback_stop(c, b)
    ),
    "speak": Action(
        "SpeakRequest", lambda s, c, b: s.world.call_media.speak(c, b), True, check=_check_speak
    ),
    "send_dtmf": Action(
        "SendDTMFRequest",
        lambda s, c, b: s.world.apply_common(c, b),
        True,
        check=lambda b: validation.check_digits(b["digits"]),
    ),
    "gather_using_audio": Action(
        "GatherUsingAudioRequest", lambda s, c, b: s.world.call_media.gather_using_audio(c, b), True
    ),
    "enqueue": Action("EnqueueRequest", lambda s, c, b: s.world.queueing.enqueue(c, b), True),
    "leave_queue": Action("LeaveQueueRequest", lambda s, c, b: s.world.queueing.leave_queue(c, b)),
    "streaming_start": Action(
        "StartStreamingRequest", lambda s, c, b: s.world.call_media.streaming_start(c, b), True
    ),
    "streaming_stop": Action(
        "StopStreamingRequest", lambda s, c, b: s.world.call_media.streaming_stop(c, b)
    ),
    "switch_supervisor_role": Action(
        "SwitchSupervisorRoleRequest", lambda s, c, b: setattr(c, "supervisor_role", b["role"])
    ),
}


async def dial(request: web.Request) -> web.Response:
    sim = sim_of(request)
    body = validation.check("CallRequest", await read_json(request))
    destinations = validation.check_dial_to(body["to"])
    validation.check_destination(body["from"], "from")
    _check_webhook_url(body)
    _check_range(body, "timeout_secs", 5, 600)
    _check_range(body, "time_limit_secs", 30, 14400)
    duplicate = sim.world.dedupe.duplicate("dial", "", body.get("command_id"))
    if duplicate is not None:
        return ok(duplicate)
    call = sim.world.legs.dial(body, destinations)
    data = call.to_api(sim.world.now())
    data["is_alive"] = False  # "always false for dial" (the call is only being set up)
    if call.recording is not None:
        data["recording_id"] = call.recording.id
    sim.world.dedupe.remember("dial", "", body.get("command_id"), data)
    return ok(data)


async def call_status(request: web.Request) -> web.Response:
    sim = sim_of(request)
    call = sim.world.known_call(request.match_info["call_control_id"])
    return ok(call.to_api(sim.world.now()))


async def call_action(request: web.Request) -> web.Response:
    sim = sim_of(request)
    name = request.match_info["action"]
    if name not in CALL_ACTIONS:
        raise errors.not_found(f"The simulator does not implement the '{name}' command.")
    return ok(
        call_command(sim, request.match_info["call_control_id"], name, await read_json(request))
    )


def call_command(sim: TelnyxSimulator, ccid: str, name: str, body: Any) -> dict[str, Any]:
    """Validate and run one Call Control command, exactly as ``POST …/actions/{name}`` does.

    The REST handler and the demo's auto-attendant (an application's own commands, issued
    in-process) share it, so both get the spec's validation and the same webhooks.
    """
    action = CALL_ACTIONS.get(name)
    if action is None:
        raise errors.not_found(f"The simulator does not implement the '{name}' command.")
    checked = validation.check(action.schema, body)
    if action.check is not None:
        action.check(checked)
    return _run_call_command(sim, ccid, name, checked, action)


def _run_call_command(
    sim: TelnyxSimulator, ccid: str, name: str, body: dict[str, Any], action: Action
) -> dict[str, Any]:
    call = sim.world.known_call(ccid)
    duplicate = sim.world.dedupe.duplicate("call", ccid, body.get("command_id"))
    if duplicate is not None:
        return duplicate  # accepted, not executed again
    if call.ended:
        raise errors.call_ended()
    if action.needs_answer and not call.answered:
        raise errors.not_answered()
    result = action.run(sim, call, body)
    data = result if isinstance(result, dict) else {"result": "ok"}
    sim.world.dedupe.remember("call", ccid, body.get("command_id"), data)
    return data


async def client_state_update(request: web.Request) -> web.Response:
    sim = sim_of(request)
    body = validation.check("ClientStateUpdateRequest", await read_json(request))
    action = Action("ClientStateUpdateRequest", lambda s, c, b: s.world.apply_common(c, b))
    return ok(_run_call_command(sim, request.match_info["call_control_id"], "csu", body, action))


async def active_calls(request: web.Request) -> web.Response:
    sim = sim_of(request)
    connection_id = request.match_info["connection_id"]
    if connection_id not in sim.world.apps:
        raise errors.invalid_connection_id()
    now = sim.world.now()
    calls = sorted(
        (c for c in sim.world.calls.values() if c.alive and c.connection_id == connection_id),
        key=lambda c: c.start_time,
    )
    page, meta = cursor_page(request, calls, request.path)
    data = [
        {
            "record_type": "call",
            "call_control_id": c.call_control_id,
            "call_leg_id": c.call_leg_id,
            "call_session_id": c.call_session_id,
            "client_state": c.client_state,
            "call_duration": c.duration_secs(now),
        }
        for c in page
    ]
    return ok(data, meta=meta)


# --- conferences ---------------------------------------------------------------------------


def _bool_filter(request: web.Request, name: str) -> bool | None:
    raw = request.query.get(name)
    return None if raw is None else raw.lower() == "true"


async def list_conferences(request: web.Request) -> web.Response:
    sim = sim_of(request)
    confs = sorted(sim.world.conferences.values(), key=lambda c: c.created_at)
    name = request.query.get("filter[name]")
    status = request.query.get("filter[status]")
    confs = [
        c for c in confs if (not name or c.name == name) and (not status or c.status == status)
    ]
    page, meta = page_numbers(request, confs)
    return ok([c.to_api() for c in page], meta=meta)


async def create_conference(request: web.Request) -> web.Response:
    sim = sim_of(request)
    body = validation.check("CreateConferenceRequest", await read_json(request))
    duplicate = sim.world.dedupe.duplicate("conference_create", "", body.get("command_id"))
    if duplicate is not None:
        return ok(duplicate)
    call = sim.world.live_call(body["call_control_id"])
    if not call.answered:
        raise errors.not_answered()
    conf = sim.world.conferencing.create_conference(call, body)
    data = conf.to_api()
    sim.world.dedupe.remember("conference_create", "", body.get("command_id"), data)
    return ok(data)


async def get_conference(request: web.Request) -> web.Response:
    return ok(sim_of(request).world.conference(request.match_info["id"]).to_api())


def _ids(body: dict[str, Any]) -> list[str] | None:
    return validation.check_id_list(body)


def _unhold_ids(body: dict[str, Any]) -> list[str]:
    ids = _ids(body)
    if not ids:
        raise errors.missing("call_control_ids")  # unhold requires the list (spec)
    return ids


def _conf_call(sim: TelnyxSimulator, body: dict[str, Any]) -> Call:
    call = sim.world.live_call(body["call_control_id"])
    if not call.answered:
        raise errors.not_answered()
    return call


def _update_supervisor(sim: TelnyxSimulator, conf: Conference, body: dict[str, Any]) -> None:
    participant = conf.participants.get(body["call_control_id"])
    if participant is None or participant.status != "joined":
        raise errors.invalid_call_control_id()
    participant.supervisor_role = body["supervisor_role"]
    if body.get("whisper_call_control_ids") is not None:
        participant.whisper_call_control_ids = list(body["whisper_call_control_ids"])
    participant.updated_at = sim.world.now()


ConfRun = Callable[["TelnyxSimulator", Conference, dict[str, Any]], Any]
CONF_ACTIONS: dict[str, tuple[str, ConfRun]] = {
    # "End a conference and terminate all active participants" (spec3.yml EndConference).
    "end": (
        "EndConferenceRequest",
        lambda s, c, b: s.world.conferencing.end_conference(c, "ended_via_api", hang_up=True),
    ),
    "join": (
        "JoinConferenceRequest",
        lambda s, c, b: s.world.conferencing.join(c, _conf_call(s, b), b),
    ),
    "leave": (
        "LeaveConferenceRequest",
        lambda s, c, b: s.world.conferencing.leave(c, s.world.live_call(b["call_control_id"]), b),
    ),
    "mute": (
        "ConferenceMuteRequest",
        lambda s, c, b: s.world.conferencing.set_flag(c, _ids(b), "muted", True),
    ),
    "unmute": (
        "ConferenceUnmuteRequest",
        lambda s, c, b: s.world.conferencing.set_flag(c, _ids(b), "muted", False),
    ),
    "hold": (
        "ConferenceHoldRequest",
        lambda s, c, b: s.world.conferencing.set_flag(c, _ids(b), "on_hold", True),
    ),
    "unhold": (
        "ConferenceUnholdRequest",
        lambda s, c, b: s.world.conferencing.set_flag(c, _unhold_ids(b), "on_hold", False),
    ),
    "record_start": (
        "StartConferenceRecordingRequest",
        lambda s, c, b: s.world.recorder.conference_record_start(c, b),
    ),
    "record_stop": (
        "StopRecordingConferenceRequest",
        lambda s, c, b: s.world.recorder.conference_record_stop(c, b),
    ),
    "record_pause": (
        "PauseConferenceRecordingRequest",
        lambda s, c, b: s.world.recorder.record_pause(c, b),
    ),
    "record_resume": (
        "ResumeConferenceRecordingRequest",
        lambda s, c, b: s.world.recorder.record_resume(c, b),
    ),
    "speak": (
        "ConferenceSpeakRequest",
        lambda s, c, b: s.world.conferencing.conference_media(c, "speak", b, 1),
    ),
    "play": (
        "ConferencePlayRequest",
        lambda s, c, b: s.world.conferencing.conference_media(
            c, "playback", b, validation.check_loop(b.get("loop"))
        ),
    ),
    "stop": ("ConferenceStopRequest", lambda s, c, b: s.world.conferencing.conference_stop(c)),
    "send_dtmf": (
        "ConferenceSendDTMFRequest",
        lambda s, c, b: validation.check_digits(b["digits"]),
    ),
    "update": ("UpdateConferenceRequest", _update_supervisor),
}
# join, leave and update document no 404 response: an unknown conference is a 422 there.
CONF_422_ACTIONS = {"join", "leave", "update"}


async def conference_action(request: web.Request) -> web.Response:
    sim = sim_of(request)
    name = request.match_info["action"]
    entry = CONF_ACTIONS.get(name)
    if entry is None:
        raise errors.not_found(f"The simulator does not implement the '{name}' command.")
    schema, run = entry
    body = validation.check(schema, await read_json(request))
    if name == "play" and not (body.get("audio_url") or body.get("media_name")):
        raise errors.missing("audio_url")
    conf_id = request.match_info["id"]
    conf = sim.world.conference(conf_id, status=422 if name in CONF_422_ACTIONS else 404)
    duplicate = sim.world.dedupe.duplicate("conference", conf_id, body.get("command_id"))
    if duplicate is not None:
        return ok(duplicate)
    if conf.ended:
        raise errors.conference_ended()
    run(sim, conf, body)
    data = {"result": "ok"}
    sim.world.dedupe.remember("conference", conf_id, body.get("command_id"), data)
    return ok(data)


async def list_participants(request: web.Request) -> web.Response:
    sim = sim_of(request)
    conf = sim.world.conference(request.match_info["conference_id"])
    participants = sorted(conf.participants.values(), key=lambda p: p.created_at)
    muted = _bool_filter(request, "filter[muted]")
    on_hold = _bool_filter(request, "filter[on_hold]")
    whispering = _bool_filter(request, "filter[whispering]")
    participants = [
        p
        for p in participants
        if (muted is None or p.muted == muted)
        and (on_hold is None or p.on_hold == on_hold)
        and (whispering is None or bool(p.whisper_call_control_ids) == whispering)
    ]
    page, meta = page_numbers(request, participants)
    return ok([p.to_list_item(conf.name) for p in page], meta=meta)


def _participant(request: web.Request):
    conf = sim_of(request).world.conference(request.match_info["id"])
    wanted = request.match_info["participant_id"]
    for participant in conf.participants.values():
        if wanted in (participant.id, participant.call_control_id):
            return participant
    raise errors.not_found("The participant does not exist.")


async def get_participant(request: web.Request) -> web.Response:
    return ok(_participant(request).to_resource())


async def update_participant(request: web.Request) -> web.Response:
    participant = _participant(request)
    body = validation.check("UpdateConferenceParticipantRequest", await read_json(request))
    for key in ("end_conference_on_exit", "soft_end_conference_on_exit", "beep_enabled"):
        if body.get(key) is not None:
            setattr(participant, key, body[key])
    participant.updated_at = sim_of(request).world.now()
    return ok(participant.to_resource())


# --- queues ----------------------------------------------------------------------------------


def _queue(request: web.Request):
    queue = sim_of(request).world.queues.get(request.match_info["queue_name"])
    if queue is None:
        raise errors.not_found("The queue does not exist.")
    return queue


def _queue_call(sim: TelnyxSimulator, queue, ccid: str) -> dict[str, Any]:
    now = sim.world.now()
    position = queue.position(ccid)
    entry = queue.calls[position - 1]
    call = sim.world.calls[ccid]
    return {
        "record_type": "queue_call",
        "call_control_id": call.call_control_id,
        "call_leg_id": call.call_leg_id,
        "call_session_id": call.call_session_id,
        "connection_id": call.connection_id,
        "from": call.from_,
        "to": call.to,
        "enqueued_at": iso(entry.enqueued_at),
        "is_alive": call.alive,
        "queue_id": queue.id,
        "queue_position": position,
        "wait_time_secs": int((now - entry.enqueued_at).total_seconds()),
    }


async def list_queues(request: web.Request) -> web.Response:
    sim = sim_of(request)
    now = sim.world.now()
    queues = sorted(sim.world.queues.values(), key=lambda q: q.created_at)
    page, meta = page_numbers(request, queues)
    return ok([q.to_api(now) for q in page], meta=meta)


async def create_queue(request: web.Request) -> web.Response:
    sim = sim_of(request)
    body = validation.check("CreateQueueRequest", await read_json(request))
    if body["queue_name"] in sim.world.queues:
        raise errors.TelnyxError(
            422, "10015", "Bad Request", "A queue with this name exists.", pointer="/queue_name"
        )
    queue = sim.world.queueing.create_queue(body["queue_name"], int(body.get("max_size") or 300))
    return ok(queue.to_api(sim.world.now()))


async def get_queue(request: web.Request) -> web.Response:
    return ok(_queue(request).to_api(sim_of(request).world.now()))


async def update_queue(request: web.Request) -> web.Response:
    sim = sim_of(request)
    queue = _queue(request)
    body = validation.check("UpdateQueueRequest", await read_json(request))
    queue.max_size = body["max_size"]
    queue.updated_at = sim.world.now()
    return ok(queue.to_api(sim.world.now()))


async def delete_queue(request: web.Request) -> web.Response:
    sim = sim_of(request)
    queue = _queue(request)
    for entry in list(queue.calls):
        call = sim.world.calls.get(entry.call_control_id)
        if call is not None and call.queue_name == queue.name and call.alive:
            sim.world.queueing.leave_queue(call, {})
    del sim.world.queues[queue.name]
    return web.Response(status=204)


async def list_queue_calls(request: web.Request) -> web.Response:
    sim = sim_of(request)
    queue = _queue(request)
    page, meta = page_numbers(request, [q.call_control_id for q in queue.calls])
    return ok([_queue_call(sim, queue, ccid) for ccid in page], meta=meta)


def _queued(request: web.Request):
    queue = _queue(request)
    ccid = request.match_info["call_control_id"]
    if queue.position(ccid) is None:
        raise errors.not_found("The call is not in this queue.")
    return queue, ccid


async def get_queue_call(request: web.Request) -> web.Response:
    queue, ccid = _queued(request)
    return ok(_queue_call(sim_of(request), queue, ccid))


async def update_queue_call(request: web.Request) -> web.Response:
    queue, ccid = _queued(request)
    body = validation.check("UpdateQueuedCallRequest", await read_json(request))
    if body.get("keep_after_hangup") is not None:
        queue.calls[queue.position(ccid) - 1].keep_after_hangup = body["keep_after_hangup"]
    return web.Response(status=204)


async def remove_queue_call(request: web.Request) -> web.Response:
    sim = sim_of(request)
    queue, ccid = _queued(request)
    call = sim.world.calls.get(ccid)
    if call is not None and call.queue_name == queue.name:
        sim.world.queueing.leave_queue(call, {})
    else:
        queue.calls.pop(queue.position(ccid) - 1)
    return web.Response(status=204)


# --- call control applications ---------------------------------------------------------------


def _check_app(body: dict[str, Any]) -> None:
    validation.check_url(body["webhook_event_url"], "webhook_event_url")
    if body.get("webhook_event_failover_url"):
        validation.check_url(body["webhook_event_failover_url"], "webhook_event_failover_url")
    _check_range(body, "webhook_timeout_secs", 0, 30)


def _app(request: web.Request):
    app = sim_of(request).world.apps.get(request.match_info["id"])
    if app is None:
        raise errors.not_found("The call control application does not exist.")
    return app


async def list_apps(request: web.Request) -> web.Response:
    sim = sim_of(request)
    apps = sorted(sim.world.apps.values(), key=lambda a: a.created_at)
    contains = request.query.get("filter[application_name][contains]")
    if contains and contains != "null":
        apps = [a for a in apps if contains.lower() in a.fields["application_name"].lower()]
    page, meta = page_numbers(request, apps)
    return ok([a.to_api() for a in page], meta=meta)


async def create_app(request: web.Request) -> web.Response:
    sim = sim_of(request)
    body = validation.check("CreateCallControlApplicationRequest", await read_json(request))
    _check_app(body)
    app = sim.world.applications.create_app(dict(body))
    return ok(app.to_api(), status=201)


async def get_app(request: web.Request) -> web.Response:
    return ok(_app(request).to_api())


async def update_app(request: web.Request) -> web.Response:
    sim = sim_of(request)
    app = _app(request)
    body = validation.check("UpdateCallControlApplicationRequest", await read_json(request))
    _check_app(body)
    return ok(sim.world.applications.update_app(app, dict(body)).to_api())


async def delete_app(request: web.Request) -> web.Response:
    sim = sim_of(request)
    app = _app(request)
    del sim.world.apps[app.id]
    return ok(app.to_api())


# --- recordings ------------------------------------------------------------------------------

RECORDING_FILTERS = {
    "filter[call_control_id]": "call_control_id",
    "filter[call_leg_id]": "call_leg_id",
    "filter[call_session_id]": "call_session_id",
    "filter[conference_id]": "conference_id",
    "filter[connection_id]": "connection_id",
    "filter[from]": "from_",
    "filter[to]": "to",
}


async def list_recordings(request: web.Request) -> web.Response:
    sim = sim_of(request)
    recordings = sorted(sim.world.recordings.values(), key=lambda r: r.started_at)
    for param, attr in RECORDING_FILTERS.items():
        wanted = request.query.get(param)
        if wanted:
            recordings = [r for r in recordings if getattr(r, attr) == wanted]
    page, meta = page_numbers(request, recordings)
    return ok([r.to_api(sim.media_base) for r in page], meta=meta)


def _recording(request: web.Request):
    recording = sim_of(request).world.recordings.get(request.match_info["recording_id"])
    if recording is None:
        raise errors.recording_not_found()
    return recording


async def get_recording(request: web.Request) -> web.Response:
    return ok(_recording(request).to_api(sim_of(request).media_base))


async def delete_recording(request: web.Request) -> web.Response:
    sim = sim_of(request)
    recording = _recording(request)
    del sim.world.recordings[recording.id]
    return ok(recording.to_api(sim.media_base))


async def recording_media(request: web.Request) -> web.Response:
    sim = sim_of(request)
    name = request.match_info["file"]
    recording_id, _, ext = name.rpartition(".")
    recording = sim.world.recordings.get(recording_id)
    if recording is None or ext not in ("wav", "mp3"):
        return web.Response(status=404, text="Not Found")
    channels = 2 if recording.channels == "dual" else 1
    if ext == "wav":
        return web.Response(
            body=media.wav_bytes(recording.duration_secs, channels=channels),
            content_type="audio/wav",
        )
    return web.Response(body=media.mp3_bytes(recording.duration_secs), content_type="audio/mpeg")


async def hold_music(request: web.Request) -> web.Response:
    return web.Response(body=media.hold_music_wav(), content_type="audio/wav")


# --- simulator controls (not Telnyx API) ------------------------------------------------------


async def sim_inbound(request: web.Request) -> web.Response:
    sim = sim_of(request)
    body = await read_json(request)
    if not isinstance(body, dict):
        raise errors.bad_request("The request body must be a JSON object.", status=422)
    source = body.get("from")
    if not isinstance(source, str) or not source:
        raise errors.missing("from")
    validation.check_destination(source, "from")
    hangup_after = body.get("hangup_after")
    if hangup_after is not None and (
        isinstance(hangup_after, bool) or not isinstance(hangup_after, int | float)
    ):
        raise errors.invalid_type("hangup_after", "a number of seconds")
    ccid = await sim.place_inbound_call(
        from_=source,
        to=body.get("to"),
        caller_name=body.get("caller_name") or "",
        hangup_after=hangup_after,
    )
    return ok({"call_control_id": ccid})


async def sim_remote_hangup(request: web.Request) -> web.Response:
    sim = sim_of(request)
    sim.remote_hangup(request.match_info["call_control_id"])
    return ok({"result": "ok"})


async def sim_truth(request: web.Request) -> web.Response:
    return web.json_response(sim_of(request).truth())


async def sim_outage(request: web.Request) -> web.Response:
    body = await read_json(request)
    duration = body.get("duration") if isinstance(body, dict) else None
    if not isinstance(duration, int | float) or duration <= 0:
        raise errors.missing("duration")
    sim_of(request).start_outage(float(duration))
    return ok({"result": "ok"})


async def sim_demo(request: web.Request) -> web.Response:
    sim = sim_of(request)
    if request.method == "DELETE":
        sim.stop_demo_traffic()
    else:
        body = await read_json(request)
        rate = body.get("rate", 2.0) if isinstance(body, dict) else 2.0
        if not isinstance(rate, int | float) or rate <= 0:
            raise errors.invalid_type("rate", "a positive number")
        sim.start_demo_traffic(rate=float(rate))
    return ok({"result": "ok"})


# --- assembly ----------------------------------------------------------------------------------


def build_app(sim: TelnyxSimulator) -> web.Application:
    app = web.Application(middlewares=[telnyx_errors, auth_and_faults], client_max_size=4 * 2**20)
    app[SIM_KEY] = sim
    r = app.router
    r.add_post("/v2/calls", dial)
    r.add_get("/v2/calls/{call_control_id}", call_status)
    r.add_post("/v2/calls/{call_control_id}/actions/{action}", call_action)
    r.add_put("/v2/calls/{call_control_id}/actions/client_state_update", client_state_update)
    r.add_get("/v2/connections/{connection_id}/active_calls", active_calls)
    r.add_get("/v2/conferences", list_conferences)
    r.add_post("/v2/conferences", create_conference)
    r.add_get("/v2/conferences/{id}", get_conference)
    r.add_post("/v2/conferences/{id}/actions/{action}", conference_action)
    r.add_get("/v2/conferences/{conference_id}/participants", list_participants)
    r.add_get("/v2/conferences/{id}/participants/{participant_id}", get_participant)
    r.add_patch("/v2/conferences/{id}/participants/{participant_id}", update_participant)
    r.add_get("/v2/queues", list_queues)
    r.add_post("/v2/queues", create_queue)
    r.add_get("/v2/queues/{queue_name}", get_queue)
    r.add_post("/v2/queues/{queue_name}", update_queue)
    r.add_delete("/v2/queues/{queue_name}", delete_queue)
    r.add_get("/v2/queues/{queue_name}/calls", list_queue_calls)
    r.add_get("/v2/queues/{queue_name}/calls/{call_control_id}", get_queue_call)
    r.add_patch("/v2/queues/{queue_name}/calls/{call_control_id}", update_queue_call)
    r.add_delete("/v2/queues/{queue_name}/calls/{call_control_id}", remove_queue_call)
    r.add_get("/v2/call_control_applications", list_apps)
    r.add_post("/v2/call_control_applications", create_app)
    r.add_get("/v2/call_control_applications/{id}", get_app)
    r.add_patch("/v2/call_control_applications/{id}", update_app)
    r.add_delete("/v2/call_control_applications/{id}", delete_app)
    r.add_get("/v2/recordings", list_recordings)
    r.add_get("/v2/recordings/{recording_id}", get_recording)
    r.add_delete("/v2/recordings/{recording_id}", delete_recording)
    r.add_get(MEDIA_PREFIX + "/{file}", recording_media)
    r.add_get(HOLD_MUSIC_PATH, hold_music)
    r.add_post("/_sim/inbound", sim_inbound)
    r.add_post("/_sim/calls/{call_control_id}/hangup", sim_remote_hangup)
    r.add_get("/_sim/truth", sim_truth)
    r.add_post("/_sim/outage", sim_outage)
    r.add_post("/_sim/demo", sim_demo)
    r.add_delete("/_sim/demo", sim_demo)
    return app
