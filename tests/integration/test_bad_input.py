"""The bad-input matrix, in the stream: each kind of bad input lands on voicemail.dlq with the stage
and reason that refused it, and the workers go on to turn the next good voicemail into a task."""

from __future__ import annotations

import json
import os
import time
import uuid

import numpy as np
import pytest
from kafka import KafkaProducer

from pipeline import events, topics
from pipeline.config import Settings
from tests.conftest import SAMPLES
from tests.integration.conftest import TASK_TOPICS, collect
from tests.support.audio import noise, tone, wav16

pytestmark = pytest.mark.integration
GOOD = (SAMPLES / "audio" / "sample06.wav").read_bytes()

# kind -> (object body, key suffix, expected stage, expected reason); limits from the session's stack_env
OBJECTS = {
    "corrupt": (lambda: b"RIFF\x00\x00\x00\x00WAVEfmt " + os.urandom(3000), ".wav", "transcribe", "audio_corrupt"),
    "truncated": (lambda: GOOD[: len(GOOD) // 2], ".wav", "transcribe", "audio_truncated"),
    "zero_byte": (lambda: b"", ".wav", "transcribe", "audio_empty"),
    "non_audio": (lambda: b"%PDF-1.7\n" + os.urandom(3000), ".wav", "transcribe", "not_audio"),
    "oversize": (lambda: wav16(np.zeros(8000 * 5, np.float32)) + b"\0" * 4_100_000, ".wav", "transcribe",
                 "audio_too_large"),
    "overlong": (lambda: wav16(tone(130)), ".wav", "transcribe", "audio_too_long"),
    "silence": (lambda: wav16(np.zeros(8000 * 6, np.float32)), ".wav", "transcribe", "audio_silent"),
    "noise": (lambda: wav16(noise(8)), ".wav", "transcribe", "no_speech"),
    "wrong_extension": (lambda: GOOD, ".txt", "ingest", "unsupported_extension"),
}


def test_each_bad_input_is_dead_lettered_and_the_next_good_one_becomes_a_task(stack: Settings, s3, worker_log,
                                                                              report) -> None:
    run = uuid.uuid4().hex[:8]
    expected: dict[str, tuple[str, str]] = {}  # kind -> (stage, reason)
    match: dict[str, object] = {}  # kind -> predicate on a dead letter
    for kind, (body, suffix, stage, reason) in OBJECTS.items():
        key = f"bad-input/{run}/{kind}{suffix}"
        s3.put_object(Bucket=stack.bucket, Key=key, Body=body())
        vm_id = events.voicemail_id(stack.bucket, key, s3.head_object(Bucket=stack.bucket, Key=key)["ETag"].strip('"'))
        expected[kind], match[kind] = (stage, reason), (lambda d, v=vm_id: d["voicemail_id"] == v)

    # Events no S3 client would send: straight onto the topics the stages read.
    producer = KafkaProducer(bootstrap_servers=stack.kafka_bootstrap)
    marker = f"bad-input-{run}"
    producer.send(topics.S3_EVENTS, f'{{"Records": [{{"{marker}": '.encode())  # cut-off JSON
    expected["malformed_json"], match["malformed_json"] = ("ingest", "malformed_json"), (
        lambda d: d["topic"] == topics.S3_EVENTS and marker in d["original"])
    producer.send(topics.RECEIVED, json.dumps({"voicemail_id": f"vm-{marker}", "bucket": stack.bucket}).encode())
    expected["schema_invalid"], match["schema_invalid"] = ("transcribe", "schema_invalid"), (
        lambda d: d["voicemail_id"] == f"vm-{marker}")
    missing = f"bad-input/{run}/never-uploaded.wav"
    producer.send(topics.S3_EVENTS, json.dumps({"Records": [{"eventName": "ObjectCreated:Put", "s3": {
        "bucket": {"name": stack.bucket}, "object": {"key": missing}}}]}).encode())
    expected["object_missing"], match["object_missing"] = ("ingest", "object_missing"), (
        lambda d: missing in d["original"])
    producer.flush()
    producer.close()

    started = time.monotonic()
    good_key = f"bad-input/{run}/good.wav"
    s3.put_object(Bucket=stack.bucket, Key=good_key, Body=GOOD)
    etag = s3.head_object(Bucket=stack.bucket, Key=good_key)["ETag"].strip('"')
    good = events.voicemail_id(stack.bucket, good_key, etag)

    dead = collect(stack, [topics.DLQ], lambda d: any(m(d) for m in match.values()), count=len(expected),
                   timeout=180, settle=3)
    got = {kind: [(d["stage"], d["reason"]) for _, d in dead if match[kind](d)] for kind in expected}
    for kind in expected:
        report(f"bad input {kind:16} -> {', '.join(f'{st}/{r}' for st, r in got[kind]) or 'NOT dead-lettered'}")
    assert got == {kind: [want] for kind, want in expected.items()}
    for _, d in dead:  # the whole original travels with the dead letter, so it can be replayed
        assert d["original"] and d["topic"] and d["failed_at"]

    tasks = collect(stack, TASK_TOPICS, lambda t: t["id"] == events.task_id(good), count=1, timeout=180)
    assert len(tasks) == 1
    report(f"bad input: {len(expected)} kinds dead-lettered; the good voicemail after them became a task "
           f"{time.monotonic() - started:.1f} s after its upload")
