"""Make test audio in the formats answering services store, from our own samples, with PyAV."""

from __future__ import annotations

import io
import wave

import av
import numpy as np

# (name, container format, codec, sample rate, channels)
FORMATS = [
    ("wav_pcm16_16k", "wav", "pcm_s16le", 16000, 1),
    ("wav_pcm16_44k_stereo", "wav", "pcm_s16le", 44100, 2),
    ("wav_mulaw_8k", "wav", "pcm_mulaw", 8000, 1),
    ("wav_alaw_8k", "wav", "pcm_alaw", 8000, 1),
    ("mp3_22k", "mp3", "libmp3lame", 22050, 1),
    ("ogg_opus_48k_stereo", "ogg", "libopus", 48000, 2),
    ("m4a_aac_24k", "ipod", "aac", 24000, 1),
    ("flac_32k", "flac", "flac", 32000, 1),
]


def encode(samples: np.ndarray, rate: int, fmt: str, codec: str, out_rate: int, channels: int) -> bytes:
    """float32 mono samples at `rate` -> bytes of the given container/codec."""
    buf = io.BytesIO()
    layout = "stereo" if channels == 2 else "mono"
    with av.open(buf, "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=out_rate, layout=layout)
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(pcm[None, :], format="s16", layout="mono")
        frame.sample_rate = rate
        resampler = av.AudioResampler(format=stream.format.name, layout=layout, rate=out_rate,
                                      frame_size=stream.frame_size or None)
        for chunk in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(chunk):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def wav16(samples: np.ndarray, rate: int = 8000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buf.getvalue()


def tone(seconds: float, hz: float = 440.0, rate: int = 8000, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def noise(seconds: float, rate: int = 8000, level: float = 0.1, seed: int = 7) -> np.ndarray:
    return (level * np.random.default_rng(seed).standard_normal(int(seconds * rate))).astype(np.float32)
