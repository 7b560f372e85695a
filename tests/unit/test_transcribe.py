import io
import wave

import numpy as np
import pytest

from pipeline.config import Settings
from pipeline.transcribe.core import AudioLimits, AudioRejected, Transcriber, load_audio
from tests.conftest import SAMPLES

LIMITS = AudioLimits(max_bytes=10 * 1024 * 1024, max_seconds=120)


def wav(samples: np.ndarray, rate: int = 8000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((samples * 32767).astype("<i2").tobytes())
    return buf.getvalue()


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    return Transcriber(Settings())


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "audio_empty"),
    (b"this is a text file, not audio" * 20, "audio_corrupt"),
    (b"x" * (LIMITS.max_bytes + 1), "audio_too_large"),
    (wav(np.zeros(8000 * 121)), "audio_too_long"),
])
def test_bad_audio_is_rejected_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(AudioRejected) as err:
        load_audio(data, LIMITS)
    assert err.value.reason == reason


def test_decodes_phone_audio_to_16k_mono() -> None:
    audio = load_audio((SAMPLES / "audio" / "sample03.wav").read_bytes(), LIMITS)  # 8 kHz mu-law
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert 8 < audio.size / 16000 < 30


def test_silence_is_no_speech(transcriber: Transcriber) -> None:
    with pytest.raises(AudioRejected) as err:
        transcriber.transcribe(wav(np.zeros(8000 * 5)))
    assert err.value.reason == "no_speech"


def test_transcribes_a_voicemail(transcriber: Transcriber) -> None:
    t = transcriber.transcribe((SAMPLES / "audio" / "sample01.wav").read_bytes())
    text = t["text"].lower()
    assert "chest" in text and "breathing" in text
    assert t["language"] == "en" and t["language_probability"] > 0.5
    assert t["segments"] and all(0 <= s["no_speech_prob"] <= 1 for s in t["segments"])
    assert t["model"] == {"id": transcriber.model_id, "compute_type": "int8", "beam_size": 1}
