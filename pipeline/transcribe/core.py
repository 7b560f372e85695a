"""Audio bytes -> transcript. Pure apart from the model, which is loaded once per process."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime

from faster_whisper import WhisperModel

from pipeline import events
from pipeline.audio import AudioLimits, AudioRejected, load_audio
from pipeline.config import Settings
from pipeline.logging import get_logger
from pipeline.transcribe import model as model_files

log = get_logger(__name__)

# Whisper's own rule for a segment that is not speech: likely silence and decoded with low confidence.
NO_SPEECH_PROB = 0.6
NO_SPEECH_LOGPROB = -1.0
# A segment this repetitive is a decoding loop, not what the caller said.
MAX_COMPRESSION_RATIO = 2.4
# A served language at least this probable is what the caller speaks, even when Whisper ranks another
# one first. Measured on devset2 audio: Spanish callers detected as Latin/Italian still give Spanish
# >= 0.29; English callers give English >= 0.98; other languages (espeak-ng pt/it/fr/de/vi/ru) give
# en/es <= 0.22.
MIN_SERVED_LANGUAGE_PROBABILITY = 0.25


def choose_language(probabilities: list[tuple[str, float]], served: list[str]) -> tuple[str, float]:
    """Whisper's language probabilities (most probable first) -> (language to decode in, its probability).
    The most probable served language when it is a real candidate; otherwise Whisper's first choice, so
    a caller in another language is transcribed in it and triage can say so."""
    top = probabilities[0]
    candidates = [(lang, p) for lang, p in probabilities if lang in served]
    if not served or not candidates:
        return top
    best = max(candidates, key=lambda c: c[1])
    return best if best[1] >= MIN_SERVED_LANGUAGE_PROBABILITY else top


@dataclass(frozen=True)
class ReviewThresholds:
    min_language_probability: float
    min_avg_logprob: float


def review_reasons(language_probability: float, segments: list[dict], dropped: int,
                   t: ReviewThresholds) -> list[str]:
    """Why a human should listen instead of trusting the transcript (empty: no reason)."""
    reasons = []
    if language_probability < t.min_language_probability:
        reasons.append("language_uncertain")
    spoken = sum(s["end"] - s["start"] for s in segments) or 1.0
    mean_logprob = sum(s["avg_logprob"] * (s["end"] - s["start"]) for s in segments) / spoken
    if mean_logprob < t.min_avg_logprob:
        reasons.append("low_confidence")
    if any(s["compression_ratio"] > MAX_COMPRESSION_RATIO for s in segments):
        reasons.append("repetitive_output")
    if dropped:
        reasons.append("segments_dropped")
    return reasons


class Transcriber:
    def __init__(self, settings: Settings) -> None:
        started = time.monotonic()
        path, self.model_id = model_files.resolve(settings.whisper_model, settings.model_cache)
        self.compute_type = settings.whisper_compute_type
        self.beam_size = settings.whisper_beam_size
        self.prompts = {lang: p for lang, p in settings.whisper_prompts.items() if p}
        self.hotwords = settings.whisper_hotwords or None
        self.language = settings.whisper_language
        self.served_languages = settings.whisper_languages
        self.limits = AudioLimits(settings.max_audio_bytes, settings.max_audio_seconds)
        self.review = ReviewThresholds(settings.review_min_language_probability, settings.review_min_avg_logprob)
        self.model = WhisperModel(str(path), device="cpu", compute_type=self.compute_type,
                                  cpu_threads=settings.whisper_cpu_threads)
        vocabulary = json.dumps([self.prompts, self.hotwords], sort_keys=True).encode()
        self.model_info = {"id": self.model_id, "compute_type": self.compute_type, "beam_size": self.beam_size,
                           "vad": True, "language": self.language or "detected", "vocabulary_sha256": hashlib.sha256(vocabulary).hexdigest()[:16]}
        self.load_seconds = round(time.monotonic() - started, 2)
        log.info("transcribe.model_loaded", model=self.model_id, seconds=self.load_seconds)

    def transcribe(self, data: bytes) -> dict:
        """Audio bytes -> the `transcript` object of voicemail.transcribed. Raises AudioRejected."""
        audio = load_audio(data, self.limits)
        # Language first (on speech only), so the prompt can be in the caller's language.
        if self.language:
            language, language_probability = self.language, 1.0
        else:
            _, _, probabilities = self.model.detect_language(audio, vad_filter=True)
            language, language_probability = choose_language(probabilities, self.served_languages)
        segments, info = self.model.transcribe(
            audio, language=language, beam_size=self.beam_size, vad_filter=True,
            initial_prompt=self.prompts.get(language), hotwords=self.hotwords, condition_on_previous_text=False,
        )
        kept, dropped = [], 0
        # `segments` is lazy: decoding errors surface here, inside the caller's error handling.
        for s in segments:
            if s.no_speech_prob > NO_SPEECH_PROB and s.avg_logprob < NO_SPEECH_LOGPROB or not s.text.strip():
                dropped += 1  # hallucinated over noise or silence
                continue
            kept.append({"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text.strip(),
                         "avg_logprob": round(s.avg_logprob, 4), "no_speech_prob": round(s.no_speech_prob, 4),
                         "compression_ratio": round(s.compression_ratio, 3)})
        if not kept:
            raise AudioRejected("no_speech", "no speech found" + (f" ({dropped} segments dropped)" if dropped else ""))
        reasons = review_reasons(language_probability, kept, dropped, self.review)
        return {
            "text": " ".join(s["text"] for s in kept),
            "segments": kept,
            "language": language,
            "language_probability": round(language_probability, 4),
            "duration_s": round(info.duration, 2),
            "speech_s": round(info.duration_after_vad, 2),
            "needs_review": bool(reasons),
            "review_reasons": reasons,
            "model": self.model_info,
        }


def transcribed_event(received: dict, transcript: dict, now: datetime) -> dict:
    return events.validate("voicemail.transcribed", {
        "schema_version": events.SCHEMA_VERSION,
        "voicemail_id": received["voicemail_id"],
        "voicemail": received,
        "transcript": transcript,
        "transcribed_at": events.iso(now),
    })
