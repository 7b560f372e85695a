import base64
import json

import pytest

from pipeline import events
from pipeline.errors import Rejected


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
    assert record["original_encoding"] == "base64"
    assert base64.b64decode(record["original"]) == raw
    text = events.dead_letter(stage="ingest", reason="malformed_json", error="x", topic="t", raw=b'{"a":1}')
    assert json.loads(text["original"]) == {"a": 1}
    for rec in (record, text):  # what the shell publishes: checked once, by encode
        assert json.loads(events.encode("voicemail.dlq", rec)) == rec
