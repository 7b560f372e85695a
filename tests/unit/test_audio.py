"""Audio checks and decoding (pipeline.audio): every format voicemail systems store, every bad input."""

import os

import numpy as np
import pytest
from faster_whisper.audio import decode_audio

from pipeline.audio import AudioLimits, AudioRejected, check_bytes, load_audio, sniff
from tests.conftest import SAMPLES
from tests.support.audio import FORMATS, encode, noise, tone, wav16

LIMITS = AudioLimits(max_bytes=10 * 1024 * 1024, max_seconds=120)
SAMPLE = decode_audio(str(SAMPLES / "audio" / "sample01.wav"), sampling_rate=16000)


@pytest.fixture(scope="module", params=FORMATS, ids=[f[0] for f in FORMATS])
def encoded(request: pytest.FixtureRequest) -> bytes:
    _, fmt, codec, rate, channels = request.param
    return encode(SAMPLE, 16000, fmt, codec, rate, channels)


def test_every_format_decodes_to_16k_mono(encoded: bytes) -> None:
    audio = load_audio(encoded, LIMITS)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert abs(audio.size / 16000 - SAMPLE.size / 16000) < 0.2


def test_every_format_is_recognized_from_its_bytes(encoded: bytes) -> None:
    assert sniff(encoded[:16]) is not None


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(("make", "reason"), [
    (lambda: b"", "audio_empty"),
    (lambda: b"Dear patient, this is a text file and not audio at all. " * 20, "not_audio"),
    (lambda: b"%PDF-1.7\n" + os.urandom(3000), "not_audio"),
    (lambda: b"RIFF\x00\x00\x00\x00WAVEfmt " + os.urandom(3000), "audio_corrupt"),
    (lambda: truncated(wav16(tone(10))), "audio_truncated"),
    (lambda: truncated(encode(SAMPLE, 16000, "mp3", "libmp3lame", 16000, 1)), "audio_truncated"),
    (lambda: b"\0" * (LIMITS.max_bytes + 1), "audio_too_large"),
    (lambda: wav16(np.zeros(8000 * 121, dtype=np.float32)), "audio_too_long"),
    (lambda: wav16(np.zeros(8000 * 5, dtype=np.float32)), "audio_silent"),
], ids=["empty", "text", "pdf", "corrupt_wav", "truncated_wav", "truncated_mp3", "too_large", "too_long", "silence"])
def test_bad_audio_gets_a_reason(make, reason: str) -> None:
    with pytest.raises(AudioRejected) as err:
        load_audio(make(), LIMITS)
    assert err.value.reason == reason


def test_duration_is_checked_from_the_header_before_decoding() -> None:
    # 2 hours announced by the header, a few bytes of audio: refused without decoding anything.
    header = wav16(tone(1))[:44]
    declared = bytearray(header)
    declared[40:44] = (8000 * 2 * 7200).to_bytes(4, "little")
    with pytest.raises(AudioRejected) as err:
        check_bytes(bytes(declared) + b"\0" * 1000, LIMITS)
    assert err.value.reason == "audio_too_long"


def test_noise_and_tone_decode_fine() -> None:
    # Not silent, so decoding accepts them: telling them from speech is the model's job (test_transcribe).
    assert load_audio(wav16(noise(3)), LIMITS).size > 0
    assert load_audio(wav16(tone(3)), LIMITS).size > 0
