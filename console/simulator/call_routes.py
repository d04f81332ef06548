"""The simulator's /v2/calls routes: dial, a call's status, every Call Control command
(``CALL_ACTIONS``: schema, run, prerequisites) and a connection's active calls.

Apart from ``app.py`` (the middlewares and the assembly) because the call commands are the
largest family of the API; ``call_command`` is also how the demo's auto-attendant issues its
commands in-process, with the same validation and webhooks as a REST client gets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import errors, validation
from .entities import Call
from .pagination import cursor_page
from .rest import check_range, check_webhook_url, ok, read_json, sim_of

if TYPE_CHECKING:
    from .simulator import TelnyxSimulator


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
    check_webhook_url(body)
    check_range(body, "timeout_secs", 5, 600)


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
        "AnswerRequest", lambda s, c, b: s.world.legs.answer(c, b), check=check_webhook_url
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
    check_webhook_url(body)
    check_range(body, "timeout_secs", 5, 600)
    check_range(body, "time_limit_secs", 30, 14400)
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


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_post("/v2/calls", dial)
    router.add_get("/v2/calls/{call_control_id}", call_status)
    router.add_post("/v2/calls/{call_control_id}/actions/{action}", call_action)
    router.add_put("/v2/calls/{call_control_id}/actions/client_state_update", client_state_update)
    router.add_get("/v2/connections/{connection_id}/active_calls", active_calls)
