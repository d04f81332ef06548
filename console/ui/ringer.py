"""The ringtone: a WAV from resources/sounds played in a loop while a call rings.

Audio goes through ``sounddevice`` (PortAudio: Debian's ``libportaudio2``; the Windows and
macOS wheels bundle it) behind the small :class:`AudioOutput` seam, so tests use a fake
device. Where there is no PortAudio or no output device the ring is silent and the operator is
told so once; the popup, the taskbar flash and the tray still ring.

resources/sounds/ring.wav was generated for this project: 440 Hz + 480 Hz (the North American
ring tones) for 1.2 s, then 1.8 s of silence, 16 kHz mono 16-bit, with 20 ms fades.
"""

from __future__ import annotations

import array
import logging
import sys
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from console.ui import icons

log = logging.getLogger(__name__)

RINGTONE = "ring.wav"
NO_DEVICE_NOTICE = (
    "No audio output was found, so incoming calls ring silently. They still show a popup "
    "and flash the taskbar; choose a device under Settings → Desk once one is connected."
)


class AudioUnavailable(Exception):
    """No way to play sound here (no PortAudio, no output device, or it refused)."""


@dataclass(frozen=True)
class Tone:
    """Decoded 16-bit PCM, ready to loop."""

    samples: bytes
    rate: int
    channels: int


def load_tone(path: Path | None = None) -> Tone:
    path = path or icons.resources_dir() / "sounds" / RINGTONE
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"{path.name}: only 16-bit PCM is supported")
        return Tone(wav.readframes(wav.getnframes()), wav.getframerate(), wav.getnchannels())


def scaled(samples: bytes, volume: float) -> bytes:
    """16-bit little-endian samples at ``volume`` (0..1)."""
    volume = max(0.0, min(1.0, volume))
    data = array.array("h")
    data.frombytes(samples)
    if sys.byteorder != "little":
        data.byteswap()
    data = array.array("h", (int(v * volume) for v in data))
    if sys.byteorder != "little":
        data.byteswap()
    return data.tobytes()


class AudioOutput(Protocol):
    """Where the ringtone plays (the seam tests fake)."""

    def output_devices(self) -> list[str]:
        """Names of the output devices; raises AudioUnavailable when sound cannot work."""
        ...

    def play_loop(self, tone: Tone, device: str | None) -> None:
        """Start looping ``tone`` (already at its volume); raises AudioUnavailable."""
        ...

    def stop(self) -> None: ...


class SoundDeviceOutput:
    """PortAudio through sounddevice; a stream whose callback loops the tone."""

    def __init__(self) -> None:
        self._stream: Any = None
        self._lock = threading.Lock()

    @staticmethod
    def _module() -> Any:
        try:
            import sounddevice  # type: ignore[import-untyped]
        except (ImportError, OSError) as exc:  # OSError: the PortAudio library is missing
            raise AudioUnavailable(f"sound is not available ({exc})") from None
        return sounddevice

    def output_devices(self) -> list[str]:
        sd = self._module()
        try:
            devices = sd.query_devices()
        except Exception as exc:  # PortAudio errors are its own class; any means no sound
            raise AudioUnavailable(str(exc)) from None
        return [d["name"] for d in devices if d.get("max_output_channels", 0) > 0]

    def play_loop(self, tone: Tone, device: str | None) -> None:
        sd = self._module()
        if not self.output_devices():
            raise AudioUnavailable("no audio output device")
        self.stop()
        data = tone.samples
        frame_bytes = 2 * tone.channels
        position = 0

        def callback(outdata, frames, _time, _status) -> None:
            nonlocal position
            wanted = frames * frame_bytes
            chunk = bytearray()
            while len(chunk) < wanted:
                piece = data[position : position + wanted - len(chunk)]
                chunk += piece
                position = (position + len(piece)) % len(data)
            outdata[:] = bytes(chunk)

        try:
            stream = sd.RawOutputStream(
                samplerate=tone.rate,
                channels=tone.channels,
                dtype="int16",
                device=device or None,
                callback=callback,
            )
            stream.start()
        except Exception as exc:
            raise AudioUnavailable(str(exc)) from None
        with self._lock:
            self._stream = stream

    def stop(self) -> None:
        with self._lock:
            stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except Exception:
                log.debug("closing the ring stream failed", exc_info=True)


class Ringer:
    """Rings while any call rings; silent under do-not-disturb or without a device.

    ``notice(text)`` is called once when sound turns out to be unavailable.
    """

    def __init__(self, output: AudioOutput | None = None, notice=None) -> None:
        self.output: AudioOutput = output or SoundDeviceOutput()
        self.notice = notice or (lambda _text: None)
        self.volume = 0.8
        self.device: str | None = None
        self.do_not_disturb = False
        self.ringing = False
        self.unavailable: str | None = None  # why sound failed, once it has
        self._tone: Tone | None = None

    def configure(self, volume: float, device: str | None) -> None:
        self.volume, self.device = volume, device or None
        self.unavailable = None  # a new choice deserves a new try
        if self.ringing:
            self.ringing = False
            self.output.stop()
            self.start()

    def start(self) -> None:
        if self.ringing or self.do_not_disturb or self.unavailable or self.volume <= 0:
            return
        try:
            if self._tone is None:
                self._tone = load_tone()
            tone = Tone(
                scaled(self._tone.samples, self.volume), self._tone.rate, self._tone.channels
            )
            self.output.play_loop(tone, self.device)
        except (AudioUnavailable, OSError, ValueError, wave.Error) as exc:
            self.unavailable = str(exc)
            log.info("ringtone unavailable: %s", exc)
            self.notice(NO_DEVICE_NOTICE)
            return
        self.ringing = True

    def stop(self) -> None:
        if self.ringing:
            self.ringing = False
            self.output.stop()
