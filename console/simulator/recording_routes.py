"""The simulator's /v2/recordings routes and the media it serves: recording files (WAV/MP3) and
the hold music.

Apart from ``app.py`` so each resource family of the API reads on its own; the media paths are
here because the simulator's recordings name their URLs under them.
"""

from __future__ import annotations

from aiohttp import web

from . import errors, media
from .pagination import page_numbers
from .rest import ok, sim_of

MEDIA_PREFIX = "/media/recordings"
HOLD_MUSIC_PATH = "/media/hold-music.wav"


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


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/v2/recordings", list_recordings)
    router.add_get("/v2/recordings/{recording_id}", get_recording)
    router.add_delete("/v2/recordings/{recording_id}", delete_recording)
    router.add_get(MEDIA_PREFIX + "/{file}", recording_media)
    router.add_get(HOLD_MUSIC_PATH, hold_music)
