"""Ingest against the real S3 server and broker: every path, and every object exactly once."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid

import pytest
from kafka import KafkaProducer

from pipeline import events, topics
from pipeline.config import Settings
from pipeline.ingest.core import INTERNAL_PREFIX, StoredObject, received_event
from tests.conftest import REPO, SAMPLES
from tests.integration.conftest import TASK_TOPICS, collect

pytestmark = pytest.mark.integration


def notify(s: Settings, doc: dict | bytes) -> None:
    producer = KafkaProducer(bootstrap_servers=s.kafka_bootstrap)
    producer.send(topics.S3_EVENTS, doc if isinstance(doc, bytes) else json.dumps(doc).encode()).get(timeout=30)
    producer.close()


def record(bucket: str, key: str, event: str = "ObjectCreated:Put") -> dict:
    return {"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": event,
            "s3": {"bucket": {"name": bucket}, "object": {"key": key}}}


def test_every_path_at_once_yields_one_received_event_and_one_task(stack: Settings, stack_env: dict,
                                                                  worker_log) -> None:
    path = SAMPLES / "audio" / "sample03.wav"
    result = subprocess.run([sys.executable, "-m", "pipeline", "submit", str(path), "--mailbox", "east"],
                            cwd=REPO, env={**os.environ, **stack_env}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    submitted = json.loads(result.stdout)
    vm_id = submitted["voicemail_id"]
    # The bucket announces the object too, in both formats and twice, and the reconciler lists it.
    notify(stack, {"Records": [record(stack.bucket, submitted["key"])]})
    notify(stack, {"EventName": "s3:ObjectCreated:Put", "Key": f"{stack.bucket}/{submitted['key']}",
                   "Records": [record(stack.bucket, submitted["key"], "s3:ObjectCreated:Put")]})
    notify(stack, {"Records": [record(stack.bucket, submitted["key"])]})
    candidates = collect(stack, [topics.INGEST], lambda e: e["voicemail_id"] == vm_id, count=4, timeout=60)
    assert {e["source"] for _, e in candidates} >= {"submit", "notification"}
    received = collect(stack, [topics.RECEIVED], lambda e: e["voicemail_id"] == vm_id, count=1, timeout=60,
                       settle=8)
    assert len(received) == 1
    assert received[0][1]["mailbox"] == "east" and received[0][1]["metadata_missing"] == ["caller_id"]
    tasks = collect(stack, TASK_TOPICS, lambda t: t["id"] == events.task_id(vm_id), count=1, timeout=120, settle=5)
    assert len(tasks) == 1


def test_object_without_notification_is_found_by_the_reconciler(stack: Settings, s3, worker_log) -> None:
    key = f"lost-notification/{uuid.uuid4().hex}.wav"
    s3.put_object(Bucket=stack.bucket, Key=key, Body=(SAMPLES / "audio" / "sample05.wav").read_bytes())
    etag = s3.head_object(Bucket=stack.bucket, Key=key)["ETag"].strip('"')
    vm_id = events.voicemail_id(stack.bucket, key, etag)
    received = collect(stack, [topics.RECEIVED], lambda e: e["voicemail_id"] == vm_id, count=1, timeout=60, settle=3)
    assert [e["source"] for _, e in received] == ["reconciler"]
    assert sorted(received[0][1]["metadata_missing"]) == ["caller_id", "mailbox", "received_at"]


def test_bad_notifications_are_dead_lettered(stack: Settings, worker_log) -> None:
    missing_key = f"never-uploaded/{uuid.uuid4().hex}.wav"
    notify(stack, {"Records": [record(stack.bucket, missing_key)]})
    notify(stack, b"{this is not json " + uuid.uuid4().hex.encode())
    notify(stack, {"Records": [{"eventName": "ObjectCreated:Put", "marker": missing_key}]})
    dead = collect(stack, [topics.DLQ], lambda d: d["stage"] == "ingest" and (
        missing_key in d["original"] or "this is not json" in d["original"]), count=3, timeout=60, settle=2)
    assert sorted(d["reason"] for _, d in dead) == ["malformed_json", "malformed_notification", "object_missing"]



def test_replay_dlq_resubmits_once_the_cause_is_fixed(stack: Settings, stack_env: dict, s3, worker_log) -> None:
    # A claim check for an object that is not there yet: the transcribe stage dead-letters it as
    # object_missing. The key is under the pipeline's own prefix, which ingest never lists, so only the
    # replay of that dead letter can bring the voicemail back.
    body = (SAMPLES / "audio" / "sample04.wav").read_bytes()
    key = f"{INTERNAL_PREFIX}late-upload/{uuid.uuid4().hex}.wav"
    etag = hashlib.md5(body, usedforsecurity=False).hexdigest()
    obj = StoredObject(stack.bucket, key, etag, len(body), events.utcnow())
    event = received_event(obj, "submit", events.utcnow())
    producer = KafkaProducer(bootstrap_servers=stack.kafka_bootstrap)
    producer.send(topics.RECEIVED, key=obj.voicemail_id.encode(), value=events.encode(topics.RECEIVED, event)).get(30)
    producer.close()
    dead = collect(stack, [topics.DLQ], lambda d: d["voicemail_id"] == obj.voicemail_id, count=1, timeout=60,
                   settle=0)
    assert (dead[0][1]["stage"], dead[0][1]["reason"]) == ("transcribe", "object_missing")
    s3.put_object(Bucket=stack.bucket, Key=key, Body=body)
    result = subprocess.run([sys.executable, "-m", "pipeline", "replay-dlq", "--stage", "transcribe",
                             "--voicemail-id", obj.voicemail_id],
                            cwd=REPO, env={**os.environ, **stack_env}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["to"] for line in result.stdout.splitlines()] == [topics.RECEIVED]
    tasks = collect(stack, TASK_TOPICS, lambda t: t["id"] == events.task_id(obj.voicemail_id), count=1,
                    timeout=120, settle=3)
    assert len(tasks) == 1
    # A filter that matches no dead letter fails loudly instead of reporting success.
    missing = subprocess.run([sys.executable, "-m", "pipeline", "replay-dlq", "--voicemail-id", "vm-that-never-was"],
                             cwd=REPO, env={**os.environ, **stack_env}, capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "no dead letter matches" in missing.stderr
