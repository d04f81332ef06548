"""Media on a call: playback, speak, gather and streaming, each timed in simulated seconds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .entities import Activity, Call

if TYPE_CHECKING:
    from .world import World

PLAYBACK_SECS = 3.0  # length of any audio file the simulator "plays"


class CallMediaCommands:
    """Media commands on a single leg: the World's ``call_media`` part."""

    def __init__(self, world: World) -> None:
        self.world = world

    def stop_activity(self, call: Call, status: str) -> None:
        activity = self.world.take_activity(call)
        if activity is None:
            return
        if activity.kind == "speak":
            self.world.webhooks.emit(
                call, "call.speak.ended", status="completed" if status == "cancelled" else status
            )
        else:
            self.world.webhooks.emit(
                call,
                "call.playback.ended",
                media_url=activity.media_url,
                media_name=activity.media_name,
                overlay=activity.overlay,
                status=status,
            )

    def playback_start(self, call: Call, body: dict[str, Any], loops: int | None) -> None:
        self.world.apply_common(call, body)
        self.stop_activity(call, "cancelled")
        media_url = body.get("audio_url")
        if media_url is None and body.get("playback_content"):
            media_url = "data:audio"  # inline base64 audio has no URL
        activity = Activity(
            "playback", media_url, body.get("media_name"), bool(body.get("overlay"))
        )
        call.activity = activity
        self.world.webhooks.emit(
            call,
            "call.playback.started",
            media_url=activity.media_url,
            media_name=activity.media_name,
            overlay=activity.overlay,
        )
        if loops is not None:
            self.world.end_activity_after(
                call,
                activity,
                PLAYBACK_SECS * loops,
                lambda: self.stop_activity(call, "completed"),
            )

    def playback_stop(self, call: Call, body: dict[str, Any]) -> None:
        self.world.apply_common(call, body)
        self.stop_activity(call, "cancelled")

    def speak(self, call: Call, body: dict[str, Any]) -> None:
        self.world.apply_common(call, body)
        self.stop_activity(call, "cancelled")
        activity = Activity("speak")
        call.activity = activity
        self.world.webhooks.emit(call, "call.speak.started")
        seconds = max(1.0, 0.06 * len(str(body["payload"])))
        self.world.end_activity_after(
            call, activity, seconds, lambda: self.stop_activity(call, "completed")
        )

    def gather_using_audio(self, call: Call, body: dict[str, Any]) -> None:
        self.world.apply_common(call, body)
        self.stop_activity(call, "cancelled")
        media_url, media_name = body.get("audio_url"), body.get("media_name")
        valid = body.get("valid_digits") or "0123456789#*"
        maximum = body.get("maximum_digits") or 128
        minimum = body.get("minimum_digits") or 1
        terminator = body.get("terminating_digit") or "#"
        pressed = call.gather_digits

        async def run() -> None:
            if media_url or media_name:
                activity = Activity("playback", media_url, media_name)
                call.activity = activity
                self.world.webhooks.emit(
                    call, "call.playback.started", media_url=media_url, media_name=media_name
                )
                await self.world.clock.sleep(PLAYBACK_SECS)
                if call.activity is not activity or call.ended:
                    return
                call.activity = None
                self.world.webhooks.emit(
                    call,
                    "call.playback.ended",
                    media_url=media_url,
                    media_name=media_name,
                    status="completed",
                )
            digits = ""
            for digit in pressed:
                await self.world.clock.sleep(0.3)
                if call.ended:
                    return
                self.world.webhooks.emit(call, "call.dtmf.received", digit=digit)
                if digit == terminator:
                    break
                digits += digit
                if len(digits) >= maximum:
                    break
            ok = minimum <= len(digits) <= maximum and all(d in valid for d in digits)
            status = "valid" if ok else ("timeout" if not digits else "invalid")
            self.world.webhooks.emit(call, "call.gather.ended", digits=digits, status=status)

        call.timers["gather"] = self.world.tracker.spawn(run())

    def streaming_start(self, call: Call, body: dict[str, Any]) -> None:
        self.world.apply_common(call, body)
        call.streaming = True
        self.world.webhooks.emit(call, "streaming.started", stream_url=body.get("stream_url") or "")

    def streaming_stop(self, call: Call, body: dict[str, Any]) -> None:
        self.world.apply_common(call, body)
        if call.streaming:
            call.streaming = False
            self.world.webhooks.emit(call, "streaming.stopped", stream_url="")
