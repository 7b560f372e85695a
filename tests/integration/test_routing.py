"""Routing on the real broker: role and deadline by business hours, one task per voicemail under
redelivery, and a deliberate re-triage updating the same Task."""

from __future__ import annotations

import json
import uuid

import pytest
from kafka import KafkaProducer

from pipeline import events, topics
from pipeline.config import Settings
from tests.conftest import SAMPLES
from tests.integration.conftest import TASK_TOPICS, collect

pytestmark = pytest.mark.integration


def drop(s3, s: Settings, sample: str, received_at: str, mailbox: str = "main") -> str:
    key = f"routing/{uuid.uuid4().hex}/{sample}.wav"
    s3.put_object(Bucket=s.bucket, Key=key, Body=(SAMPLES / "audio" / f"{sample}.wav").read_bytes(),
                  Metadata={"received-at": received_at, "mailbox": mailbox})
    return events.voicemail_id(s.bucket, key, s3.head_object(Bucket=s.bucket, Key=key)["ETag"].strip('"'))


def tasks_of(s: Settings, vm_ids: set[str], count: int, settle: float = 5,
             timeout: float = 240) -> dict[str, list[tuple[str, dict]]]:
    got = collect(s, TASK_TOPICS, lambda t: t["identifier"][1]["value"] in vm_ids, count=count, timeout=timeout,
                  settle=settle)
    by_vm: dict[str, list[tuple[str, dict]]] = {v: [] for v in vm_ids}
    for topic, task in got:
        by_vm[task["identifier"][1]["value"]].append((topic, task))
    return by_vm


def test_role_and_deadline_follow_business_hours(stack: Settings, s3, worker_log) -> None:
    # sample02 is urgent (post-op fever), sample03 a routine refill.
    day = drop(s3, stack, "sample02", "2026-11-24T15:00:00Z")  # Tuesday 10:00 New York
    night = drop(s3, stack, "sample02", "2026-11-25T03:00:00Z")  # Tuesday 22:00: the on-call clinician
    weekend = drop(s3, stack, "sample03", "2026-11-28T15:00:00Z")  # Saturday: due Monday 08:00 + 4 h
    west = drop(s3, stack, "sample02", "2026-11-24T00:30:00Z", mailbox="west")  # 16:30 in Los Angeles: open
    by_vm = tasks_of(stack, {day, night, weekend, west}, count=4)
    assert {vm: len(ts) for vm, ts in by_vm.items()} == {day: 1, night: 1, weekend: 1, west: 1}
    (topic, task), = by_vm[day]
    assert (topic, task["restriction"]["period"]["end"]) == ("tasks.nurse", "2026-11-24T16:00:00Z")
    (topic, task), = by_vm[night]
    assert (topic, task["restriction"]["period"]["end"]) == ("tasks.clinician", "2026-11-25T04:00:00Z")
    assert any("after_hours:urgent" in n["text"] for n in task["note"])
    (topic, task), = by_vm[weekend]
    assert (topic, task["restriction"]["period"]["end"]) == ("tasks.nurse", "2026-11-30T17:00:00Z")
    (topic, _), = by_vm[west]
    assert topic == "tasks.nurse"


def test_redelivery_makes_no_second_task_and_retriage_updates_the_same_one(stack: Settings, s3, worker_log) -> None:
    vm_id = drop(s3, stack, "sample05", "2026-11-24T15:00:00Z")
    (first_topic, first), = tasks_of(stack, {vm_id}, count=1)[vm_id]
    triaged = collect(stack, [topics.TRIAGED], lambda e: e["voicemail_id"] == vm_id, count=1, timeout=30, settle=0)
    event = triaged[0][1]
    producer = KafkaProducer(bootstrap_servers=stack.kafka_bootstrap)
    # The same triaged event delivered again (a consumer restart before its commit looks like this).
    producer.send(topics.TRIAGED, key=vm_id.encode(), value=json.dumps(event).encode()).get(timeout=30)
    producer.flush()
    assert len(tasks_of(stack, {vm_id}, count=2, timeout=15)[vm_id]) == 1  # waits 15 s for a second one
    # A classifier upgrade re-triages the voicemail: the task is updated under the same id.
    event["triage"] = {**event["triage"], "urgency": "urgent", "role": "nurse", "intents": ["symptom_report"]}
    producer.send(topics.TRIAGED, key=vm_id.encode(), value=json.dumps(event).encode()).get(timeout=30)
    producer.close()
    both = tasks_of(stack, {vm_id}, count=2)[vm_id]
    assert [t["id"] for _, t in both] == [first["id"], first["id"]]
    by_topic = dict(both)  # topics interleave when read together: compare by topic, not by order
    assert set(by_topic) == {first_topic, "tasks.nurse"}
    assert by_topic["tasks.nurse"]["priority"] == "urgent"
