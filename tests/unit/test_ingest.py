import json
from datetime import UTC, datetime

import pytest

from pipeline.errors import Rejected
from pipeline.ingest import notifications
from pipeline.ingest.core import StoredObject, announced, received_event, wanted
from pipeline.ingest.reconciler import Checkpoint, Pass, Reconciler

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def obj(key: str = "inbox/a.wav", **meta: str) -> StoredObject:
    return StoredObject("voicemail", key, '"abc123"', 1000, datetime(2026, 11, 26, 14, 0, tzinfo=UTC), metadata=meta)


def test_metadata_becomes_event_fields() -> None:
    e = received_event(obj(**{"caller-id": "+12155550100", "mailbox": "main", "received-at": "2026-11-26T13:59:00Z"}),
                       "reconciler", NOW)
    assert (e.caller_id, e.mailbox) == ("+12155550100", "main")
    assert e.received_at == datetime(2026, 11, 26, 13, 59, tzinfo=UTC)
    assert e.metadata_missing == ()
    assert e.etag == "abc123"


def test_missing_metadata_is_tolerated_and_marked() -> None:
    e = received_event(obj(**{"received-at": "yesterday"}), "reconciler", NOW)
    assert e.received_at == datetime(2026, 11, 26, 14, 0, tzinfo=UTC)  # falls back to when the object landed
    assert e.metadata_missing == ("caller_id", "mailbox", "received_at")


@pytest.mark.parametrize("key", ["a/../b.wav", "a\x00b.wav", "x" * 1025])
def test_hostile_keys_are_rejected(key: str) -> None:
    with pytest.raises(Rejected) as err:
        received_event(obj(key), "reconciler", NOW)
    assert err.value.reason == "key_rejected"


@pytest.mark.parametrize("key,ok", [("m/notes.txt", False), ("m/scan.PDF", False), ("m/v1.2/msg.json", False),
                                    ("m/msg.WAV", True), ("m/msg.opus", True), ("m/RE0123abcd", True),
                                    ("m/v1.2/RE0123", True), ("m/.hidden", True)])
def test_keys_naming_other_kinds_of_file_are_refused(key: str, ok: bool) -> None:
    if ok:
        assert received_event(obj(key), "reconciler", NOW).key == key
    else:
        with pytest.raises(Rejected) as err:
            received_event(obj(key), "reconciler", NOW)
        assert err.value.reason == "unsupported_extension"


def aws_record(event: str, bucket: str, key: str) -> dict:
    return {"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": event,
            "s3": {"bucket": {"name": bucket}, "object": {"key": key, "size": 10, "eTag": "abc"}}}


def test_aws_notification_created_objects_only_keys_decoded() -> None:
    doc = {"Records": [aws_record("ObjectCreated:Put", "voicemail", "inbox/my+message%281%29.wav"),
                       aws_record("ObjectRemoved:Delete", "voicemail", "inbox/old.wav"),
                       aws_record("ObjectCreated:Put", "other-bucket", "x.wav")]}
    found = notifications.parse(json.dumps(doc).encode(), "voicemail")
    assert [(a.bucket, a.key, a.etag) for a in found] == [("voicemail", "inbox/my message(1).wav", "abc")]


def test_minio_notification_format() -> None:
    doc = {"EventName": "s3:ObjectCreated:Put", "Key": "voicemail/inbox/a.wav",
           "Records": [aws_record("s3:ObjectCreated:Put", "voicemail", "inbox/a.wav")]}
    assert [a.key for a in notifications.parse(json.dumps(doc).encode(), "voicemail")] == ["inbox/a.wav"]


def test_test_event_is_ignored_and_garbage_rejected() -> None:
    assert notifications.parse(b'{"Service":"Amazon S3","Event":"s3:TestEvent"}', "voicemail") == []
    for raw, reason in [(b"nope", "malformed_json"), (b'{"Records": [{"x": 1}]}', "malformed_notification")]:
        with pytest.raises(Rejected) as err:
            notifications.parse(raw, "voicemail")
        assert err.value.reason == reason


@pytest.mark.parametrize(("key", "prefix", "suffixes", "expected"), [
    ("inbox/a.wav", "", [], True),
    ("inbox/a.WAV", "inbox/", [".wav"], True),
    ("inbox/a.txt", "inbox/", [".wav", ".mp3"], False),
    ("other/a.wav", "inbox/", [], False),
    (".pipeline/state.json", "", [], False),
])
def test_prefix_and_suffix_filter(key: str, prefix: str, suffixes: list[str], expected: bool) -> None:
    assert wanted(key, prefix, suffixes) is expected


def created(*keys: str) -> bytes:
    records = [{"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "voicemail"}, "object": {"key": k}}}
               for k in keys]
    return json.dumps({"Records": records}).encode()


def test_a_notification_becomes_candidates_for_wanted_objects_read_again() -> None:
    heads = []

    def head(bucket: str, key: str) -> StoredObject:
        heads.append((bucket, key))
        return obj(key, **{"caller-id": "+12155550100"})

    raw = created("inbox/a.wav", "inbox/notes.txt", "other/b.wav")
    [event] = announced(raw, "voicemail", "inbox/", [".wav"], head, NOW)
    assert heads == [("voicemail", "inbox/a.wav")]  # only the wanted object is read again
    assert (event.source, event.key, event.caller_id) == ("notification", "inbox/a.wav", "+12155550100")


def test_an_announced_object_gone_before_its_head_is_rejected_as_missing() -> None:
    def head(bucket: str, key: str) -> StoredObject:
        raise Rejected("object_missing", "announced object not found")

    raw = created("inbox/a.wav")
    with pytest.raises(Rejected) as err:
        announced(raw, "voicemail", "inbox/", [".wav"], head, NOW)
    assert err.value.reason == "object_missing"


def test_the_reconciler_checkpoint_survives_its_encoding_and_grows_only_with_a_pass() -> None:
    reconciler = Reconciler(s3=None, bucket="voicemail")
    assert reconciler.commit(Pass([], [], [])) is None  # nothing listed: nothing to store
    first, second = obj("inbox/a.wav"), obj("inbox/b.wav")
    stored = reconciler.commit(Pass([], [], [first, second]))
    assert stored is not None
    again = Checkpoint.decode(stored)
    assert again == reconciler.checkpoint
    assert again.watermark == first.last_modified and set(again.seen) == {"inbox/a.wav abc123", "inbox/b.wav abc123"}
    assert Checkpoint.decode(None) == Checkpoint()
