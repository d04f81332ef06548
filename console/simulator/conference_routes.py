"""The simulator's /v2/conferences routes: list, create and read conferences, every conference
command (``CONF_ACTIONS``) and the participants.

Apart from ``app.py`` so each resource family of the API reads on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import errors, validation
from .entities import Call, Conference
from .pagination import page_numbers
from .rest import ok, read_json, sim_of

if TYPE_CHECKING:
    from .simulator import TelnyxSimulator


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


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/v2/conferences", list_conferences)
    router.add_post("/v2/conferences", create_conference)
    router.add_get("/v2/conferences/{id}", get_conference)
    router.add_post("/v2/conferences/{id}/actions/{action}", conference_action)
    router.add_get("/v2/conferences/{conference_id}/participants", list_participants)
    router.add_get("/v2/conferences/{id}/participants/{participant_id}", get_participant)
    router.add_patch("/v2/conferences/{id}/participants/{participant_id}", update_participant)
