"""One real stack per test session: a Kafka broker and S3Proxy on their own ports and folders
(so a running `make demo` stack is left alone), plus `python -m pipeline worker` as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kafka import KafkaConsumer

from pipeline import devstack, events, topics
from pipeline.adapters import s3 as s3io
from pipeline.config import Settings
from tests.conftest import REPO, SAMPLES


@pytest.fixture(scope="session")
def stack_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("stack")
    return {
        "VM_KAFKA_BOOTSTRAP": "127.0.0.1:29092",
        "VM_S3_ENDPOINT": "http://127.0.0.1:29000",
        "VM_STACK_DIR": str(root),
        "VM_STATE_DIR": str(root / "state"),
        "VM_RECONCILE_INTERVAL_S": "1",
        "VM_MAX_AUDIO_BYTES": "4000000",  # small limits, so the bad-input matrix stays small
        "VM_MAX_AUDIO_SECONDS": "120",
        "VM_HTTP_PORT": "29400",  # worker i (stage order) on 29400 + i
        "VM_SLA_CHECK_INTERVAL_S": "1",
        "VM_SLA_ESCALATE_EVERY_S": "3600",  # one level within a test
    }


@pytest.fixture(scope="session")
def stack(stack_env: dict[str, str]) -> Iterator[Settings]:
    # As the workers read them from the environment, where lists are JSON.
    s = Settings(**{k.removeprefix("VM_").lower(): json.loads(v) if v.startswith("[") else v
                    for k, v in stack_env.items()})
    devstack.up(s)
    yield s
    devstack.down(s, purge=True)


@pytest.fixture(scope="session")
def worker_log(stack: Settings, stack_env: dict[str, str]) -> Iterator[Path]:
    log = stack.stack_dir / "worker.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "worker"], cwd=REPO, stdout=out,
                                stderr=subprocess.STDOUT, env={**os.environ, **stack_env})
    yield log
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def s3(stack: Settings):
    """A plain boto3 client, as an answering service would use."""
    return s3io.client(stack)


def collect(s: Settings, names: list[str], want: Callable[[dict], bool], count: int, timeout: float,
            settle: float = 5.0) -> list[tuple[str, dict]]:
    """Read `names` from the beginning with a plain kafka-python consumer until `count` wanted
    messages arrived, then keep reading `settle` seconds more so duplicates would show."""
    consumer = KafkaConsumer(*names, bootstrap_servers=s.kafka_bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=None)
    got: list[tuple[str, dict]] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    value = json.loads(record.value)
                    if want(value):
                        got.append((record.topic, value))
            if len(got) >= count:
                deadline = min(deadline, time.monotonic() + settle)
    finally:
        consumer.close()
    return got


TASK_TOPICS = [topics.task_topic(r) for r in topics.ROLES]


FIVE = ["sample01", "sample02", "sample03", "sample04", "sample05"]


def drop(s3, s: Settings, name: str, body: bytes, **metadata: str) -> str:
    """Put an object like an answering service would; returns the voicemail id the pipeline derives."""
    key = f"answering-service/{uuid.uuid4().hex}/{name}"
    s3.put_object(Bucket=s.bucket, Key=key, Body=body, Metadata=metadata)
    etag = s3.head_object(Bucket=s.bucket, Key=key)["ETag"].strip('"')
    return events.voicemail_id(s.bucket, key, etag)


def task_for(vm_ids: set[str]):
    return lambda task: any(i.get("value") in vm_ids for i in task.get("identifier", []))


@pytest.fixture(scope="session")
def delivered(stack: Settings, s3, worker_log) -> dict:
    vm_ids = {}
    for i, sample in enumerate(FIVE):
        vm_ids[drop(s3, stack, f"{sample}.wav", (SAMPLES / "audio" / f"{sample}.wav").read_bytes(),
                    **{"caller-id": f"+1215555{i:04d}", "mailbox": "main",
                       "received-at": "2026-11-26T15:00:00Z"})] = sample
    tasks = collect(stack, TASK_TOPICS, task_for(set(vm_ids)), count=len(FIVE), timeout=300)
    return {"vm_ids": vm_ids, "tasks": tasks}


CONSOLE_PORT = 29088
CONSOLE_BASE = f"http://127.0.0.1:{CONSOLE_PORT}"
CONSOLE_PASSWORD = "a long demo password"
CONSOLE_USERS = {"nina": "nurse", "nora": "nurse", "cleo": "clinician", "carl": "clinician", "bill": "billing",
                 "mona": "manager"}


@pytest.fixture(scope="session")
def console(stack: Settings, stack_env: dict[str, str], worker_log: Path, tmp_path_factory) -> Iterator[dict]:
    env = {**os.environ, **stack_env, "VM_CONSOLE_PORT": str(CONSOLE_PORT),
           "VM_CONSOLE_USERS": str(tmp_path_factory.mktemp("console") / "users.json")}
    for name, role in CONSOLE_USERS.items():
        subprocess.run([sys.executable, "-m", "pipeline", "console", "add-user", name, "--role", role,
                        "--password-stdin"], input=CONSOLE_PASSWORD + "\n", text=True, env=env, cwd=REPO, check=True,
                       capture_output=True)
    log = stack.stack_dir / "console.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "console"], cwd=REPO, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{CONSOLE_BASE}/login", timeout=5).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError(f"console did not start; {log.read_text()[-2000:]}")
        yield {"env": env, "log": log}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
