"""TLS + SASL/SCRAM to Kafka and HTTPS to S3, by configuration only: a second local stack whose broker
listens only on SASL_SSL and whose S3 server speaks only HTTPS, with a CA of its own. The workers,
`submit` and the task reader use it unchanged; clients without the password or the CA are refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import botocore.exceptions
import pytest
from kafka import KafkaAdminClient, KafkaConsumer
from kafka.errors import KafkaTimeoutError

from pipeline import devstack, events
from pipeline.adapters import s3 as s3io
from pipeline.config import Settings
from pipeline.transport import kafka_kwargs
from tests.conftest import REPO, SAMPLES
from tests.integration.conftest import TASK_TOPICS

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def secure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, dict[str, str]]]:
    root = tmp_path_factory.mktemp("secure")
    env = {
        "VM_KAFKA_BOOTSTRAP": "127.0.0.1:29192",
        "VM_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "VM_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "VM_KAFKA_SASL_USERNAME": "pipeline",
        "VM_KAFKA_SASL_PASSWORD": "not-the-default-" + os.urandom(6).hex(),
        "VM_KAFKA_SSL_CAFILE": str(root / "tls" / "ca.pem"),  # written by `dev up`
        "VM_S3_ENDPOINT": "https://127.0.0.1:29100",
        "VM_S3_CA_BUNDLE": str(root / "tls" / "ca.pem"),
        "VM_STACK_DIR": str(root),
        "VM_STATE_DIR": str(root / "state"),
        "VM_HTTP_PORT": "0",
    }
    s = Settings(**{k.removeprefix("VM_").lower(): v for k, v in env.items()})
    devstack.up(s)
    worker = subprocess.Popen([sys.executable, "-m", "pipeline", "worker", "--stage", "ingest", "--stage",
                               "transcribe", "--stage", "classify", "--stage", "route"], cwd=REPO,
                              stdout=(root / "worker.log").open("wb"), stderr=subprocess.STDOUT,
                              env={**os.environ, **env})
    yield s, env
    worker.terminate()
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
    devstack.down(s, purge=True)


def test_a_voicemail_flows_over_tls_and_scram(secure) -> None:
    s, env = secure
    result = subprocess.run([sys.executable, "-m", "pipeline", "submit", str(SAMPLES / "audio" / "sample02.wav")],
                            cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    task_id = events.task_id(json.loads(result.stdout)["voicemail_id"])
    consumer = KafkaConsumer(*TASK_TOPICS, **kafka_kwargs(s), auto_offset_reset="earliest", group_id=None,
                             enable_auto_commit=False)
    found, deadline = [], time.monotonic() + 180
    try:
        while time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=1000).values():
                found += [r.topic for r in records if json.loads(r.value)["id"] == task_id]
            if found:  # read on a while, so a duplicate would show
                deadline = min(deadline, time.monotonic() + 5)
    finally:
        consumer.close()
    assert len(found) == 1  # one task; its role depends on the hour (after hours: the on-call clinician)


def admin_topics(**kw) -> list[str]:
    admin = KafkaAdminClient(**kw, request_timeout_ms=5000, bootstrap_timeout_ms=8000)
    try:
        return admin.list_topics()
    finally:
        admin.close()


@pytest.mark.parametrize("change", [
    {"security_protocol": "PLAINTEXT", "sasl_mechanism": None, "ssl_context": None, "sasl_plain_username": None,
     "sasl_plain_password": None},  # no TLS, no login
    {"sasl_plain_password": "guessed"},
    {"ssl_context": "system-trust"},  # a server certificate nobody vouched for
], ids=["plaintext", "wrong_password", "unknown_ca"])
def test_the_broker_refuses_clients_without_tls_or_credentials(secure, change: dict) -> None:
    import ssl

    s, _ = secure
    assert "tasks.clinician" in admin_topics(**kafka_kwargs(s))  # the same client, configured right, gets in
    kw = {**kafka_kwargs(s), **change}
    if kw.get("ssl_context") == "system-trust":
        kw["ssl_context"] = ssl.create_default_context()
    with pytest.raises(KafkaTimeoutError, match="Unable to bootstrap"):
        admin_topics(**{k: v for k, v in kw.items() if v is not None})


def test_s3_speaks_only_https_with_the_configured_ca(secure) -> None:
    s, _ = secure
    assert s3io.client(s).head_bucket(Bucket=s.bucket)["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(botocore.exceptions.SSLError):
        s3io.client(s.model_copy(update={"s3_ca_bundle": None})).head_bucket(Bucket=s.bucket)
    plain = s.model_copy(update={"s3_endpoint": s.s3_endpoint.replace("https://", "http://")})
    with pytest.raises(botocore.exceptions.HTTPClientError):  # the server closes a plaintext request
        s3io.client(plain).head_bucket(Bucket=s.bucket)
