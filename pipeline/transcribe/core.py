"""Audio bytes -> transcript. Pure apart from the model, which is loaded once per process."""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import re
import time
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.audio import pad_or_trim
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens, restore_speech_timestamps
from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

from pipeline.audio import AudioLimits, AudioRejected, load_audio
from pipeline.config import Settings
from pipeline.domain import Segment, Span, Transcribed, Transcript, Voicemail
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

SAMPLE_RATE = 16000
# The one voice activity detector: it cuts the audio Whisper decodes and is the measure of what the
# transcript must cover (faster-whisper's defaults: 2 s of silence splits, 0.4 s pad).
VAD = VadOptions()
# Whisper stops early now and then: it ends a 30 s window with no more timestamps, and the rest of the
# window is skipped. Speech that no kept segment covers, in a stretch of at least REDECODE_S, is decoded
# again; a stretch of at least UNHEARD_S still uncovered after that makes the transcript incomplete.
# Whisper's segment times are coarse (on devset2 audio, measured with the former two-pass decoding, a
# last segment ended up to 1.7 s before the padded speech did, while the four truncated transcripts
# left 5 to 12.8 s), so each segment is widened by SLACK_S before comparing.
REDECODE_S = 1.0
UNHEARD_S = 2.0
SLACK_S = 0.8
# Greedy decoding now and then runs a spoken phone number's digits together or drops one of a repeated
# digit ("five five five" -> "55"): a run of 7 or more digits that is no whole number. Such a segment is
# decoded again with beam 5 and kept if a whole number comes out. On 12 such segments (devset2
# train/dev and our own corpus audio) that recovered 11 numbers; decoding only the seconds around the
# run recovered 8 or 9, depending on where the window fell. No temperature fallback there: sampling
# would make the number differ from run to run.
_DIGIT_RUN = re.compile(r"\d(?:\d|(?:[-.]|,? |-[a-z]-)(?=\d))*")  # "-a-": an "oh" heard as a letter


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
    """Below these, a transcript needs a person to listen."""
    min_language_probability: float
    min_avg_logprob: float


def review_reasons(language_probability: float, segments: list[Segment], dropped: int,
                   t: ReviewThresholds) -> list[str]:
    """Why a human should listen instead of trusting the transcript (empty: no reason)."""
    reasons = []
    if language_probability < t.min_language_probability:
        reasons.append("language_uncertain")
    spoken = sum(s.end - s.start for s in segments) or 1.0
    mean_logprob = sum(s.avg_logprob * (s.end - s.start) for s in segments) / spoken
    if mean_logprob < t.min_avg_logprob:
        reasons.append("low_confidence")
    if any(s.compression_ratio > MAX_COMPRESSION_RATIO for s in segments):
        reasons.append("repetitive_output")
    if dropped:
        reasons.append("segments_dropped")
    return reasons


def speech_spans(chunks: list[dict]) -> list[tuple[float, float]]:
    """The voice activity detector's chunks (samples) -> where the caller speaks, in seconds."""
    return [(c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE) for c in chunks]


# faster-whisper's own defaults for every decoding option (`WhisperModel.transcribe`'s signature), so the
# stage's one-pass decoding differs from the library only where it says so.
_DEFAULTS = {name: p.default for name, p in inspect.signature(WhisperModel.transcribe).parameters.items()}


def decoding_options(tokenizer: Tokenizer, **changes: object) -> TranscriptionOptions:
    """faster-whisper's decoding options: its defaults with `changes` applied."""
    values = {f.name: _DEFAULTS[f.name] for f in dataclasses.fields(TranscriptionOptions) if f.name in _DEFAULTS}
    values.update(temperatures=list(_DEFAULTS["temperature"]), **changes)
    values["suppress_tokens"] = get_suppressed_tokens(tokenizer, values["suppress_tokens"])
    return TranscriptionOptions(**values)


def unheard(speech: list[tuple[float, float]], segments: list[Segment], min_s: float) -> list[tuple[float, float]]:
    """Stretches of speech, at least `min_s` long, that no kept segment covers."""
    covered = sorted((s.start - SLACK_S, s.end + SLACK_S) for s in segments)
    gaps = []
    for start, end in speech:
        cursor = start
        for c0, c1 in covered:
            if c1 <= cursor or c0 >= end:
                continue
            if c0 > cursor:
                gaps.append((cursor, c0))
            cursor = max(cursor, c1)
        if cursor < end:
            gaps.append((cursor, end))
    return [(round(a, 2), round(b, 2)) for a, b in gaps if b - a >= min_s]


def digit_runs(text: str) -> list[str]:
    """The digits of each run of digits, leaving out runs shaped like a date ("4, 21, 1995")."""
    runs = []
    for m in _DIGIT_RUN.finditer(text):
        groups = re.findall(r"\d+", m.group(0))
        if not _date_shaped(groups):
            runs.append("".join(groups))
    return runs


def _date_shaped(groups: list[str]) -> bool:
    """Month and day, then a year: "4, 21, 1995", "11, 30, 60", "03, 03, 19, 39"."""
    if len(groups) not in (3, 4) or len(groups[0]) > 2 or len(groups[1]) > 2 or int(groups[0]) > 31 \
            or int(groups[1]) > 31:
        return False
    return len(groups[2]) in (2, 4) if len(groups) == 3 else groups[2] in ("19", "20") and len(groups[3]) == 2


def whole_number(digits: str) -> bool:
    """Ten digits, or eleven after the country code 1."""
    return len(digits) == 10 or len(digits) == 11 and digits[0] == "1"


def garbled_number(text: str) -> bool:
    """A run of 7+ digits that is no whole phone number, in text that holds none."""
    runs = digit_runs(text)
    return not any(map(whole_number, runs)) and any(len(d) >= 7 for d in runs)


def keep(segments, offset: float = 0.0) -> tuple[list[Segment], int]:
    """Whisper's segments -> (the ones worth keeping, how many were dropped)."""
    kept, dropped = [], 0
    for s in segments:
        if s.no_speech_prob > NO_SPEECH_PROB and s.avg_logprob < NO_SPEECH_LOGPROB or not s.text.strip():
            dropped += 1  # hallucinated over noise or silence
            continue
        kept.append(Segment(round(s.start + offset, 2), round(s.end + offset, 2), s.text.strip(),
                            round(s.avg_logprob, 4), round(s.no_speech_prob, 4), round(s.compression_ratio, 3)))
    return kept, dropped


class Transcriber:
    """Loads Whisper once; `transcribe` is then a function of the audio bytes."""
    def __init__(self, settings: Settings) -> None:
        started = time.monotonic()
        path, self.model_id = model_files.resolve(settings.whisper_model, settings.model_cache)
        self.compute_type = settings.whisper_compute_type
        self.beam_size = settings.whisper_beam_size
        self.language_beam_sizes = settings.whisper_language_beam_sizes
        self.prompts = {lang: p for lang, p in settings.whisper_prompts.items() if p}
        self.hotwords = settings.whisper_hotwords or None
        self.language = settings.whisper_language
        self.served_languages = settings.whisper_languages
        self.limits = AudioLimits(settings.max_audio_bytes, settings.max_audio_seconds)
        self.review = ReviewThresholds(settings.review_min_language_probability, settings.review_min_avg_logprob)
        self.model = WhisperModel(str(path), device="cpu", compute_type=self.compute_type,
                                  cpu_threads=settings.whisper_cpu_threads)
        vocabulary = json.dumps([self.prompts, self.hotwords], sort_keys=True).encode()
        # beam_size is added per voicemail: it depends on the language decoded
        self.model_info = {"id": self.model_id, "compute_type": self.compute_type,
                           "vad": True, "language": self.language or "detected",
                           "vocabulary_sha256": hashlib.sha256(vocabulary).hexdigest()[:16]}
        self.load_seconds = round(time.monotonic() - started, 2)
        log.info("transcribe.model_loaded", model=self.model_id, seconds=self.load_seconds)

    def _careful(self, audio: np.ndarray, start: float, end: float, language: str, **options: object) -> list[Segment]:
        """That stretch alone, with the library's careful settings: beam 5, temperature fallback, no prompt."""
        lo, hi = max(0.0, start - 0.2), end + 0.2
        again, _ = self.model.transcribe(audio[int(lo * SAMPLE_RATE):int(hi * SAMPLE_RATE)], language=language,
                                         beam_size=5, vad_filter=False, condition_on_previous_text=False,
                                         **options)  # type: ignore[arg-type]
        return keep(again, offset=lo)[0]

    def transcribe(self, data: bytes) -> Transcript:
        """Audio bytes -> its transcript. Raises AudioRejected."""
        audio = load_audio(data, self.limits)
        chunks = get_speech_timestamps(audio, VAD)
        if not chunks:
            raise AudioRejected("no_speech", "no speech found")
        speech_audio = np.concatenate(collect_chunks(audio, chunks)[0])
        features = self.model.feature_extractor(speech_audio)
        # One encoder pass over the first 30 s of speech serves both the language (so the prompt can be
        # in the caller's language) and the first window's decoding: faster-whisper 1.2.1's own
        # `transcribe` would encode it twice.
        first_window = None
        if self.language:
            language, language_probability = self.language, 1.0
        else:
            first_window = self.model.encode(pad_or_trim(features[..., : self.model.feature_extractor.nb_max_frames]))
            probabilities = [(token[2:-2], p) for token, p in self.model.model.detect_language(first_window)[0]]
            language, language_probability = choose_language(probabilities, self.served_languages)
        tokenizer = Tokenizer(self.model.hf_tokenizer, self.model.model.is_multilingual, task="transcribe",
                              language=language)
        beam_size = self.language_beam_sizes.get(language, self.beam_size)
        options = decoding_options(tokenizer, beam_size=beam_size, condition_on_previous_text=False,
                                   initial_prompt=self.prompts.get(language), hotwords=self.hotwords)
        segments = restore_speech_timestamps(
            self.model.generate_segments(features, tokenizer, options, False, first_window), chunks, SAMPLE_RATE)
        # `segments` is lazy: decoding errors surface here, inside the caller's error handling.
        kept, dropped = keep(segments)
        speech = speech_spans(chunks)
        gaps = unheard(speech, kept, REDECODE_S)
        redecoded = list(gaps)
        for start, end in gaps:
            recovered = self._careful(audio, start, end, language)
            kept.extend(s for s in recovered if s.end > start and s.start < end)
        checked = []
        for segment in kept:
            again = []
            if garbled_number(segment.text):
                redecoded.append((segment.start, segment.end))
                again = self._careful(audio, segment.start, segment.end, language, temperature=0.0)
                if not any(whole_number(d) for s in again for d in digit_runs(s.text)):
                    again = []  # no better: keep what the first pass heard
            checked.extend(again or [segment])
        kept = sorted(checked, key=lambda s: s.start)
        missing = unheard(speech, kept, UNHEARD_S) if gaps else []
        if not kept:
            raise AudioRejected("no_speech", "no speech found" + (f" ({dropped} segments dropped)" if dropped else ""))
        reasons = review_reasons(language_probability, kept, dropped, self.review)
        if missing:
            reasons.append("incomplete")
        return Transcript(
            text=" ".join(s.text for s in kept),
            segments=tuple(kept),
            language=language,
            language_probability=round(language_probability, 4),
            duration_s=round(len(audio) / SAMPLE_RATE, 2),
            speech_s=round(len(speech_audio) / SAMPLE_RATE, 2),
            needs_review=bool(reasons),
            review_reasons=tuple(reasons),
            redecoded=tuple(Span(a, b) for a, b in sorted(redecoded)),
            unheard=tuple(Span(a, b) for a, b in missing),
            model={**self.model_info, "beam_size": beam_size},
        )


def transcribed_event(voicemail: Voicemail, transcript: Transcript, now: datetime) -> Transcribed:
    """The voicemail.transcribed event for a received voicemail and its transcript."""
    return Transcribed(voicemail.voicemail_id, voicemail, transcript, now)
