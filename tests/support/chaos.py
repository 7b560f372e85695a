"""What the chaos tests share: worker processes to kill, uploads, and the watch that counts task ids,
raw duplicates, losses, dead letters, stalls and uncommitted offsets while a fault happens."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

from pipeline import events, topics
from pipeline.adapters import s3 as s3io
from pipeline.config import Settings
from tests.conftest import REPO
from tests.integration.conftest import TASK_TOPICS

GROUPS = {"voicemail-ingest": [topics.S3_EVENTS, topics.INGEST], "voicemail-transcribe": [topics.RECEIVED],
          "voicemail-classify": [topics.TRANSCRIBED], "voicemail-route": [topics.TRIAGED]}


class Workers:
    """One `python -m pipeline worker --stage S` process per name, as separate pods would run them."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs, self.procs = env, logs, {}

    def start(self, name: str, stage: str) -> None:
        with (self.logs / f"{name}.log").open("ab") as out:
            self.procs[name] = (stage, subprocess.Popen([sys.executable, "-m", "pipeline", "worker", "--stage", stage],
                                                        cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                                        env={**os.environ, **self.env}))

    def kill9(self, name: str) -> str:
        """kill -9 that worker (it is no longer one of these); its stage."""
        stage, proc = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        return stage

    def kill9_and_restart(self, name: str) -> None:
        self.start(name, self.kill9(name))

    def await_log(self, name: str, needle: str, timeout: float = 120) -> float:
        """Wait until the worker's log holds `needle`; the monotonic time it was seen."""
        log, deadline = self.logs / f"{name}.log", time.monotonic() + timeout
        while needle not in log.read_text(errors="replace"):
            if time.monotonic() > deadline:
                raise AssertionError(f"{name}: no {needle} within {timeout} s; log ends {log.read_text()[-2000:]}")
            time.sleep(0.2)
        return time.monotonic()

    def alive(self) -> dict[str, bool]:
        return {name: proc.poll() is None for name, (_, proc) in self.procs.items()}

    def stop(self) -> None:
        for _, proc in self.procs.values():
            proc.terminate()
        for _, proc in self.procs.values():
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()


@dataclass
class Chaos:
    s: Settings
    workers: Workers
    clips: list[bytes]
    ledger: dict[str, list[str]] = field(default_factory=dict)  # scenario -> its voicemail ids


def notification(bucket: str, key: str) -> bytes:
    return json.dumps({"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                                    "s3": {"bucket": {"name": bucket}, "object": {"key": key}}}]}).encode()


def upload(c: Chaos, scenario: str, n: int) -> dict[str, str]:
    """n voicemails, each announced twice by notification besides the reconciler's listing: vm id -> key."""
    s3, producer, out = s3io.client(c.s), KafkaProducer(bootstrap_servers=c.s.kafka_bootstrap), {}
    for i in range(n):
        key = f"chaos/{scenario}/{uuid.uuid4().hex}.wav"
        s3.put_object(Bucket=c.s.bucket, Key=key, Body=c.clips[i % len(c.clips)])
        out[events.voicemail_id(c.s.bucket, key, s3.head_object(Bucket=c.s.bucket, Key=key)["ETag"].strip('"'))] = key
        for _ in range(2):
            producer.send(topics.S3_EVENTS, notification(c.s.bucket, key))
    producer.flush()
    producer.close()
    return out


@dataclass
class Outcome:
    voicemails: int
    task_ids: int
    raw_tasks: int
    lost: int
    dead_letters: int
    lag: dict[str, int]
    elapsed_s: float
    fault_at_s: float | None
    stall_s: float  # longest wait between two tasks after the fault
    redrives: int  # events the audit re-published for voicemails a stage had skipped


def watch(c: Chaos, vm_ids: set[str], fault: Callable[[], None] | None, fault_at: float,
          timeout: float = 900) -> Outcome:
    """Read the role topics until every voicemail has its task (firing `fault` once `fault_at` of them
    have), then 10 s more so late duplicates show."""
    wanted = {events.task_id(v): v for v in vm_ids}
    consumer = KafkaConsumer(*TASK_TOPICS, bootstrap_servers=c.s.kafka_bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=None)
    started = time.monotonic()
    redrives_before = redrive_count(c)
    seen: dict[str, int] = {}
    fault_time, last, stall, deadline = None, started, 0.0, started + timeout
    try:
        while time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                for r in records:
                    task_id = json.loads(r.value)["id"]
                    if task_id in wanted:
                        seen[task_id] = seen.get(task_id, 0) + 1
                        now = time.monotonic()
                        if fault_time is not None:
                            stall = max(stall, now - last)
                        last = now
            if fault is not None and fault_time is None and len(seen) >= fault_at * len(wanted):
                fault()
                fault_time = last = time.monotonic()
            if len(seen) == len(wanted):
                deadline = min(deadline, time.monotonic() + 10)
    finally:
        consumer.close()
    return Outcome(len(vm_ids), len(seen), sum(seen.values()), len(wanted) - len(seen), dead_letters(c, vm_ids),
                   group_lag(c), round(time.monotonic() - started - 10, 1),
                   round(fault_time - started, 1) if fault_time else None, round(stall, 1),
                   redrive_count(c) - redrives_before)


def heals(c: Chaos) -> int:
    return sum(log.read_text().count('"ops.commit_stalled"') for log in c.workers.logs.glob("*.log"))


def redrive_count(c: Chaos) -> int:
    return sum(log.read_text().count('"audit.redrive"') for log in c.workers.logs.glob("audit*.log"))


def dead_letters(c: Chaos, vm_ids: set[str]) -> int:
    consumer = KafkaConsumer(topics.DLQ, bootstrap_servers=c.s.kafka_bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=None, consumer_timeout_ms=3000)
    try:
        return sum(json.loads(r.value)["voicemail_id"] in vm_ids for r in consumer)
    finally:
        consumer.close()


def group_lag(c: Chaos, wait_s: float = 90) -> dict[str, int]:
    """Messages each stage's consumer group has not committed yet; waits for commits to settle (a
    stalled commit is re-read after 30 s, see pipeline/stream/ops.py)."""
    admin = KafkaAdminClient(bootstrap_servers=c.s.kafka_bootstrap)
    consumer = KafkaConsumer(bootstrap_servers=c.s.kafka_bootstrap, group_id=None)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            lag = {}
            for group, names in GROUPS.items():
                committed = admin.list_group_offsets(group)[group]
                parts = [tp for tp in committed if tp.topic in names]
                ends = consumer.end_offsets(parts)
                lag[group] = sum(ends[tp] - committed[tp].offset for tp in parts)
            if not any(lag.values()) or time.monotonic() > deadline:
                return lag
            time.sleep(2)
    finally:
        admin.close()
        consumer.close()


def check(c: Chaos, scenario: str, out: Outcome, report) -> None:
    report(f"chaos {scenario:18} voicemails {out.voicemails}  task ids {out.task_ids}  raw task messages "
           f"{out.raw_tasks} (duplicates {out.raw_tasks - out.task_ids})  lost {out.lost}  dead letters "
           f"{out.dead_letters}  audit redrives {out.redrives}  fault at {out.fault_at_s} s  longest stall "
           f"{out.stall_s} s  {out.elapsed_s} s ({60 * out.voicemails / max(out.elapsed_s, 1):.0f} vm/min)  "
           f"uncommitted offsets left {sum(out.lag.values())}  stalled commits re-read {heals(c)}")
    assert (out.task_ids, out.lost, out.dead_letters) == (out.voicemails, 0, 0)
    assert out.raw_tasks == out.task_ids, "a task was written twice"
    assert out.lag == dict.fromkeys(GROUPS, 0), "a consumer group stopped committing"
    assert all(c.workers.alive().values()), c.workers.alive()


