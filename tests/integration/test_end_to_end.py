"""The walking skeleton, end to end: objects dropped into the bucket by any S3 client come out as
FHIR Tasks on the role topics, read by plain Kafka clients."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from fhir.resources.R4B.task import Task

from pipeline import events, topics
from pipeline.config import Settings
from tests.conftest import SAMPLES
from tests.integration.conftest import TASK_TOPICS, collect, drop, task_for

pytestmark = pytest.mark.integration


def test_five_voicemails_become_exactly_five_valid_tasks(delivered: dict, sample_labels: dict) -> None:
    tasks = delivered["tasks"]
    assert len(tasks) == 5, f"raw task messages: {len(tasks)}"
    assert len({t["id"] for _, t in tasks}) == 5
    for topic, task in tasks:
        Task.model_validate(task)
        vm_id = events.voicemail_of(task)
        label = sample_labels[delivered["vm_ids"][vm_id]]
        assert task["id"] == events.task_id(vm_id)
        assert topic == topics.task_topic(label["role"]), label["id"]
        assert task["performerType"][0]["coding"][0]["code"] == label["role"]
        assert task["restriction"]["period"]["start"] == "2026-11-26T15:00:00Z"
        numbers = [i.get("valueString") for i in task["input"] if i["type"]["coding"][0]["code"] == "callback-number"]
        assert numbers == [label["callback_number"]], label["id"]


def test_emergency_also_pages(stack: Settings, delivered: dict, sample_labels: dict) -> None:
    emergencies = {vm for vm, sample in delivered["vm_ids"].items() if sample_labels[sample]["urgency"] == "emergency"}
    alerts = collect(stack, [topics.ALERTS], lambda a: a["voicemail_id"] in emergencies, count=len(emergencies),
                     timeout=60)
    assert len(alerts) == len(emergencies) == 1
    _, alert = alerts[0]
    assert alert["priority"] == "stat" and alert["role"] == "clinician"
    assert set(alert) == {"schema_version", "voicemail_id", "task_id", "role", "priority", "due_by", "reasons",
                          "mailbox"}  # nothing a pager should not show


@pytest.mark.skipif(shutil.which("kcat") is None, reason="kcat not installed (apt-get install kcat)")
def test_an_outside_kafka_client_reads_the_tasks(stack: Settings, delivered: dict) -> None:
    out = subprocess.run(["kcat", "-b", stack.kafka_bootstrap, "-C", "-t", "tasks.clinician", "-o", "beginning",
                          "-e", "-q"], capture_output=True, text=True, timeout=60, check=True).stdout
    ids = {json.loads(line)["id"] for line in out.splitlines() if line.strip()}
    expected = {t["id"] for topic, t in delivered["tasks"] if topic == "tasks.clinician"}
    assert expected and expected <= ids


def test_bad_audio_is_dead_lettered_and_the_next_one_still_flows(stack: Settings, s3, worker_log,
                                                                 sample_labels: dict) -> None:
    bad = drop(s3, stack, "corrupt.wav", b"RIFF\x00\x00\x00\x00WAVE" + os.urandom(2000))
    good = drop(s3, stack, "sample06.wav", (SAMPLES / "audio" / "sample06.wav").read_bytes())
    dead = collect(stack, [topics.DLQ], lambda d: d["voicemail_id"] == bad, count=1, timeout=120, settle=1)
    assert [(d["stage"], d["reason"]) for _, d in dead] == [("transcribe", "audio_corrupt")]
    assert json.loads(dead[0][1]["original"])["voicemail_id"] == bad  # the whole event, for replay
    tasks = collect(stack, TASK_TOPICS, task_for({good}), count=1, timeout=120)
    assert [topic for topic, _ in tasks] == [topics.task_topic(sample_labels["sample06"]["role"])]
