"""Recording media: a short real WAV tone (``wave`` module) and a silent MPEG audio file."""

from __future__ import annotations

import functools
import io
import math
import struct
import wave

SAMPLE_RATE = 8000
MAX_SECONDS = 3.0  # keep files small whatever the simulated recording length


def wav_bytes(seconds: float, *, channels: int = 1, tone_hz: float = 440.0) -> bytes:
    """A 16-bit PCM WAV of a quiet tone, at most MAX_SECONDS long (at least 0.1 s)."""
    seconds = min(max(seconds, 0.1), MAX_SECONDS)
    frames = int(SAMPLE_RATE * seconds)
    amplitude = 3000
    samples = bytearray()
    for i in range(frames):
        value = int(amplitude * math.sin(2 * math.pi * tone_hz * i / SAMPLE_RATE))
        samples += struct.pack("<h", value) * channels
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(samples))
    return buffer.getvalue()


@functools.cache
def hold_music_wav() -> bytes:
    """Four seconds of a soft arpeggio (C-E-G-E), so demo-mode hold music is a real file."""
    notes_hz = (261.63, 329.63, 392.0, 329.63) * 4
    note_frames = SAMPLE_RATE // 4
    samples = bytearray()
    for hz in notes_hz:
        for i in range(note_frames):
            fade = min(1.0, i / 200, (note_frames - i) / 200)  # no clicks between notes
            value = int(2500 * fade * math.sin(2 * math.pi * hz * i / SAMPLE_RATE))
            samples += struct.pack("<h", value)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(samples))
    return buffer.getvalue()


def mp3_bytes(seconds: float) -> bytes:
    """Silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, mono): all-zero side info = silence."""
    seconds = min(max(seconds, 0.1), MAX_SECONDS)
    frame_len = 144 * 128000 // 44100  # 417 bytes, no padding
    header = bytes([0xFF, 0xFB, 0x90, 0xC0])
    frame = header + bytes(frame_len - len(header))
    count = max(1, int(seconds * 44100 / 1152))
    return frame * count
