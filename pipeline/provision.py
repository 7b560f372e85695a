"""Provisioning as code, for the local stack and for production alike (the k8s topics Job runs
`python -m pipeline topics`): the bucket and its audio lifecycle, every topic with its retention,
faust's changelogs and the lease topics compacted. Every call is idempotent."""

from __future__ import annotations

import contextlib

from botocore.exceptions import ClientError
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from pipeline import topics
from pipeline.adapters.s3 import client as s3_client
from pipeline.config import Settings
from pipeline.logging import get_logger
from pipeline.transport import kafka_kwargs

log = get_logger(__name__)


def ensure_bucket(s: Settings) -> None:
    """Create the voicemail bucket unless it exists."""
    client = s3_client(s)
    try:
        client.head_bucket(Bucket=s.bucket)
    except ClientError:
        client.create_bucket(Bucket=s.bucket)


def ensure_topics(s: Settings, replication: int | None = None, min_insync: int | None = None) -> list[str]:
    """Create the pipeline's topics (idempotent); returns the names created now. Existing topics keep
    their partitions, and get their retention and min.insync.replicas set to what is asked now."""
    replication = replication or s.topic_replication
    admin = KafkaAdminClient(**kafka_kwargs(s), client_id="pipeline-admin")
    try:
        existing = set(admin.list_topics())
        durable = {"min.insync.replicas": str(min_insync)} if min_insync else {}
        configs = {name: {"retention.ms": str(s.topic_retention_ms), **durable} for name in topics.ALL}
        configs.update({name: {"cleanup.policy": "compact", **durable}
                        for name in (*topics.CHANGELOGS, *topics.LEASES.values())})
        lease_topics = set(topics.LEASES.values())  # one partition: its one holder is the lease
        new = [NewTopic(name, num_partitions=1 if name in lease_topics else s.topic_partitions,
                        replication_factor=replication, topic_configs=config)
               for name, config in configs.items() if name not in existing]
        if new:
            with contextlib.suppress(TopicAlreadyExistsError):  # a concurrent `up` won the race
                admin.create_topics(new)
        old = [ConfigResource(ConfigResourceType.TOPIC, name, configs=config)
               for name, config in configs.items() if name in existing]
        if old:
            admin.alter_configs(old)
        return [t.name for t in new]
    finally:
        admin.close()


def ensure_audio_lifecycle(s: Settings) -> bool:
    """Expire voicemail audio after `audio_retention_days` (an S3 lifecycle rule on the bucket). Returns
    False where the S3 server does not implement lifecycle rules (S3Proxy): then retention is the
    operator's job, and `dev up` says so."""
    rule = {"ID": "voicemail-audio-expiry", "Status": "Enabled", "Filter": {"Prefix": s.ingest_prefix},
            "Expiration": {"Days": s.audio_retention_days}}
    try:
        s3_client(s).put_bucket_lifecycle_configuration(Bucket=s.bucket, LifecycleConfiguration={"Rules": [rule]})
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NotImplemented", "501"):
            log.warning("stack.lifecycle_unsupported", bucket=s.bucket, retention_days=s.audio_retention_days)
            return False
        raise
    return True
