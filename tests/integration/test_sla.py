"""The callback loop on the real broker: escalation fires once when no status arrives and never when
one does; the scorecard matches what is on the topics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from kafka import KafkaProducer

from pipeline import events, topics
from pipeline.config import Settings
from tests.conftest import REPO, SAMPLES
from tests.integration.conftest import TASK_TOPICS, collect

pytestmark = pytest.mark.integration


def test_escalation_once_without_status_never_with_it(stack: Settings, stack_env: dict, s3, worker_log) -> None:
    # Emergencies (15 min target) received 14 minutes ago: due about a minute from now.
    received = events.iso(events.utcnow() - timedelta(minutes=14))
    vm_ids = {}
    for name in ("silent", "answered"):
        key = f"sla/{uuid.uuid4().hex}/{name}.wav"
        s3.put_object(Bucket=stack.bucket, Key=key, Body=(SAMPLES / "audio" / "sample01.wav").read_bytes(),
                      Metadata={"received-at": received})
        vm_ids[name] = events.voicemail_id(stack.bucket, key, s3.head_object(Bucket=stack.bucket, Key=key)["ETag"]
                                           .strip('"'))
    task_ids = {name: events.task_id(vm) for name, vm in vm_ids.items()}
    tasks = collect(stack, TASK_TOPICS, lambda t: t["id"] in task_ids.values(), count=2, timeout=120, settle=0)
    assert len(tasks) == 2
    due = {t["id"]: t["restriction"]["period"]["end"] for _, t in tasks}
    # The EHR acknowledges one of them before its deadline.
    producer = KafkaProducer(bootstrap_servers=stack.kafka_bootstrap)
    status = {"resourceType": "Task", "id": task_ids["answered"], "status": "accepted",
              "lastModified": events.iso(events.utcnow())}
    producer.send(topics.TASK_STATUS, key=task_ids["answered"].encode(), value=json.dumps(status).encode()).get(30)
    producer.close()
    assert events.iso(events.utcnow()) < due[task_ids["answered"]], "pipeline too slow for this test's deadline"
    deadline = max(events.parse_time(d) for d in due.values())
    time.sleep(max(0.0, (deadline - events.utcnow()).total_seconds()) + 8)  # past due, several checks later
    escalated = collect(stack, [topics.ESCALATED], lambda e: e["task_id"] in task_ids.values(), count=2,
                        timeout=10, settle=0)
    assert [(e["task_id"], e["level"]) for _, e in escalated] == [(task_ids["silent"], 1)]

    card = json.loads(subprocess.run([sys.executable, "-m", "pipeline", "stats", "--json"], cwd=REPO,
                                     env={**os.environ, **stack_env}, capture_output=True, text=True, timeout=120,
                                     check=True).stdout)
    on_topics = collect(stack, TASK_TOPICS, lambda t: True, count=10_000, timeout=5, settle=0)
    newest: dict[str, tuple[str, str]] = {}  # task id -> (authoredOn, topic) of its latest version
    for topic, t in on_topics:
        newest[t["id"]] = max(newest.get(t["id"], ("", "")), (t["authoredOn"], topic))
    latest = {task_id: topic for task_id, (_, topic) in newest.items()}
    assert card["tasks"] == len(latest)
    assert card["by_role"] == {role.removeprefix("tasks."): n for role, n in Counter(latest.values()).items()}
    assert card["escalations"] >= 1 and card["time_to_acknowledge_min"]["n"] >= 1
