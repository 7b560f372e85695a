"""Plain Kafka readers for commands and tools (not the streaming workers): whole topics from the
beginning, without a consumer group, so reading never moves anyone's offsets."""

from __future__ import annotations

import json
from collections.abc import Iterator

from kafka import KafkaConsumer

from pipeline.config import Settings
from pipeline.transport import kafka_kwargs


def read_topics(s: Settings, names: list[str], idle_timeout_s: float | None = None) -> Iterator[tuple[str, bytes]]:
    """(topic, raw value) from the beginning of `names`, without a consumer group; ends after
    `idle_timeout_s` without a message (never when None)."""
    consumer = KafkaConsumer(*names, **kafka_kwargs(s), auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=None,
                             consumer_timeout_ms=int(idle_timeout_s * 1000) if idle_timeout_s else float("inf"))
    try:
        for msg in consumer:
            yield msg.topic, msg.value
    finally:
        consumer.close()


def read_all(s: Settings, names: list[str], idle_s: float = 3.0) -> list[tuple[str, dict]]:
    """Every JSON message on the topics, in order read, with its topic."""
    out = []
    for topic, raw in read_topics(s, names, idle_s):
        try:
            out.append((topic, json.loads(raw)))
        except ValueError:
            continue  # not ours to judge here: the SLA monitor dead-letters it
    return out
