"""Chaos: over 100 voicemails each, kill -9 a transcribe worker, kill and restart the broker, and deliver
everything again. Each time every voicemail ends as exactly one task id on the role topics, none is lost,
and no consumer group is left behind. Figures (raw duplicates, stall, throughput) go to the run's summary.

A stack of its own (ports 292xx) with one process per stage and two transcribe workers in one consumer
group, so a worker or the broker can be killed without touching the session's stack. Transcription is
real: short clips of the samples, language fixed to English (one encoder pass per voicemail)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from faster_whisper.audio import decode_audio
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

from pipeline import devstack, events, topics
from pipeline.adapters import s3 as s3io
from pipeline.config import Settings
from tests.conftest import REPO, SAMPLES
from tests.integration.conftest import TASK_TOPICS
from tests.support.audio import wav16

pytestmark = pytest.mark.integration
N = 100  # voicemails per scenario
# First sentence of five samples (seconds): a caller saying who they are, cut where they pause.
CLIPS = {"sample01": 5.1, "sample03": 2.1, "sample04": 1.4, "sample05": 2.2, "sample06": 2.6}
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

    def kill9_and_restart(self, name: str) -> None:
        stage, proc = self.procs[name]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        self.start(name, stage)

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


@pytest.fixture(scope="module")
def chaos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chaos]:
    root = tmp_path_factory.mktemp("chaos")
    env = {"VM_KAFKA_BOOTSTRAP": "127.0.0.1:29292", "VM_S3_ENDPOINT": "http://127.0.0.1:29200",
           "VM_STACK_DIR": str(root), "VM_STATE_DIR": str(root / "state"), "VM_RECONCILE_INTERVAL_S": "1",
           "VM_WHISPER_LANGUAGE": "en", "VM_WHISPER_CPU_THREADS": "1", "VM_KAFKA_SESSION_TIMEOUT_S": "10",
           "VM_HTTP_PORT": "0", "VM_LOG_LEVEL": os.environ.get("CHAOS_LOG_LEVEL", "info"),
           # the audit re-publishes what a stage skipped: 10 s after its partition moved on, 60 s at most
           "VM_AUDIT_CHECK_INTERVAL_S": "2", "VM_AUDIT_GRACE_S": "10", "VM_AUDIT_REDRIVE_AFTER_S": "60"}
    s = Settings(**{k.removeprefix("VM_").lower(): v for k, v in env.items()})
    devstack.up(s)
    workers = Workers(env, root)
    for name, stage in [("ingest", "ingest"), ("transcribe-a", "transcribe"), ("transcribe-b", "transcribe"),
                        ("classify", "classify"), ("route", "route"), ("audit", "audit")]:
        workers.start(name, stage)
    clips = [wav16(decode_audio(str(SAMPLES / "audio" / f"{name}.wav"), sampling_rate=16000)[: int(cut * 16000)],
                   16000) for name, cut in CLIPS.items()]
    try:
        yield Chaos(s, workers, clips)
    finally:
        workers.stop()
        devstack.down(s, purge=True)


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
    log = c.workers.logs / "audit.log"
    return log.read_text().count('"audit.redrive"') if log.exists() else 0


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
    assert out.lag == dict.fromkeys(GROUPS, 0), "a consumer group stopped committing"
    assert all(c.workers.alive().values()), c.workers.alive()


def test_kill_9_a_transcribe_worker_mid_run(chaos: Chaos, report) -> None:
    vms = upload(chaos, "kill9", N)
    out = watch(chaos, set(vms), lambda: chaos.workers.kill9_and_restart("transcribe-a"), fault_at=0.3)
    chaos.ledger["kill9"] = list(vms)
    check(chaos, "kill -9 transcribe", out, report)


def test_broker_killed_and_restarted_mid_run(chaos: Chaos, report) -> None:
    def restart_broker() -> None:
        pid = int((chaos.s.stack_dir / "kafka.pid").read_text())
        os.killpg(pid, signal.SIGKILL)
        while devstack.status(chaos.s)["servers"]["kafka"]["up"]:
            time.sleep(0.2)
        time.sleep(3)  # the workers notice the broker is gone
        devstack.up(chaos.s)

    vms = upload(chaos, "broker", N)
    out = watch(chaos, set(vms), restart_broker, fault_at=0.3)
    chaos.ledger["broker"] = list(vms)
    check(chaos, "broker restart", out, report)


def test_everything_delivered_again(chaos: Chaos, report) -> None:
    """Every notification sent twice more and every claim check (voicemail.received) once more, for
    voicemails already done: no new task message may come out."""
    if not chaos.ledger:  # run on its own: a first delivery to repeat
        vms = upload(chaos, "again", N)
        watch(chaos, set(vms), None, 1.0)
        chaos.ledger["again"] = list(vms)
    done = {vm for ids in chaos.ledger.values() for vm in ids}
    before = watch(chaos, done, None, 1.0)
    keys = {events.voicemail_id(chaos.s.bucket, o["Key"], o["ETag"].strip('"')): o["Key"]
            for o in s3io.list_objects(s3io.client(chaos.s), chaos.s.bucket, "chaos/")}
    claims = KafkaConsumer(topics.RECEIVED, bootstrap_servers=chaos.s.kafka_bootstrap, auto_offset_reset="earliest",
                           enable_auto_commit=False, group_id=None, consumer_timeout_ms=3000)
    received = {}  # one claim check per voicemail (the audit may have re-published some)
    for r in claims:
        received.setdefault(json.loads(r.value)["voicemail_id"], r.value)
    claims.close()
    producer = KafkaProducer(bootstrap_servers=chaos.s.kafka_bootstrap)
    for vm in done:
        for _ in range(2):
            producer.send(topics.S3_EVENTS, notification(chaos.s.bucket, keys[vm]))
    for vm in done:
        producer.send(topics.RECEIVED, key=vm.encode(), value=received[vm])
    producer.flush()
    producer.close()
    time.sleep(5)
    group_lag(chaos)  # every redelivery consumed
    after = watch(chaos, done, None, 1.0)
    report(f"chaos all again       redelivered {2 * len(done)} notifications and {len(done)} claim checks "
           f"for {len(done)} finished voicemails: new task messages {after.raw_tasks - before.raw_tasks}")
    assert done <= received.keys()
    assert after.raw_tasks == before.raw_tasks
    check(chaos, "all again", after, report)
