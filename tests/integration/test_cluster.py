"""`dev up --brokers 3`: a real three-node KRaft cluster on this machine (one JVM per node), with the
production topic settings, that keeps taking writes with one node killed and takes the node back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic

from pipeline import devstack, topics
from pipeline.config import Settings
from pipeline.transport import kafka_kwargs, producer_kwargs
from tests.conftest import REPO

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    root = tmp_path_factory.mktemp("cluster")
    env = {"VM_KAFKA_BOOTSTRAP": "127.0.0.1:39092", "VM_S3_ENDPOINT": "http://127.0.0.1:39000",
           "VM_STACK_DIR": str(root), "VM_STATE_DIR": str(root / "state")}
    up = subprocess.run([sys.executable, "-m", "pipeline", "dev", "up", "--brokers", "3", "--json"], cwd=REPO,
                        env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    s = Settings(kafka_bootstrap="127.0.0.1:39092", s3_endpoint="http://127.0.0.1:39000", stack_dir=root,
                 state_dir=root / "state")
    try:
        assert up.returncode == 0, up.stderr[-3000:]
        state = json.loads(up.stdout)
        yield s.model_copy(update={"kafka_bootstrap": state["kafka_bootstrap"]})
    finally:
        devstack.down(s, purge=True)


def test_three_nodes_and_production_topic_settings(cluster: Settings) -> None:
    state = devstack.status(cluster.model_copy(update={"kafka_bootstrap": "127.0.0.1:39092"}))  # the size is found
    assert [(b["id"], b["port"], b["up"]) for b in state["brokers"]] == [(1, 39092, True), (2, 39094, True),
                                                                         (3, 39096, True)]
    assert len({b["pid"] for b in state["brokers"]}) == 3
    assert state["kafka_bootstrap"] == "127.0.0.1:39092,127.0.0.1:39094,127.0.0.1:39096"
    admin = KafkaAdminClient(**kafka_kwargs(cluster))
    try:
        described = admin.describe_topics([topics.RECEIVED, topics.task_topic("nurse")])
        assert all(len(p["replica_nodes"]) == 3 for t in described for p in t["partitions"])
        configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topics.RECEIVED)])
        assert configs["topic"][topics.RECEIVED]["min.insync.replicas"]["value"] == "2"
    finally:
        admin.close()


def test_writes_go_on_with_a_node_killed_and_it_comes_back(cluster: Settings) -> None:
    name = f"cluster-test-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(**kafka_kwargs(cluster))
    admin.create_topics([NewTopic(name, num_partitions=3, replication_factor=3,
                                  topic_configs={"min.insync.replicas": "2"})])
    admin.close()
    victim = devstack.status(cluster)["brokers"][1]
    os.kill(victim["pid"], signal.SIGKILL)
    producer = KafkaProducer(**producer_kwargs(cluster))
    sent = [f"m{i}".encode() for i in range(200)]
    started = time.monotonic()
    for value in sent:
        producer.send(name, key=value, value=value)
    producer.flush(timeout=120)
    producer.close()
    print(f"\ncluster: 200 writes (acks=all, idempotent) with node {victim['id']} killed: "
          f"{time.monotonic() - started:.1f} s")
    consumer = KafkaConsumer(name, **kafka_kwargs(cluster), auto_offset_reset="earliest", group_id=None,
                             consumer_timeout_ms=10_000)
    got = [m.value for m in consumer]
    consumer.close()
    assert sorted(got) == sorted(sent)  # every write kept, none twice
    devstack.up(cluster)  # brings the dead node back
    assert all(b["up"] for b in devstack.status(cluster)["brokers"])
    admin = KafkaAdminClient(**kafka_kwargs(cluster))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            isr = [len(p["isr_nodes"]) for p in admin.describe_topics([name])[0]["partitions"]]
            if isr == [3, 3, 3]:
                break
            time.sleep(1)
        assert isr == [3, 3, 3], isr
    finally:
        admin.close()
