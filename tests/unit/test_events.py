import base64
import json

import pytest

from pipeline import events
from pipeline.domain import DeadLetter, Transcribed, Triaged
from pipeline.errors import Rejected
from tests.support.records import transcript, triage, voicemail


def test_ids_are_deterministic_and_distinct() -> None:
    a = events.voicemail_id("vm", "a.wav", "etag1")
    assert a == events.voicemail_id("vm", "a.wav", "etag1")
    assert a != events.voicemail_id("vm", "a.wav", "etag2")
    assert a != events.voicemail_id("vm", "b.wav", "etag1")
    assert events.task_id(a) == events.task_id(a)
    assert events.task_id(a).startswith("task-")


def test_decode_rejects_malformed_json() -> None:
    with pytest.raises(Rejected) as err:
        events.decode("voicemail.received", b"{not json")
    assert err.value.reason == "malformed_json"


def test_schema_error_names_path_but_not_the_value() -> None:
    bad = {"schema_version": 1, "voicemail_id": "Robert Chen DOB 1948", "bucket": "vm", "key": "k", "etag": "e",
           "size": 1, "received_at": "2026-01-01T00:00:00Z", "source": "submit", "emitted_at": "2026-01-01T00:00:00Z"}
    with pytest.raises(Rejected) as err:
        events.encode("voicemail.received", bad)
    assert err.value.reason == "schema_invalid"
    assert "/voicemail_id" in str(err.value)
    assert "Robert" not in str(err.value)


def test_dead_letter_keeps_binary_originals_whole() -> None:
    raw = b"\xff\xfe\x00binary"
    record = events.dead_letter(stage="transcribe", reason="audio_corrupt", error="x", topic="t", raw=raw)
    assert record.original_encoding == "base64"
    assert base64.b64decode(record.original) == raw
    text = events.dead_letter(stage="ingest", reason="malformed_json", error="x", topic="t", raw=b'{"a":1}')
    assert json.loads(text.original) == {"a": 1}
    for rec in (record, text):  # what the shell publishes: checked once, by encode
        assert events.read(DeadLetter, "voicemail.dlq", events.encode("voicemail.dlq", rec)) == rec


def test_records_cross_the_wire_unchanged() -> None:
    vm = voicemail()
    transcribed = Transcribed(vm.voicemail_id, vm, transcript(unheard=[{"start": 3.5, "end": 9.0}]), vm.emitted_at)
    triaged = Triaged(vm.voicemail_id, vm, transcribed.transcript, triage("emergency", "clinician"), vm.emitted_at)
    for topic, record in (("voicemail.received", vm), ("voicemail.transcribed", transcribed),
                          ("voicemail.triaged", triaged)):
        raw = events.encode(topic, record)
        assert events.read(type(record), topic, raw) == record
        wire = json.loads(raw)
        assert wire["schema_version"] == 1 and wire["voicemail_id"] == vm.voicemail_id
    wire = json.loads(events.encode("voicemail.triaged", triaged))
    assert wire["voicemail"]["received_at"] == "2026-11-26T15:00:00Z"  # times as ISO 8601 UTC
    assert wire["triage"]["evidence"] == [{"field": "urgency", "value": "emergency", "start": 0, "end": 5,
                                           "rule": "red_flag:chest_pain"}]


def test_an_event_whose_voicemail_ids_differ_is_rejected() -> None:
    vm = voicemail()
    wire = json.loads(events.encode("voicemail.transcribed",
                                    Transcribed(vm.voicemail_id, vm, transcript(), vm.emitted_at)))
    wire["voicemail_id"] = "vm-" + "2" * 32
    with pytest.raises(Rejected) as err:
        events.read(Transcribed, "voicemail.transcribed", json.dumps(wire))
    assert err.value.reason == "schema_invalid"


def test_a_transcript_from_before_redecoding_was_recorded_still_reads() -> None:
    vm = voicemail()
    wire = json.loads(events.encode("voicemail.transcribed",
                                    Transcribed(vm.voicemail_id, vm, transcript(), vm.emitted_at)))
    del wire["transcript"]["redecoded"], wire["transcript"]["unheard"]  # optional in the schema
    read = events.read(Transcribed, "voicemail.transcribed", json.dumps(wire))
    assert read.transcript.redecoded == () and read.transcript.unheard == ()
