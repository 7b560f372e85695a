import hashlib
from concurrent.futures import ProcessPoolExecutor

import pytest
from faster_whisper.audio import decode_audio

from pipeline.audio import AudioRejected
from pipeline.config import Settings
from pipeline.domain import Segment
from pipeline.errors import Rejected
from pipeline.transcribe.core import (
    ReviewThresholds,
    Transcriber,
    choose_language,
    garbled_number,
    review_reasons,
    unheard,
)
from pipeline.transcribe.model import BASE_MODEL_SHA256, assemble_base_model
from pipeline.transcribe.recorded import Recorded, record_line
from tests.conftest import REPO, SAMPLES
from tests.support.audio import FORMATS, encode, noise, tone, wav16


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    return Transcriber(Settings())


def test_transcribes_a_voicemail(transcriber: Transcriber) -> None:
    t = transcriber.transcribe((SAMPLES / "audio" / "sample01.wav").read_bytes())
    text = t.text.lower()
    assert "chest" in text and "breathing" in text
    assert t.language == "en" and t.language_probability > 0.5
    assert t.segments and all(0 <= s.no_speech_prob <= 1 for s in t.segments)
    assert 0 < t.speech_s <= t.duration_s
    assert t.needs_review is False and t.review_reasons == ()
    assert t.model["id"] == transcriber.model_id
    assert (t.model["compute_type"], t.model["beam_size"], t.model["vad"]) == ("int8", 1, True)
    assert t.model["language"] == "detected"


def test_a_configured_language_skips_detection(transcriber: Transcriber) -> None:
    fixed = Transcriber(Settings(whisper_language="en"))
    t = fixed.transcribe((SAMPLES / "audio" / "sample01.wav").read_bytes())
    assert "chest" in t.text.lower()
    assert (t.language, t.language_probability, t.model["language"]) == ("en", 1.0, "en")


def test_a_served_language_wins_when_it_is_a_real_candidate() -> None:
    served = ["en", "es"]
    # Whisper base on a Spanish caller (phone audio): Latin first, Spanish a close second.
    assert choose_language([("la", 0.42), ("es", 0.39), ("it", 0.06)], served) == ("es", 0.39)
    assert choose_language([("es", 0.88), ("la", 0.04)], served) == ("es", 0.88)
    # A caller in another language keeps it, so triage can flag an unsupported language.
    assert choose_language([("pt", 0.61), ("la", 0.2), ("en", 0.12)], served) == ("pt", 0.61)
    assert choose_language([("vi", 0.92), ("th", 0.02)], served) == ("vi", 0.92)
    assert choose_language([("la", 0.42), ("es", 0.39)], []) == ("la", 0.42)  # no list: any language


@pytest.mark.parametrize(("clip", "language", "words"), [
    ("caller_spanish.wav", "es", ("boca", "levantar")),
    ("caller_vietnamese.wav", "vi", ()),
])
def test_callers_are_decoded_in_their_own_language(transcriber: Transcriber, clip: str, language: str,
                                                   words: tuple) -> None:
    t = transcriber.transcribe((REPO / "tests" / "fixtures" / "audio" / clip).read_bytes())
    assert t.language == language
    assert all(w in t.text.lower() for w in words), t.language
    assert t.model["beam_size"] == (5 if language == "es" else 1)  # greedy loses too much Spanish


def test_a_language_beam_size_can_be_turned_off() -> None:
    greedy = Transcriber(Settings(whisper_language_beam_sizes={}))
    t = greedy.transcribe((REPO / "tests" / "fixtures" / "audio" / "caller_spanish.wav").read_bytes())
    assert (t.language, t.model["beam_size"]) == ("es", 1)


@pytest.mark.parametrize("fmt", FORMATS[1:], ids=[f[0] for f in FORMATS[1:]])
def test_every_format_transcribes(transcriber: Transcriber, fmt: tuple) -> None:
    _, container, codec, rate, channels = fmt
    sample = decode_audio(str(SAMPLES / "audio" / "sample02.wav"), sampling_rate=16000)
    text = transcriber.transcribe(encode(sample, 16000, container, codec, rate, channels)).text.lower()
    assert "surgery" in text and "fever" in text


@pytest.mark.parametrize(("audio", "reason"), [
    (wav16(noise(8)), "no_speech"),
    (wav16(tone(8)), "no_speech"),  # a hold tone
], ids=["noise", "tone"])
def test_no_speech_is_rejected_not_hallucinated(transcriber: Transcriber, audio: bytes, reason: str) -> None:
    with pytest.raises(AudioRejected) as err:
        transcriber.transcribe(audio)
    assert err.value.reason == reason


def test_review_reasons() -> None:
    t = ReviewThresholds(min_language_probability=0.7, min_avg_logprob=-0.8)
    good = [Segment(0, 5, "words", -0.2, 0.01, 1.4)]
    assert review_reasons(0.99, good, 0, t) == []
    assert review_reasons(0.5, good, 0, t) == ["language_uncertain"]
    shaky = [*good, Segment(5, 25, "words words words", -1.2, 0.01, 3.1)]
    assert review_reasons(0.99, shaky, 1, t) == ["low_confidence", "repetitive_output", "segments_dropped"]


def test_a_voicemail_cut_short_keeps_its_callback_number(transcriber: Transcriber) -> None:
    t = transcriber.transcribe((REPO / "tests" / "fixtures" / "audio" / "caller_cut_short.wav").read_bytes())
    assert t.redecoded, "the first pass is expected to stop early on this clip"
    assert "0722" in t.text.replace("-", "").replace(" ", "")  # said in the last seconds
    assert t.unheard == () and not t.needs_review


def test_speech_the_decoder_skipped_is_decoded_again(transcriber: Transcriber, monkeypatch) -> None:
    # Whisper now and then ends a window early and faster-whisper skips the rest of it (above). Here the
    # decoder hears only 8.9 s on purpose.
    decode, calls = transcriber.model.generate_segments, []

    def stops_early(features, tokenizer, options, log_progress, encoder_output=None):
        calls.append(1)  # the first decoding hears only 8.9 s; decoding again works as it should
        if len(calls) > 1:
            return decode(features, tokenizer, options, log_progress, encoder_output)
        return decode(features[..., :890], tokenizer, options, log_progress)

    monkeypatch.setattr(transcriber.model, "generate_segments", stops_early)
    t = transcriber.transcribe((REPO / "tests" / "fixtures" / "audio" / "caller_cut_short.wav").read_bytes())
    assert t.redecoded
    assert "0722" in t.text.replace("-", "").replace(" ", "")  # the callback number at the very end
    assert t.unheard == () and "incomplete" not in t.review_reasons
    assert [s.start for s in t.segments] == sorted(s.start for s in t.segments)


def test_speech_that_stays_unheard_is_flagged(transcriber: Transcriber, monkeypatch) -> None:
    decode = transcriber.model.generate_segments
    monkeypatch.setattr(transcriber.model, "generate_segments",
                        lambda features, tokenizer, options, *_: decode(features[..., :890], tokenizer, options, False))
    monkeypatch.setattr(transcriber.model, "transcribe", lambda *a, **k: (iter(()), None))  # re-decoding finds nothing
    t = transcriber.transcribe((REPO / "tests" / "fixtures" / "audio" / "caller_cut_short.wav").read_bytes())
    assert "incomplete" in t.review_reasons and t.needs_review
    assert t.unheard and t.unheard[-1].end > 15


def test_a_garbled_callback_number_is_decoded_again(transcriber: Transcriber, monkeypatch) -> None:
    clip = (REPO / "tests" / "fixtures" / "audio" / "caller_number_run_together.wav").read_bytes()
    t = transcriber.transcribe(clip)
    assert "7205558409" in "".join(c for c in t.text if c.isdigit())
    assert t.redecoded and not t.needs_review
    monkeypatch.setattr(transcriber, "_careful", lambda *args, **options: [])  # the first pass alone
    assert garbled_number(transcriber.transcribe(clip).text)


@pytest.mark.parametrize(("text", "garbled"), [
    ("Please call me at 302-55-0178.", True),  # "five five five" heard as 55
    ("give me a call back at 8.56550143 to set up", True),  # run together, a digit short
    ("Can someone call me? 7-6-3-555-a-1-3-9.", True),  # "oh" heard as a letter
    ("I changed numbers, 302-555-01940-0195.", True),
    ("Please call me at 302-555-0178.", False),
    ("call 1-215-555-0164 or 215 555 0164", False),
    ("born 4, 21, 1995, call 215-555-0164", False),  # a whole number elsewhere in the segment
    ("date of birth 11, 30, 1960.", False),  # a date, not a number
    ("born 03, 03, 19, 39, thanks", False),
    ("Our number is for 1-0-55-0136.", True),
    ("Area code 267-555-152.", True),
    ("I take 25 mg, 2 at night, since 2019.", False),  # short runs are not numbers
    ("", False),
])
def test_a_garbled_phone_number_is_recognised(text: str, garbled: bool) -> None:
    assert garbled_number(text) is garbled


def test_unheard_speech_is_what_no_segment_covers() -> None:
    seg = lambda a, b: Segment(a, b, "words", -0.2, 0.01, 1.4)  # noqa: E731
    speech = [(0.1, 21.0)]
    assert unheard(speech, [seg(0.1, 5), seg(5, 19.6)], 1.0) == []  # Whisper's usual early last timestamp
    assert unheard(speech, [seg(0.1, 5), seg(5, 9.1)], 1.0) == [(9.9, 21.0)]  # stopped mid-message
    assert unheard([(0.1, 8), (10.5, 30)], [seg(0.2, 7.9), seg(20, 29.5)], 2.0) == [(10.5, 19.2)]
    assert unheard([(0.1, 8)], [], 1.0) == [(0.1, 8)]


def test_workers_starting_together_assemble_the_model_safely(tmp_path) -> None:
    with ProcessPoolExecutor(max_workers=3) as pool:
        paths = list(pool.map(assemble_base_model, [tmp_path] * 3))
    assert len(set(paths)) == 1
    assert hashlib.sha256((paths[0] / "model.bin").read_bytes()).hexdigest() == BASE_MODEL_SHA256
    assert sorted(p.name for p in paths[0].iterdir()) == [".verified", "config.json", "model.bin", "tokenizer.json",
                                                         "vocabulary.json"]  # no temporary file left behind


def test_a_recorded_transcript_replaces_whisper_for_the_audio_it_was_recorded_for(tmp_path) -> None:
    audio, other = (SAMPLES / "audio" / "sample01.wav").read_bytes(), (SAMPLES / "audio" / "sample02.wav").read_bytes()
    lines = tmp_path / "recorded.jsonl"
    lines.write_text(record_line(audio, "Please call me back.", "en") + "\n\n")
    recorded = Recorded(Settings(), lines)
    t = recorded.transcribe(audio)
    assert (t.text, t.language, t.needs_review, t.model["id"]) == ("Please call me back.", "en", False,
                                                                   "recorded:recorded.jsonl")
    assert t.duration_s == pytest.approx(len(decode_audio(str(SAMPLES / "audio" / "sample01.wav"))) / 16000, abs=0.01)
    with pytest.raises(Rejected, match="no_recorded_transcript"):
        recorded.transcribe(other)
    with pytest.raises(AudioRejected):  # the audio is still decoded and checked
        recorded.transcribe(b"not audio at all")
