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
import time
from collections.abc import Iterator

import pytest
from faster_whisper.audio import decode_audio
from kafka import KafkaConsumer, KafkaProducer

from pipeline import devstack, events, topics
from pipeline.adapters import s3 as s3io
from pipeline.config import Settings
from tests.conftest import SAMPLES
from tests.support.audio import wav16
from tests.support.chaos import Chaos, Workers, check, group_lag, notification, upload, watch

pytestmark = pytest.mark.integration
N = 100  # voicemails per scenario
# First sentence of five samples (seconds): a caller saying who they are, cut where they pause.
CLIPS = {"sample01": 5.1, "sample03": 2.1, "sample04": 1.4, "sample05": 2.2, "sample06": 2.6}


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
