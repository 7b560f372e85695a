"""Audio checks and decoding through PyAV (faster-whisper's own decoder). No model here.

Order matters: cheap checks on bytes and on the container header come before decoding, because
decoding loads the whole file into memory with no limit of its own.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import av
import numpy as np
from faster_whisper.audio import decode_audio

from pipeline.errors import Rejected

SAMPLE_RATE = 16000
# Decoded audio shorter than this share of what the header announces is a truncated upload.
TRUNCATED_BELOW = 0.9
# Peak under -50 dBFS: nothing was recorded (a dead line, a muted phone).
SILENT_PEAK = 10 ** (-50 / 20)

# Magic bytes -> content type: an extension is a claim, the bytes are the truth.
_SIGNATURES = [
    (b"RIFF", 0, b"WAVE", 8, "audio/wav"),
    (b"RF64", 0, b"WAVE", 8, "audio/wav"),
    (b"FORM", 0, b"AIFF", 8, "audio/aiff"),
    (b"OggS", 0, None, 0, "audio/ogg"),
    (b"fLaC", 0, None, 0, "audio/flac"),
    (b"ID3", 0, None, 0, "audio/mpeg"),
    (b"ftyp", 4, None, 0, "audio/mp4"),
    (b"\x1a\x45\xdf\xa3", 0, None, 0, "audio/webm"),
    (b"#!AMR", 0, None, 0, "audio/amr"),
]


class AudioRejected(Rejected):
    """Audio the pipeline cannot or should not transcribe."""


@dataclass(frozen=True)
class AudioLimits:
    """The largest recording a stage accepts, in bytes and in seconds."""
    max_bytes: int
    max_seconds: float


def sniff(head: bytes) -> str | None:
    """Content type from the first bytes, or None when they look like no audio format we know."""
    for magic, at, magic2, at2, ctype in _SIGNATURES:
        if head[at:at + len(magic)] == magic and (magic2 is None or head[at2:at2 + len(magic2)] == magic2):
            return ctype
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:  # MPEG audio frame sync
        return "audio/mpeg"
    return None


def header_duration(data: bytes) -> float | None:
    """Seconds the container announces, read without decoding the audio."""
    try:
        with av.open(io.BytesIO(data), mode="r", metadata_errors="ignore") as container:
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is None:
                raise AudioRejected("not_audio", "no audio stream in the container")
            if container.duration is not None:
                return container.duration / av.time_base
            if stream.duration is not None and stream.time_base is not None:
                return float(stream.duration * stream.time_base)
            return None
    except AudioRejected:
        raise
    except (av.error.FFmpegError, ValueError, OSError, IndexError) as exc:
        if sniff(data[:16]) is None:
            raise AudioRejected("not_audio", "bytes match no audio format") from None
        raise AudioRejected("audio_corrupt", f"unreadable container ({type(exc).__name__})") from None


def wav_declared_seconds(data: bytes) -> float | None:
    """Seconds a RIFF/WAVE header declares in its data chunk. FFmpeg trims that to the bytes present
    for plain PCM, which would hide a truncated upload."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    pos, byte_rate = 12, None
    while pos + 8 <= len(data):
        chunk, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        if chunk == b"fmt " and pos + 20 <= len(data):
            byte_rate = int.from_bytes(data[pos + 16:pos + 20], "little")
        if chunk == b"data":
            streaming = size in (0, 0xFFFFFFFF)  # writers that did not know the length
            return None if streaming or not byte_rate else size / byte_rate
        pos += 8 + size + (size & 1)
    return None


def check_bytes(data: bytes, limits: AudioLimits) -> float | None:
    """Every check that needs no decoding; returns the header duration when the container has one."""
    if len(data) == 0:
        raise AudioRejected("audio_empty", "zero bytes")
    if len(data) > limits.max_bytes:
        raise AudioRejected("audio_too_large", f"{len(data)} bytes > {limits.max_bytes}")
    duration = max(filter(None, (header_duration(data), wav_declared_seconds(data))), default=None)
    if duration is not None and duration > limits.max_seconds:
        raise AudioRejected("audio_too_long", f"{duration:.0f}s > {limits.max_seconds:.0f}s")
    return duration


def load_audio(data: bytes, limits: AudioLimits) -> np.ndarray:
    """Checked bytes -> 16 kHz mono float32 samples (stereo is mixed down, any rate resampled)."""
    announced = check_bytes(data, limits)
    try:
        audio = decode_audio(io.BytesIO(data), sampling_rate=SAMPLE_RATE)
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise AudioRejected("audio_corrupt", f"decoding failed ({type(exc).__name__})") from None
    seconds = audio.size / SAMPLE_RATE
    if audio.size == 0:
        raise AudioRejected("audio_corrupt", "no samples decoded")
    if seconds > limits.max_seconds:
        raise AudioRejected("audio_too_long", f"{seconds:.0f}s > {limits.max_seconds:.0f}s")
    if announced and seconds < TRUNCATED_BELOW * announced:
        raise AudioRejected("audio_truncated", f"decoded {seconds:.1f}s of {announced:.1f}s announced")
    if float(np.max(np.abs(audio))) < SILENT_PEAK:
        raise AudioRejected("audio_silent", "no signal above -50 dBFS")
    return audio
