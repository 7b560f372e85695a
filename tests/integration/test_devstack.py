"""`dev up | status` against the real processes the session fixture started."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient

from pipeline import devstack, provision, topics
from pipeline.config import Settings
from tests.conftest import REPO

pytestmark = pytest.mark.integration


def dev(stack_env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", "dev", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, **stack_env}, timeout=180, check=False)


def test_status_json_tells_any_client_how_to_connect(stack: Settings, stack_env: dict[str, str]) -> None:
    result = dev(stack_env, "status", "--json")
    assert result.returncode == 0
    state = json.loads(result.stdout)
    assert state["kafka_bootstrap"] == "127.0.0.1:29092"
    assert state["s3_endpoint"] == "http://127.0.0.1:29000"
    assert {"bucket", "region", "aws_access_key_id", "aws_secret_access_key"} <= state.keys()
    assert state["up"] is True


def test_up_again_changes_nothing(stack: Settings, stack_env: dict[str, str]) -> None:
    before = devstack.status(stack)["servers"]
    result = dev(stack_env, "up")
    assert result.returncode == 0, result.stderr
    assert devstack.status(stack)["servers"] == before  # same pids: nothing restarted
    assert provision.ensure_topics(stack) == []  # every topic already there


def test_topics_have_configured_partitions_and_retention(stack: Settings) -> None:
    admin = KafkaAdminClient(bootstrap_servers=stack.kafka_bootstrap)
    try:
        names = [*topics.ALL, *topics.CHANGELOGS]
        described = {t["name"]: t for t in admin.describe_topics(names)}
        assert {name: len(described[name]["partitions"]) for name in names} == dict.fromkeys(
            names, stack.topic_partitions)
        config = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topics.RECEIVED)])
        assert config["topic"][topics.RECEIVED]["retention.ms"]["value"] == str(stack.topic_retention_ms)
    finally:
        admin.close()



def test_topics_command_sets_min_isr_and_retention_on_existing_topics(stack: Settings,
                                                                      stack_env: dict[str, str]) -> None:
    env = {**os.environ, **stack_env, "VM_TOPIC_RETENTION_MS": str(2 * 24 * 3600 * 1000)}
    ok = subprocess.run([sys.executable, "-m", "pipeline", "topics", "--min-insync-replicas", "1",
                         "--bucket-lifecycle"], cwd=REPO, capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert out["created"] == []
    assert out["audio_lifecycle_days"] is None  # S3Proxy has no lifecycle rules; a real S3 gets the rule
    admin = KafkaAdminClient(bootstrap_servers=stack.kafka_bootstrap)
    try:
        config = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topics.DLQ)])["topic"][topics.DLQ]
        assert config["min.insync.replicas"]["value"] == "1"
        assert config["retention.ms"]["value"] == str(2 * 24 * 3600 * 1000)
    finally:
        admin.close()
    provision.ensure_topics(stack)  # back to the session's retention
